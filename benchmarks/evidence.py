"""Benchmark for the evidence extractors on the gold case facts of benchmarks/gold/.

    python benchmarks/evidence.py [--data ../shared/data] [--protocol models/protocols]
                                  [--failures] [--ner] [--limit N]

Gold: `benchmarks/gold/pdf_jats.yaml` (facts written for case reports in `pdf_jats/`) and
the samples' `corpus/truth/*.json`. Treatments are matched by canonical name (or one of
the gold's `also` names) among case-scope rows with status other than unknown; a gold
treatment with `role: cause` (the drug that caused the condition) is not scored; status and
outcome accuracy are over matched treatments (a missing outcome counts as "unknown");
"outcome stated" is outcome accuracy over the matched treatments whose gold states one.
Diagnosis: the predicted condition equals, contains or is contained in the gold condition
(or an `also` name), or rapidfuzz token_sort_ratio >= 85. Subtype: exact canonical name,
scored where a loaded protocol defines the gold subtype. Age: within 0.5 years. Also
age and sex of `maccrobat/` (Age and Sex annotations) from the plain text.
Prints one table (set, field, n, precision, recall, f1/accuracy, target); the last line
is a one-line summary.
"""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))
from _common import arg_parser

from extract.evidence.facts import evidence_stage
from extract.pdf.ingest import read_pdf
from extract.evidence.patients import patients_from_sections
from extract.nlp.protocols import PROTOCOL_DIR, load_protocols
from extract.stages import RunConfig

GOLD = ROOT / "benchmarks" / "gold" / "pdf_jats.yaml"
TARGETS = {"treatment f1": 0.85, "status": 0.90, "outcome": 0.85, "outcome stated": 0.85, "diagnosis": 0.90, "age": 0.95, "sex": 0.95}


def norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[-_/]", " ", (s or "").lower().replace("’", "'"))).strip()


def names(item: dict, key: str) -> set[str]:
    return {norm(item[key])} | {norm(a) for a in item.get("also") or []}


def same_phrase(pred: str | None, gold: set[str]) -> bool:
    p = norm(pred)
    return bool(p) and any(p == g or p in g or g in p or fuzz.token_sort_ratio(p, g) >= 85 for g in gold)


# -- gold ---------------------------------------------------------------------------------
def load_gold(data: Path) -> list[dict]:
    """Gold cases: {set, key, pdf, condition, also, subtype, causes, patients, treatments}."""
    out = []
    for key, g in (yaml.safe_load(GOLD.read_text()) or {}).items():
        pdf = data / "pdf_jats" / key / "fulltext.pdf"
        if pdf.is_file():
            out.append(dict(g, set="pdf_jats", key=key, pdf=pdf))
    for f in sorted((ROOT / "corpus" / "truth").glob("*.json")):
        c = json.loads(f.read_text())["case"]
        p = c["patient"]
        out.append(dict(set="samples", key=f.stem, pdf=ROOT / "corpus" / f"{f.stem}.pdf",
                        condition=c["condition"], also=[c["subtype"]] if c.get("subtype") else [],
                        subtype=c.get("subtype"), causes=c["causes"],
                        patients=[dict(age_years=p["age_years"], sex=p["sex"])],
                        treatments=c["treatments"]))
    return out


# -- scoring ------------------------------------------------------------------------------
class Score:
    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.right = self.n = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def acc(self) -> float:
        return self.right / self.n if self.n else 0.0


def score_case(g: dict, tables: dict, s: dict[str, Score], fails: list[str], subtypes: set[str]) -> None:
    key = g["key"]
    treats = [t for t in tables["treatments"] if t["scope"] == "case" and t["status"] != "unknown"]
    unmatched = list(treats)
    for gt in (t for t in g["treatments"] if t.get("role") != "cause"):  # the cause is scored as a cause
        want = names(gt, "treatment")
        hit = next((t for t in unmatched if norm(t["treatment"]) in want), None)
        if hit is None:
            s["treatment"].fn += 1
            fails.append(f"{key}: missed treatment {gt['treatment']!r}")
            continue
        unmatched.remove(hit)
        s["treatment"].tp += 1
        fields = [("status", gt.get("status")), ("outcome", gt.get("outcome") or "unknown")]
        if gt.get("outcome"):
            fields.append(("outcome stated", gt["outcome"]))
        for field, gold_v in fields:
            s[field].n += 1
            if hit[field.split()[0]] == gold_v:
                s[field].right += 1
            elif field != "outcome stated":
                said = f" ({hit['outcome_text']!r})" if field == "outcome" and hit.get("outcome_text") else ""
                fails.append(f"{key}: {gt['treatment']} {field} {hit[field]}{said} != {gold_v}"
                             f"  | {hit['sentence'][:140]}")
    for t in unmatched:
        s["treatment"].fp += 1
        fails.append(f"{key}: extra treatment {t['treatment']!r} ({t['status']})  | {t['sentence'][:120]}")
    case = tables["cases"][0] if tables["cases"] else {}
    s["diagnosis"].n += 1
    if same_phrase(case.get("condition"), names(g, "condition")):
        s["diagnosis"].right += 1
    else:
        fails.append(f"{key}: diagnosis {case.get('condition')!r} != {g['condition']!r}")
    if norm(g.get("subtype")) in subtypes:  # only subtypes a loaded protocol defines
        s["subtype"].n += 1
        if norm(case.get("subtype")) == norm(g["subtype"]):
            s["subtype"].right += 1
        else:
            fails.append(f"{key}: subtype {case.get('subtype')!r} != {g['subtype']!r}")
    pred_causes = list(tables["causes"])
    for gc in g["causes"]:
        hit = next((c for c in pred_causes if same_phrase(c["cause"], names(gc, "cause"))), None)
        if hit:
            pred_causes.remove(hit)
            s["cause"].tp += 1
        else:
            s["cause"].fn += 1
            fails.append(f"{key}: missed cause {gc['cause']!r}")
    for c in pred_causes:
        s["cause"].fp += 1
        fails.append(f"{key}: extra cause {c['cause']!r} ({c['cause_kind']})")
    score_patients(key, g["patients"], tables["patients"], s, fails)


