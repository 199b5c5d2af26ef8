"""Outcomes of treatments: what each treatment given to the reported patient came to
(resolved, improved, unchanged, worsened, recurred), with the words that say so.

Rules read an outcome where the wording is plain: in the treatment's own clause, in the
sentences that follow it up to the next treatment started, or (for the treatment given last)
in the case's last follow-up statement; a result stated for treatments listed or added
together goes to each, also when it was read for one of them; a later statement crediting a
treatment by name is its result; a recurrence the case tells later, however far (or denies:
"free of recurrence"), is the result of the resection or excision of the lesion; the
patient's death is the worsened result of the final course. A monitoring report, a change
put down to another cause and the part of a sentence about a later treatment are never a
treatment's result. (A learned attribution for the treatments the rules read none for was
dropped: out of fold on the dev gold, 27 of the 32 outcomes it gave were wrong. A learned
ranker of each treatment's later result statements, measured out of fold by report, chose
among them no better than these rules (stated 0.691 against 0.701) and told a treatment with
no stated result worse, so it was left out too. The NER's entities were measured as evidence
as well (outc18): its `Outcome` label is rare (30 spans in MACCROBAT's 160 reports, mostly
deaths the cues read already), and a sign or disease ConText marks negated after a treatment is
mostly a test's negative ("CT showed no metastases"): read as a resolution it lowered dev
outcome-as-stated 0.701 -> 0.682 (PMC 0.674 -> 0.584); kept to findings the case first affirmed,
it changed no stated row. A learned label for the statement the rules chose was measured too
(outcl18): a logistic regression over the cue's words, the words around it, degree and negation
words, the treatment's kind and the rules' label, trained on the 329 dev rows where both the rules
and gold state a result, scored out of fold by report (5 folds, 10 orders). It was right on
0.815-0.856 of them against the rules' 0.857 (MACCROBAT 0.82-0.86 vs 0.864, PMC 0.78-0.83 vs 0.833),
and 0.857 at best when only allowed to swap improved and resolved; without the rules' label as a
feature it fell to 0.62-0.68. The 20 improved/resolved swaps left (14 reports) share their cue with
rows gold labels the rules' way: after a drug, "normalized" is improved 3 times and resolved twice.) A treatment
row keeps the first outcome stated for it (`row_outcome`). Cue words are the protocol's
`outcome_cues`; what a cited study found, a denied worsening and a finding's adjective ("an
enlarged node") are none, and after a drug course, signs gone without the report saying the
condition resolved are an improvement (`_degree`, issue 14), unless the drug makes up for a
lack (a replacement or supplement) and a level is back to normal. A result stated before the
treatment that brought it ("the anemia was corrected by transfusion") is that treatment's.
"""
from __future__ import annotations

import re
import typing

from extract.evidence.casetext import CaseText, Sentence, clause_bounds, compile_cues, cue_matches
from extract.nlp.protocols import Protocol, Term

DISCONTINUED = " discontinuation"  # "warfarin discontinuation": stopping the drug as a treatment
WITHDRAWN = re.compile(r"^\W{0,3}(?:was|were|had been|is)\s+(?:stopped|discontinued|withdrawn|ceased)", re.I)
_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*%\s*(?:improvement|reduction|decrease|response|smaller|resolution|healing)|"
                  r"(?:improv\w*|reduc\w*|decreas\w*|shr[au]nk)\s+by\s+(\d+(?:\.\d+)?)\s*%", re.I)
_FOLLOW_UP = re.compile(r"\b(?:follow(?:ed)?[- ]?up|discharged|at (?:the )?last|(?:months?|years?|weeks?) later|"
                        r"after (?:\d+|one|two|three|six|twelve|several) (?:months?|years?)|"
                        r"at (?:\d+|one|two|three|six|twelve) (?:months?|years?|weeks?))\b", re.I)
# a statement about the whole course ("the treatment", "these", "this relieved his pain")
_JOINT = re.compile(r"\b(?:the (?:treatment|therapy|regimen|combination)|these|all|both)\b|^\W*this\b", re.I)
# "... healed 14 weeks after X was started": a course named by what came after it
_SINCE = re.compile(r"\b(?:after|following|since)\s+(?:\w+\s+){0,3}$", re.I)
# what joins two treatments of one course in a list, and what sets one apart from the other
# ("A with B" is one course too, issue 14: "anticoagulation with enoxaparin", "excision with grafting")
_LIST = re.compile(r",|\band\b|\bplus\b|\bas well as\b|\b(?:along |together |combined |in combination )?with\b", re.I)
# "anticoagulation was started with heparin": the course, then what it was given with
_DONE_WITH = re.compile(r"\s*(?:was|were)\s+(?:\w+\s+)?(?:started|initiated|commenced|instituted|given|achieved|"
                        r"performed)\s+(?:with|using)\s+(?:\S+\s+){0,3}", re.I)
