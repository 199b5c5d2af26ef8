"""Benchmark for extract.timings.expressions on TimeBank+AQUAINT, MACCROBAT, and the project's tables.

    python benchmarks/timings.py [--data ../shared/data] [--show-errors N]

Prints one table (corpus, metric, value, target) whose last line is a one-line summary.
Span matching: strict = same offsets; relaxed = any overlap (one-to-one, greedy).
"""
from __future__ import annotations

import argparse
import csv
import html
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.timings.expressions import find_timings  # noqa: E402 - after the sys.path line above

SHARED = Path(os.environ.get("CASEMINE_SHARED", ROOT.parent / "shared"))
HEIDELTIME_VALUE_F1 = 77.6  # TempEval-3 task A, value F1 (UzZaman et al. 2013)


# --- readers ------------------------------------------------------------------------------
def read_tml(path: Path) -> tuple[str, list[dict]]:
    """Plain text of <TEXT> and its TIMEX3s as {start, end, type, value, text}."""
    raw = path.read_text(encoding="utf-8")
    body = raw[raw.index("<TEXT>") + 6: raw.index("</TEXT>")]
    out, gold, pos, stack = [], [], 0, []
    for m in re.finditer(r"<(/?)(\w+)([^>]*)>|([^<]+)", body):
        if m.group(4) is not None:
            s = html.unescape(m.group(4))
            out.append(s)
            pos += len(s)
        elif m.group(2) == "TIMEX3":
            if m.group(1):
                attrs, start = stack.pop()
                gold.append({"start": start, "end": pos, "type": attrs.get("type"),
                             "value": attrs.get("value")})
            elif not m.group(3).rstrip().endswith("/"):
                stack.append((dict(re.findall(r'(\w+)="([^"]*)"', m.group(3))), pos))
    text = "".join(out)
    for g in gold:
        g["text"] = text[g["start"]:g["end"]]
    return text, gold


def read_brat(ann: Path, kinds: set[str]) -> list[dict]:
    gold = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        _, meta, text = line.split("\t", 2)
        label, *offs = meta.split(" ")
        if label not in kinds:
            continue
        nums = [int(x) for x in re.findall(r"\d+", " ".join(offs))]
        gold.append({"start": min(nums), "end": max(nums), "type": label, "text": text})
    return gold


# --- scoring -------------------------------------------------------------------------------
def match(gold: list[dict], pred: list, strict: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index): exact offsets, or any overlap."""
    pairs, used = [], set()
    for gi, g in enumerate(gold):
        best = None
        for pi, p in enumerate(pred):
            if pi in used:
                continue
            if strict:
                ok = (p.char_start, p.char_end) == (g["start"], g["end"])
            else:
                ok = p.char_start < g["end"] and g["start"] < p.char_end
            if ok:
                ov = min(p.char_end, g["end"]) - max(p.char_start, g["start"])
                if best is None or ov > best[0]:
                    best = (ov, pi)
        if best:
            used.add(best[1])
            pairs.append((gi, best[1]))
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _set_value(v: str | None) -> str | None:
    """Our SET "R/P1D" against TimeML's "P1D"."""
    return re.sub(r"^R\d*/", "", v) if v else v


_ISO_UNITS = {"L": 365250.0, "CE": 36525.0, "DE": 3652.5, "E": 3652.5, "Y": 365.25, "Q": 91.3125,
              "M": 30.4375, "W": 7.0, "D": 1.0, "WE": 2.0}
_ISO_CLOCK = {"H": 1 / 24, "M": 1 / 1440, "S": 1 / 86400}


def iso_days(v: str | None) -> float | None:
    """Days in an ISO/TimeML duration, so PT24H equals P1D and P2Q equals P6M."""
    m = re.fullmatch(r"P((?:[\d.]+(?:L|CE|DE|E|WE|Y|Q|M|W|D))*)(?:T((?:[\d.]+[HMS])*))?", v or "")
    if not m or not (m.group(1) or m.group(2)):
        return None
    total = sum(float(n) * _ISO_UNITS[u] for n, u in
                re.findall(r"([\d.]+)(L|CE|DE|E|WE|Y|Q|M|W|D)", m.group(1) or ""))
    return total + sum(float(n) * _ISO_CLOCK[u] for n, u in
                       re.findall(r"([\d.]+)([HMS])", m.group(2) or ""))


def same_value(ours: str | None, gold: str | None) -> bool:
    ours = _set_value(ours)
    if ours == gold:
        return True
    a, b = iso_days(ours), iso_days(gold)
    return a is not None and b is not None and abs(a - b) < 1e-6


def score_spans(gold: list[dict], pred: list, c: Counter) -> list[tuple[int, int]]:
    """Add one document's counts (gold, pred, strict and relaxed matches); relaxed pairs."""
    pairs = match(gold, pred, False)
    c["gold"] += len(gold)
    c["pred"] += len(pred)
    c["strict"] += len(match(gold, pred, True))
    c["relaxed"] += len(pairs)
    return pairs