def score_patients(key: str, gold: list[dict], pred: list[dict], s: dict[str, Score], fails: list[str]) -> None:
    for i, gp in enumerate(gold):
        pp = pred[i] if i < len(pred) else {}
        if gp.get("age_years") is not None:
            s["age"].n += 1
            ok = pp.get("age_years") is not None and abs(pp["age_years"] - gp["age_years"]) <= 0.5
            s["age"].right += ok
            if not ok:
                fails.append(f"{key}: age {pp.get('age_years')} != {gp['age_years']}")
        if gp.get("sex"):
            s["sex"].n += 1
            ok = pp.get("sex") == gp["sex"]
            s["sex"].right += ok
            if not ok:
                fails.append(f"{key}: sex {pp.get('sex')} != {gp['sex']}")


def maccrobat_gold(folder: Path) -> list[tuple[str, str, float | None, str | None]]:
    """(name, text, age in years, sex) from MACCROBAT's Age and Sex annotations."""
    out = []
    for ann in sorted(folder.glob("*.ann")):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        age = sex = None
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or not parts[0].startswith("T"):
                continue
            label, surface = parts[1].split(" ")[0], parts[2]
            if label == "Age" and age is None:
                age = _age_of(surface)
            elif label == "Sex" and sex is None:
                sex = _sex_of(surface)
        out.append((ann.stem, text, age, sex))
    return out


def _age_of(surface: str) -> float | None:
    from extract.evidence.patients import _age_years
    from extract.timings.expressions import find_timings
    ts = [t for t in find_timings(surface + " old") if t.type == "AGE"]
    if ts:
        return _age_years(ts[0])
    if re.search(r"neonat|newborn|infant|baby", surface, re.I):
        return 0.0
    m = re.search(r"\d+", surface)
    return float(m.group(0)) if m else None


def _sex_of(surface: str) -> str | None:
    from extract.evidence.patients import PERSON
    w = surface.lower().strip().rstrip("s")
    if w in PERSON:
        return PERSON[w]
    if re.fullmatch(r"(?:she|her|hers)", w):
        return "female"
    if re.fullmatch(r"(?:he|him|his)", w):
        return "male"
    return None


# -- main ---------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = arg_parser(__doc__.splitlines()[0])
    ap.add_argument("--protocol", default=str(PROTOCOL_DIR), help="protocol file or folder")
    ap.add_argument("--failures", action="store_true", help="print every mismatch")
    ap.add_argument("--ner", action="store_true", help="give the NER stage's mentions to the extractors")
    args = ap.parse_args(argv)
    t0 = time.time()
    cfg = RunConfig(options={"protocol": args.protocol})
    if args.ner:
        cfg.options["mentions"] = True
    subtypes = {norm(t.name) for p in load_protocols(args.protocol) for t in p.subtypes}
    gold = load_gold(args.data)
    if args.limit:
        gold = gold[:args.limit]
    sets: dict[str, dict[str, Score]] = {}
    fails: list[str] = []
    for g in gold:
        s = sets.setdefault(g["set"], {k: Score() for k in ("treatment", "status", "outcome", "outcome stated",
                                                            "diagnosis",
                                                            "subtype", "cause", "age", "sex")})
        doc = read_pdf(str(g["pdf"]))
        score_case(g, evidence_stage(doc, cfg), s, fails, subtypes)
    mac = args.data / "maccrobat"
    if mac.is_dir():
        s = sets.setdefault("maccrobat", {"age": Score(), "sex": Score()})
        for name, text, age, sex in maccrobat_gold(mac):
            pred = patients_from_sections([("case", 0, text)])
            score_patients(f"maccrobat/{name}", [dict(age_years=age, sex=sex)],
                           [dict(age_years=p.age_years, sex=p.sex) for p in pred], s, fails)
    if args.failures:
        print("\n".join(fails))
    print(f"{'set':10s} {'field':20s} {'n':>4s} {'P':>6s} {'R':>6s} {'F1/acc':>7s} {'target':>7s}")
    summary = []
    for name, s in sets.items():
        for field, sc in s.items():
            if field in ("treatment", "cause"):
                p, r, f = sc.prf()
                n = sc.tp + sc.fn
                if not n and not sc.fp:
                    continue
                tgt = TARGETS.get(f"{field} f1")
                print(f"{name:10s} {field + ' f1':20s} {n:4d} {p:6.3f} {r:6.3f} {f:7.3f} {tgt if tgt else '':>7}")
                summary.append(f"{name}.{field}_f1={f:.2f}")
            elif sc.n:
                tgt = TARGETS.get(field)
                print(f"{name:10s} {field + ' acc':20s} {sc.n:4d} {'':>6s} {'':>6s} {sc.acc():7.3f} {tgt if tgt else '':>7}")
                summary.append(f"{name}.{field.replace(' ', '_')}={sc.acc():.2f}")
    print(f"evidence: {len(gold)} gold cases in {time.time() - t0:.0f}s; " + " ".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
