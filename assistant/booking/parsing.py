"""Reading scheduling requests and answers in English and French, without a language model.

Booking must work offline and must never act on a guess, so this is deliberately plain: keyword and
pattern tables a reviewer can read. A message that matches nothing clearly is "ambiguous", and the
flow then asks rather than acts. Times and day words are resolved in the patient's time zone.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Intent = Literal["book", "cancel", "reschedule", "upcoming"]
TimeOfDay = Literal["morning", "afternoon", "evening"]


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes unified: "Déplace-le à jeudi" → "deplace-le a jeudi"."""
    text = text.replace("’", "'").replace("œ", "oe").lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _any(patterns: Sequence[str], text: str) -> bool:
    return any(re.search(p, text) for p in patterns)


# -- what kind of message ------------------------------------------------------------------------

_UPCOMING = (
    r"\b(when|what time)\b.*\b(next|upcoming|my)\b.*\bappointments?\b",
    r"\b(next|upcoming)\s+appointments?\b",
    r"\bmy appointments\b",
    r"\bdo i have (an|any) appointments?\b",
    r"\b(quand|c'est quand)\b.*\b(prochain|mon)\b.*\brendez-vous\b",
    r"\bprochains? (rendez-vous|rdv)\b",
    r"\bmes (rendez-vous|rdv)\b",
    r"\bai-je (un|des) (rendez-vous|rdv)\b",
)
_CANCEL = (
    r"\bcancel+\b",
    r"\bcall off\b",
    r"\bannul\w*",
    r"\bdecommand\w*",
)
_RESCHEDULE = (
    r"\breschedul\w*",
    r"\b(move|shift|change|push)\b.*\b(it|appointment|that|booking)\b",
    r"\b(move|shift|push) (it|my)\b",
    r"\bdeplace\w*",
    r"\bdecale\w*",
    r"\breporte\w*",
    r"\bchanger? (de |mon |le )?(rendez-vous|rdv|creneau|horaire)",
)
_BOOK = (
    r"\bappointments?\b",
    r"\bappt\b",
    r"\bbook(ing)?\b",
    r"\bschedule\b",
    r"\bslots?\b",
    r"\bsee (someone|somebody|a doctor|a gp|the doctor|the gp|a nurse|a specialist|dr\b)",
    r"\bconsultation\b",
    r"\bcheck-?up\b",
    r"\brendez-vous\b",
    r"\brdv\b",
    r"\bcreneaux?\b",
    r"\breserver\b",
    r"\bprendre (un )?rendez",
    r"\bvoir (quelqu'un|un medecin|le medecin|un generaliste|une infirmiere|un specialiste|le docteur)",
    r"\bconsulter\b",
)


def intent_of(text: str) -> Intent | None:
    """The scheduling intent of a message, or None when it is not about appointments."""
    t = fold(text)
    if _any(_UPCOMING, t):
        return "upcoming"
    if _any(_CANCEL, t) and (_any(_BOOK, t) or re.search(r"\b(it|that|ca|le|la)\b", t)):
        return "cancel"
    if _any(_RESCHEDULE, t):
        return "reschedule"
    if _any(_BOOK, t):
        return "book"
    return None


# -- yes / no ------------------------------------------------------------------------------------

_YES = (
    r"^(yes|yeah|yep|yup|sure|ok|okay|correct|confirm(ed)?|please do|go ahead|sounds good|that'?s fine|fine)\b",
    r"\b(yes|please book|book it|confirm|go ahead)\b",
    r"^(oui|ouais|d'accord|dac|ok|parfait|volontiers|entendu|ca marche|c'est bon|vas-y|allez-y)\b",
    r"\b(oui|je confirme|confirmez|confirme|reservez|reserve-le|reservez-le)\b",
)
_NO = (
    r"^(no|nope|nah|never ?mind|not now|don'?t|do not|stop)\b",
    r"\b(no thanks|no thank you|don'?t book|do not book|not that one|none of (them|these))\b",
    r"^(non|pas maintenant|laisse tomber|laissez tomber|finalement non|aucun)\b",
    r"\b(non merci|ne reservez pas|ne pas reserver|aucun de)\b",
)
# Words that turn a yes into something that needs a question back.
_HEDGE = (
    r"\?",
    r"\b(but|maybe|perhaps|not sure|i think|later|instead|other|another|wait)\b",
    r"\b(mais|peut-etre|pas sur|je pense|plus tard|autre|plutot|attends?)\b",
)


