"""The one matching form of a message: every lexicon, rule and offset of the stage works on it.

Patients type fast, on phones, with or without accents, in English or French. The folded form is lower
case, accents and ligatures folded, apostrophes unified (English contractions lose theirs: "can't" →
"cant"; a French elision becomes a space: "j'ai" → "j ai"), a decimal comma between digits read as a
point ("39,5" → "39.5"), "°" kept for temperatures, a few medically meaningful emoji spelled out, and
frequent misspellings corrected from a data table (``data/spelling.yaml``). Lexicon authors write their
terms in the same form (the loader folds them too), so "fièvre", "FIEVRE" and "fiévre" are one word.

Offsets of an ``Understanding`` point into the folded text. It is the same length as nothing else, so
it is returned whole and every later step slices it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from assistant.schemas import Language
from assistant.understanding.normalise import clean_message
from fhir_client.yaml_data import load_yaml

__all__ = ["SpellingTable", "clean", "detect_language", "fold", "fold_term"]

DATA_DIR = Path(__file__).parent / "data"


def clean(text: str) -> str:
    """What the patient wrote, minus invisible and control characters (``normalise.clean_message``: the
    one cleaning every interface does at the door)."""
    return clean_message(text)


_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"}
)
_EN_CONTRACTION = re.compile(r"(?<=[a-z])'(?=(?:t|m|s|re|ve|ll|d)\b)")
_APOSTROPHE = re.compile(r"'")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
# Keep letters, digits and the symbols the stage reads (°, %, ., ,, ;, :, !, ?, /, -, +, newline).
_JUNK = re.compile(r"[^a-z0-9°%.,;:!?/\-+\n ]+")
_SPACES = re.compile(r"[ \t\f\v]+")
_HYPHEN_IN_WORD = re.compile(r"(?<=[a-z])-(?=[a-z])")
# Letters repeated for emphasis ("soooo", "painnnn") become two, then the spelling table fixes the word.
_REPEATS = re.compile(r"([a-z])\1{2,}")


def _fold_chars(text: str) -> str:
    text = text.translate(_LIGATURES)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_term(term: str) -> str:
    """Fold a lexicon term the way messages are folded, without the spelling table (authors' own words)."""
    text = _fold_chars(term.lower())
    text = _EN_CONTRACTION.sub("", text)
    return _APOSTROPHE.sub(" ", text)


@dataclass(frozen=True)
class SpellingTable:
    """Misspellings → corrections per language, and emoji → words, whole-word, applied after folding.

    Each language's table applies to messages in that language only: an English correction must not
    rewrite a French word ("insuline", "vaccin" are French, not misspelt English).
    """

    by_language: Mapping[str, Mapping[str, str]]
    emoji: Mapping[str, str]
    # texting shortcuts that are words only in context ("c combien" → "c est combien", but "c est" stays)
    contextual: Mapping[str, tuple[tuple[re.Pattern[str], str], ...]] = field(default_factory=dict)

    @classmethod
    @cache
    def load(cls, path: Path = DATA_DIR / "spelling.yaml") -> SpellingTable:
        raw = load_yaml(path.read_text(encoding="utf-8")) or {}
        by_language: dict[str, dict[str, str]] = {}
        for lang in ("en", "fr"):
            by_language[lang] = {
                fold_term(str(wrong)): fold_term(str(right))
                for wrong, right in (raw.get("words", {}).get(lang) or {}).items()
            }
        emoji = {str(k): f" {v} " for k, v in (raw.get("emoji") or {}).items()}
        contextual = {
            lang: tuple(
                (re.compile(str(rule["pattern"])), str(rule["replacement"]))
                for rule in (raw.get("contextual", {}).get(lang) or [])
            )
            for lang in ("en", "fr")
        }
        return cls(by_language, emoji, contextual)

    def words(self, language: Language) -> Mapping[str, str]:
        return self.by_language.get(language, {})

    def pattern(self, language: Language) -> re.Pattern[str] | None:
        return _word_pattern(tuple(sorted(self.words(language), key=len, reverse=True)))


@cache
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(w) for w in words) + r")(?![a-z0-9])")


