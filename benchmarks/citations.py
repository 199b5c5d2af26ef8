"""Reference lists, reference fields, in-text citation linking and cross-document merging
on ../shared/data/pdf_jats against the JATS gold (<ref-list>, <xref ref-type="bibr">).

Beside GROBID's published PubMed Central figures: reference fields micro-F1 82.5 (strict),
citation-to-reference linking F1 75.2. Fields are scored where the JATS gold has them (JATS
often leaves out an issue the PDF prints) and, for DOIs, where the PDF prints the DOI (JATS
adds DOIs from publisher metadata that many reference lists never print).

The cross-report merge is scored twice: pairs of references with one gold DOI, and the
pairs of `benchmarks/gold/merge_pairs.yaml` (variant forms of one work in the shared PDFs,
the samples and the seed reports; precision over every merged pair of two reports).

    python benchmarks/citations.py [--data PATH] [--limit N] [--verbose]
"""
from __future__ import annotations

import re
import sys
from itertools import combinations
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402
import yaml  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402

from _common import ROOT, arg_parser, load_pdf_jats, print_table  # noqa: E402
from extract.markup.text import read_text  # noqa: E402
from extract.names import parse_name  # noqa: E402
from extract.citations.links import find_citations  # noqa: E402
from extract.citations.refparse import ET_AL, clean_pages  # noqa: E402
from extract.pdf.ingest import IngestError, read_pdf  # noqa: E402
from extract.citations.references import reference_records  # noqa: E402
from extract.citations.works import assign_works, merge_quality  # noqa: E402

FIELDS = ["authors", "title", "container", "year", "volume", "issue", "pages", "doi"]
MERGE_GOLD = ROOT / "benchmarks" / "gold" / "merge_pairs.yaml"
GROBID = {"fields_f1": 0.825, "link_f1": 0.752}


def norm(v) -> str:
    s = unicodedata.normalize("NFKC", str(v or "")).lower()
    s = re.sub(r"[\u2010-\u2015]", "-", s)
    return re.sub(r"[^\w]+", " ", s).strip()


def families(authors) -> list[str]:
    """Family names by the project's name model ('Smith J Jr', 'Le Roux É' -> 'smith', 'le roux')."""
    return [norm(n.family if (n := parse_name(str(a))) else a) for a in authors or []]


def printed_authors(gold: list[str] | None, raw: str) -> list[str] | None:
    """The gold authors a reference string prints: JATS lists every author where the
    string stops at "et al." after the first few, so the gold is cut to its longest
    prefix whose family names the string prints before "et al." (as DOIs are scored
    where the PDF prints them)."""
    m = ET_AL.search(raw or "")
    if not gold or not m:
        return gold
    printed = f" {norm(raw[:m.start()])} "
    for k, fam in enumerate(families(gold)):
        if f" {fam} " not in printed:
            return gold[:k] or gold
    return gold


def field_value(field: str, rec: dict):
    v = rec.get(field)
    if field == "authors":
        fam = families(v) if v else []
        return " | ".join(fam) or None
    if field == "pages" and v:  # "p. 615" and "615" are one page; "1060-5" and "1060-1065" one range
        return norm(clean_pages(str(v)))
    if field == "year" and v:
        return str(v)[:4]
    return norm(v) or None


def match_entries(pred: list[dict], gold: list[dict]) -> dict[int, int]:
    """pred index -> gold index: by label when both lists are numbered, else by text."""
    out: dict[int, int] = {}
    labels = {str(g.get("label") or "").strip(" .[]()"): i for i, g in enumerate(gold)}
    if all(str(p.get("ref_no") or "") in labels for p in pred) and len(labels) == len(gold):
        for i, p in enumerate(pred):
            out[i] = labels[str(p["ref_no"])]
        return out
    scores = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            key = g.get("title") or g.get("raw") or ""
            s = fuzz.partial_ratio(norm(key), norm(p["raw"])) if key else 0
            scores.append((s, i, j))
    used_p, used_g = set(), set()
    for s, i, j in sorted(scores, reverse=True):
        if s < 70:
            break
        if i not in used_p and j not in used_g:
            out[i] = j
            used_p.add(i)
            used_g.add(j)
    return out


