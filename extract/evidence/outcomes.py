"""Outcomes of treatments: what each treatment given to the reported patient came to
(resolved, improved, unchanged, worsened, recurred), with the words that say so.

An outcome is read from the treatment's own sentence, else from the sentences that follow
it, else (for the treatment given last) from the case's last follow-up statement; a
treatment row keeps the first outcome stated for it (`row_outcome`). Cue words are the
protocol's `outcome_cues`.
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
_JOINT = re.compile(r"\b(?:the (?:treatment|therapy|regimen|combination)|these|all|both)\b", re.I)
_RECUR_VERB = re.compile(r"recurred|relapsed|flared|reappeared", re.I)
# "X despite Y": the outcome X stated before is what Y's course came to, however far Y is listed from it
_DESPITE = re.compile(r"\bdespite\b", re.I)
# a sentence that reports monitoring ("creatinine was checked ... and remained stable") states no outcome
_MONITORING = re.compile(r"\b(?:checked|monitored|measured)\b", re.I)
# "developed hemiparesis which resolved": the outcome of a new event, not of a treatment
_NEW_EVENT = re.compile(r"\b(?:developed|experienced|suffered)\b[^.;]*\b(?:which|that)\s+(?:\w+\s+){0,2}$", re.I)
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
_TREATED_WITH = re.compile(r"\b(?:treated|managed|controlled|replaced|substituted|combined)\s+$", re.I)


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
        """Outcomes of the mentions, sentence by sentence (`per_sentence[i]`: the mentions
        of `ct.sentences[i]`, their status set)."""
        for found in per_sentence:
            for m in found:
                self._outcome(m, found)
        for i in range(len(per_sentence)):
            self._outcome_next(ct, i, per_sentence, timings)
        self._final_outcome(ct, per_sentence)

    def _outcome(self, m: Mention, same: list[Mention]) -> None:
        """An outcome stated in the mention's own sentence (its clause when the sentence
        names other treatments), read from the mention on, or from the clause start when
        the mention follows "after / following / despite / with / on" (not "treated with")
        or is stopped ("the lesions flattened, and X was discontinued"); in "A, then B,
        and the lesions resolved" A's part ends where B's begins."""
        if m.status not in ("given", "unknown") or self._measured(m):
            return
        text, pos = m.sentence.text, m.start - m.sentence.start
        others = [x for x in same if x is not m and x.treatment != m.treatment]
        a, b = clause_bounds(text, pos) if others else (0, len(text))
        later = [x.start - m.sentence.start for x in others if x.start > m.start]
        if later and _SEQUENCE.search(text[pos + len(m.text):min(later)]):
            b = min(b, min(later))
        before = text[a:pos]
        lead = re.search(r"\b(?:after|following|despite|with|on)\s+(?:\w+\s+){0,3}$", before, re.I)
        lead = lead and not _TREATED_WITH.search(before[:lead.start()])
        stopped = WITHDRAWN.match(text[pos + len(m.text):])
        despite = _DESPITE.search(text[:pos])
        if despite and self._last_outcome(text[:despite.start()]):
            self._set_outcome(m, text[:despite.start()])  # "she died ten days later despite X, Y and Z"
        else:
            self._set_outcome(m, text[a:b] if lead or stopped else text[pos:b])
        m.outcome_own = m.outcome != "unknown"

    def _outcome_next(self, ct: CaseText, i: int, per_sentence: list[list[Mention]], timings: list[dict]) -> None:
        """An outcome in the sentences that follow (at most four, up to the next one where a
        treatment is started, within the case sections) goes to the main treatment given
        in this one, or to all of them when it speaks of "the treatment", "the regimen",
        "these" or of their class; the first sentence stating one counts, skipping
        monitoring reports and sentences about another treatment ("antivirals were
        considered as his organ function was improving"), and stopping at one that puts
        the change down to something else ("due to the wound infection ...")."""
        found = per_sentence[i]
        given = [m for m in found if m.status == "given" and not m.treatment.endswith(DISCONTINUED)
                 and m.outcome == "unknown" and m.treatment not in self.classes and not self._measured(m)]
        if not given or any(m.outcome != "unknown" for m in found if m.treatment not in self.classes):
            return
        here, at, joint = ct.sentences[i], None, False
        for j in range(i + 1, min(i + 5, len(ct.sentences))):
            nxt = ct.sentences[j]
            if nxt.section != here.section and not (here.section == nxt.section == "case"):
                break
            if any(m.status == "given" and m.treatment not in self.classes
                   and not m.treatment.endswith(DISCONTINUED) for m in per_sentence[j]):
                break
            cause = _OTHER_CAUSE.search(nxt.text)
            if cause and not any(c[0] < cause.start() for c in cue_matches(nxt.text, self.cues)):
                break
            if per_sentence[j] and not all(m.status == "given" for m in per_sentence[j]) \
                    or _MONITORING.search(nxt.text):
                continue
            if self._last_outcome(nxt.text):
                at = nxt
                joint = bool(_JOINT.search(nxt.text) or self._names_class(nxt.text, given))
                break
        if at:
            # the outcome sentence's own time ("resolved within 3 weeks") times this course too
            when = [int(t["timing_id"]) for t in timings if at.start <= t["char_start"] < at.end
                    and t.get("event_kind") == "resolution"]
            for m in (given if joint else [self._main(given, found)]):
                self._set_outcome(m, at.text)
                m.timing_ids += [w for w in when if w not in m.timing_ids]

    def _final_outcome(self, ct: CaseText, per_sentence: list[list[Mention]]) -> None:
        """The case's last follow-up statement with an outcome ("no recurrence at the
        1-year follow-up") goes to the treatment given last before it, if that one has
        none yet."""
        final = next((k for k in range(len(ct.sentences) - 1, -1, -1) if ct.sentences[k].section == "case"
                      and _FOLLOW_UP.search(ct.sentences[k].text) and self._last_outcome(ct.sentences[k].text)), None)
        if final is None:
            return
        for j in range(final - 1, -1, -1):
            given = [m for m in per_sentence[j] if m.status == "given" and m.sentence.scope == "case"
                     and not m.treatment.endswith(DISCONTINUED) and m.treatment not in self.classes]
            if given:
                if all(m.outcome == "unknown" for m in given):
                    self._set_outcome(next((m for m in given if m.dose), given[-1]), ct.sentences[final].text)
                return

    @staticmethod
    def _measured(m: Mention) -> bool:
        """A treatment named as the measure of another's effect ("the need for
        norepinephrine was reduced"): that sentence's outcome is not its own."""
        return bool(_NEED_FOR.search(m.sentence.text[:m.start - m.sentence.start]))

    @staticmethod
    def _main(given: list[Mention], found: list[Mention]) -> Mention:
        """The treatment a sentence is about: the one it starts ("prednisolone was
        increased, and ciclosporin was added"), else the first with a dose, else the last
        not attached to another ("mastoidectomy with drainage of the abscess")."""
        def own(m: Mention) -> str:
            k = found.index(m)
            lo = found[k - 1].end if k else m.sentence.start
            hi = found[k + 1].start if k + 1 < len(found) else m.sentence.end
            return m.sentence.text[lo - m.sentence.start:hi - m.sentence.start]
        free = [m for k, m in enumerate(given) if not (k and _ATTACHED.search(own(m).split(m.text)[0]))]
        return next((m for m in given if _NEW_COURSE.search(own(m))), None) \
            or next((m for m in given if m.dose), (free or given)[-1])

    def _set_outcome(self, m: Mention, text: str) -> None:
        hit = self._last_outcome(text)
        if hit:
            m.outcome, m.outcome_text = hit
            pct = _PCT.search(text)
            if pct and m.outcome == "improved":
                m.response_pct = float(pct.group(1) or pct.group(2))

    def _last_outcome(self, text: str) -> tuple[str, str] | None:
        cues = [c for c in cue_matches(text, self.cues) if not _NEW_EVENT.search(text[:c[0]])]
        if not cues:
            return None
        s, e, label = cues[-1]
        return ("unchanged" if label == "no_change_negation" else label), text[s:e]

    def _names_class(self, text: str, given: list[Mention]) -> bool:
        """Whether `text` names the class of a given drug ("the antibiotics were continued")."""
        return any(rx.search(text) and any(self.members.get(t.name.lower(), _NEVER).fullmatch(m.treatment)
                                           for m in given)
                   for t, rx in self.class_terms)


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
    it chose among: the case section's, else the abstract's; a recurrence stated as a
    verb, else the first outcome after the treatment, carried on to a later resolution of
    the same course."""
    outs = [m for m in ms if m.outcome != "unknown"]
    outs = [m for m in outs if m.sentence.section == "case"] \
        or [m for m in outs if m.sentence.section == "abstract"] or outs
    out = next((m for m in outs if m.outcome == "recurred" and _RECUR_VERB.fullmatch(m.outcome_text or "")),
               None) or _course_end(outs)
    return out, outs
