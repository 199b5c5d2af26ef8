"""Reference-string parser benchmark: field P/R/F1 on the held-out fold.

    python benchmarks/refparse.py [--data ../shared/data] [--model PATH] [--fold 9]

Three tables: (1) CRF fields, strict match after normalising case, spaces and
punctuation, per field and micro, split by corpus and citation style; (2) the public
`parse_reference` output (rules included) against the same gold; (3) author-name
normalisation on GROBID's tagged citation author strings. Last line: one-line summary.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pycrfsuite

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.citations import refparse  # noqa: E402
from extract.training.refparse_data import (  # noqa: E402
    TEST_FOLD, Example, default_data_dir, load_examples, to_sequence,
)
from extract.training.train_refparse import Scores, norm_field  # noqa: E402

GROBID_PMC_STRICT = 0.825  # GROBID's published field-level micro-F1 (strict) on PMC


def style_of(text: str) -> str:
    """Rough citation style of a reference string, for the per-style breakdown."""
    if re.search(r"(?:1[89]|20)\d\d[a-z]?(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?\s*;\s*\d", text):
        return "vancouver"
    if re.match(r"^[^(]{0,400}?\b[A-Z][\w'-]+ [A-Z]{1,3}[,.]", text) and re.search(r"\b(?:1[89]|20)\d\d\b", text):
        return "ama/nlm"
    if re.search(r"\((?:1[89]|20)\d\d[a-z]?\)\.", text) and re.search(r"&|, [A-Z]\. ", text[:200]):
        return "apa"
    if re.search(r"\b\d+,\s*[A-Za-z]?\d+(?:\s*[-\u2013]\s*\d+)?\s*\((?:1[89]|20)\d\d\)\.?$", text):
        return "nature"
    if re.search(r"\((?:1[89]|20)\d\d[a-z]?\)", text[:300]):
        return "harvard"
    return "other"


def _gold_initials(forenames: list[str]) -> str:
    out = ""
    for f in forenames:
        compact = re.sub(r"[\s.\-]", "", f)
        out += compact if compact.isupper() and compact.isalpha() else "".join(
            w[0] for w in re.split(r"[\s.\-]+", f) if w and w[0].isalpha())
    return out.upper()


def name_cases(data: Path) -> list[tuple[str, list[str]]]:
    """(author string, ['Family Initials']) from GROBID's tagged citation author strings."""
    cases = []
    for path in sorted((data / "grobid_training/name/citation/corpus").glob("*.xml")):
        for author in ET.parse(path).getroot().iter("{http://www.tei-c.org/ns/1.0}author"):
            text, people, cur, sep = author.text or "", [], None, ""
            for el in author:
                kind = el.tag.rsplit("}", 1)[-1]
                value = (el.text or "").strip()
                if kind in ("surname", "lastname", "forename", "middlename") and value:
                    is_family = kind in ("surname", "lastname")
                    done = cur is not None and cur["family"] and (cur["given"] or is_family)
                    separated = bool(re.search(r"[,;&]|\b(?:and|et|und)\b", sep))
                    if cur is None or (done and separated) or (is_family and cur["family"]):
                        cur = {"family": "", "given": []}
                        people.append(cur)
                    if is_family:
                        cur["family"] = (cur["family"] + " " + value).strip()
                    else:
                        cur["given"].append(value)
                sep = el.tail or ""
                text += (el.text or "") + sep
            gold = [f"{p['family']} {_gold_initials(p['given'])}".strip() for p in people if p["family"]]
            if gold:
                cases.append((re.sub(r"\s+", " ", text).strip(), gold))
    return cases


_JATS = {
    "article-title": "title", "chapter-title": "title", "year": "date", "month": "date", "day": "date",
    "volume": "volume", "issue": "issue", "fpage": "pages", "lpage": "pages", "elocation-id": "pages",
    "publisher-name": "publisher", "publisher-loc": "location", "edition": "edition",
    "ext-link": "url", "uri": "url", "collab": "author", "name": "author", "string-name": "author",
    "comment": "note", "conf-name": "container", "series": "note",
}