_NOT_LISTED = re.compile(r"\b(?:then|followed|after|before|was|were|is|are|for|to|or|but|later|instead)\b|;", re.I)
# a statement crediting a treatment by name, and the last words of a name that say too little
_CREDIT = re.compile(r"\b(?:after|following|of|on|with)\s+(?:\w+\s+){0,3}$", re.I)
_GENERIC_HEAD = re.compile(r"therap(?:y|ies)|treatments?|surgery|management|care|support|supplementation|"
                           r"infusions?|injections?|transfusions?|resection|excision|removal|drugs?|agents?|"
                           r"medications?|regimen|procedure|operation|chemotherapy|radiotherapy", re.I)
# "X was added / included (in the regimen)": a treatment joined to the course running before it
_ADDED = re.compile(r"^\W{0,3}(?:\([^)]*\)\s*)?(?:[^.;]{0,60}?\s)?(?:was|were|is|are)\s+(?:then\s+|also\s+)?"
                    r"(?:added|included)\b", re.I)
# "X was tapered and stopped": the end of a course, not the treatment given last
_ENDED = re.compile(r"^\W{0,3}(?:was|were|had been|is)\s+(?:gradually\s+|slowly\s+)?(?:stopped|discontinued|"
                    r"withdrawn|ceased|tapered|weaned)", re.I)
_RECUR_VERB = re.compile(r"recurred|relapsed|flared|reappeared", re.I)
# "X despite Y": the outcome X stated before is what Y's course came to, however far Y is listed from it
_DESPITE = re.compile(r"\bdespite\b", re.I)
# a sentence that reports monitoring ("creatinine was checked ... and remained stable") states no outcome
_MONITORING = re.compile(r"\b(?:checked|monitored|measured)\b", re.I)
# "developed hemiparesis which resolved", "there was mild erythema, which subsided": the
# outcome of a new event, not of a treatment
_NEW_EVENT = re.compile(r"\b(?:developed|experienced|suffered|there (?:was|were))\b[^.;]*\b(?:which|that)\s+"
                        r"(?:\w+\s+){0,2}$", re.I)
# "... developed hypoglycaemia that was corrected with glucose": what the new event came to
# by the treatment named right after it is that treatment's result
_BY_WHAT = re.compile(r"\s+(?:\w+\s+)?(?:with|after|following|by|on)\s", re.I)
# "the anemia was corrected by transfusion of packed red cells", "the episodes resolved with a
# quick increase of X": a result stated before the treatment that brought it, in one phrase
_BY_WHAT_TO = re.compile(r"\s+(?:\w+\s+){0,3}(?:with|after|following|by)\s[^.;:,()]{0,60}$", re.I)
# a change put down to something else before any outcome is stated ("due to the wound
# infection, his condition became unstable"; not "she died due to complications of the
# disease"): the course that follows is no longer the treatment's outcome
_OTHER_CAUSE = re.compile(r"\b(?:due to|because of|caused by|secondary to|as a result of)\b", re.I)
# words between two treatments that put the second after the first in time
_SEQUENCE = re.compile(r"\b(?:then|followed by|subsequently|later|after which|switched to|changed to|"
                       r"replaced (?:by|with))\b", re.I)
# "the need for / requirement of X": X measures the course, it is not a course of its own
_NEED_FOR = re.compile(r"\b(?:need|needs|requirements?|dependence)\s+(?:for|of|on)\s+(?:\w+\s+){0,2}$", re.I)
# the treatment that a sentence starts ("ciclosporin was added"), as against one it adjusts
_NEW_COURSE = re.compile(r"\b(?:added|started|commenced|initiated|introduced|switched|changed|begun)\b", re.I)
_NEVER = re.compile(r"(?!)")
_ATTACHED = re.compile(r"\b(?:with|along with|plus|under)\s+(?:\w+\s+){0,3}$", re.I)
# "in order to improve", "to prevent recurrence": what a treatment was for, not what it did
# ("began to improve", "led to resolution" are results)
_TO_VERB = re.compile(r"\bto\s+$", re.I)
_UNDER_WAY = re.compile(r"\b(?:began|begun|begins|started|starts|starting|continued|continues|seemed|appeared|"
                        r"tended|failed|fails)\s+to\s+$", re.I)
_AIM = re.compile(r"\b(?:to|for)\s+(?:prevent\w*|avoid\w*|reduc\w*|minimi[sz]\w*|lower\w*|allow|enable|permit|"
                  r"facilitate)\s+(?:\w+\s+){0,2}$", re.I)
_NOUN_OR_PARTICIPLE = re.compile(r".*(?:ion|ment|ing|ed|s)$", re.I)
# "X was given, but the pain persisted" ("; however, ..."): the clause after "but" is what X came to;
# so is one about the patient after "and", when X's own states nothing ("and she was discharged")
_BUT = re.compile(r",?\s+but\s+|;\s+however,?\s+", re.I)
_AND_PATIENT = re.compile(r",?\s+and\s+(?=(?:he|she|the patient)\s)", re.I)
_TREATED_WITH = re.compile(r"\b(?:treated|managed|controlled|replaced|substituted|combined|treatment|therapy|"
                           r"started|initiated|commenced)\s+$", re.I)