def hedges(text: str) -> bool:
    """ "maybe", "not sure", "plus tard": an unclear answer, never a yes."""
    return _any(_HEDGE[1:], fold(text))


def answer_of(text: str) -> Literal["yes", "no"] | None:
    """A clear yes, a clear no, or None (ambiguous, or something else)."""
    t = fold(text).strip()
    no = _any(_NO, t)
    yes = _any(_YES, t)
    if no and not yes:
        return "no"
    if yes and not no and not _any(_HEDGE, t):
        return "yes"
    return None


# -- which service -------------------------------------------------------------------------------

#: topic → (words in the patient's message, words that name the matching clinic service)
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "diabetes": (
        ("diabet", "sugar", "glucose", "insulin", "endocrin", "thyroid", "sucre", "glycemi", "thyroid"),
        ("diabet", "endocrin"),
    ),
    "cardiology": (
        ("heart", "cardi", "palpitation", "coeur"),
        ("cardio",),
    ),
    "nurse": (
        ("nurse", "blood test", "dressing", "vaccin", "jab", "infirmi", "prise de sang", "pansement"),
        ("nurse", "infirmi"),
    ),
    "paediatrics": (
        (
            "my child",
            "my son",
            "my daughter",
            "my baby",
            "paediatr",
            "pediatr",
            "enfant",
            "bebe",
            "fils",
            "fille",
        ),
        ("paediatr", "pediatr"),
    ),
    "mental_health": (
        ("mental", "anxiety", "anxious", "depress", "psych", "anxi", "moral", "sante mentale"),
        ("mental", "psych"),
    ),
    "video": (
        ("video", "online", "remote", "teleconsult", "en ligne", "a distance", "visio"),
        ("video", "telehealth", "teleconsult"),
    ),
    "general": (
        ("gp", "doctor", "physician", "medecin", "generaliste", "docteur"),
        ("general practice", "medecine generale"),
    ),
}


def topic_of(text: str) -> str | None:
    t = fold(text)
    for topic, (words, _) in TOPICS.items():
        if any(re.search(rf"\b{re.escape(w)}", t) for w in words):
            return topic
    return None


# -- when ----------------------------------------------------------------------------------------

WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
}
MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
_MONTH_RE = "|".join(MONTHS)
_WEEKDAY_RE = "|".join(WEEKDAYS)


@dataclass(frozen=True)
class When:
    """Days and time asked for: a date window (local dates, end exclusive), part of day, clock time."""

    first_day: dt.date | None = None
    last_day: dt.date | None = None  # exclusive
    weekday: int | None = None
    time_of_day: TimeOfDay | None = None
    clock: tuple[int, int] | None = None  # (hour, minute)

    @property
    def empty(self) -> bool:
        return self.first_day is None and self.time_of_day is None and self.clock is None

    def window(self, tz: dt.tzinfo) -> tuple[dt.datetime | None, dt.datetime | None]:
        start = dt.datetime.combine(self.first_day, dt.time(0, 0), tz) if self.first_day else None
        end = dt.datetime.combine(self.last_day, dt.time(0, 0), tz) if self.last_day else None
        return start, end


def time_of_day_of(t: str) -> TimeOfDay | None:
    if re.search(r"\b(mornings?|matin(s|ee|ees)?)\b", t):
        return "morning"
    if re.search(r"\b(afternoons?|apres-midi|apres midi|aprem)\b", t):
        return "afternoon"
    if re.search(r"\b(evenings?|tonight|after work|soir(s|ee|ees)?|apres le travail)\b", t):
        return "evening"
    return None


_CLOCK_PATTERNS = (
    r"\b(?:at|a|vers|for|pour)\s+(\d{1,2})(?:(?::|h|\s*h\s*)(\d{2})?)?\s*(am|pm)?\b",
    r"\b(\d{1,2})(?::(\d{2}))\s*(am|pm)?\b",
    r"\b(\d{1,2})\s*h\s*(\d{2})?\b",
    r"\b(\d{1,2})\s*(am|pm)\b",
)


