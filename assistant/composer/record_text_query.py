"""The text entry point of record answers, kept until the router passes the understanding stage's
``RecordQuery``: reads a message (and the previous record question, for follow-ups) into a ``RecordQuery``.

This is deliberately the same contract the stage's reader fills (``assistant/understanding/model.py``):
concept ids of the concept map as ``targets`` (groups kept whole: "kidney_tests"), kinds of entry as
``categories``, the patient's own words as ``terms`` (so a medicine the concept map does not know, but the
record names, is still found), a ``period`` and an ``offset``. Word lists are data
(``data/intents.yaml``, en + fr). Nothing here decides what the answer says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.composer.intents import Intents
from assistant.understanding.model import Period, RecordQuery, RecordQueryKind
from retrieval import ConceptMap
from retrieval.concepts import Concept, normalize
from retrieval.query_dates import date_hint

# Kinds of entry the answers know, and the intent word list that names each.
CATEGORY_LISTS = {
    "allergies": "allergies",
    "medications": "medications",
    "conditions": "conditions",
    "vaccines": "vaccines",
    "visits": "visits",
    "procedures": "procedures",
    "devices": "devices",
    "tests": "tests",
    "billing": "billing",
    "care_plans": "care_plans",
    "goals": "goals",
    "demographics": "demographics",
}
# Words that carry no name of a thing: never used as search terms.
_STOP = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "ago",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "anything",
        "are",
        "as",
        "ask",
        "at",
        "back",
        "be",
        "been",
        "before",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "doc",
        "doctor",
        "done",
        "down",
        "during",
        "each",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "know",
        "last",
        "latest",
        "like",
        "made",
        "make",
        "many",
        "me",
        "mine",
        "more",
        "most",
        "much",
        "my",
        "myself",
        "need",
        "no",
        "not",
        "now",
        "of",
        "off",
        "ok",
        "okay",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "please",
        "record",
        "records",
        "right",
        "said",
        "same",
        "says",
        "see",
        "seen",
        "she",
        "should",
        "so",
        "some",
        "still",
        "such",
        "tell",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "thing",
        "things",
        "this",
        "those",
        "through",
        "time",
        "times",
        "to",
        "too",
        "told",
        "up",
        "us",
        "very",
        "was",
        "way",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "yes",
        "you",
        "your",
        "yours",
        "test",
        "tests",
        "result",
        "results",
        "level",
        "levels",
        "value",
        "values",
        "number",
        "numbers",
        "ever",
        "since",
        "year",
        "years",
        "month",
        "months",
        "day",
        "days",
        "week",
        "weeks",
        "recent",
        "recently",
        "most",
        "latest",
        "current",
        "currently",
        "total",
        "file",
        "files",
        "chart",
        "mum",
        "mom",
        "dad",
        "father",
        "mother",
        "daughter",
        "son",
        "husband",
        "wife",
        "she's",
        "he's",
        "i'm",
        "i've",
        "don't",
        "didn't",
        "wasn't",
        "isn't",
        "honestly",
        "really",
        "think",
        "thought",
        "remember",
        "lol",
        "pretty",
        "kind",
        "sort",
        "bit",
        "lot",
        "lots",
        "thanks",
        "thank",
        "hi",
        "hey",
        "hello",
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "d",
        "l",
        "au",
        "aux",
        "et",
        "ou",
        "mais",
        "donc",
        "or",
        "ni",
        "car",
        "je",
        "j",
        "tu",
        "il",
        "elle",
        "on",
        "nous",
        "vous",
        "ils",
        "elles",
        "me",
        "m",
        "te",
        "t",
        "se",
        "s",
        "mon",
        "ma",
        "mes",
        "ton",
        "ta",
        "tes",
        "son",
        "sa",
        "ses",
        "notre",
        "nos",
        "votre",
        "vos",
        "leur",
        "leurs",
        "ce",
        "cet",
        "cette",
        "ces",
        "qui",
        "que",
        "qu",
        "quoi",
        "dont",
        "ou",
        "quand",
        "comment",
        "pourquoi",
        "combien",
        "est",
        "sont",
        "etait",
        "etaient",
        "ai",
        "as",
        "a",
        "avons",
        "avez",
        "ont",
        "eu",
        "ete",
        "fait",
        "faire",
        "avoir",
        "etre",
        "pas",
        "ne",
        "plus",
        "tres",
        "bien",
        "aussi",
        "encore",
        "deja",
        "toujours",
        "dernier",
        "derniere",
        "derniers",
        "dernieres",
        "fois",
        "annee",
        "ans",
        "mois",
        "jour",
        "jours",
        "semaine",
        "depuis",
        "avant",
        "apres",
        "pendant",
        "dans",
        "sur",
        "sous",
        "avec",
        "sans",
        "pour",
        "par",
        "en",
        "y",
        "ca",
        "cela",
        "c",
        "ceci",
        "celui",
        "celle",
        "dossier",
        "resultat",
        "resultats",
        "valeur",
        "taux",
        "niveau",
        "merci",
        "bonjour",
        "salut",
    ]
)
_WORD = re.compile(r"[a-z][a-z'-]{2,}")


@dataclass(frozen=True)
class TextQueryReader:
    """Reads one message into a ``RecordQuery`` (or ``None`` when it is not about the record).

    ``vocabulary`` is the record's own words (entry names, coded values): a question that names something
    only the record knows ("the peanut result", "my clopidogrel") is still read as a record question."""

    concepts: ConceptMap
    intents: Intents
    vocabulary: frozenset[str] = frozenset()

    def read(self, text: str, previous: RecordQuery | None = None) -> RecordQuery | None:
        intents = self.intents
        whole = text
        focus = question_part(text, self._asks)
        named = self.concepts.find_named(focus)
        categories = self._categories(focus)
        terms = tuple(self._terms(focus))
        record_terms = tuple(t for t in terms if t in self.vocabulary)
        text = focus
        if not named and not categories:
            if record_terms:
                terms = record_terms  # the question names something the record holds ("the peanut result")
            else:
                # The question points back ("what was it at my last checkup?"): the first thing the message
                # names is what it asks about.
                named = self._first_named(whole)
                categories = self._categories(whole)
                if not named and not categories and not self._asks(focus):
                    text = whole
                    terms = tuple(self._terms(whole))
        asks_value = not intents.has(focus, "purpose") and (
            intents.has(focus, "value_words") or intents.has(focus, "previous") or bool(date_hint(focus))
        )
        if asks_value and not any(c.kind in ("test", "vital", "group") for c in named):
            # "What was it at my last checkup?" — the value of what the message named before.
            earlier = [self._measure_of(c) for c in self._first_named(whole)]
            if earlier and earlier[0].kind in ("test", "vital", "group"):
                named = earlier
        if named and asks_value:
            named = [self._measure_of(c) for c in named]
        targets = tuple(dict.fromkeys(c.key for c in named))
        hint = date_hint(text)
        period = (
            Period(start=hint.start, end=hint.end)
            if hint is not None and (hint.start is not None or hint.end is not None)
            else None
        )
        followup = previous is not None and self._is_followup(focus, targets, categories, terms)
        if followup and previous is not None:
            targets = targets or previous.targets
            categories = categories or previous.categories
            terms = terms if (targets or categories) and not previous.terms else (terms or previous.terms)
        asks_record = (
            bool(targets or categories or record_terms)
            or intents.has(text, "record_words")
            or intents.has(text, "record_question")
            or followup
        )
        if not asks_record:
            return None
        kind = self._kind(text, targets, categories, period, followup, previous, bool(record_terms))
        if kind is None:
            return None
        offset = 1 if kind == RecordQueryKind.PREVIOUS else 0
        if followup and previous is not None and kind == RecordQueryKind.PREVIOUS:
            if previous.kind == RecordQueryKind.PREVIOUS:
                offset = previous.offset + 1
            period = period or previous.period
        return RecordQuery(
            kind=kind,
            targets=targets,
            categories=categories,
            terms=terms,
            period=period,
            offset=offset,
            followup=followup,
        )

    def _categories(self, text: str) -> tuple[str, ...]:
        return tuple(cat for cat, words in CATEGORY_LISTS.items() if self.intents.has(text, words))

    def _first_named(self, text: str) -> list[Concept]:
        """The concept named first in ``text`` (a pronoun later in the message refers to it)."""
        named = self.concepts.find_named(text)
        if len(named) <= 1:
            return named
        folded = f" {normalize(text)} "

        def where(concept: Concept) -> int:
            spots = [folded.find(f" {normalize(w)} ") for w in (*concept.words, concept.en, concept.fr)]
            found = [i for i in spots if i >= 0]
            return min(found) if found else len(folded)

        return [min(named, key=where)]

    def _measure_of(self, concept: Concept) -> Concept:
        """For a value question, a condition stands for its measurement (high blood pressure → blood pressure)."""
        if concept.kind == "condition" and concept.measure:
            return self.concepts.get(concept.measure) or concept
        return concept

    def _asks(self, text: str) -> bool:
        return any(
            self.intents.has(text, name)
            for name in (
                "count",
                "still_on",
                "ever_had",
                "previous",
                "last_visit",
                "latest",
                "value_words",
                "meaning",
            )
        )

    def _kind(
        self,
        text: str,
        targets: tuple[str, ...],
        categories: tuple[str, ...],
        period: Period | None,
        followup: bool,
        previous: RecordQuery | None,
        record_terms: bool = False,
    ) -> RecordQueryKind | None:
        has = self.intents.has
        kinds = {self.concepts.get(t).kind for t in targets if self.concepts.get(t) is not None}  # type: ignore[union-attr]
        measured = bool(kinds & {"test", "vital"}) or any(
            m.kind in ("test", "vital")
            for t in targets
            if (c := self.concepts.get(t)) is not None and c.is_group
            for m in self.concepts.expand(t)
        )
        if has(text, "previous"):
            return RecordQueryKind.PREVIOUS
        if (
            has(text, "still_on")
            and not measured
            and ("medications" in categories or "medicine" in kinds or not kinds)
        ):
            return RecordQueryKind.STILL_ON
        if has(text, "count"):
            return RecordQueryKind.COUNT
        if "allergies" in categories and not measured:
            return RecordQueryKind.LIST
        if not measured and (
            has(text, "last_visit")
            or (
                "visits" in categories
                and not targets
                and (has(text, "latest") or has(text, "record_question"))
            )
        ):
            return RecordQueryKind.LAST_VISIT
        if (
            has(text, "missing")
            and "vaccines" in categories
            and not (kinds & {"vaccine"} and has(text, "ever_had"))
        ):
            return RecordQueryKind.DUE
        if record_terms and not targets and not categories:
            return (
                RecordQueryKind.LATEST
                if (has(text, "value_words") or has(text, "latest"))
                else RecordQueryKind.EVER_HAD
            )
        if has(text, "trend") and measured:
            return RecordQueryKind.TREND
        if period is not None and (measured or not targets) and not has(text, "ever_had"):
            return RecordQueryKind.VALUE_AT if measured else RecordQueryKind.LIST
        if has(text, "ever_had") and not measured:
            return RecordQueryKind.EVER_HAD
        if has(text, "meaning") and measured:
            return RecordQueryKind.MEANING
        if has(text, "out_of_range") and measured and not has(text, "latest"):
            return RecordQueryKind.OUT_OF_RANGE
        if measured:
            return RecordQueryKind.LATEST
        if kinds & {"condition", "procedure", "vaccine", "device"}:
            if has(text, "latest") and not has(text, "ever_had"):
                return RecordQueryKind.LATEST
            return RecordQueryKind.EVER_HAD
        if kinds & {"medicine", "group"}:
            return RecordQueryKind.STILL_ON
        if categories:
            return RecordQueryKind.LIST
        if followup and previous is not None:
            if has(text, "latest") or re.search(r"\b(when|quand)\b", normalize(text)):
                return RecordQueryKind.LATEST
            return previous.kind
        return RecordQueryKind.SEARCH

    def _is_followup(
        self, text: str, targets: tuple[str, ...], categories: tuple[str, ...], terms: tuple[str, ...]
    ) -> bool:
        words = normalize(text).split()
        short = len(words) <= 9
        if not short:
            return False
        if not targets and not categories:
            return True
        return self.intents.has(text, "followup") and not terms and words[0] in ("and", "et", "what", "how")

    def _terms(self, text: str) -> list[str]:
        """The message's own content words (names the concept map may not know: "clopidogrel", "Lasix")."""
        out: list[str] = []
        for word in _WORD.findall(normalize(text)):
            word = word.strip("'-")
            if word in _STOP or len(word) < 4 or word in out:
                continue
            out.append(word)
        return out[:12]


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# Openings that ask even without a question mark ("can you tell me…", "quel est…"); "when", "did"… also
# open statements ("When Daisey was 9 months old they…") and count only with a question mark.
_ASKING = re.compile(
    r"^(?:so |ok |okay |and |but |also |anyway |bonjour |alors |et |mais |du coup )?"
    r"(?:what is|what was|what are|what were|what did|which|how many|how much|can you|could you|would you|"
    r"tell me|show me|please list|list|quel|quelle|quels|quelles|combien|est-ce que|est ce que|c'est quoi|"
    r"c'etait combien|pouvez-vous|pourriez-vous|peux-tu|dites-moi|donnez-moi|je voudrais savoir)\b"
)


def question_part(text: str, asks: Callable[[str], bool] | None = None) -> str:
    """The sentences that ask (a question mark, or an opening question word) and the last one, joined: in a
    long message the history comes first and the question last ("…my wife keeps nagging me. What was my
    cholesterol?")."""
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    if len(sentences) <= 1:
        return text
    asking = [s for s in sentences if s.endswith("?") or _ASKING.match(normalize(s))]
    last = sentences[-1]
    if last not in asking and (not asking or (asks is not None and asks(last))):
        asking.append(last)  # the request usually ends the message, with or without "?"
    return " ".join(asking)


__all__ = ["TextQueryReader", "question_part"]