def _jats_text(el: ET.Element) -> str:
    if el.tag == "name":  # <surname>Reiter</surname><given-names>N</given-names> has no space
        return " ".join((c.text or "").strip() for c in el)
    parts = [el.text or ""]
    for child in el:
        parts += [_jats_text(child), child.tail or " "]
    return "".join(parts).strip()


def _glued(cit: ET.Element) -> bool:
    """True when two printed fields (or two names) follow each other with nothing between."""
    for parent in (cit, *cit.iter("person-group")):
        kids = [c for c in parent if c.tag not in ("label", "pub-id")]
        if any(not (a.tail or "").strip() for a in kids[:-1]):
            return True
    return False


def jats_examples(data: Path) -> list[Example]:
    """Typeset PMC <mixed-citation>s of the pdf_jats articles (never used for training).

    Citations whose XML has no punctuation between fields or names (not how a PDF
    prints them) or holds untagged fields (bare <italic>) are skipped."""
    out = []
    for path in sorted(data.glob("pdf_jats/*/fulltext.xml")):
        for cit in ET.parse(path).getroot().iter("mixed-citation"):
            known = {*_JATS, "person-group", "pub-id", "source", "label"}
            if _glued(cit) or any(c.tag not in known for c in cit):  # e.g. bare <italic>: untagged field
                continue
            has_title = any(c.tag in ("article-title", "chapter-title") for c in cit)
            pieces: list[tuple[str, str | None]] = [(cit.text or "", None)]
            children = list(cit)
            for k, child in enumerate(children):
                if child.tag == "person-group":
                    label = "editor" if child.get("person-group-type") == "editor" else "author"
                elif child.tag == "pub-id" and child.get("pub-id-type") == "pmid" \
                        and "pmid" not in "".join(p for p, _ in pieces[-2:]).lower():
                    continue  # supplied by the XML, not printed
                elif child.tag == "pub-id":
                    label = {"doi": "doi", "pmid": "pmid", "pmcid": "pmcid"}.get(child.get("pub-id-type"), "note")
                elif child.tag == "source":
                    label = "container" if has_title else "title"
                elif child.tag == "label":
                    continue
                else:
                    label = _JATS.get(child.tag, "note")
                pieces.append((_jats_text(child), label))
                tail = child.tail or " "  # an element with no tail was printed apart
                dash = child.tag == "fpage" and k + 1 < len(children) and children[k + 1].tag == "lpage"
                pieces.append((tail, "pages" if dash and re.fullmatch(r"\s*[-\u2013]\s*", tail) else None))
            if ex := _build_jats(pieces):
                out.append(ex)
    return out


def _build_jats(pieces: list[tuple[str, str | None]]) -> Example | None:
    from extract.training.refparse_data import _build

    ex = _build(pieces, "jats")
    if ex is None:
        return None
    # adjacent pieces with one label (fpage "-" lpage, year month) are one field
    merged: list[tuple[int, int, str]] = []
    for s, e, lab in ex.spans:
        if merged and merged[-1][2] == lab and not ex.text[merged[-1][1]:s].strip(" "):
            merged[-1] = (merged[-1][0], e, lab)
        else:
            merged.append((s, e, lab))
    ex.spans = merged
    return ex


def score(examples: list[Example], tagger: pycrfsuite.Tagger) -> dict:
    """CRF field scores overall and per group, and parse_reference() accuracy per field."""
    overall, groups = Scores(), {}
    api_ok, api_n = Counter(), Counter()
    t0 = time.time()
    for ex in examples:
        tokens, gold = to_sequence(ex)
        pred = refparse.label(tokens, ex.text, tagger)
        g, p = refparse.spans(tokens, gold, ex.text), refparse.spans(tokens, pred, ex.text)
        overall.add(g, p)
        for group in (ex.source, style_of(ex.text)):
            groups.setdefault(group, Scores()).add(g, p)
        ref = refparse.parse_reference(ex.text, tagger)
        first: dict[str, str] = {}
        for lab, val in g:
            first.setdefault(lab, val)
        got = {"year": ref.year, "volume": ref.volume, "issue": ref.issue, "pages": ref.pages,
               "doi": ref.doi, "title": ref.title, "container": ref.container,
               "first_author": ref.authors[0] if ref.authors else None}
        want = {
            "year": refparse.year_of(first["date"]) if "date" in first else None,
            "doi": refparse.clean_doi(first["doi"]) if "doi" in first else None,
            "first_author": (refparse.split_names(refparse.repair(first["author"]))[0] or [None])[0]
            if "author" in first else None,
        }
        for lab in ("volume", "issue", "pages", "title", "container"):
            want[lab] = norm_field(lab, first[lab]) if lab in first else None
            got[lab] = norm_field(lab, got[lab]) if got[lab] else None
        for name, w in want.items():
            if w is not None:
                api_n[name] += 1
                api_ok[name] += str(got[name]).lower() == str(w).lower()
    return {"overall": overall, "groups": groups, "api_ok": api_ok, "api_n": api_n,
            "rate": len(examples) / max(time.time() - t0, 1e-9)}