def log_unmatched(corpus: str, gold: list[dict], pred: list, pairs, errors: list, context=lambda p: "") -> None:
    hit_g, hit_p = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
    errors.extend((f"{corpus} miss", g["type"], g["text"], "") for gi, g in enumerate(gold) if gi not in hit_g)
    errors.extend((f"{corpus} extra", p.type, p.text, context(p)) for pi, p in enumerate(pred) if pi not in hit_p)


def bench_tbaq(data: Path, errors: list) -> list[tuple]:
    files = sorted((data / "timeml_tbaq").rglob("*.tml"))
    if not files:
        return [("TBAQ", f"no .tml files under {data / 'timeml_tbaq'}", "-", "-")], None, None
    c = Counter()
    type_ok = type_n = 0
    dv_ok = dv_n = dv_all = dp_ok = dp_n = 0
    date_ok = date_n = 0
    chars, secs = 0, 0.0
    for f in files:
        text, gold = read_tml(f)
        t0 = time.perf_counter()
        pred = find_timings(text)
        secs += time.perf_counter() - t0
        chars += len(text)
        pairs = score_spans(gold, pred, c)
        log_unmatched("TBAQ", gold, pred, pairs, errors)
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            type_n += 1
            type_ok += g["type"] == p.type
            if g["type"] in ("DURATION", "SET"):
                # a range is right when the gold value is one of its ends
                ok = any(same_value(v, g["value"]) for v in (p.value, p.value_min, p.value_max)
                         if v is not None)
                dv_n += 1
                dv_ok += ok
                if (g["value"] or "").startswith("P"):  # not a calendar value needing the DCT
                    dp_n += 1
                    dp_ok += ok
                if not ok:
                    errors.append(("TBAQ value", g["type"], g["text"],
                                   f"{p.value} vs {g['value']}"))
            if g["type"] == "DATE" and re.search(r"\b1\d{3}|\b20\d\d", g["text"]) \
                    and re.match(r"\d{4}", g["value"] or ""):
                date_n += 1
                date_ok += p.value == g["value"]
        dv_all += sum(g["type"] in ("DURATION", "SET") for g in gold)
    ps, rs, fs = prf(c["strict"], c["pred"], c["gold"])
    pr, rr, fr = prf(c["relaxed"], c["pred"], c["gold"])
    return [
        ("TBAQ", f"TIMEX3 gold / predicted ({len(files)} docs)", f"{c['gold']} / {c['pred']}", ""),
        ("TBAQ", "span strict P / R / F1", f"{ps:.3f} / {rs:.3f} / {fs:.3f}", ""),
        ("TBAQ", "span relaxed P / R / F1", f"{pr:.3f} / {rr:.3f} / {fr:.3f}", ">= 0.90 F1"),
        ("TBAQ", "type accuracy (relaxed matches)", f"{type_ok / max(type_n, 1):.3f}", ""),
        ("TBAQ", "DURATION+SET value acc. (matched, all)", f"{dv_ok / max(dv_n, 1):.3f} (n={dv_n})",
         ""),
        ("TBAQ", "DURATION+SET value acc. (matched, gold P...)", f"{dp_ok / max(dp_n, 1):.3f} "
         f"(n={dp_n})", f">= 0.90 (HeidelTime value F1 {HEIDELTIME_VALUE_F1})"),
        ("TBAQ", "DURATION+SET value recall (all gold)", f"{dv_ok / max(dv_all, 1):.3f} "
         f"(n={dv_all})", ""),
        ("TBAQ", "explicit DATE value acc. (matched)", f"{date_ok / max(date_n, 1):.3f} "
         f"(n={date_n})", "no DCT needed"),
        ("TBAQ", "speed", f"{chars / max(secs, 1e-9) / 1000:.0f} kchar/s "
         f"({1000 * secs / len(files):.1f} ms/doc)", ""),
    ], fr, dp_ok / max(dp_n, 1)


def bench_maccrobat(data: Path, errors: list) -> tuple[list[tuple], float]:
    folder = data / "maccrobat"
    anns = sorted(folder.glob("*.ann"))
    if not anns:
        return [("MACCROBAT", f"no .ann files under {folder}", "-", "-")], None
    kinds = {"Duration", "Date", "Frequency", "Age"}
    per = Counter()
    c = Counter()
    for ann in anns:
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        gold = read_brat(ann, kinds)
        # MACCROBAT puts times of day in Time and dosing frequency inside Dosage
        # ("900 mg daily"): a prediction on those is neither right nor wrong here
        times = read_brat(ann, {"Time", "Dosage", "Administration"})
        pred = find_timings(text)
        pred = [p for p in pred if not any(p.char_start < g["end"] and g["start"] < p.char_end
                                           for g in times) or any(
            p.char_start < g["end"] and g["start"] < p.char_end for g in gold)]
        pairs = score_spans(gold, pred, c)
        hit = {gi for gi, _ in pairs}
        for gi, g in enumerate(gold):
            per[(g["type"], "n")] += 1
            per[(g["type"], "hit")] += gi in hit
        log_unmatched("MACCROBAT", gold, pred, pairs, errors,
                      lambda p, t=text: t[max(0, p.char_start - 30):p.char_end + 30].replace("\n", " "))
    ps, rs, fs = prf(c["strict"], c["pred"], c["gold"])
    pr, rr, fr = prf(c["relaxed"], c["pred"], c["gold"])
    rows = [
        ("MACCROBAT", f"gold Duration+Date+Frequency+Age / predicted ({len(anns)} docs)",
         f"{c['gold']} / {c['pred']}", ""),
        ("MACCROBAT", "span strict P / R / F1", f"{ps:.3f} / {rs:.3f} / {fs:.3f}", ""),
        ("MACCROBAT", "span relaxed P / R / F1", f"{pr:.3f} / {rr:.3f} / {fr:.3f}", ">= 0.85 F1"),
    ]
    for k in sorted(kinds):
        rows.append(("MACCROBAT", f"relaxed recall {k}",
                     f"{per[(k, 'hit')] / max(per[(k, 'n')], 1):.3f} (n={per[(k, 'n')]})", ""))
    return rows, fr