def fold(text: str, spelling: SpellingTable | None = None, language: Language | None = None) -> str:
    """The matching form of ``text`` (see module docstring), with the spelling table of ``language``
    (of the language the text reads as when not given). Idempotent."""
    table = spelling or SpellingTable.load()
    for symbol, spelled in table.emoji.items():
        if symbol in text:
            text = text.replace(symbol, spelled)
    text = _fold_chars(clean(text).lower())
    text = _EN_CONTRACTION.sub("", text)
    text = _APOSTROPHE.sub(" ", text)
    text = _DECIMAL_COMMA.sub(".", text)
    text = _JUNK.sub(" ", text)
    text = _HYPHEN_IN_WORD.sub(" ", text)
    text = _REPEATS.sub(r"\1\1", text)
    lang: Language = language or detect_language(text)
    pattern = table.pattern(lang)
    if pattern is not None:
        words = table.words(lang)
        text = pattern.sub(lambda m: words[m.group()], text)
    for rule, replacement in table.contextual.get(lang, ()):
        text = rule.sub(replacement, text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


# --- language -------------------------------------------------------------------------------------

_FR_WORDS = frozenset(
    [
        "je",
        "j",
        "ai",
        "suis",
        "mon",
        "ma",
        "mes",
        "est",
        "et",
        "les",
        "des",
        "une",
        "un",
        "pas",
        "de",
        "du",
        "la",
        "le",
        "il",
        "elle",
        "nous",
        "vous",
        "depuis",
        "avec",
        "sans",
        "tres",
        "mal",
        "fievre",
        "tete",
        "ventre",
        "douleur",
        "bebe",
        "fils",
        "fille",
        "qu",
        "que",
        "quoi",
        "pourquoi",
        "comment",
        "aujourd",
        "hui",
        "hier",
        "rendez",
        "merci",
        "bonjour",
        "peux",
        "puis",
        "dois",
        "ne",
        "plus",
        "toujours",
        "ca",
        "cela",
        "c",
        "au",
        "aux",
        "sur",
        "dans",
        "vais",
        "veux",
        "voudrais",
        "ce",
        "cette",
        "ces",
        "soir",
        "matin",
        "nuit",
        "se",
        "te",
        "tu",
        "on",
        "mais",
        "ou",
        "donc",
        "car",
        "oui",
        "non",
        "bien",
        "trop",
        "beaucoup",
        "rien",
        "tout",
        "quand",
        "leur",
        "mari",
        "femme",
        "pere",
        "mere",
        "jambe",
        "bras",
        "oreille",
        "gorge",
        "dos",
        "yeux",
        "oeil",
        "sang",
        "coeur",
        "rdv",
        "medecin",
        "medicaments",
        "ordonnance",
        "salut",
        "coucou",
        "svp",
        "stp",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "combien",
        "dernier",
        "derniere",
        "analyse",
        "prise",
        "sucre",
        "tension",
        "avoir",
        "etre",
        "fait",
        "faire",
        "mois",
        "ans",
        "semaine",
        "semaines",
        "jours",
        "jour",
    ]
)
_EN_WORDS = frozenset(
    [
        "i",
        "im",
        "ive",
        "my",
        "me",
        "is",
        "and",
        "the",
        "a",
        "an",
        "of",
        "to",
        "have",
        "has",
        "had",
        "with",
        "without",
        "no",
        "not",
        "it",
        "its",
        "this",
        "that",
        "pain",
        "hurts",
        "since",
        "for",
        "in",
        "on",
        "at",
        "can",
        "cant",
        "what",
        "when",
        "how",
        "why",
        "today",
        "yesterday",
        "appointment",
        "thanks",
        "hello",
        "please",
        "feel",
        "feeling",
        "been",
        "was",
        "were",
        "are",
        "do",
        "does",
        "did",
        "dont",
        "doesnt",
        "got",
        "get",
        "he",
        "she",
        "his",
        "her",
        "they",
        "their",
        "you",
        "your",
        "hi",
        "hey",
        "thank",
        "much",
        "about",
        "last",
        "since",
        "week",
        "weeks",
        "days",
        "day",
        "months",
        "years",
        "ago",
        "would",
        "should",
        "could",
        "will",
        "just",
        "really",
        "very",
        "so",
        "but",
        "or",
        "if",
        "any",
        "some",
        "sugar",
        "blood",
        "pressure",
        "meds",
        "doctor",
    ]
)
_ACCENTED = re.compile(r"[àâäçéèêëîïôöùûüÿœ]", re.IGNORECASE)


def detect_language(text: str, default: Language = "en") -> Language:
    """English or French, by function words (accents count for French); ``default`` on a tie."""
    folded = _fold_chars(text.lower())
    words = re.findall(r"[a-z]+", _APOSTROPHE.sub(" ", folded))
    fr = sum(1 for w in words if w in _FR_WORDS) + 2 * len(_ACCENTED.findall(text))
    en = sum(1 for w in words if w in _EN_WORDS)
    if fr > en:
        return "fr"
    if en > fr:
        return "en"
    return default