_LEAD = re.compile(r"\b(?:after|following|despite|with|on)\s+(?:\w+\s+){0,3}$", re.I)
# "unresponsive to X", "refractory to X and Y", "responded well to X": the outcome is
# stated before the treatment it belongs to
_CUE_TO = re.compile(r"\b(?:unresponsive|refractory|resistant|resistance|responded|responsive|respond|"
                     r"(?:no|poor|good|partial|complete|excellent|favou?rable) response)\s+(?:\w+\s+)?to\s+"
                     r"[^.;:]{0,80}$", re.I)
# "based on previous studies showing a mortality benefit": what a cited study found, not
# what the patient's course came to
_STUDY = re.compile(r"\b(?:stud(?:y|ies)|trials?|literature|guidelines?|meta-analys[ie]s|series)\b[^.;]{0,60}$", re.I)
# "X (that she was taking) was continued": a running course kept on, not a new one
_KEPT_ON = re.compile(r"^[^.;]{0,80}?\b(?:was|were|is|are)\s+(?:also\s+|then\s+)?(?:continued|maintained)\b", re.I)
# "did not respond to A and we started B": B is the object of no "respond to"
_NEW_CLAUSE = re.compile(r"\b(?:and|so|thus|therefore|then)\s+(?:we|he|she|they|the patient|was|were)\b", re.I)
# "no enlarged lymph nodes", "without progression": a worsening denied; "no ocular flare
# occurred", "did not recur", "never relapsed", "free of recurrence", "no residual mass or
# recurrence", "no signs of tumour recurrence", "absence of relapse": a recurrence denied,
# which says it resolved
_DENIED = re.compile(r"(?:\b(?:no|not|without|nor|never)\s+|\bfree (?:of|from)\s+(?:any\s+)?|"
                     r"\b(?:no|without)\s+[^.;,()]{0,60}?\bor\s+|\b(?:absence|lack) of\s+|"
                     r"\b(?:no|without|not? any)\s+(?:\w+\s+)?(?:evidences?|signs?|features?|findings?|indications?)\s+"
                     r"(?:of|for|suggesting|suggestive of)\s+)(?:[\w-]+\s+)?$|\bnon-?$", re.I)
# the words that say a condition resolved, as against its signs being gone ("asymptomatic",
# "normalized", "no recurrence", "disappeared"): after a drug course, the latter say the
# condition is controlled, which issue 14 counts as improved
_RESOLUTION_SAID = re.compile(r"resol|remission|cured?\b|correct|complete|healed|healing|recover|uneventful|successful|"
                              r"no (?:evidence|signs?) of|disease[- ]free|no (?:remnant|residual)|recur|relaps|flare|re-?appear", re.I)
# a treatment that makes up for what the body lacks: a level back to normal is its aim reached
_REPLACED = re.compile(r"\b(?:replacement|supplement\w*|substitution)\b", re.I)
# "in spite of the treatment he became oliguric", "did not improve and hoarseness developed":
# a course without effect during which a new problem arose worsened
_NEW_PROBLEM = re.compile(r"\b(?:developed|became)\b", re.I)
# the patient's death: the result of the course that ends in it
_DEATH = re.compile(r"\b(?:died|death|passed away|succumbed|expired)\b", re.I)
# a state the patient is left in, which says less than a change stated beside it
_BARE_STATE = re.compile(r"stable|discharged", re.I)
# "the postoperative course was uneventful": the result of each procedure of the operation told before
_POSTOP = re.compile(r"\bpost-?\s?operative(?:ly)?\b|\bafter (?:the )?(?:surgery|operation)\b", re.I)
# a treatment planned or referred for ("she was planned for X. She underwent ..."): the course told next is its
_PLANNED = ("considered", "recommended")
# ... unless its sentence says it was not done, or done only on a condition ("X was considered if ..., but")
_NOT_DONE = re.compile(r"\b(?:but|however|declined|deferred|refused|not|never|no|if|unless|instead|rather)\b", re.I)
# "B was started, while he had no further bleeding": the state the course before B had reached
_MEANWHILE = re.compile(r",?\s+while\s+(?:he|she|the patient|his|her|their)\b", re.I)
# a recurrence of the disease (denied, or told as an event: not "recurrent pain", which
# names a complaint), and the operations that remove a lesion, which it is the result of
_RECURRENCE = re.compile(r"recurr\w*|relaps\w*", re.I)
_RECURRED = re.compile(r"recurr(?:ence|ences|ed|ing)|relaps\w*", re.I)
_REMOVAL = re.compile(r"ectom(?:y|ies)\b|\b(?:resections?|excisions?|removal|extirpation|enucleation)\b", re.I)
WINDOW = 6  # sentences after a treatment's mention whose outcome statements may be its result


class Mention(typing.Protocol):
    """What the reader reads and sets of a treatment mention (extract.evidence.treatments
    imports this module, so its `Mention` is described here, not imported)."""

    treatment: str
    text: str
    start: int
    end: int
    sentence: Sentence
    status: str
    dose: str | None
    outcome: str
    outcome_text: str | None
    outcome_own: bool
    response_pct: float | None
    timing_ids: list[int]
    kind: str