PHRASE_FIELDS = ("type", "value", "value_min", "value_max", "mod", "days")


def load_tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader((ln for ln in fh if not ln.startswith("#")),
                                          delimiter="\t")]


def phrase_errors(row: dict) -> str | None:
    """None when the phrase comes out as the table says, else what differs."""
    ts = find_timings(row["phrase"])
    if row["type"] == "NONE":
        return None if not ts else f"unexpected {[t.text for t in ts]}"
    hit = [t for t in ts if t.text == row["text"]]
    if not hit:
        return f"no timing {row['text']!r}; got {[t.text for t in ts]}"
    t = hit[0]
    diffs = []
    for f in PHRASE_FIELDS:
        want = row[f] or None
        got = getattr(t, f)
        if f == "days":
            ok = (want is None and got is None) or (want is not None and got is not None
                                                    and abs(float(want) - got) < 0.01)
        else:
            ok = want == got
        if not ok:
            diffs.append(f"{f}={got!r} want {want!r}")
    return "; ".join(diffs) or None


def anchor_result(row: dict) -> tuple[bool, bool, str]:
    ts = [t for t in find_timings(row["sentence"]) if t.text == row["timing"]]
    if not ts:
        return False, False, f"timing {row['timing']!r} not found"
    t = ts[0]
    want_anchor = row["anchor"] or None
    return (t.event_kind == row["event_kind"], t.anchor == want_anchor,
            f"kind={t.event_kind} (event {t.event!r}) anchor={t.anchor!r}")


def bench_tables(errors: list) -> tuple[list[tuple], float, float]:
    phrases = load_tsv(ROOT / "tests" / "data" / "timing_phrases.tsv")
    ok = 0
    for r in phrases:
        e = phrase_errors(r)
        ok += e is None
        if e:
            errors.append(("phrase", r["type"], r["phrase"], e))
    anchors = load_tsv(ROOT / "tests" / "data" / "timing_anchors.tsv")
    kind_ok = anch_ok = 0
    for r in anchors:
        k, a, why = anchor_result(r)
        kind_ok += k
        anch_ok += a
        if not (k and a):
            errors.append(("anchor", r["event_kind"] + "/" + (r["anchor"] or "-"),
                           r["sentence"], why))
    pa, ka = ok / len(phrases), kind_ok / len(anchors)
    return [
        ("phrases", f"exact value accuracy (n={len(phrases)})", f"{pa:.3f}", ">= 0.97"),
        ("anchors", f"event_kind accuracy (n={len(anchors)})", f"{ka:.3f}", ">= 0.85"),
        ("anchors", "anchor text accuracy", f"{anch_ok / len(anchors):.3f}", ""),
    ], pa, ka


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=SHARED / "data")
    ap.add_argument("--show-errors", type=int, default=0, metavar="N",
                    help="print up to N failures per kind before the table")
    args = ap.parse_args(argv)
    errors: list = []
    tb_rows, tb_f1, tb_val = bench_tbaq(args.data, errors)
    mc_rows, mc_f1 = bench_maccrobat(args.data, errors)
    tab_rows, pa, ka = bench_tables(errors)
    if args.show_errors:
        seen = Counter()
        for kind, typ, text, why in errors:
            seen[kind] += 1
            if seen[kind] <= args.show_errors:
                print(f"[{kind}] {typ}: {text!r} {why}")
        print()
    rows = [("corpus", "metric", "value", "target"), *tb_rows, *mc_rows, *tab_rows]
    widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
    for i, r in enumerate(rows):
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    scores = [(tb_f1, 0.90), (tb_val, 0.90), (mc_f1, 0.85), (pa, 0.97), (ka, 0.85)]
    met = sum(v is not None and v >= t for v, t in scores)
    known = sum(v is not None for v, _ in scores)

    def fmt(v):
        return "n/a" if v is None else f"{v:.3f}"

    print(f"SUMMARY timings: TBAQ relaxed F1 {fmt(tb_f1)}, DURATION/SET value {fmt(tb_val)}, "
          f"MACCROBAT relaxed F1 {fmt(mc_f1)}, phrases {fmt(pa)}, anchoring {fmt(ka)}; "
          f"{met}/{known} measured targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
