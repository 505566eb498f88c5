"""Is a matched symptom really the patient's, now? Negation, time and person scoping.

A red-flag phrase matched somewhere in a message is only evidence when it is affirmed ("I have chest
pain"), current ("since this morning", not "as a child") and about the patient or a child in their care
("my son is floppy"), not family history ("my father had a stroke"). These checks are deliberately
local (the sentence and clause around the match) in the spirit of NegEx: cheap, explainable, and easy
to test with look-alikes. They work on text already passed through ``text.normalise``.

When in doubt the checks keep the match: a missed negation costs a more cautious answer, a wrong
negation could cost a life.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise

__all__ = ["Scope", "ScopeResult", "scope_of"]


class Scope(Enum):
    AFFIRMED = "affirmed"
    NEGATED = "negated"
    LONG_AGO = "long_ago"
    OTHER_PERSON = "other_person"  # family history or a past event of another adult
    PAST_EVENT = "past_event"  # a diagnosis name told as history ("I had a stroke")


@dataclass(frozen=True, slots=True)
class ScopeResult:
    scope: Scope
    subject: str  # "self" | "child" | "other"

    @property
    def counts(self) -> bool:
        return self.scope is Scope.AFFIRMED


# Sentences end at strong punctuation or a new line.
_SENTENCE_END = re.compile(r"[.!?;\n]+")
# Clauses also break at commas and at words that turn the story ("but", "now", "today"); a time or
# history marker only scopes its own clause ("had a stroke in 2019, today my arm is weak").
_CLAUSE_BREAK = re.compile(
    r",|:|\b(?:but|however|although|though|whereas|except|now|today|tonight|this morning|"
    r"mais|cependant|pourtant|alors que|sauf|maintenant|aujourd hui|ce matin|ce soir|depuis ce matin)\b"
)

# --- negation -------------------------------------------------------------------------------------
_NEG_CUE = re.compile(
    r"\b(?:no|not|never|without|dont|doesnt|didnt|havent|hasnt|hadnt|isnt|wasnt|arent|werent|"
    r"denies|deny|free of|no longer|nor|none|zero|"
    r"pas|sans|aucun|aucune|jamais|ni|n (?:\w+ )?plus|point de|absence de|^no more)\b"
)
# Phrases that contain a cue word but do not negate what follows (masked before looking for cues).
_PSEUDO_NEG = re.compile(
    r"\b(?:not sure|not certain|dont know|no idea|not only|not just|no one|nothing helps|"
    r"no better|not better|not improving|not getting better|no improvement|not going away|"
    r"not stopping|no matter|not normal|never (?:had|felt|experienced|been) (?:such|anything like|anything this|this|(?:a )?pain like|so|like|as)|"
    r"like never before|pas sur|pas sure|pas certain|je ne sais pas|sais pas|pas normal|pas seulement|"
    r"ne passe pas|ne s arrete pas|pas mieux|ne va pas mieux|ne baisse pas|ne diminue pas|"
    r"jamais eu (?:une|un|aussi|autant|si|de telle|une telle|mal comme)|comme jamais)\b"
)
# Words that end a negation's reach even without punctuation ("no fever and my neck is stiff").
_NEG_RESET = frozenset(
    [
        "but",
        "and",
        "i",
        "im",
        "ive",
        "my",
        "mine",
        "me",
        "he",
        "she",
        "his",
        "her",
        "it",
        "its",
        "now",
        "then",
        "suddenly",
        "also",
        "plus",
        "mais",
        "je",
        "j",
        "mon",
        "ma",
        "mes",
        "il",
        "elle",
        "sa",
        "son",
        "maintenant",
        "puis",
        "aussi",
        "soudain",
        "et_j",
        "et_je",
    ]
)
_LIST_JOIN = re.compile(r"\b(?:or|nor|ou|ni)\b")
_TOKEN = re.compile(r"[a-z0-9°%]+")
_NEG_WINDOW = 6  # tokens between the cue and the symptom

# --- time -----------------------------------------------------------------------------------------
_LONG_AGO = re.compile(
    r"\b(?:as an? (?:child|kid|teen|teenager|baby|toddler|student)|when i was (?:an? )?(?:child|kid|young|little|small|baby|teen|teenager|younger|\d+)|"
    r"in my (?:childhood|youth|teens|twenties)|childhood|\d+ (?:years|yrs|decades) ago|(?:many|several|a few|some|two|three|ten) years ago|"
    r"years back|a long time ago|long ago|last year|(?:in|back in|since) (?:19|20)\d\d|history of|used to|"
    r"quand j etais (?:petit|petite|enfant|jeune|bebe|ado|adolescent|adolescente)|dans mon enfance|enfance|"
    r"etant (?:enfant|petit|petite|jeune)|il y a (?:\d+|deux|trois|dix|plusieurs|quelques|des) (?:ans|annees)|"
    r"l an dernier|l an passe|l annee derniere|l annee passee|en (?:19|20)\d\d|autrefois|antecedents? de|dans le passe|"
    r"at (?:the )?age (?:of )?\d+|aged \d+|at \d+ years old|a l age de \d+ ans|quand (?:j|il|elle) avai[st] \d+ ans|"
    r"(?:epilepsie|convulsions?|crise|avc|infarctus|asthme|operation|opere\w*|fracture|cancer|diagnostique\w*|eu|fait) a \d+ ans)\b"
)
# Telling a diagnosis as history: "I had a stroke", "j'ai fait un AVC" (unless it was just now).
_PAST_DX = re.compile(
    r"\b(?:had|have had|ive had|was diagnosed|been diagnosed|survived|recovered from|"
    r"j ai eu|j ai fait|j avais|a eu|avait eu|a fait|on m a diagnostique|suite a)\b"
)
_RECENT = re.compile(
    r"\b(?:today|this morning|this afternoon|this evening|tonight|just|right now|now|an hour|"
    r"\d+ (?:minutes?|mins?|hours?|hrs?) ago|yesterday|last night|currently|again|"
    r"aujourd hui|ce matin|cet apres midi|ce soir|cette nuit|hier|tout a l heure|a l instant|vient|"
    r"viens|maintenant|en ce moment|il y a (?:\d+|une|deux) (?:minutes?|heures?)|de nouveau|encore|"
    # unsure about something that may be happening: a worry, not a history
    r"i think|think i|might have|may have|could have|maybe|worried|wonder|scared|afraid|"
    r"je crois|je pense|peut etre|j ai peur|on dirait|inquiet\w*)\b"
)

# --- person ---------------------------------------------------------------------------------------
_CHILD = (
    r"(?:son|daughter|baby|babys|child|childs|kid|kids|toddler|newborn|infant|little one|little boy|little girl|"
    r"boy|girl|grandson|granddaughter|children|twins?)"
)
_CHILD_FR = (
    r"(?:fils|fille|bebe|enfant|petit|petite|nourrisson|nouveau ne|petit fils|petite fille|garcon|"
    r"enfants|jumeaux|jumelles|bambin|tout petit)"
)
_ADULT = (
    r"(?:father|dad|daddy|mother|mum|mom|mommy|mummy|parents?|brother|sister|grandfather|grandmother|grandma|"
    r"grandpa|granddad|grandad|nan|nana|uncle|aunt|auntie|cousin|husband|wife|partner|boyfriend|girlfriend|"
    r"friend|neighbour|neighbor|colleague|coworker|roommate|flatmate|family|relative|relatives)"
)
_ADULT_FR = (
    r"(?:pere|papa|mere|maman|parents|frere|soeur|grand pere|grand mere|papi|papy|mamie|oncle|tante|cousin|"
    r"cousine|mari|femme|epoux|epouse|compagnon|compagne|conjoint|conjointe|copain|copine|ami|amie|voisin|"
    r"voisine|collegue|famille|colocataire)"
)
_SUBJECT = re.compile(
    rf"\b(?:(?P<child>(?:my|our|the|his|her) (?:\w+ )?{_CHILD}|(?:mon|ma|mes|notre|nos|le|la|son|sa) (?:\w+ )?{_CHILD_FR})"
    rf"|(?P<other>(?:my|our|his|her) (?:\w+ )?{_ADULT}|(?:mon|ma|mes|notre|nos|son|sa|ses) (?:\w+ )?{_ADULT_FR}|he|she|they|his|her|him|"
    rf"il(?! y a| faut| me semble| parait| s agit| fait (?:chaud|froid|beau))|elle|ils|elles|lui)"
    rf"|(?P<self>i|im|ive|me|myself|je|j|moi|m))\b"
)
_FAMILY_HISTORY = re.compile(
    r"\b(?:family history|runs in (?:my|the|our) family|in (?:my|our|the) family|hereditary|genetic|"
    r"antecedents? familiaux|antecedents? familial|dans (?:ma|la|notre) famille|hereditaire|genetique)\b"
)
_OTHER_PAST = re.compile(
    r"\b(?:had|has had|died|passed away|suffered|history|diagnosed|ago|used to|"
    r"a eu|avait|avait eu|a fait|a ete|est mort|est morte|est decede|est decedee|decede|decedee|"
    r"mort|morte|il y a (?:\d+|deux|trois|quelques|plusieurs|des|longtemps)|a souffert)\b"
)
_OTHER_NOW = re.compile(
    r"\b(?:right now|now|just|currently|is having|keeps|suddenly|this morning|today|tonight|"
    r"maintenant|en ce moment|vient de|est en train|d un coup|soudain|ce matin|aujourd hui|ce soir)\b"
)


def _span(breaks: re.Pattern[str], text: str, start: int, end: int) -> tuple[int, int]:
    """The [begin, finish) span of the segment (sentence or clause) containing text[start:end]."""
    begin = 0
    for m in breaks.finditer(text, 0, start):
        begin = m.end()
    nxt = breaks.search(text, end)
    return begin, (nxt.start() if nxt else len(text))


def _masked(text: str) -> str:
    return _PSEUDO_NEG.sub(lambda m: " " * len(m.group()), text)


def _negated(sentence: str, rel_start: int) -> bool:
    """Is there a negation cue before the match whose reach extends to it?"""
    prefix = _masked(sentence[:rel_start])
    cue = None
    for cue in _NEG_CUE.finditer(prefix):  # noqa: B007 - we want the last cue
        pass
    if cue is None:
        return False
    between = prefix[cue.end() :]
    if "," in between or ":" in between:
        # "no fever, cough or headache" is still a list under the negation; "not eating, chest pain" is not.
        after_comma = between.rsplit(",", 1)[-1]
        if not _LIST_JOIN.search(after_comma) and not _LIST_JOIN.search(sentence[rel_start : rel_start + 40]):
            return False
    tokens = _TOKEN.findall(between)
    if len(tokens) > _NEG_WINDOW:
        return False
    pairs = {f"{a}_{b}" for a, b in pairwise(tokens)}
    return not any(t in _NEG_RESET for t in tokens) and not (pairs & _NEG_RESET)


def _subject(sentence: str, rel_start: int) -> str:
    last = None
    for last in _SUBJECT.finditer(sentence, 0, rel_start):  # noqa: B007 - we want the last subject
        pass
    if last is None:
        return "self"
    if last.group("child"):
        return "child"
    if last.group("other"):
        return "other"
    return "self"


def scope_of(text: str, start: int, end: int, *, history_sensitive: bool = False) -> ScopeResult:
    """Scope of the match text[start:end] in a normalised message."""
    s_begin, s_end = _span(_SENTENCE_END, text, start, end)
    sentence = text[s_begin:s_end]
    rel = start - s_begin
    subject = _subject(sentence, rel)
    if _negated(sentence, rel):
        return ScopeResult(Scope.NEGATED, subject)
    c_begin, c_end = _span(_CLAUSE_BREAK, text, start, end)
    clause = text[max(c_begin, s_begin) : min(c_end, s_end)]
    if _LONG_AGO.search(clause):
        return ScopeResult(Scope.LONG_AGO, subject)
    if _FAMILY_HISTORY.search(sentence):
        return ScopeResult(Scope.OTHER_PERSON, subject)
    if subject == "other" and _OTHER_PAST.search(clause) and not _OTHER_NOW.search(sentence):
        return ScopeResult(Scope.OTHER_PERSON, subject)
    if history_sensitive and _PAST_DX.search(clause) and not _RECENT.search(sentence):
        return ScopeResult(Scope.PAST_EVENT, subject)
    return ScopeResult(Scope.AFFIRMED, subject)