def score_document(doc, g, c: Counter, verbose: bool = False) -> list[dict]:
    """Add one document's counts to `c`; return its references for the merging scores,
    matched ones with their gold DOI and gold name (PMCID:position in the JATS list).
    With `verbose`, print what it missed or got wrong."""
    refs = reference_records(doc)
    cits = find_citations(doc, refs)
    m = match_entries(refs, g.refs)
    c["gold_refs"] += len(g.refs)
    c["pred_refs"] += len(refs)
    c["matched"] += len(m)
    printed = norm(doc.text)
    wrong = []
    for i, j in m.items():
        for f in FIELDS:
            gold = dict(g.refs[j], authors=printed_authors(g.refs[j].get("authors"), refs[i]["raw"]))
            pv, gv = field_value(f, refs[i]), field_value(f, gold)
            if not gv or (f == "doi" and gv not in printed):
                continue  # scored where the gold has the field and the PDF prints it
            hit = pv == gv
            for key in ("", f"_{f}"):
                c["tp" + key] += hit
                c["fp" + key] += bool(pv) and not hit
                c["fn" + key] += bool(gv) and not hit
            if not hit:
                wrong.append((refs[i]["ref_no"], f, pv, gv))
    # in-text linking: multisets of gold reference indices
    id_index = {ref.get("id"): k for k, ref in enumerate(g.refs)}
    gold_links = Counter(id_index[r] for x in g.xrefs for r in x["rid"].split() if r in id_index)
    by_no = {refs[i]["ref_no"]: j for i, j in m.items()}
    pred_links = Counter(by_no[c_["ref_no"]] for c_ in cits if c_["ref_no"] in by_no)
    pred_unmatched = sum(1 for c_ in cits if c_["ref_no"] not in by_no)
    c["link_tp"] += sum((gold_links & pred_links).values())
    c["link_pred"] += sum(pred_links.values()) + pred_unmatched
    c["link_gold"] += sum(gold_links.values())
    if verbose:
        _explain(g, refs, cits, m, wrong, gold_links, pred_links, by_no)
    return [dict(r, gold_doi=g.refs[m[i]].get("doi") if i in m else None,
                 gold_key=f"{g.pmcid}:{m[i] + 1}" if i in m else None) for i, r in enumerate(refs)]


def sample_references(data: Path) -> list[dict]:
    """References of the sample PDFs (corpus/) and the seed reports (../shared/seeds, read as
    text), each named STEM:REF_NO as in the merge gold."""
    out = []
    sources = [(p, read_pdf) for p in sorted((ROOT / "corpus").glob("*.pdf"))]
    sources += [(p, lambda q: read_text(q.read_text(), path=str(q)))
                for p in sorted((data.parent / "seeds").glob("*.txt"))]
    for path, reader in sources:
        for r in reference_records(reader(path)):
            out.append(dict(r, gold_doi=None, gold_key=f"{path.stem}:{r['ref_no']}"))
    return out


def gold_merge_groups(path: Path) -> dict[str, int]:
    """DOC:REF -> group number, from benchmarks/gold/merge_pairs.yaml."""
    groups = yaml.safe_load(path.read_text())
    return {member: k for k, group in enumerate(g for part in groups.values() for g in part or [])
            for member in group}


def variant_merging(refs_df: pd.DataFrame, groups: dict[str, int], verbose: bool = False
                    ) -> tuple[float, float, int]:
    """Pairwise merge (precision, recall, gold pairs) over pairs of references from different
    reports: gold pairs are members of one group; a pair sharing a work_id is right when its
    two members are in one group."""
    merged = _with_works(refs_df)
    by_key = {k: (d, w) for k, d, w in zip(merged.gold_key, merged.doc_id, merged.work_id) if k}
    gold_pairs = {frozenset(pair) for k in set(groups.values())
                  for pair in combinations(sorted(m for m, g in groups.items() if g == k), 2)
                  if pair[0].split(":")[0] != pair[1].split(":")[0]}
    found = {pair for pair in gold_pairs
             if all(m in by_key for m in pair) and len({by_key[m][1] for m in pair}) == 1}
    predicted = wrong = 0
    for _, grp in merged.groupby("work_id"):
        for (ka, da), (kb, db) in combinations(zip(grp.gold_key, grp.doc_id), 2):
            if da == db:
                continue
            predicted += 1
            right = ka is not None and kb is not None and groups.get(ka, -1) == groups.get(kb, -2)
            wrong += not right
            if verbose and not right:
                print(f"  wrong merge: {ka} + {kb}")
    if verbose:
        for pair in sorted(gold_pairs - found, key=sorted):
            print("  missed merge:", " + ".join(sorted(pair)),
                  "" if all(m in by_key for m in pair) else "(an entry not found)")
    precision = (predicted - wrong) / predicted if predicted else 1.0
    return precision, len(found) / len(gold_pairs) if gold_pairs else 1.0, len(gold_pairs)


def _explain(g, refs, cits, m, wrong, gold_links, pred_links, by_no) -> None:
    print(f"\n== {g.pmcid} ({g.article_type}) gold {len(g.refs)} pred {len(refs)} matched {len(m)}")
    got = set(m.values())
    for j, gr in enumerate(g.refs):
        if j not in got:
            print(f"  missed gold [{gr.get('label')}] {(gr.get('raw') or '')[:110]}")
    for i, r in enumerate(refs):
        if i not in m:
            print(f"  extra pred [{r['ref_no']}] {r['raw'][:110]}")
    for no, f, pv, gv in wrong:
        print(f"  field [{no}] {f}: got {pv!r} gold {gv!r}")
    miss, extra = gold_links - pred_links, pred_links - gold_links
    label = {j: g.refs[j].get("label") or j for j in range(len(g.refs))}
    if miss:
        print("  links missed (gold ref label x n):", {label[j]: n for j, n in sorted(miss.items())})
    if extra:
        print("  links extra:", {label[j]: n for j, n in sorted(extra.items())})
    unmatched = Counter(c_["marker"] for c_ in cits if c_["ref_no"] not in by_no)
    if unmatched:
        print("  markers to no matched reference:", dict(unmatched))