def clock_of(t: str) -> tuple[int, int] | None:
    """ "at 9", "9:30", "9h30", "à 14 h", "2pm" → (hour, minute)."""
    for pattern in _CLOCK_PATTERNS:
        m = re.search(pattern, t)
        if not m:
            continue
        groups = [g for g in m.groups()]
        hour = int(groups[0])
        minute = 0
        suffix = None
        for g in groups[1:]:
            if g is None:
                continue
            if g.isdigit():
                minute = int(g)
            elif g in ("am", "pm"):
                suffix = g
        if suffix == "pm" and hour < 12:
            hour += 12
        if suffix == "am" and hour == 12:
            hour = 0
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return hour, minute
    return None


def when_of(text: str, today: dt.date) -> When:
    """Resolve day words against ``today`` (the patient's local date)."""
    t = fold(text)
    first: dt.date | None = None
    last: dt.date | None = None
    weekday: int | None = None
    if re.search(r"\b(day after tomorrow|apres-demain|apres demain)\b", t):
        first = today + dt.timedelta(days=2)
    elif re.search(r"\b(tomorrow|demain)\b", t):
        first = today + dt.timedelta(days=1)
    elif re.search(
        r"\b(today|aujourd'hui|this (morning|afternoon|evening)|ce (matin|soir)|cet apres-midi)\b", t
    ):
        first = today
    if first is not None:
        last = first + dt.timedelta(days=1)
    elif re.search(r"\b(next week|la semaine prochaine|semaine prochaine)\b", t):
        first = today + dt.timedelta(days=7 - today.weekday())
        last = first + dt.timedelta(days=7)
    elif re.search(r"\b(this week|cette semaine)\b", t):
        first = today
        last = today + dt.timedelta(days=7 - today.weekday())
    else:
        m = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th|er)?\s+(?:of\s+)?({_MONTH_RE})\b", t) or re.search(
            rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", t
        )
        if m:
            a, b = m.groups()
            day, month = (int(a), MONTHS[b]) if a.isdigit() else (int(b), MONTHS[a])
            try:
                candidate = dt.date(today.year, month, day)
                if candidate < today:
                    candidate = dt.date(today.year + 1, month, day)
                first, last = candidate, candidate + dt.timedelta(days=1)
            except ValueError:
                pass
        if first is None:
            wm = re.search(rf"\b({_WEEKDAY_RE})s?\b", t)
            if wm:
                weekday = WEEKDAYS[wm.group(1)]
                ahead = (weekday - today.weekday()) % 7 or 7  # the coming one, never today
                first = today + dt.timedelta(days=ahead)
                last = first + dt.timedelta(days=1)
    if weekday is None and first is not None and last is not None and (last - first).days == 1:
        weekday = first.weekday()
    return When(first, last, weekday, time_of_day_of(t), clock_of(t))


def weekday_named(text: str) -> int | None:
    m = re.search(rf"\b({_WEEKDAY_RE})s?\b", fold(text))
    return WEEKDAYS[m.group(1)] if m else None


# -- picking one of several ----------------------------------------------------------------------

_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "premier": 1,
    "premiere": 1,
    "1er": 1,
    "1re": 1,
    "deuxieme": 2,
    "2e": 2,
    "2eme": 2,
    "seconde": 2,
    "troisieme": 3,
    "3e": 3,
    "3eme": 3,
    "quatrieme": 4,
    "4e": 4,
    "cinquieme": 5,
    "5e": 5,
}


def ordinal_of(text: str, count: int) -> int | None:
    """A 0-based index from "the second one", "le premier", "option 3", "2", "the last one"."""
    t = fold(text).strip()
    # In a long sentence "last" or "first" is rarely a choice ("my last cholesterol result").
    if len(t.split()) > 6 and not re.search(r"\b(one|option|slot|choice|creneau|celui|celle|choix)\b", t):
        return None
    if re.search(r"\b(last|dernier|derniere)\b", t):
        return count - 1 if count else None
    for word, n in _ORDINALS.items():
        if re.search(rf"\b{re.escape(word)}\b", t):
            return n - 1 if n <= count else None
    m = re.search(r"\b(?:number|option|no\.?|numero|n°|#)\s*(\d)\b", t) or re.fullmatch(
        r"(?:the |le |la )?(\d)(?: please| svp| s'il vous plait)?[.!]?", t
    )
    if m:
        n = int(m.group(1))
        return n - 1 if 1 <= n <= count else None
    return None
