"""From lexicon mentions to findings: compose site + sensation, qualify, read the context, assign people.

Order, the same for every message:
1. lexicon mentions (concepts, body sites, sensations) in the folded text;
2. compositions: a sensation with a body site close to it in the same sentence ("pain … in my chest",
   "my chest … killing me") becomes the composed concept, the site kept on the finding; a direct concept
   term covering the same words wins over a composition of them;
3. qualifiers of the clause (severity, onset, progression, side) and durations;
4. ConText on the words that carry the meaning (the sensation, not the site: "his tongue isn't swollen"
   is negated by the "isn't" before "swollen");
5. the subject of each finding (``subjects.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.schemas import Language
from assistant.understanding.clauses import clause_at
from assistant.understanding.context import ContextReader, MentionSpan, frame_cue, rule_cue
from assistant.understanding.lexicon import Lexicon, Mention
from assistant.understanding.measures import DurationMention
from assistant.understanding.model import (
    Assertion,
    Clause,
    ConceptKind,
    Finding,
    Onset,
    Progression,
    Severity,
)
from assistant.understanding.text import fold_term
from fhir_client.yaml_data import load_yaml

__all__ = ["FindingReader", "Qualifiers"]

QUALIFIERS_FILE = Path(__file__).parent / "data" / "qualifiers.yaml"
COMPOSE_WINDOW = 7  # tokens between a sensation and its site, in one clause
CROSS_CLAUSE_WINDOW = 3  # … or across a clause break ("my chest, it hurts")
_SPACING_QUALIFIERS = frozenset({"severity", "onset"})  # not counted in COMPOSE_WINDOW
# A clause that names no site but points back with a pronoun ("my knee blew up overnight, it's hot, red and
# so swollen") is about the site named last before it, within this many tokens (this sentence or the one
# before): people name the body part once and then say "it".
ANAPHORA_WINDOW = 16
# English only for now: French "ça" / "c'est" also stand for the whole situation ("ça picote" before a cold
# sore, "c'est gonflé et bleu" after a sprain), and read as a site they composed findings that misled.
_ANAPHOR = re.compile(r"^(?:\w+ ){0,3}?(?:it|its|it s|it is|theyre|they re|they are)\b")
_ANAPHOR_REACH = 6  # tokens from the clause's pronoun to the sensation
# … not to a sensation the clause says is over ("it stopped bleeding after a minute", "it isn't swollen")
_OVER_BEFORE = re.compile(
    r"\b(?:stopped|stops|no longer|not|isnt|wasnt|no more|went down|gone down|settled|eased)\b"
)
# A clause whose first word or two are already what is felt ("…, swollen and hot") continues a list.
_LIST_OPENING = 1
_NEGATED_AFTER = re.compile(r"^ (?:pas|plus|jamais|not|no more)\b")
# "she hurt herself", "il s'est fait mal" is an injury, not a pain at the body part named beside it ("he
# didn't bang his head or hurt himself")
_REFLEXIVE_AFTER = re.compile(r"^ (?:himself|herself|myself|themselves|yourself|ourselves|itself)\b")
# A named illness asked about ("heart attack??", "could it be a stroke?") is a worry, except when it is said as
# happening: "is he having a stroke?", "il fait un AVC ?" stay findings.
_HAPPENING_BEFORE = re.compile(
    r"(?:having|getting|going into|gone into|en train de faire|en train d avoir|fait|fais|faisait|fasse)"
    r" (?:a |an |un |une )?(?:mini |petit |petite )?$"
)
_QUESTION_END = re.compile(r"^\s*\?")
# a change of course said not to be happening ("it's not getting worse", "hasn't got any better", "ça ne
# s'aggrave pas", "ça n'a pas empiré"): the negator stands just before the progression words, with at most
# a few filler words between, and the words are dropped rather than read the other way round
_PROGRESSION_NEGATED_BEFORE = re.compile(
    r"(?<![a-z0-9])(?:not|never|no|nor|(?:is|are|has|have|does|do|was|were|did|ai|won|can|couldn)n? ?t|ne|n|pas|sans|neither)"
    r"(?: (?:really|actually|any|been|be|getting|got|gotten|become|seem|seems|appear|appears|to|a|est|vraiment|du tout|encore|plus))* $"
)
# spoken French drops the "ne" and keeps the "pas" after the verb ("ça s'améliore pas", "ça s'arrange
# toujours pas", "ça empire plus"): the same words, negated from behind
_PROGRESSION_NEGATED_AFTER = re.compile(r" (?:pas|plus|toujours pas|jamais|du tout)(?![a-z0-9])")
_NEGATABLE_PROGRESSION = frozenset({"worsening", "improving"})
# The illnesses that, named, are an emergency on their own: the ones a frightened writer asks about ("heart
# attack??"). A common illness asked about ("c'est le zona ?", "is it a cold sore?") is the writer's reading
# of what they see, and the protocols route on it at their own levels: it stays a finding.
_FEARED = frozenset({"heart_attack_named", "stroke_named", "anaphylaxis"})
_BARE_QUESTION_WORDS = 2  # "heart attack??", "un infarctus ?", "stroke or what??"
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class _QMatch:
    kind: str  # "severity" | "onset" | "progression" | "laterality"
    value: str
    start: int
    end: int


class Qualifiers:
    """Severity, onset, progression and laterality words (``data/qualifiers.yaml``)."""

    def __init__(self, table: Mapping[str, Mapping[str, Mapping[str, Sequence[str]]]]) -> None:
        self._patterns: list[tuple[str, str, re.Pattern[str]]] = []
        for kind, values in table.items():
            for value, by_lang in values.items():
                terms = [fold_term(t) for lang in ("en", "fr") for t in (by_lang.get(lang) or ())]
                if terms:
                    pattern = re.compile(r"(?<![a-z0-9])(?:" + "|".join(terms) + r")(?![a-z0-9])")
                    self._patterns.append((kind, value, pattern))

    @classmethod
    @cache
    def load(cls, path: Path = QUALIFIERS_FILE) -> Qualifiers:
        return cls(load_yaml(path.read_text(encoding="utf-8")))

    def find(self, folded: str) -> list[_QMatch]:
        out = [
            _QMatch(kind, value, m.start(), m.end())
            for kind, value, pattern in self._patterns
            for m in pattern.finditer(folded)
            if not (
                kind == "progression"
                and value in _NEGATABLE_PROGRESSION
                and (
                    _PROGRESSION_NEGATED_BEFORE.search(folded, max(0, m.start() - 40), m.start())
                    or _PROGRESSION_NEGATED_AFTER.match(folded, m.end())
                )
            )
        ]
        out.sort(key=lambda q: q.start)
        return out


@dataclass(frozen=True)
class _Draft:
    concept: str
    start: int
    end: int
    focus: tuple[int, int]  # the words ConText reads
    sites: tuple[str, ...]
    entry: str
    severity: str | None = None


class FindingReader:
    """Builds findings for one message (stateless; shared by every thread)."""

    def __init__(
        self, lexicon: Lexicon, qualifiers: Qualifiers, context: Mapping[Language, ContextReader]
    ) -> None:
        self.lexicon = lexicon
        self.qualifiers = qualifiers
        self.context = context

    def read(
        self,
        folded: str,
        language: Language,
        clauses: Sequence[Clause],
        sentences: Sequence[tuple[int, int]],
        durations: Sequence[DurationMention],
    ) -> list[Finding]:
        mentions = self.lexicon.mentions(folded, language)
        quals = self.qualifiers.find(folded)
        drafts = self._drafts(folded, mentions, sentences, clauses, quals)
        if not drafts:
            return []
        assertions = self.context[language].read(folded, [MentionSpan(*d.focus) for d in drafts], sentences)
        tup = tuple(clauses)
        busy = {clause_at(tup, d.start) for d in drafts}  # clauses that hold a finding of their own
        durations = list(durations)
        findings: list[Finding] = []
        worries: list[int] = []
        for draft, assertion in zip(drafts, assertions, strict=True):
            concept = self.lexicon.concepts[draft.concept]
            assertion, worry = _asked_about(assertion, concept.kind, draft, folded, sentences)
            if worry:
                worries.append(len(findings))
            clause = clause_at(tuple(clauses), draft.start)
            severity, onset, progression, side = self._qualify(draft, quals, clauses, clause, busy)
            severity = draft.severity or concept.severity or severity
            onset = concept.onset or onset
            findings.append(
                Finding(
                    concept=concept.id,
                    code=concept.code,
                    kind=concept.kind,
                    groups=concept.groups,
                    text=folded[draft.start : draft.end],
                    start=draft.start,
                    end=draft.end,
                    clause=clause,
                    assertion=assertion,
                    severity=Severity(severity) if severity else None,
                    onset=Onset(onset) if onset else None,
                    progression=Progression(progression) if progression else None,
                    duration_days=_duration_for(durations, clauses, clause, busy),
                    sites=draft.sites,
                    laterality=side,
                    entry=draft.entry,
                )
            )
        findings = _usual_pattern(_keep_lone_worry(findings, worries))
        findings = _past_list(_past_sentence(findings, folded, sentences), folded, sentences)
        findings = _past_after(findings, folded, sentences)
        findings = _example_of_hypothetical(findings, folded, sentences)
        findings = _hypothetical_sentence(findings, folded, sentences)
        findings = _treated_event(findings, folded, sentences)
        findings = _bleeding_in_its_site(findings, sentences)
        return _faint_prodrome(findings, self.lexicon)

    # -- composition --------------------------------------------------------------------------------------

    def _drafts(
        self,
        folded: str,
        mentions: Sequence[Mention],
        sentences: Sequence[tuple[int, int]],
        clauses: Sequence[Clause],
        quals: Sequence[_QMatch] = (),
    ) -> list[_Draft]:
        tokens = [m.start() for m in _TOKEN.finditer(folded)]
        # words that only say how bad or how sudden the sensation is ("une douleur très violente d'un coup
        # dans le ventre", "a pain, really severe and sudden, in her belly") do not move it away from its site
        qualifying = {
            i
            for q in quals
            if q.kind in _SPACING_QUALIFIERS
            for i, at in enumerate(tokens)
            if q.start <= at < q.end
        }

        def token_index(offset: int) -> int:
            lo, hi = 0, len(tokens)
            while lo < hi:
                mid = (lo + hi) // 2
                if tokens[mid] <= offset:
                    lo = mid + 1
                else:
                    hi = mid
            return max(0, lo - 1)

        def sentence_of(offset: int) -> int:
            return _sentence_at(sentences, offset)

        direct = [m for m in mentions if m.kind == "concept"]
        sensations = [m for m in mentions if m.kind == "sensation"]
        sites = [m for m in mentions if m.kind == "site"]
        drafts: list[_Draft] = [
            _Draft(m.entry, m.start, m.end, (m.start, m.end), (), f"term:{m.entry}") for m in direct
        ]
        for sens in sensations:
            if _REFLEXIVE_AFTER.match(folded[sens.end : sens.end + 14]):
                continue
            s_tok = token_index(sens.start)
            s_sent = sentence_of(sens.start)
            s_clause = clause_at(tuple(clauses), sens.start)

            def apart(site: Mention, s_tok: int = s_tok) -> int:
                lo, hi = sorted((token_index(site.start), s_tok))
                return hi - lo - sum(1 for i in range(lo + 1, hi) if i in qualifying)

            near = [
                site
                for site in sites
                if sentence_of(site.start) == s_sent
                and not (site.start < sens.end and sens.start < site.end)
                and (
                    (clause_at(tuple(clauses), site.start) == s_clause and apart(site) <= COMPOSE_WINDOW)
                    or abs(token_index(site.start) - s_tok) <= CROSS_CLAUSE_WINDOW
                )
            ]
            if not near and not _NEGATED_AFTER.match(folded[sens.end : sens.end + 12]):
                clause = next((c for c in clauses if c.index == s_clause), None)
                if clause is not None:
                    near = self._antecedent(
                        sens,
                        sites,
                        clause,
                        s_sent,
                        token_index,
                        sentence_of,
                        opens_with_sensation=any(
                            clause.start <= other.start < clause.end
                            and token_index(other.start) - token_index(clause.start) <= _LIST_OPENING
                            for other in sensations
                        ),
                    )
            # sites the sensation reaches ("pain in my chest going down my left arm"): every near site
            # composes; the closest first.
            near.sort(key=lambda site: abs(token_index(site.start) - s_tok))
            part = self.lexicon.parts[sens.entry]
            for site in near:
                for cid in self.lexicon.composed(sens.entry, site.entry):
                    start, end = min(sens.start, site.start), max(sens.end, site.end)
                    drafts.append(
                        _Draft(
                            cid,
                            start,
                            end,
                            (sens.start, sens.end),
                            (site.entry,),
                            f"compose:{sens.entry}+{site.entry}",
                            part.severity,
                        )
                    )
        return self._superseded(_dedupe(drafts))

    @staticmethod
    def _antecedent(
        sens: Mention,
        sites: Sequence[Mention],
        clause: Clause,
        sentence: int,
        token_index: Callable[[int], int],
        sentence_of: Callable[[int], int],
        *,
        opens_with_sensation: bool = False,
    ) -> list[Mention]:
        """The site a clause naming none points back to: after a pronoun opening it ("it's", "they are";
        English only, see ``_ANAPHOR``), or when it goes on listing what is felt ("mon mollet est dur,
        gonflé et me fait mal", "my knee is red, swollen and hot": the comma cut a list that began with the
        site) — then only to a site in the same sentence."""
        if any(clause.start <= site.start < clause.end for site in sites):
            return []
        if _OVER_BEFORE.search(clause.text[: max(0, sens.start - clause.start)]):
            return []
        if opens_with_sensation and token_index(sens.start) - token_index(clause.start) <= _ANAPHOR_REACH:
            same = [
                site
                for site in sites
                if site.end <= clause.start
                and sentence_of(site.start) == sentence
                and token_index(sens.start) - token_index(site.start) <= ANAPHORA_WINDOW
            ]
            if same:
                return same[-1:]
        if (
            not _ANAPHOR.search(clause.text)
            or token_index(sens.start) - token_index(clause.start) > _ANAPHOR_REACH
        ):
            return []
        before = [
            site
            for site in sites
            if site.end <= clause.start
            and sentence_of(site.start) in (sentence, sentence - 1)
            and token_index(sens.start) - token_index(site.start) <= ANAPHORA_WINDOW
        ]
        return before[-1:]

    def _superseded(self, drafts: list[_Draft]) -> list[_Draft]:
        """Drop a finding whose words a direct term of a concept that supersedes it covers."""
        terms = [
            d for d in drafts if d.entry.startswith("term:") and self.lexicon.concepts[d.concept].supersedes
        ]
        if not terms:
            return drafts
        return [
            d
            for d in drafts
            if not any(
                d.concept in self.lexicon.concepts[t.concept].supersedes and t.start <= d.focus[0] < t.end
                for t in terms
            )
        ]

    # -- qualifiers -------------------------------------------------------------------------------------------

    @staticmethod
    def _qualify(
        draft: _Draft, quals: Sequence[_QMatch], clauses: Sequence[Clause], clause: int, busy: set[int]
    ) -> tuple[str | None, str | None, str | None, str | None]:
        c = clauses[clause] if clauses else None
        sentence = c.sentence if c else 0
        same_clause = [q for q in quals if c is not None and c.start <= q.start < c.end]
        # a qualifier in another clause of the sentence counts only when that clause names no finding
        # of its own ("the worst I've ever had, my head" / not "worst headache, and my neck is stiff")
        same_sentence = [
            q
            for q in quals
            for cl in clauses
            if cl.sentence == sentence and cl.start <= q.start < cl.end and cl.index not in busy
        ]

        # "…his words were slurred. It lasted ten minutes and he's been fine since.": a sentence that names
        # no finding of its own and says the episode passed speaks of the findings just before it
        quiet = {cl.sentence for cl in clauses if cl.index in busy}
        after = [
            q
            for q in quals
            for cl in clauses
            if sentence < cl.sentence <= sentence + 2
            and cl.sentence not in quiet
            and cl.start <= q.start < cl.end
            and q.kind == "progression"
            and q.value == "resolved"
        ]

        def pick(kind: str) -> str | None:
            for pool in (same_clause, same_sentence, after if kind == "progression" else []):
                hits = [q for q in pool if q.kind == kind]
                if hits:
                    # the nearest to the finding
                    return min(hits, key=lambda q: abs(q.start - draft.start)).value
            return None

        side = None
        lat = [q for q in same_clause if q.kind == "laterality" and abs(q.start - draft.start) <= 40]
        if lat:
            side = min(lat, key=lambda q: abs(q.start - draft.start)).value
        return pick("severity"), pick("onset"), pick("progression"), side


_TOLD = frozenset({ConceptKind.SYMPTOM, ConceptKind.SIGN, ConceptKind.EVENT})


def _sentence_at(sentences: Sequence[tuple[int, int]], offset: int) -> int:
    """The index of the sentence holding ``offset`` (-1: none)."""
    return next((i for i, (s, e) in enumerate(sentences) if s <= offset < e), -1)


USUAL_PATTERN = (
    "known_pattern"  # lexicon concept: "like always", "which is normal for him", "comme d'habitude"
)


# "X and then the Y", "X, puis un Y": only a joining word and an article between two named events
_JOINED = re.compile(
    r"^ *,? *(?:and |et |or |ou )?(?:then |puis |ensuite |later |apres )?(?:the |a |an |my |l |le |la |un |une |mon |ma )?$"
)
_NOW = re.compile(
    r"(?<![a-z])(?:now|today|tonight|this (?:morning|afternoon|evening)|again|currently|right now|at the moment|"
    r"maintenant|aujourd hui|ce (?:matin|soir)|cette nuit|actuellement|en ce moment|a nouveau|de nouveau|encore)(?![a-z])"
)


def _with(f: Finding, **flags: bool) -> Finding:
    """``f`` with its assertion's ``flags`` set (historical, hypothetical…): how every reading below
    re-qualifies a finding."""
    return f.model_copy(update={"assertion": f.assertion.model_copy(update=flags)})


def _sentence_text(folded: str, sentences: Sequence[tuple[int, int]], n: int) -> str:
    s, e = sentences[n]
    return folded[s:e].strip()


def _reframe(
    findings: list[Finding],
    sentences: Sequence[tuple[int, int]],
    framed: Callable[[int], bool],
    **flags: bool,
) -> list[Finding]:
    """Set ``flags`` on every current finding of each sentence ``framed`` accepts (asked once per sentence):
    the one loop of the sentence-level readings below, which differ only in what frames a sentence."""
    seen: dict[int, bool] = {}
    out = []
    for f in findings:
        n = _sentence_at(sentences, f.start)
        if f.current and n >= 0:
            if n not in seen:
                seen[n] = framed(n)
            if seen[n]:
                f = _with(f, **flags)
        out.append(f)
    return out


def _past_sentence(
    findings: list[Finding], folded: str, sentences: Sequence[tuple[int, int]]
) -> list[Finding]:
    """A sentence that opens in a remote past ("last summer", "a few years back", "il y a des années") tells a
    story of then to its end: its findings are historical, however far the scope of the opening cue went,
    unless a present-tense word in the sentence brings it back to now (then ConText's reading stands)."""
    past, present = frame_cue("PAST_FRAME"), frame_cue("PRESENT_TENSE")

    def framed(n: int) -> bool:
        if past.search(_sentence_text(folded, sentences, n)) is None:
            return False
        # a finding's own words are not a present tense ("gorge qui gonfle" is the swelling told, not "now"),
        # nor is a person's age today set beside the story ("last spring my daughter (she's 2 now) had a fit")
        start, end = sentences[n]
        ages = [m.span() for m in _AGE_NOW.finditer(folded, start, end)]
        return all(
            any(f.start < m.end() and m.start() < f.end for f in findings)
            or any(a <= m.start() and m.end() <= b for a, b in ages)
            for m in present.finditer(folded, start, end)
        )

    return _reframe(findings, sentences, framed, historical=True)


def _supposing_sentence(folded: str, sentences: Sequence[tuple[int, int]], n: int) -> bool:
    text = _sentence_text(folded, sentences, n)
    return frame_cue("HYPOTHETICAL_FRAME").search(text) is not None and not _NOW.search(text)


def supposed_at(folded: str, sentences: Sequence[tuple[int, int]], offset: int) -> bool:
    """The sentence holding ``offset`` opens by supposing and has no word of now: what it says is a
    supposition ("if one day my monitor showed 20/12, do I go straight to A&E?"), for a measurement as for a
    finding."""
    n = _sentence_at(sentences, offset)
    return n >= 0 and _supposing_sentence(folded, sentences, n)


def _hypothetical_sentence(
    findings: list[Finding], folded: str, sentences: Sequence[tuple[int, int]]
) -> list[Finding]:
    """A sentence that opens by supposing ("What if my sugar dropped one night and I passed out?", "Et si je
    faisais un malaise au volant ?") is a supposition to its end, though "and I…" ends ConText's scope; a word
    of now in it keeps it a report ("what if this is a heart attack right now?")."""
    return _reframe(
        findings, sentences, lambda n: _supposing_sentence(folded, sentences, n), hypothetical=True
    )


def _past_list(findings: list[Finding], folded: str, sentences: Sequence[tuple[int, int]]) -> list[Finding]:
    """A named event listed right after a past one ("years back I had the heart attack and then the
    stroke", "il y a des années un infarctus puis un AVC") is in the same past: ConText's scope may stop
    short of it (the scope is counted in words, and "then" ends scopes). It takes the past reading unless
    the rest of its clause brings it back to now ("… and then the pain again today")."""
    out = list(findings)
    for i in range(1, len(out)):
        prev, f = out[i - 1], out[i]
        if not prev.assertion.historical or f.subject != prev.subject or prev.end > f.start:
            continue
        if not f.current or not _JOINED.match(folded[prev.end : f.start]):
            continue
        n = _sentence_at(sentences, f.start)
        end = sentences[n][1] if n >= 0 else len(folded)
        rest = re.split(r"[,;:.!?]", folded[f.end : end], maxsplit=1)[0]  # the rest of its clause
        if _NOW.search(rest):
            continue
        out[i] = _with(f, historical=True)
    return out


# "all fine now", "home now", "ça va bien maintenant": being well now is part of the dating, not a return of the
# problem
# "she's 2 now", "he is 14 months now", "elle a 3 ans maintenant": an age told today, beside a past story
_AGE_NOW = re.compile(
    r"\b(?:(?:hes|shes|he s|she s|he is|she is|theyre|they are|im|i m|i am|(?:il|elle|j) (?:a|ai)) )?"
    r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|un|une|deux|trois|quatre|cinq|six|sept|huit"
    r"|neuf|dix)(?: (?:and a half|et demi|et demie))? ?(?:years?|yrs?|yo|months?|ans?|mois)?(?: old)?"
    r" (?:now|maintenant)\b"
)
_WELL_NOW = re.compile(
    r"\b(?:fine|ok|okay|well|good|better|grand|great|home|back home|bien|mieux|rentree?) (?:now|maintenant)\b"
)


def _past_after(findings: list[Finding], folded: str, sentences: Sequence[tuple[int, int]]) -> list[Finding]:
    """A sentence that opens by dating what was just told ("That was years ago, I've been fine since",
    "C'était il y a dix ans") puts the sentence before it in that past: its current findings are historical,
    unless either sentence says now ("That was years ago, but today it happened again")."""
    after = frame_cue("PAST_AFTER")
    dated = {
        n
        for n in range(1, len(sentences))
        if after.search(text := _sentence_text(folded, sentences, n))
        and not _NOW.search(_WELL_NOW.sub("", text))
    }
    if not dated:
        return findings
    return _reframe(
        findings,
        sentences,
        lambda n: n + 1 in dated and not _NOW.search(_sentence_text(folded, sentences, n)),
        historical=True,
    )


def _example_of_hypothetical(
    findings: list[Finding], folded: str, sentences: Sequence[tuple[int, int]]
) -> list[Finding]:
    """A sentence that opens with an example marker ("Like his face drooping…", "Genre la bouche qui tombe…")
    gives examples of the sentence before; when that sentence is hypothetical ("what do we do if it ever comes
    back?", "si un jour ça recommence"), so are the examples — ConText's scope ends at the full stop. A
    present word in the example sentence ("like right now my arm is numb") keeps it a report."""
    example, hypothetical = frame_cue("EXAMPLE_FRAME"), rule_cue("hypothetical")

    def framed(n: int) -> bool:
        if n < 1:
            return False
        text = _sentence_text(folded, sentences, n)
        before = _sentence_text(folded, sentences, n - 1)
        return bool(example.search(text) and hypothetical.search(before) and not _NOW.search(text))

    return _reframe(findings, sentences, framed, hypothetical=True)


# "he was discharged yesterday", "elle est sortie de l'hôpital": the stay is over (the lexicon reads these as
# ``recent_surgery``, a risk factor for clots; here only the leaving matters)
_DISCHARGE = re.compile(
    r"\b(?:discharged|came out of hospital|home from hospital|out of hospital|sorti\w* de l hopital)\b"
)
_TREATED_KINDS = frozenset({ConceptKind.CONDITION})


def _treated_event(
    findings: list[Finding], folded: str, sentences: Sequence[tuple[int, int]]
) -> list[Finding]:
    """A named illness told before a discharge from hospital in the same sentence ("my brother just had a
    heart attack, he came home from hospital yesterday and he's fine") has been treated: it is history, not
    an emergency now. Only a named illness told first (not "he came home yesterday and now he's having a
    stroke"), and never a symptom told beside it ("… and now he has chest pain again" stays a report)."""
    left: dict[int, int] = {}  # sentence -> where its first discharge is said
    for f in findings:
        if f.concept == "recent_surgery" and f.current and _DISCHARGE.search(f.text):
            n = _sentence_at(sentences, f.start)
            left[n] = min(left.get(n, f.start), f.start)
    if not left:
        return findings
    out = list(findings)
    for i, f in enumerate(out):
        n = _sentence_at(sentences, f.start)
        told_first = n in left and f.end <= left[n]
        if f.current and f.kind in _TREATED_KINDS and told_first and not _NOW.search(folded[f.end : left[n]]):
            out[i] = _with(f, historical=True)
    return out


_FAINTS = frozenset({"fainting", "loss_of_consciousness", "collapse_unresponsive"})
_PRODROME_SIGHT = frozenset({"blurred_vision", "vision_loss", "turning_blue"})
_CYANOSIS_WORDS = re.compile(
    r"\b(?:blue|bluish|purple|bleue?s?|bleuatres?|violet\w*|violace\w*|lips|levres)\b"
)
_UNRESPONSIVE_WORDS = re.compile(
    r"\b(?:respond\w*|wak\w*|get\w* up|talk\w*|mov\w*|sense|breath\w*|repond\w*|reagi\w*|bouge\w*|releve\w*|respir\w*)\b"
)
_STILL = frozenset({Progression.PERSISTENT, Progression.WORSENING})
# a few jerks or twitches of the limbs while fainting (NICE CG109: brief jerking is common in a faint and
# does not make it a fit); named fits, stiffening or eyes rolling back keep their own meaning
_FAINT_JERKS = re.compile(
    r"^(?:(?:a |few |some |little |small |quelques |petites? )*(?:jerk\w*|twitch\w*|secouss\w*|spasm\w*))$"
)


# Bleeding that says where it comes from: vomited, in or as poo, from the nose, coughed up, in the urine.
_SITED_BLEEDING = frozenset(
    {"vomiting_blood", "bloody_stool", "black_stool", "nosebleed", "coughing_blood", "blood_in_urine"}
)
# Words of a vaginal bleed that name its site or its setting; without one, "clots" or "heavy bleeding" are
# only an amount, and belong to whatever bleeding the sentence tells.
_GENITAL_SITE_WORDS = re.compile(
    r"\b(?:vagin\w*|down (?:there|below)|period\w*|pads?|tampons?|towels?|knickers|pants|underwear|"
    r"pregnan\w*|weeks?|wks?|spotting|regles|serviettes?|protections?|culotte|enceinte|grossesse|semaines|"
    r"sa|en bas|pertes?|gyneco\w*|accouch\w*|delivrance|wipe|wiping|essuy\w*)\b"
)


# A bad smell alone ("it smells awful") is the smell of whatever the sentence is about: urine, a discharge,
# poo; it is an infected wound's only when the sentence tells of no such site.
_SMELL_ONLY = re.compile(r"^(?:(?:smells?|smelling|smelly) \w+|foul smell\w*)$")
_SMELL_SITE_GROUPS = frozenset({"urinary", "gynae", "gut"})
_WOUND_GROUPS = frozenset({"skin", "injury"})


def _bleeding_in_its_site(findings: list[Finding], sentences: Sequence[tuple[int, int]]) -> list[Finding]:
    """Bleeding and smell words are read in the site the sentence gives them. "Il vient de vomir du sang,
    beaucoup, rouge foncé avec des caillots": the clots are the vomited blood's (nhs.uk "Vomiting blood"), not
    a heavy period's; "passing clots" after blood from the back passage is the bowel's. A vaginal-bleeding
    finding whose own words name no genital or obstetric setting is dropped when its sentence tells a current
    bleed from another site. Likewise "still burning when I pee and it smells awful" is cloudy, smelly urine
    (NICE CKS "Urinary tract infection"), not an infected wound: a smell said alone is dropped as a skin
    infection when its sentence holds a urinary, genital or bowel finding and names no wound or skin."""
    sited = {_sentence_at(sentences, f.start) for f in findings if f.concept in _SITED_BLEEDING and f.current}
    smelly = {
        _sentence_at(sentences, f.start)
        for f in findings
        if f.current and _SMELL_SITE_GROUPS.intersection(f.groups)
    }
    # … unless the sentence also names a wound or the skin ("the wound on my foot smells awful")
    smelly -= {
        _sentence_at(sentences, f.start)
        for f in findings
        if f.current and f.concept != "skin_infection" and _WOUND_GROUPS.intersection(f.groups)
    }
    if not (sited or smelly):
        return findings
    return [
        f
        for f in findings
        if not (
            f.concept == "vaginal_bleeding"
            and _sentence_at(sentences, f.start) in sited
            and not _GENITAL_SITE_WORDS.search(f.text)
        )
        and not (
            f.concept == "skin_infection"
            and _sentence_at(sentences, f.start) in smelly
            and _SMELL_ONLY.match(f.text)
        )
    ]


def _faint_prodrome(findings: list[Finding], lexicon: Lexicon) -> list[Finding]:
    """Greying or blurred sight told with a faint in a provoking situation is the faint's warning, not an eye
    or airway sign (NICE CG109: a faint with posture, a provoking situation and a prodrome of heat, nausea and
    greying vision is uncomplicated). "Hot, went a bit grey and her vision went fuzzy, then she went down"
    after standing in a hot hall is that prodrome; sight that stays blurred, or lips that go blue, keep their
    own meaning; a bare "collapsed" there is the faint's fall, and a few jerks or twitches are the faint's
    (NICE CG109), not a fit. Only when the message tells a faint and its trigger, both as current."""
    faint = any(f.concept in _FAINTS and f.current for f in findings)
    trigger = any(f.concept == "faint_trigger" and f.current for f in findings)
    if not (faint and trigger) or "faint_prodrome" not in lexicon.concepts:
        return findings
    prodrome = lexicon.concepts["faint_prodrome"]
    out: list[Finding] = []
    for f in findings:
        if (
            f.concept in _PRODROME_SIGHT
            and f.current
            and f.progression not in _STILL
            and not (f.concept == "turning_blue" and _CYANOSIS_WORDS.search(f.text))
        ):
            f = f.model_copy(update={"concept": prodrome.id, "code": prodrome.code, "kind": prodrome.kind})
        elif (
            f.concept == "seizure"
            and f.current
            and f.progression not in _STILL
            and _FAINT_JERKS.match(f.text)
            and "fainting" in lexicon.concepts
        ):
            fainting = lexicon.concepts["fainting"]
            f = f.model_copy(update={"concept": fainting.id, "code": fainting.code, "kind": fainting.kind})
        elif f.concept == "collapse_unresponsive" and f.current and not _UNRESPONSIVE_WORDS.search(f.text):
            # the bare fall of that faint ("then she collapsed"): not responding is told in its own words
            fainting = lexicon.concepts["fainting"]
            f = f.model_copy(update={"concept": fainting.id, "code": fainting.code, "kind": fainting.kind})
        out.append(f)
    return out


def _usual_pattern(findings: list[Finding]) -> list[Finding]:
    """A symptom told in the same clause as the writer's "this is how it always goes" ("sleepy and a bit
    muddled like always afterwards", "drowsy for 15 minutes, which is normal for him") is explained by that
    usual pattern: the criteria that ask for ``explained`` (a usual recovery after a known fit) weigh it."""
    usual = {f.clause: f.text for f in findings if f.concept == USUAL_PATTERN and f.current}
    if not usual:
        return findings
    return [
        f.model_copy(update={"assertion": f.assertion.model_copy(update={"explained_by": usual[f.clause]})})
        if f.clause in usual
        and f.kind in (ConceptKind.SYMPTOM, ConceptKind.SIGN)
        and f.assertion.explained_by is None
        else f
        for f in findings
    ]


def _keep_lone_worry(findings: list[Finding], worries: Sequence[int]) -> list[Finding]:
    """A worry is read as one only beside what the writer tells: "pain when I press my ribs… heart attack??"
    is triaged on the pain. A message that names the illness and nothing else ("could this be a heart
    attack?") is about something it does not say, and the illness stays a finding (asked, still current)."""
    if not worries:
        return findings
    if any(f.current and f.kind in _TOLD for f in findings):
        # a name inside the worry's words ("cardiaque" in "crise cardiaque ?") is part of the same worry
        spans = [(findings[i].start, findings[i].end) for i in worries]
        return [
            _with(f, hypothetical=True)
            if f.current and n not in worries and any(s <= f.start and f.end <= e for s, e in spans)
            else f
            for n, f in enumerate(findings)
        ]
    out = list(findings)
    for i in worries:
        out[i] = _with(out[i], hypothetical=False)
    return out


def _asked_about(
    assertion: Assertion, kind: str, draft: _Draft, folded: str, sentences: Sequence[tuple[int, int]]
) -> tuple[Assertion, bool]:
    """A named illness in a sentence that ends with "?" and asks what something is ("is it a heart attack?",
    ConText's ASKED cues) or is hardly more than the name ("heart attack??") is a worry: hypothetical. The
    ASKED mark is dropped everywhere else (a symptom asked about still counts)."""
    n = _sentence_at(sentences, draft.start)
    sentence = sentences[n] if n >= 0 else None
    question = sentence is not None and bool(_QUESTION_END.match(folded[sentence[1] : sentence[1] + 4]))
    worry = False
    if question and sentence is not None and kind == ConceptKind.CONDITION and draft.concept in _FEARED:
        start, end = sentence
        happening = _HAPPENING_BEFORE.search(folded[max(start, draft.start - 40) : draft.start]) or (
            folded[draft.start : draft.end].startswith("having ")
        )
        others = len(_TOKEN.findall(folded[start : draft.start])) + len(
            _TOKEN.findall(folded[draft.end : end])
        )
        worry = not happening and (assertion.asked or others <= _BARE_QUESTION_WORDS)
    if worry and not assertion.hypothetical:
        return assertion.model_copy(update={"asked": True, "hypothetical": True}), True
    if worry:
        return assertion.model_copy(update={"asked": True}), False
    if assertion.asked:
        return assertion.model_copy(update={"asked": False}), False
    return assertion, False


def _duration_for(
    durations: Sequence[DurationMention], clauses: Sequence[Clause], clause: int, busy: set[int]
) -> float | None:
    """The duration said in the finding's clause, else one said in a clause of the same sentence that
    names no finding of its own ("for three days now, fever and cough")."""
    if not durations or not clauses:
        return None
    c = clauses[clause]
    in_clause = [d for d in durations if c.start <= d.start < c.end]
    if in_clause:
        return max(d.days for d in in_clause)
    free = [
        d
        for d in durations
        for cl in clauses
        if cl.sentence == c.sentence and cl.start <= d.start < cl.end and cl.index not in busy
    ]
    return max(d.days for d in free) if free else None


def _dedupe(drafts: list[_Draft]) -> list[_Draft]:
    """One finding per concept per place: a direct term beats a composition over the same words; of two
    mentions of the same concept that overlap, the longer one stays, with the sites of both ("her face and
    lips are swelling" is one swelling of the face and of the mouth)."""
    drafts.sort(key=lambda d: (d.start, -(d.end - d.start), not d.entry.startswith("term:")))
    kept: list[_Draft] = []
    for d in drafts:
        clash = next(
            (k for k in kept if k.concept == d.concept and d.start < k.end and k.start < d.end), None
        )
        if clash is not None:
            extra = tuple(site for site in d.sites if site not in clash.sites)
            if extra:
                kept[kept.index(clash)] = _Draft(
                    clash.concept,
                    clash.start,
                    clash.end,
                    clash.focus,
                    (*clash.sites, *extra),
                    clash.entry,
                    clash.severity or d.severity,
                )
            continue
        kept.append(d)
    kept.sort(key=lambda d: d.start)
    return kept


def assertion_summary(a: Assertion) -> str:
    """A compact label for the audit and the CLI ("negated", "historical+uncertain", "current")."""
    flags = [k for k, v in a.model_dump().items() if v]
    return "+".join(flags) if flags else "current"