def main() -> None:
    ap = arg_parser(__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true",
                    help="print each document's missed entries, wrong fields and links, and wrong merges")
    args = ap.parse_args()
    golds = load_pdf_jats(args.data, args.limit)
    per_type = defaultdict(lambda: Counter())
    all_refs = []
    failures = []
    for g in golds:
        try:
            doc = read_pdf(g.pdf)
        except IngestError as e:
            failures.append({"pmcid": g.pmcid, "error": str(e)})
            continue
        all_refs += score_document(doc, g, per_type[g.article_type], args.verbose)
    rows = []
    total = Counter()
    for t, c in sorted(per_type.items()):
        total.update(c)
        rows.append(_row(t, c))
    rows.append(_row("ALL", total))
    print_table(rows, ["type", "gold_refs", "pred_refs", "entry_P", "entry_R", "field_P", "field_R",
                       "field_F1", "link_P", "link_R", "link_F1"],
                "Reference lists and in-text citations vs JATS (targets: entry recall >= 0.98, field "
                f"micro-F1 >= 0.90 [GROBID {GROBID['fields_f1']}], link F1 >= 0.90 [GROBID {GROBID['link_f1']}])")
    print_table([_field_row(f, total) for f in FIELDS], ["field", "P", "R", "F1"], "Per field (strict)")
    mp, mr = merging(pd.DataFrame(all_refs), args.verbose)
    print(f"\ncross-document merging (pairs with the same gold DOI share a work_id): precision {mp:.3f} "
          f"recall {mr:.3f} (targets >= 0.97)")
    vp, vr, vn = variant_merging(pd.DataFrame(all_refs + sample_references(args.data)),
                                 gold_merge_groups(MERGE_GOLD), args.verbose)
    print(f"cross-report merging on the gold variant pairs ({MERGE_GOLD.name}: {vn} pairs, the PDFs, "
          f"samples and seeds): precision {vp:.3f} recall {vr:.3f} (targets: recall >= 0.98 at "
          f"precision 1.00)")
    if failures:
        print_table(failures, ["pmcid", "error"], "Documents that failed")
    a = rows[-1]
    print(f"SUMMARY citations: docs={len(golds)} entry_recall={a['entry_R']:.3f} entry_precision="
          f"{a['entry_P']:.3f} field_f1={a['field_F1']:.3f} link_f1={a['link_F1']:.3f} "
          f"merge_precision={mp:.3f} merge_recall={mr:.3f} variant_merge_precision={vp:.3f} "
          f"variant_merge_recall={vr:.3f}")


def merging(refs_df: pd.DataFrame, verbose: bool = False) -> tuple[float, float]:
    """Pairwise merge precision and recall against the gold DOIs; with `verbose`, print
    the works that join references of different gold DOIs and the gold DOIs split
    over several works."""
    if not len(refs_df):
        return 0.0, 0.0
    merged = _with_works(refs_df)
    gold = refs_df.gold_doi.map(lambda d: d.lower() if isinstance(d, str) and d else None)
    if verbose:
        has = merged.assign(gold=gold)[gold.notna()]
        for kind, key, other in (("wrong merge", "work_id", "gold"), ("missed merge", "gold", "work_id")):
            for k, grp in has.groupby(key):
                if grp[other].nunique(dropna=False) > 1:
                    print(f"\n{kind} {k}:")
                    for _, r in grp.iterrows():
                        print(f"  {r.gold} | {r.work_id} | doi={r.doi} | {r.raw[:100]}")
    return merge_quality(merged, gold)


def _with_works(refs_df: pd.DataFrame) -> pd.DataFrame:
    """The references with the work_id the pipeline gives them (their gold columns kept)."""
    docs_df = pd.DataFrame({"doc_id": refs_df.doc_id.unique(), "status": "ok"})
    merged, _ = assign_works(docs_df, refs_df.drop(columns=["gold_doi", "gold_key"]))
    return merged.assign(gold_doi=refs_df["gold_doi"].values, gold_key=refs_df["gold_key"].values)


def _field_row(f: str, c: Counter) -> dict:
    tp, fp, fn = c[f"tp_{f}"], c[f"fp_{f}"], c[f"fn_{f}"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"field": f, "P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0}


def _row(t: str, c: Counter) -> dict:
    fp = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    fr = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    lp = c["link_tp"] / c["link_pred"] if c["link_pred"] else 0.0
    lr = c["link_tp"] / c["link_gold"] if c["link_gold"] else 0.0
    return {"type": t, "gold_refs": c["gold_refs"], "pred_refs": c["pred_refs"],
            "entry_P": c["matched"] / c["pred_refs"] if c["pred_refs"] else 0.0,
            "entry_R": c["matched"] / c["gold_refs"] if c["gold_refs"] else 0.0,
            "field_P": fp, "field_R": fr, "field_F1": 2 * fp * fr / (fp + fr) if fp + fr else 0.0,
            "link_P": lp, "link_R": lr, "link_F1": 2 * lp * lr / (lp + lr) if lp + lr else 0.0}


if __name__ == "__main__":
    main()
