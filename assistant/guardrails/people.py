"""Other people's names in a patient message, replaced by a ``<person>`` marker before the rules run.

Patient isolation is below the LLM (DESIGN.md), but a request naming someone else ("Show me Josue
Sipes's blood pressure", "la tension de Marie Dupont") must still be recognised and refused rather than
answered with the patient's own data. No list of names could cover every patient, so the guard finds
the *shape* of a name (one to three capitalised words that are not sentence starters, days, places of
care, medicines…; ``data/people.yaml``) and drops the signed-in patient's own names and the clinicians
and organisations of their record. The rules in ``input_patterns.yaml`` then describe the *request*
around the marker ("<person>'s <health data>", "<data> de <person>"), so a name alone never refuses
anything: "My son Luigi has a fever" passes, "What vaccines has my son Luigi had?" does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.guardrails._text import fold, fold_cased
from assistant.guardrails.lexicon import DATA_DIR, conditions, load_yaml, medicines
from assistant.guardrails.pseudonymise import _name_tokens
from fhir_client import PatientRecord

__all__ = ["PATIENT_MARKER", "PERSON_MARKER", "KnownNames", "NameWords", "load_name_words", "mark_people"]

PERSON_MARKER = "<person>"
PATIENT_MARKER = "<patient>"
DEFAULT_PEOPLE_FILE = DATA_DIR / "people.yaml"

# One capitalised word: "Josue", "McCullough", "Jean-Pierre", "O'Brien", "D'Angelo"; not all capitals
# ("SYSTEM", "NHS"), which are shouting or acronyms, not names.
_WORD = r"(?:[A-Z]')?[A-Z][a-z]*[a-z](?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
# An elided article may precede a name ("d'Emery Purdy"), so only letters and hyphens block the start.
_CANDIDATE = re.compile(rf"(?<![\w-])({_WORD}(?: {_WORD}){{0,2}})(?![\w-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"(]\s*)$")


@dataclass(frozen=True)
class NameWords:
    """Words that rule a capitalised candidate out (``not_names``) or make it a clinician (``titles``);
    ``child_relations`` mean the patient themself when a parent uses a child's account."""

    not_names: frozenset[str]
    titles: frozenset[str]
    proxy_age: int = 18
    child_relations: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def load_name_words(path: Path = DEFAULT_PEOPLE_FILE) -> NameWords:
    data = load_yaml(path)
    not_names = data.get("not_names")
    titles = data.get("titles")
    if not isinstance(not_names, list) or not isinstance(titles, list):
        raise ValueError(f"guard data file {path} needs 'not_names' and 'titles' lists")
    children = data.get("child_relations") or []
    return NameWords(
        frozenset(fold(str(w)) for w in not_names),
        frozenset(fold(str(w)) for w in titles),
        int(data.get("proxy_age", 18)),
        tuple(sorted((fold(str(c)) for c in children), key=len, reverse=True)),
    )


@dataclass(frozen=True)
class KnownNames:
    """Name words that are NOT another patient: the patient's own, and their record's clinicians/orgs."""

    own: frozenset[str] = frozenset()
    care_team: frozenset[str] = frozenset()
    age: int | None = None  # the patient's age today, when the record gives a birth date

    @classmethod
    def from_record(cls, record: PatientRecord | None, *, today: date) -> KnownNames:
        """The names ``record`` makes known, and the patient's age on ``today`` (a child's account is read
        by a parent: "my daughter" is then the patient)."""
        if record is None:
            return cls()
        age = _age(getattr(record.patient, "birthDate", None), today)
        own = {fold(t) for t in _name_tokens(getattr(record.patient, "name", None) or [])}
        team: set[str] = set()
        for practitioner in record.of_type("Practitioner"):
            team.update(fold(t) for t in _name_tokens(getattr(practitioner, "name", None) or []))
        for rtype in ("Organization", "Location"):
            for org in record.of_type(rtype):
                team.update(fold(w) for w in _words(getattr(org, "name", None)))
        return cls(frozenset(own), frozenset(team), age)

    def covers(self, tokens: Iterable[str]) -> bool:
        """True when every word of a candidate belongs to the patient, or to their care team."""
        words = list(tokens)
        return bool(words) and (all(w in self.own for w in words) or all(w in self.care_team for w in words))


def _age(born: Any, today: date) -> int | None:
    if isinstance(born, datetime):
        born = born.date()
    if not isinstance(born, date):
        try:
            born = date.fromisoformat(str(born)[:10])
        except ValueError:
            return None
    years: int = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return years


def _words(value: Any) -> list[str]:
    return [w for w in re.split(r"[\s,]+", str(value or "")) if len(w) >= 2]


def _is_name_word(word: str, words: NameWords) -> bool:
    if word in words.not_names or word in words.titles:
        return False
    # A medicine or a condition written with a capital ("Lasix", "Crohn") is not a person.
    return not (medicines().keys_in(word) or conditions().keys_in(word))


def mark_people(
    text: str, folded: str, known: KnownNames | None = None, words: NameWords | None = None
) -> tuple[str, tuple[str, ...]]:
    """``folded`` with each other person's name replaced by ``<person>``, and the names replaced.

    ``text`` is the message as typed (its capitals are the evidence). When folding changed the length
    (rare scripts), positions no longer line up and nothing is replaced: the rules that do not need a
    name still run.
    """
    words = words or load_name_words()
    known = known or KnownNames()
    marked, names = _mark_names(text, folded, known, words)
    if known.age is not None and known.age < words.proxy_age:
        # A parent on their child's account: "my daughter's A1c" is this patient's own A1c.
        for phrase in words.child_relations:
            marked = re.sub(rf"\b{re.escape(phrase)}\b", PATIENT_MARKER, marked)
    return marked, names


def _mark_names(text: str, folded: str, known: KnownNames, words: NameWords) -> tuple[str, tuple[str, ...]]:
    cased = fold_cased(text)
    if len(cased) != len(folded):
        return folded, ()
    spans: list[tuple[int, int, str]] = []
    for m in _CANDIDATE.finditer(cased):
        tokens = m.group(1).split(" ")
        start = m.start(1)
        # Leading words such as "Show", "Compare", "Mon" are not part of the name: drop them.
        while tokens and not _is_name_word(fold(tokens[0]), words):
            start += len(tokens[0]) + 1
            tokens = tokens[1:]
        if not tokens or any(not _is_name_word(fold(t), words) for t in tokens):
            continue
        before = cased[:start]
        previous = re.search(r"([A-Za-z][\w.'-]*)\.?\s*$", before)
        if previous and fold(previous.group(1).rstrip(".")) in words.titles:
            continue  # "Dr Adams", "docteur Martin": a clinician
        if len(tokens) == 1 and _SENTENCE_START.search(before):
            continue  # one capitalised word opening a sentence is just a capital letter
        if known.covers(fold(t) for t in tokens):
            continue
        end = start + len(" ".join(tokens))
        spans.append((start, end, cased[start:end]))
    if not spans:
        return folded, ()
    out = []
    last = 0
    for start, end, _ in spans:
        out.append(folded[last:start])
        out.append(PERSON_MARKER)
        last = end
    out.append(folded[last:])
    return "".join(out), tuple(name for *_, name in spans)
