"""Ingestion quality and speed on ../shared/data/pdf_jats against the JATS full text.

Prints the side-by-side reading-order table (casemine full text, casemine body sections
only, pdftext, pypdfium2 `get_text_range`, pdfplumber `extract_text`): in-order recall =
LCS of the tool's words with the gold JATS <body> words / gold body words, its mean, min,
documents under 0.8, and milliseconds per page, every tool on one core in one run: CPU time
(the ratio to pdftext is taken on it: on a shared machine wall time also counts the waits
for the core, which vary over a run) and wall time. Then,
per article type: casemine's body-section LCS precision / recall / F1, title / DOI / first
author / year accuracy, top-level section headings recovered.

    python benchmarks/ingest.py [--data PATH] [--limit N] [--worst 10] [--chars pdfium|pdfplumber]
                                [--peers pdftext,pypdfium2,pdfplumber] [--per-doc out.tsv]

The peers are benchmark-only dependencies (`pip install -e .[bench]`); one not installed
is left out of the table with a note.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz  # noqa: E402
from rapidfuzz.distance import LCSseq  # noqa: E402

from _common import arg_parser, load_pdf_jats, norm_text, print_table, words  # noqa: E402
from extract.pdf.chars import DEFAULT_SOURCE, SOURCES  # noqa: E402
from extract.pdf.ingest import IngestError, read_pdf  # noqa: E402
from extract.pdf.structure import normalise_heading  # noqa: E402

BODY_KINDS = {"introduction", "case", "methods", "results", "discussion", "conclusion", "other"}
TARGETS = {"full_mean": 0.985, "full_min": 0.95, "body_mean": 0.97, "speed_vs_pdftext": 1.5}


def pdftext_text(pdf: Path) -> tuple[str, int]:
    from pdftext.extraction import paginated_plain_text_output
    pages = paginated_plain_text_output(str(pdf), workers=1)
    return "\n".join(pages), len(pages)


def pdfium_text(pdf: Path) -> tuple[str, int]:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for page in doc:
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return "\n".join(out), len(doc)
    finally:
        doc.close()


def plumber_text(pdf: Path) -> tuple[str, int]:
    import pdfplumber
    with pdfplumber.open(pdf) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages), len(doc.pages)


PEERS = {"pdftext": ("pdftext", pdftext_text), "pypdfium2": ("pypdfium2", pdfium_text),
         "pdfplumber": ("pdfplumber", plumber_text)}


def journal_match(pred: str | None, gold: str) -> bool:
    """The printed journal name, abbreviated or not ('Case Rep Orthop' for 'Case Reports in
    Orthopedics'): most of the gold name's words, or their prefixes, in order."""
    p, g = norm_text(pred).split(), [w for w in norm_text(gold).split() if w not in ("of", "the", "and", "in")]
    return bool(p) and fuzz.token_set_ratio(" ".join(p), " ".join(g)) >= 85 or (
        len(p) >= 2 and len(p) <= len(g) + 2
        and sum(any(w.startswith(q) or q.startswith(w) for q in p) for w in g) >= 0.8 * len(g))


def in_order_recall(pred: list[str], gold: list[str]) -> float:
    """Share of the gold body words the tool gives in the gold's order (word LCS / gold)."""
    return LCSseq.similarity(pred, gold) / len(gold) if pred and gold else 0.0


def one_core() -> None:
    """Every tool on one core, so time per page compares like with like."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def body_text(doc) -> str:
    parts = []
    for s in doc.sections:
        if s.kind in BODY_KINDS:
            text = s.text
            if s.heading and text.startswith(s.heading):
                text = text[len(s.heading):]
            parts.append(text)
    return "\n".join(parts)


def lcs_f1(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    if not pred or not gold:
        return 0.0, 0.0, 0.0
    lcs = LCSseq.similarity(pred, gold)
    p, r = lcs / len(pred), lcs / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def heading_recall(pred: list[str], gold: list[str]) -> tuple[int, int]:
    pn = [normalise_heading(h) for h in pred]
    hit = 0
    for g in gold:
        gn = normalise_heading(g)
        if any(gn == p or fuzz.ratio(gn, p) >= 90 for p in pn):
            hit += 1
    return hit, len(gold)


def main() -> None:
    ap = arg_parser(__doc__.splitlines()[0])
    ap.add_argument("--worst", type=int, default=8, help="list the N documents with the lowest recall")
    ap.add_argument("--chars", choices=SOURCES, default=DEFAULT_SOURCE, help="the character source")
    ap.add_argument("--peers", default=",".join(PEERS), help="peer tools to run beside casemine ('' for none)")
    ap.add_argument("--per-doc", type=Path, help="write every document's recall per tool to this TSV")
    args = ap.parse_args()
    one_core()
    peers = {}
    for name in filter(None, args.peers.split(",")):
        module, fn = PEERS[name]
        try:
            __import__(module)
            peers[name] = fn
        except ImportError:
            print(f"note: {name} is not installed (pip install -e .[bench]); left out")
    golds = load_pdf_jats(args.data, args.limit)
    rows = []
    secs: dict[str, float] = defaultdict(float)  # CPU seconds by tool
    wall: dict[str, float] = defaultdict(float)
    pages = 0
    for g in golds:
        gold = words(" ".join(g.body_paragraphs))
        t, w = time.process_time(), time.perf_counter()
        try:
            doc = read_pdf(g.pdf, chars=args.chars)
        except IngestError as e:
            rows.append({"pmcid": g.pmcid, "type": g.article_type, "error": f"{e.error_type}: {e}"})
            continue
        secs["casemine"] += time.process_time() - t
        wall["casemine"] += time.perf_counter() - w
        pages += doc.n_pages
        recall = {"casemine full text": in_order_recall(words(doc.text), gold),
                  "casemine body sections": in_order_recall(words(body_text(doc)), gold)}
        for name, fn in peers.items():
            t, w = time.process_time(), time.perf_counter()
            text, _ = fn(g.pdf)
            secs[name] += time.process_time() - t
            wall[name] += time.perf_counter() - w
            recall[name] = in_order_recall(words(text), gold)
        md = doc.metadata
        p, r, f = lcs_f1(words(body_text(doc)), gold)
        hh, hn = heading_recall([s.heading for s in doc.sections if s.heading], g.section_titles)
        rows.append({
            "pmcid": g.pmcid, "type": g.article_type, "p": p, "r": r, "f1": f, "recall": recall,
            "full": recall["casemine full text"], "pdftext": recall.get("pdftext"),
            "title": norm_text(md.title) == norm_text(g.title),
            "doi": (md.doi == g.doi) if g.doi else None,
            "first_author": bool(g.first_author) and f" {norm_text(g.first_author)} " in
            f" {norm_text(md.first_author)} ",
            "year": (md.year in g.years) if g.years else None,
            "journal": journal_match(md.journal, g.journal) if g.journal else None,
            "head_hit": hh, "head_n": hn, "pred_title": md.title, "gold_title": g.title,
            "pred_doi": md.doi, "gold_doi": g.doi, "pred_fa": md.first_author, "gold_fa": g.first_author,
            "pred_year": md.year, "gold_years": sorted(g.years),
            "pred_journal": md.journal, "gold_journal": g.journal,
        })
    ok = [r for r in rows if "f1" in r]
    tools = ok[0]["recall"].keys() if ok else []
    side = []
    for tool in tools:
        vals = [r["recall"][tool] for r in ok]
        key = "casemine" if tool.startswith("casemine") else tool
        side.append({"tool": tool, "mean recall": statistics.mean(vals), "min": min(vals),
                     "docs<0.8": sum(v < 0.8 for v in vals), "ms/page": 1000 * secs[key] / pages if pages else 0.0,
                     "wall ms/page": 1000 * wall[key] / pages if pages else 0.0})
    print_table(side, ["tool", "mean recall", "min", "docs<0.8", "ms/page", "wall ms/page"],
                f"In-order recall of the JATS body words (word LCS / gold words), {len(ok)} PDFs, {pages} pages,"
                f" one core; targets: casemine full text mean>={TARGETS['full_mean']} min>={TARGETS['full_min']},"
                f" body sections mean>={TARGETS['body_mean']}, ms/page (CPU) <= {TARGETS['speed_vs_pdftext']}x pdftext")
    report(rows, args.worst)
    if args.per_doc:
        with open(args.per_doc, "w") as f:
            f.write("\t".join(["pmcid", "type", *tools]) + "\n")
            for r in ok:
                f.write("\t".join([r["pmcid"], r["type"], *(f"{r['recall'][t]:.4f}" for t in tools)]) + "\n")
    by = {s["tool"]: s for s in side}
    ratio = (secs["casemine"] / secs["pdftext"]) if secs.get("pdftext") else 0.0
    wall_ratio = (wall["casemine"] / wall["pdftext"]) if wall.get("pdftext") else 0.0
    print(f"SUMMARY ingest: docs={len(rows)} errors={len(rows) - len(ok)} "
          f"full_recall={by.get('casemine full text', {}).get('mean recall', 0):.3f} "
          f"full_min={by.get('casemine full text', {}).get('min', 0):.3f} "
          f"body_recall={by.get('casemine body sections', {}).get('mean recall', 0):.3f} "
          f"pdftext_recall={by.get('pdftext', {}).get('mean recall', 0):.3f} "
          f"mean_f1={statistics.mean(r['f1'] for r in ok) if ok else 0:.3f} "
          f"title={_acc(ok, 'title'):.3f} doi={_acc(ok, 'doi'):.3f} first_author={_acc(ok, 'first_author'):.3f} "
          f"year={_acc(ok, 'year'):.3f} journal={_acc(ok, 'journal'):.3f} headings={_heads(ok):.3f} "
          f"speed_vs_pdftext={ratio:.2f} wall_speed_vs_pdftext={wall_ratio:.2f}")


def _acc(rows, key) -> float:
    vals = [r[key] for r in rows if r.get(key) is not None]
    return sum(vals) / len(vals) if vals else 0.0


def _heads(rows) -> float:
    n = sum(r["head_n"] for r in rows)
    return sum(r["head_hit"] for r in rows) / n if n else 0.0


def report(rows: list[dict], worst: int) -> None:
    groups = defaultdict(list)
    for r in rows:
        if "f1" in r:
            groups[r["type"]].append(r)
            groups["ALL"].append(r)
    table = []
    for t, rs in sorted(groups.items(), key=lambda kv: kv[0] == "ALL"):
        table.append({
            "type": t, "docs": len(rs),
            "lcs_p": statistics.mean(r["p"] for r in rs), "lcs_r": statistics.mean(r["r"] for r in rs),
            "lcs_f1": statistics.mean(r["f1"] for r in rs), "min_f1": min(r["f1"] for r in rs),
            "docs<0.80": sum(r["f1"] < 0.80 for r in rs),
            "title": _acc(rs, "title"), "doi": _acc(rs, "doi"), "first_author": _acc(rs, "first_author"),
            "year": _acc(rs, "year"), "journal": _acc(rs, "journal"), "headings": _heads(rs),
        })
    print_table(table, ["type", "docs", "lcs_p", "lcs_r", "lcs_f1", "min_f1", "docs<0.80", "title",
                        "doi", "first_author", "year", "journal", "headings"],
                "Reading order (word LCS vs JATS <body> paragraphs) and metadata; targets: mean F1>=0.95,"
                " min>=0.80, title>=0.95, doi>=0.98, first author>=0.95, year>=0.95, headings>=0.90")
    errs = [r for r in rows if "error" in r]
    if errs:
        print_table(errs, ["pmcid", "type", "error"], "Documents that failed")
    ok = sorted((r for r in rows if "f1" in r), key=lambda r: r["full"])[:worst]
    print_table(ok, ["pmcid", "type", "full", "pdftext", "p", "r", "f1", "head_hit", "head_n"],
                f"Worst {worst} by full-text in-order recall (p/r/f1: body sections)")
    miss = [r for r in rows if "f1" in r and not (r["title"] and r["doi"] is not False and r["first_author"]
                                                  and r["year"] is not False and r["journal"] is not False)]
    print_table([{k: (str(v)[:60] if v is not None else "") for k, v in r.items()} for r in miss],
                ["pmcid", "title", "doi", "first_author", "year", "journal", "pred_title", "pred_doi", "gold_doi",
                 "pred_fa", "gold_fa", "pred_year", "gold_years", "pred_journal", "gold_journal"],
                "Metadata misses")


if __name__ == "__main__":
    main()
