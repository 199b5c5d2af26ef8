"""Ingestion quality and speed on ../shared/data/pdf_jats against the JATS full text.

Prints, per article type and overall: reading-order word-level LCS F1 of the body text,
title / DOI / first author / year accuracy, top-level section headings recovered, and
pages per second beside pdfplumber's own extract_text on the same files (one core).

    python benchmarks/ingest.py [--data PATH] [--limit N] [--worst 10] [--chars pdfium|pdfplumber]
"""
from __future__ import annotations

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


def plumber_time(pdf: Path) -> tuple[float, int]:
    import pdfplumber
    t = time.perf_counter()
    with pdfplumber.open(pdf) as doc:
        for p in doc.pages:
            p.extract_text()
        n = len(doc.pages)
    return time.perf_counter() - t, n


def main() -> None:
    ap = arg_parser(__doc__.splitlines()[0])
    ap.add_argument("--worst", type=int, default=8, help="list the N documents with the lowest F1")
    ap.add_argument("--chars", choices=SOURCES, default=DEFAULT_SOURCE, help="the character source")
    args = ap.parse_args()
    golds = load_pdf_jats(args.data, args.limit)
    rows = []
    ours_t = plumb_t = 0.0
    pages = 0
    for g in golds:
        t = time.perf_counter()
        try:
            doc = read_pdf(g.pdf, chars=args.chars)
        except IngestError as e:
            rows.append({"pmcid": g.pmcid, "type": g.article_type, "error": f"{e.error_type}: {e}"})
            continue
        ours_t += time.perf_counter() - t
        pt, n = plumber_time(g.pdf)
        plumb_t += pt
        pages += n
        md = doc.metadata
        p, r, f = lcs_f1(words(body_text(doc)), words(" ".join(g.body_paragraphs)))
        hh, hn = heading_recall([s.heading for s in doc.sections if s.heading], g.section_titles)
        rows.append({
            "pmcid": g.pmcid, "type": g.article_type, "p": p, "r": r, "f1": f,
            "title": norm_text(md.title) == norm_text(g.title),
            "doi": (md.doi == g.doi) if g.doi else None,
            "first_author": bool(g.first_author) and f" {norm_text(g.first_author)} " in
            f" {norm_text(md.first_author)} ",
            "year": (md.year in g.years) if g.years else None,
            "head_hit": hh, "head_n": hn, "pred_title": md.title, "gold_title": g.title,
            "pred_doi": md.doi, "gold_doi": g.doi, "pred_fa": md.first_author, "gold_fa": g.first_author,
            "pred_year": md.year, "gold_years": sorted(g.years),
        })
    report(rows, args.worst)
    n_ok = sum(1 for r in rows if "f1" in r)
    ours_pps = pages / ours_t if ours_t else 0.0
    plumb_pps = pages / plumb_t if plumb_t else 0.0
    print(f"\nspeed (1 core): casemine ingest {ours_pps:.2f} pages/s, pdfplumber extract_text "
          f"{plumb_pps:.2f} pages/s, ratio {ours_t / plumb_t if plumb_t else 0:.2f}x over {pages} pages")
    ok = [r for r in rows if "f1" in r]
    mean_f1 = statistics.mean(r["f1"] for r in ok) if ok else 0.0
    print(f"SUMMARY ingest: docs={len(rows)} errors={len(rows) - n_ok} mean_f1={mean_f1:.3f} "
          f"min_f1={min((r['f1'] for r in ok), default=0):.3f} title={_acc(ok, 'title'):.3f} "
          f"doi={_acc(ok, 'doi'):.3f} first_author={_acc(ok, 'first_author'):.3f} "
          f"year={_acc(ok, 'year'):.3f} headings={_heads(ok):.3f} speed_ratio={ours_t / plumb_t if plumb_t else 0:.2f}")


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
            "year": _acc(rs, "year"), "headings": _heads(rs),
        })
    print_table(table, ["type", "docs", "lcs_p", "lcs_r", "lcs_f1", "min_f1", "docs<0.80", "title",
                        "doi", "first_author", "year", "headings"],
                "Reading order (word LCS vs JATS <body> paragraphs) and metadata; targets: mean F1>=0.95,"
                " min>=0.80, title>=0.95, doi>=0.98, first author>=0.95, year>=0.95, headings>=0.90")
    errs = [r for r in rows if "error" in r]
    if errs:
        print_table(errs, ["pmcid", "type", "error"], "Documents that failed")
    ok = sorted((r for r in rows if "f1" in r), key=lambda r: r["f1"])[:worst]
    print_table(ok, ["pmcid", "type", "p", "r", "f1", "head_hit", "head_n"], f"Worst {worst} by F1")
    miss = [r for r in rows if "f1" in r and not (r["title"] and r["doi"] is not False
                                                  and r["first_author"] and r["year"] is not False)]
    print_table([{k: (str(v)[:60] if v is not None else "") for k, v in r.items()} for r in miss],
                ["pmcid", "title", "doi", "first_author", "year", "pred_title", "pred_doi", "gold_doi",
                 "pred_fa", "gold_fa", "pred_year", "gold_years"], "Metadata misses")


if __name__ == "__main__":
    main()
