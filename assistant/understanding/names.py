"""Other people's names in a message, found by their shape (the capitals the patient typed).

A request about someone else's data ("Show me Josue Sipes's blood pressure", "la tension de Marie Dupont")
must be recognised even though no list could hold every patient's name. A name has a shape: one to three
capitalised words that are not sentence starters, days, places of care, medicines… (``data/names.yaml``).
The record's patient's own names and their care team's are dropped (``PatientFacts``), and a name right
after a title ("Dr Adams", "docteur Martin") is a clinician. What is left is marked in the folded text with
``ß`` characters of the same length (a letter no folded text holds), so offsets stay valid and the signal table can say
``ß+s <<data>>`` ("<person>'s data") without knowing any name. A name alone never signals anything: "my son Théo has
a fever" passes; "what vaccines has my son Théo had?" is a request about Théo's record.

Capitals are read from the ``clean`` text (the folded one has none); each name found is folded the same way
as the message and looked for there as a whole word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.guardrails.lexicon import conditions, medicines
from assistant.understanding.subjects import PatientFacts
from assistant.understanding.text import fold_term
from fhir_client.yaml_data import load_yaml

__all__ = ["NAME_MARK", "NameFinder"]

DATA_FILE = Path(__file__).parent / "data" / "names.yaml"
NAME_MARK = "ß"  # per character of a name in the folded text (fold turns a typed ß into ss: never ambiguous)

# One capitalised word: "Josue", "McCullough", "Jean-Pierre", "O'Brien", "D'Angelo"; not all capitals
# ("SYSTEM", "NHS"), which are shouting or acronyms, not names.
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_WORD = (
    rf"(?:[{_UPPER}]')?[{_UPPER}][{_LOWER}]*[{_LOWER}](?:[{_UPPER}][{_LOWER}]+)?(?:-[{_UPPER}][{_LOWER}]+)?"
)
_CANDIDATE = re.compile(rf"(?<![\w-])({_WORD}(?: {_WORD}){{0,2}})(?![\w-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"(«\[]\s*)$")
_PREVIOUS_WORD = re.compile(r"([A-Za-zÀ-ÿ][\w.'-]*)\.?\s*$")


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class NameFinder:
    """Finds other people's names (see module docstring). Immutable; one instance serves every thread."""

    not_names: frozenset[str]
    titles: frozenset[str]

    @classmethod
    @cache
    def load(cls, path: Path = DATA_FILE) -> NameFinder:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        not_names, titles = data.get("not_names"), data.get("titles")
        if not isinstance(not_names, list) or not isinstance(titles, list):
            raise ValueError(f"{path} needs 'not_names' and 'titles' lists")
        return cls(frozenset(_plain(str(w)) for w in not_names), frozenset(_plain(str(w)) for w in titles))

    def _is_name_word(self, word: str) -> bool:
        plain = _plain(word)
        if plain in self.not_names or plain in self.titles:
            return False
        # A medicine or a condition written with a capital ("Lasix", "Crohn") is not a person.
        return not (medicines().keys_in(plain) or conditions().keys_in(plain))

    def find(self, clean: str, patient: PatientFacts | None = None) -> tuple[str, ...]:
        """Names of people other than the record's patient and their care team, as typed."""
        patient = patient or PatientFacts()
        own = {_plain(n) for n in (*patient.given_names, *patient.family_names) if n}
        team = {_plain(n) for n in patient.care_team_names if n}
        text = clean.replace("_", " ")  # "Emery_Purdy", as ids are written
        names: list[str] = []
        for m in _CANDIDATE.finditer(text):
            tokens = m.group(1).split(" ")
            start = m.start(1)
            # Leading words such as "Show", "Compare", "Mme" are not part of the name: drop them.
            while tokens and not self._is_name_word(tokens[0]):
                start += len(tokens[0]) + 1
                tokens = tokens[1:]
            if not tokens or any(not self._is_name_word(t) for t in tokens):
                continue
            before = text[:start]
            previous = _PREVIOUS_WORD.search(before)
            if previous and _plain(previous.group(1).rstrip(".")) in self.titles:
                continue  # "Dr Adams", "docteur Martin": a clinician
            if len(tokens) == 1 and _SENTENCE_START.search(before):
                continue  # one capitalised word opening a sentence is just a capital letter
            plain = [_plain(t) for t in tokens]
            if _covered(plain, own) or _covered(plain, team):
                continue
            names.append(" ".join(tokens))
        return tuple(dict.fromkeys(names))

    @staticmethod
    def mark(folded: str, names: Iterable[str]) -> str:
        """``folded`` with each name's folded form replaced by ``ß`` characters (same length)."""
        out = folded
        for name in names:
            form = fold_term(name).strip()
            if len(form) < 2:
                continue
            # "Sipes's" folds to "sipess": the name is marked, the possessive "s" kept.
            pattern = re.compile(rf"(?<![a-z0-9]){re.escape(form)}(?=s?(?![a-z0-9]))")
            out = pattern.sub(lambda m: NAME_MARK * len(m.group(0)), out)
        return out


def _covered(words: list[str], known: set[str]) -> bool:
    return bool(words) and all(w in known for w in words)