class OutcomeReader:
    """The protocol's outcome cues and treatment classes compiled once; `read(ct,
    per_sentence, timings)` sets the outcome of a document's treatment mentions.
    `terms`: the treatment finder's (vocabulary term, regex) pairs."""

    def __init__(self, proto: Protocol, terms: list[tuple[Term, re.Pattern]]):
        self.cues = compile_cues(proto.outcome_cues)
        self.classes = set(proto.treatment_classes)
        self.members = {c: re.compile(rf"(?:{p})", re.I) for c, p in proto.treatment_classes.items() if p}
        self.class_terms = [(t, rx) for t, rx in terms if t.name.lower() in self.classes]

    def read(self, ct: CaseText, per_sentence: list[list[Mention]], timings: list[dict]) -> None:
        """Outcomes of the mentions (`per_sentence[i]`: the mentions of `ct.sentences[i]`,
        their status set), where the wording is plain; `picks` keeps the statement each
        mention's outcome was read from (sentence, cue start)."""
        picks: dict[int, tuple[int, int]] = {}
        for i, found in enumerate(per_sentence):
            for m in found:
                self._outcome(m, found, i, picks)
        for i in range(len(per_sentence)):
            self._outcome_next(ct, i, per_sentence, timings, picks)
        self._combined(ct, per_sentence, picks)
        _share_listed(per_sentence, picks)  # a listed course's result comes before a later credit
        self._credited(ct, per_sentence, picks)
        self._final_outcome(ct, per_sentence, picks)
        _share_listed(per_sentence, picks)
        self._recurrence(ct, per_sentence, picks)
        self._death(ct, per_sentence, picks)
        for found in per_sentence:
            for m in found:
                if m.outcome == "improved" and m.response_pct is None and id(m) in picks:
                    m.response_pct = self._course_percent(ct, per_sentence, picks[id(m)][0])

    def _course_percent(self, ct: CaseText, per_sentence: list[list[Mention]], k: int) -> float | None:
        """A response in percent stated from the outcome's sentence `k` on, before another
        treatment is given ("a moderate improvement ... photographs showed 40% improvement")."""
        for j in range(k, min(k + WINDOW + 1, len(ct.sentences))):
            if j > k and (ct.sentences[j].section != ct.sentences[k].section or any(
                    x.status == "given" and x.treatment not in self.classes for x in per_sentence[j])):
                return None
            pct = _PCT.search(ct.sentences[j].text)
            if pct:
                return float(pct.group(1) or pct.group(2))
        return None

    def _outcome(self, m: Mention, same: list[Mention], i: int, picks: dict) -> None:
        """An outcome stated in the mention's own sentence, in the part that is its own."""
        if m.status not in ("given", "unknown") or self._measured(m):
            return
        lo, hi = self._window(m, same)
        self._set_outcome(m, m.sentence.text[lo:hi], i, lo, picks)
        m.outcome_own = m.outcome != "unknown"

    def _window(self, m: Mention, same: list[Mention]) -> tuple[int, int]:
        """The part of its own sentence (offsets) that may state a mention's outcome: its
        clause when the sentence names other treatments, read from the mention on, or from
        the clause start when the mention follows "after / following / despite / with / on"
        (not "treated with") or is stopped ("the lesions flattened, and X was
        discontinued"); in "A, then B, and the lesions resolved" A's part ends where B's
        begins; "she died ten days later despite X, Y and Z": what comes before "despite";
        "A and B were started, and he was discharged": the clause about the patient after it,
        when its own states nothing."""
        text, pos = m.sentence.text, m.start - m.sentence.start
        others = [x for x in same if x is not m and x.treatment != m.treatment]
        a, b = clause_bounds(text, pos) if others else (0, len(text))
        later = [x.start - m.sentence.start for x in others if x.start > m.start]
        but = _BUT.match(text[b:]) if b < len(text) else None
        if b < len(text) and not but and not self._last_outcome(text[a:b]):
            but = _AND_PATIENT.match(text[b:])
        if but:  # its clause and the "but" clause after it, up to another treatment named there
            b = min([clause_bounds(text, b + but.end())[1]] + [x for x in later if x >= b])
        if later and _SEQUENCE.search(text[pos + len(m.text):min(later)]):
            b = min(b, min(later))
        before = text[a:pos]
        lead = _LEAD.search(before)
        lead = lead and not _TREATED_WITH.search(before[:lead.start()])
        stopped = WITHDRAWN.match(text[pos + len(m.text):])
        despite = _DESPITE.search(text[:pos])
        if despite and self._last_outcome(text[:despite.start()]):
            return 0, despite.start()
        cue_to = _CUE_TO.search(before)
        cue_to = cue_to and not _NEW_CLAUSE.search(cue_to.group())
        brought = any(_BY_WHAT_TO.match(before[e:]) for _, e, _ in self._cues(before))
        return (a if lead or stopped or cue_to or brought else pos), b

    def _outcome_next(self, ct: CaseText, i: int, per_sentence: list[list[Mention]], timings: list[dict],
                      picks: dict) -> None:
        """An outcome in the sentences that follow (at most four, up to the next one where a
        treatment is started, within the case sections) goes to the main treatment given
        in this one, or to all of them when it speaks of "the treatment", "the regimen",
        "these" or of their class (a postoperative course: each procedure of the
        operation's); the first sentence stating one counts, skipping monitoring reports and
        sentences about another treatment ("antivirals were considered as his organ function
        was improving"), and stopping at one that puts the change down to something else
        ("due to the wound infection ..."), or that starts another treatment (not the same
        one named again: "hemodialysis was started. ... despite dialysis, the renal function
        deteriorated"), unless that is the next sentence, with no outcome of its own, and
        the statement after it speaks of all ("A was given. B was added. Despite these
        measures, ..."): then it is the result of A's course too. The words of that
        sentence before the treatment it starts, read for none of its own, are A's ("no
        improvement was noted, and the anemia was treated with transfusion"), and so is a
        clause after it that tells the patient's state meanwhile ("B was started, while he
        had no further bleeding"). A sentence that gives nothing but plans or refers for a
        treatment ("referred for X. The procedure was performed ...") starts X's course,
        unless it says X was not done or only on a condition."""
        found = per_sentence[i]
        given = [m for m in found if m.status == "given" and not m.treatment.endswith(DISCONTINUED)
                 and m.outcome == "unknown" and m.treatment not in self.classes and not self._measured(m)]
        if not any(m.status == "given" for m in found):
            given = [m for m in found if m.status in _PLANNED and m.treatment not in self.classes
                     and not _NOT_DONE.search(m.sentence.text)]
        if not given or any(m.outcome != "unknown" for m in found if m.treatment not in self.classes):
            return
        here, at, joint, skipped = ct.sentences[i], None, False, False
        for j in range(i + 1, min(i + 5, len(ct.sentences))):
            nxt = ct.sentences[j]
            if nxt.section != here.section and not (here.section == nxt.section == "case"):
                break
            if any(m.status == "given" and m.treatment not in self.classes and not m.treatment.endswith(DISCONTINUED)
                   and not _KEPT_ON.match(nxt.text[m.end - nxt.start:])
                   and not (any(g.treatment.endswith(m.treatment) for g in given) and not self._measured(m))
                   for m in per_sentence[j]):
                first = min(m.start for m in per_sentence[j] if m.status == "given") - nxt.start
                if self._last_outcome(nxt.text[:first]) and not any(
                        picks.get(id(m), (None, 0))[0] == j and picks[id(m)][1] < first for m in per_sentence[j]):
                    joint = len(given) == 1 or bool(_JOINT.search(nxt.text[:first]))
                    for m in given if joint else [self._main(given, found)]:
                        self._set_outcome(m, nxt.text[:first], j, 0, picks)
                    return
                last = max(m.end for m in per_sentence[j]) - nxt.start
                meanwhile = _MEANWHILE.search(nxt.text, last)
                if meanwhile and self._last_outcome(nxt.text[meanwhile.start():]):
                    for m in given:
                        self._set_outcome(m, nxt.text[meanwhile.start():], j, meanwhile.start(), picks)
                    return
                if self._last_outcome(nxt.text) or j > i + 1:
                    break
                skipped = True  # "A was given. B was added. Despite these measures, ...": both's, if joint
                continue
            cause = _OTHER_CAUSE.search(nxt.text)
            if cause and not any(c[0] < cause.start() for c in cue_matches(nxt.text, self.cues)):
                break
            if per_sentence[j] and not all(m.status == "given" for m in per_sentence[j]) \
                    or _MONITORING.search(nxt.text):
                continue
            if self._last_outcome(nxt.text):
                joint = bool(_JOINT.search(nxt.text) or self._names_class(nxt.text, given))
                at = j if joint or not skipped else None
                break
        if at is not None:
            # the outcome sentence's own time ("resolved within 3 weeks") times this course too
            nxt = ct.sentences[at]
            when = [int(t["timing_id"]) for t in timings if nxt.start <= t["char_start"] < nxt.end
                    and t.get("event_kind") == "resolution"]
            main = self._main(given, found)
            postop = main.kind == "procedure" and _POSTOP.search(nxt.text)
            for m in (given if joint else [x for x in given if x is main or _listed(x, main)
                                           or postop and x.kind == "procedure"]):
                self._set_outcome(m, nxt.text, at, 0, picks)
                m.timing_ids += [w for w in when if w not in m.timing_ids]

    def _combined(self, ct: CaseText, per_sentence: list[list[Mention]], picks: dict) -> None:
        """A treatment added to a running course ("colchicine was started; diltiazem was
        added; the nodules resolved") shares the result the rules read for it with the
        treatments of that course: those given in the sentences before (at most four, in
        the same section, back to one with a result of its own), not tapered or stopped."""
        for i, found in enumerate(per_sentence):
            for m in found:
                pick = picks.get(id(m))
                if pick is None or pick[0] <= i or not _ADDED.match(m.sentence.text[m.end - m.sentence.start:]):
                    continue
                for j in range(i - 1, max(i - 5, -1), -1):
                    if ct.sentences[j].section != m.sentence.section or any(id(x) in picks for x in per_sentence[j]):
                        break
                    for x in per_sentence[j]:
                        if x.status == "given" and x.outcome == "unknown" and x.treatment not in self.classes \
                                and x.treatment != m.treatment and not x.treatment.endswith(DISCONTINUED) \
                                and not _ENDED.match(x.sentence.text[x.end - x.sentence.start:]) \
                                and not self._measured(x):
                            x.outcome, x.outcome_text, x.response_pct = m.outcome, m.outcome_text, m.response_pct
                            picks[id(x)] = pick

    def _credited(self, ct: CaseText, per_sentence: list[list[Mention]], picks: dict) -> None:
        """A later outcome statement that credits a treatment by name ("pain began to improve
        within 2 weeks of starting thiosulfate", "after 4 weeks of X the ulcer was smaller")
        is the result of that treatment's course, when the rules read none for it: its
        name's last word after "after / following / of / on / with" and up to three words."""
        for i, found in enumerate(per_sentence):
            for m in found:
                if m.status != "given" or m.outcome != "unknown" or m.sentence.scope != "case" \
                        or m.treatment in self.classes or m.treatment.endswith(DISCONTINUED) or self._measured(m):
                    continue
                head = (m.treatment.split() or [""])[-1]
                if len(head) < 5 or _GENERIC_HEAD.fullmatch(head):
                    continue
                name = re.compile(rf"\b{re.escape(head)}\b", re.I)
                for k in range(i + 1, min(i + 2 * WINDOW + 1, len(ct.sentences))):
                    sent = ct.sentences[k]
                    if sent.scope != "case" or sent.section != m.sentence.section:
                        break
                    if any(_CREDIT.search(sent.text[:hit.start()]) for hit in name.finditer(sent.text)) \
                            and self._last_outcome(sent.text):
                        self._set_outcome(m, sent.text, k, 0, picks)
                        break

    def _final_outcome(self, ct: CaseText, per_sentence: list[list[Mention]], picks: dict) -> None:
        """The case's last follow-up statement with an outcome ("no recurrence at the
        1-year follow-up") goes to the treatment given last before it (not one being
        tapered or stopped, nor one named as the start of a course already told: "healed
        after X was started"), if that one has none yet. When it says what changed (not a
        bare "she was discharged"), it closes the whole course told since the last result:
        each treatment given in the sentences before, back to one that states a result or
        whose treatments have one ("A, B and C were given. ... The wound was sutured.
        After 1 month, the site had healed": each one's)."""
        final = next((k for k in range(len(ct.sentences) - 1, -1, -1) if ct.sentences[k].section == "case"
                      and _FOLLOW_UP.search(ct.sentences[k].text) and self._last_outcome(ct.sentences[k].text)), None)
        if final is None:
            return
        text = ct.sentences[final].text
        for j in range(final - 1, -1, -1):
            given = self._closed(per_sentence[j])
            if not given:
                continue
            if any(m.outcome != "unknown" for m in given):
                return
            self._set_outcome(next((m for m in given if m.dose), given[-1]), text, final, 0, picks)
            s, e, _ = self._last_cue(text)
            if _BARE_STATE.search(text[s:e]):
                return
            for k in range(j, -1, -1):
                sent = ct.sentences[k]
                if sent.section != "case" or k < j and (self._last_outcome(sent.text) or any(
                        id(m) in picks for m in per_sentence[k])):
                    return
                for m in self._closed(per_sentence[k]):
                    if m.outcome == "unknown" and not self._measured(m):
                        self._set_outcome(m, text, final, 0, picks)
            return

    def _recurrence(self, ct: CaseText, per_sentence: list[list[Mention]], picks: dict) -> None:
        """A recurrence the case tells ("developed a recurrence of the cancer", "a recurring
        mass at the operative bed") is what the removal of the lesion came to: each resection
        or excision given before it with no result of its own recurred; a recurrence denied
        ("free of recurrence for 13 months", "non-recurrence of the tumour") says it resolved."""
        for k, sent in enumerate(ct.sentences):
            if sent.scope != "case" or sent.section != "case":
                continue
            hit = next((c for c in self._cues(sent.text) if c[2] == "resolved" and _RECURRENCE.search(
                sent.text[c[0]:c[1]]) or c[2] == "recurred" and _RECURRED.fullmatch(sent.text[c[0]:c[1]])), None)
            if hit is None:
                continue
            for found in per_sentence[:k]:
                for m in found:
                    if m.status == "given" and m.kind == "procedure" and m.outcome == "unknown" \
                            and m.sentence.scope == "case" and _REMOVAL.search(m.treatment) and not self._measured(m):
                        m.outcome, m.outcome_text = hit[2], sent.text[hit[0]:hit[1]]
                        picks[id(m)] = (k, hit[0])

    def _closed(self, found: list[Mention]) -> list[Mention]:
        """The treatments of a sentence that a final follow-up may close: given in the case,
        not a stop, a class, a course being tapered or one named as the start of a course."""
        return [m for m in found if m.status == "given" and m.sentence.scope == "case"
                and not m.treatment.endswith(DISCONTINUED) and m.treatment not in self.classes
                and not _ENDED.match(m.sentence.text[m.end - m.sentence.start:])
                and not _SINCE.search(m.sentence.text[:m.start - m.sentence.start])]

    def _death(self, ct: CaseText, per_sentence: list[list[Mention]], picks: dict[int, tuple[int, int]]) -> None:
        """The patient's death ends the final course: each treatment given after the last
        improvement or resolution the case gave a treatment, with no result of its own,
        worsened ("... was started. He died on day 5 despite intensive care")."""
        cases = [k for k, sent in enumerate(ct.sentences) if sent.scope == "case" and sent.section != "title"]
        death = next((k for k in reversed(cases) if any(label == "worsened" and _DEATH.fullmatch(
            ct.sentences[k].text[a:b]) for a, b, label in self._cues(ct.sentences[k].text))), None)
        if death is None:
            return
        mentions = [m for found in per_sentence[:death + 1] for m in found]
        good = [picks[id(m)][0] for m in mentions if id(m) in picks and m.outcome in ("improved", "resolved")
                and picks[id(m)][0] < death]
        start = max(good, default=-1)
        for k in range(start + 1, death + 1):
            for m in per_sentence[k]:
                if m.status == "given" and m.outcome == "unknown" and m.sentence.scope == "case" \
                        and not self._measured(m) and not m.treatment.endswith(DISCONTINUED):
                    d = ct.sentences[death]
                    hit = next(h for h in self._cues(d.text) if _DEATH.fullmatch(d.text[h[0]:h[1]]))
                    m.outcome, m.outcome_text = "worsened", d.text[hit[0]:hit[1]]
                    picks[id(m)] = (death, hit[0])

    @staticmethod
    def _measured(m: Mention) -> bool:
        """A treatment named as the measure of another's effect ("the need for
        norepinephrine was reduced"): that sentence's outcome is not its own."""
        return bool(_NEED_FOR.search(m.sentence.text[:m.start - m.sentence.start]))

    @staticmethod
    def _main(given: list[Mention], found: list[Mention]) -> Mention:
        """The treatment a sentence is about: the one it starts ("prednisolone was
        increased, and ciclosporin was added"), else the first with a dose, else the last
        not attached to another ("mastoidectomy with drainage of the abscess"); one named
        in brackets ("resection was performed (after blockade with X)") only when all are."""
        def bracketed(m: Mention) -> bool:
            before = m.sentence.text[:m.start - m.sentence.start]
            return before.count("(") > before.count(")")
        given = [m for m in given if not bracketed(m)] or given

        def own(m: Mention) -> str:
            k = found.index(m)
            lo = found[k - 1].end if k else m.sentence.start
            hi = found[k + 1].start if k + 1 < len(found) else m.sentence.end
            return m.sentence.text[lo - m.sentence.start:hi - m.sentence.start]
        free = [m for k, m in enumerate(given) if not (k and _ATTACHED.search(own(m).split(m.text)[0]))]
        return next((m for m in given if _NEW_COURSE.search(own(m))), None) \
            or next((m for m in given if m.dose), (free or given)[-1])

    def _set_outcome(self, m: Mention, text: str, i: int, offset: int, picks: dict) -> None:
        """The last outcome cue of `text` (sentence `i` from `offset` on) as the mention's
        (no effect, and a new problem arising after it, is worsened); `picks` records which
        statement it was: (sentence, cue start)."""
        hit = self._last_cue(text)
        if hit:
            s, e, label = hit
            if label == "unchanged" and _NEW_PROBLEM.search(text[e:]):
                label = "worsened"
            m.outcome, m.outcome_text = _degree(m, label, text[s:e]), text[s:e]
            picks[id(m)] = (i, offset + s)
            pct = _PCT.search(text)
            if pct and m.outcome == "improved":
                m.response_pct = float(pct.group(1) or pct.group(2))

    def _cues(self, text: str) -> list[tuple[int, int, str]]:
        """The outcome cues of `text` as (start, end, outcome), not those of a new event."""
        return [(s, e, _polarity(label, text[:s]))
                for s, e, label in cue_matches(text, self.cues)
                if not (_NEW_EVENT.search(text[:s]) and not _BY_WHAT.match(text[e:]))
                and not _purpose(text[:s], text[s:e]) and not _STUDY.search(text[:s])
                and not (label == "worsened" and _DENIED.search(text[:s]))]

    def _last_cue(self, text: str) -> tuple[int, int, str] | None:
        """The last cue of `text`, passing over a bare state ("stable", "discharged in good
        condition") when another cue says what changed ("the pain resolved and she was
        discharged in stable condition": resolved)."""
        cues = self._cues(text)
        said = [c for c in cues if not _BARE_STATE.search(text[c[0]:c[1]])]
        return (said or cues or [None])[-1]

    def _last_outcome(self, text: str) -> bool:
        return bool(self._cues(text))

    def _names_class(self, text: str, given: list[Mention]) -> bool:
        """Whether `text` names the class of a given drug ("the antibiotics were continued")."""
        return any(rx.search(text) and any(self.members.get(t.name.lower(), _NEVER).fullmatch(m.treatment)
                                           for m in given)
                   for t, rx in self.class_terms)