def report(title: str, res: dict) -> None:
    print(f"\n== {title}")
    print("(a) CRF fields, strict after normalising case/space/punctuation")
    print(res["overall"].table())
    print(f"{'GROBID PMC':<10} {'':>6} {'':>6} {GROBID_PMC_STRICT:6.3f}  (published strict micro-F1, other data)")
    print(f"{'group':<10} {'refs':>5} {'micro-F1':>9} {'all-fields-right':>17}")
    for group in ("vancouver", "ama/nlm", "apa", "harvard", "nature", "other", "grobid", "anystyle"):
        if group in res["groups"]:
            s = res["groups"][group]
            print(f"{group:<10} {s.n_refs:5d} {s.prf()[2]:9.3f} {s.n_exact / s.n_refs:17.3f}")
    print("(b) parse_reference() output (rules included), accuracy where gold has the field")
    for name, n in res["api_n"].items():
        print(f"{name:<13} {n:5d} {res['api_ok'][name] / n:6.3f}")


def name_scores(data: Path) -> tuple[int, float, float]:
    cases = name_cases(data)
    exact = tp = n_pred = n_gold = 0
    for text, gold in cases:
        got = [x.casefold() for x in refparse.split_names(text)[0]]
        want = [x.casefold() for x in gold]
        exact += got == want
        tp += sum((Counter(got) & Counter(want)).values())
        n_pred, n_gold = n_pred + len(got), n_gold + len(want)
    f1 = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0
    return len(cases), f1, exact / max(len(cases), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=default_data_dir())
    ap.add_argument("--model", type=Path, default=refparse.MODEL_PATH)
    ap.add_argument("--fold", type=int, default=TEST_FOLD)
    args = ap.parse_args()
    if not args.model.exists():
        sys.exit(f"no model at {args.model}: run python -m extract.training.train_refparse")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(args.model))
    held = [e for e in load_examples(args.data) if e.fold == args.fold]
    jats = jats_examples(args.data)
    print(f"refparse benchmark: model {args.model}, data {args.data}")
    test = score(held, tagger)
    report(f"(1) GROBID + AnyStyle held-out fold {args.fold}: {len(held)} strings", test)
    pmc = score(jats, tagger)
    report(f"(2) PMC <mixed-citation> strings of pdf_jats (biomedical, never trained on): {len(jats)} strings", pmc)
    n_names, name_f1, name_exact = name_scores(args.data)
    print(f"\n== (3) author strings -> 'Family Initials' (GROBID name/citation corpus, {n_names} strings)")
    print(f"names F1 {name_f1:.3f}, whole author list exact {name_exact:.3f}")
    f = test["overall"].prf()[2]
    vancouver = test["groups"].get("vancouver", Scores()).prf()[2]
    print(f"\nSUMMARY refparse: field micro-F1 {f:.3f} strict on {len(held)} held-out strings "
          f"[GROBID PMC {GROBID_PMC_STRICT:.3f}; target 0.90], vancouver {vancouver:.3f}, "
          f"PMC mixed-citations {pmc['overall'].prf()[2]:.3f}, names F1 {name_f1:.3f}, {test['rate']:.0f} refs/s")


if __name__ == "__main__":
    main()