def _purpose(before: str, cue: str) -> bool:
    """Whether a cue says what a treatment was for: a bare verb after "to" ("in order to
    improve"), or what it was to prevent ("to prevent recurrence")."""
    if _AIM.search(before):
        return True
    return bool(_TO_VERB.search(before)) and not _UNDER_WAY.search(before) and " " not in cue.strip() \
        and not _NOUN_OR_PARTICIPLE.fullmatch(cue)


def _polarity(label: str, before: str) -> str:
    """The outcome a cue's label says: a no-change negation is unchanged, and a recurrence
    denied ("no flare occurred", "did not recur", "never relapsed") resolved, like "no
    recurrence" (a denied worsening is dropped in `_cues`)."""
    if label == "recurred" and _DENIED.search(before):
        return "resolved"
    return "unchanged" if label == "no_change_negation" else label


def _degree(m: Mention, label: str, cue: str) -> str:
    """The outcome a cue gives a mention: a drug course after which the signs are gone
    without the report saying the condition resolved improved it (`_RESOLUTION_SAID`);
    a level back to normal after a replacement or supplement is the deficiency resolved."""
    return "improved" if label == "resolved" and m.kind == "drug" and not _RESOLUTION_SAID.search(cue) \
        and not _REPLACED.search(m.treatment) else label


def _listed(a: Mention, b: Mention) -> bool:
    """Whether two treatments of a sentence are listed together as one course ("was
    started on A and B", "A (dose), B and C were given", "A with B"): only doses, commas,
    "and" or "with" between them, so that a result stated for the course is each one's."""
    if a.sentence is not b.sentence:
        return False
    lo, hi = sorted((a, b), key=lambda x: x.start)
    text = a.sentence.text
    between = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", text[lo.end - a.sentence.start:hi.start - a.sentence.start])
    if text[:lo.start - a.sentence.start].count("(") > text[:lo.start - a.sentence.start].count(")") \
            and ")" not in between:  # "(A, 1 g; B, 2 mg)": a list in brackets, its items set apart by ";"
        between = between.replace(";", ",")
    if _DONE_WITH.fullmatch(between):
        return True
    return len(between) <= 40 and bool(_LIST.search(between)) and not _NOT_LISTED.search(between) \
        and not _NEW_CLAUSE.search(between) and not _NEW_COURSE.search(between)


def _share_listed(per_sentence: list[list[Mention]], picks: dict[int, tuple[int, int]]) -> None:
    """A result read for one treatment of a course listed in one sentence ("A, B and C were
    given", "X (A, 1 g; B, 2 mg)") is each part's (issue 14): a given treatment listed with
    one that has a result in `picks`, and none of its own, takes the nearest such one's."""
    for found in per_sentence:
        given = [m for m in found if m.status == "given" and not m.treatment.endswith(DISCONTINUED)]
        for k, m in enumerate(given):
            if m.outcome != "unknown" or id(m) in picks:
                continue
            near = sorted((x for x in given if id(x) in picks and x.treatment != m.treatment),
                          key=lambda x: abs(given.index(x) - k))
            src = next((x for x in near if _chained(given, x, m)), None)
            if src is not None:
                m.outcome, m.outcome_text = src.outcome, src.outcome_text
                m.response_pct = src.response_pct
                picks[id(m)] = picks[id(src)]


def _chained(given: list[Mention], a: Mention, b: Mention) -> bool:
    """Whether `a` and `b` are one list: each treatment between them listed with the next."""
    lo, hi = sorted((given.index(a), given.index(b)))
    return all(_listed(given[k], given[k + 1]) for k in range(lo, hi))


def _course_end(outs: list[Mention]) -> Mention | None:
    """The first outcome stated for a treatment, unless its later mentions carry the same
    course on to resolution in a sentence that names it again ("60% smaller after 6 weeks
    of X" ... "healed completely by 14 weeks after X was started"): an improvement that
    goes on to resolve ends resolved."""
    if not outs:
        return None
    if outs[0].outcome == "improved":
        return next((m for m in outs[1:] if m.outcome == "resolved" and m.outcome_own), outs[0])
    return outs[0]


def row_outcome(ms: list[Mention]) -> tuple[Mention | None, list[Mention]]:
    """The mention whose outcome a treatment row takes, and the mentions with an outcome
    it chose among. Of the outcomes the rules read: the case section's, else the
    abstract's, a recurrence stated as a verb, else the first outcome after the
    treatment, carried on to a later resolution of the same course."""
    outs = [m for m in ms if m.outcome != "unknown"]
    outs = [m for m in outs if m.sentence.section == "case"] \
        or [m for m in outs if m.sentence.section == "abstract"] or outs
    out = next((m for m in outs if m.outcome == "recurred" and _RECUR_VERB.fullmatch(m.outcome_text or "")),
               None) or _course_end(outs)
    return out, outs
