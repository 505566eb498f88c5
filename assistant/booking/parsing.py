"""Reading a message about appointments, in English or French, into a typed ``BookingMessage``.

``read_message(text, language=, now=, state=, clinicians=)`` is a pure function: the same text, clock,
conversation state and clinic directory always give the same reading, and it calls nothing. It is
what the booking flow acts on, and what an understanding stage can call once it has decided that a
message is about booking.

Booking must work offline and must never act on a guess, so this is deliberately plain: word and
pattern tables a reviewer can read. Anything unclear reads as "no answer" and the flow asks rather
than acts. Day words resolve against ``now`` (the patient's local time); "after 2pm" and "at 9" are
local clock times.

Text is folded first (lower case, accents off, apostrophes and quotes become spaces: "c'est" and
"c est" read the same, as do "o'clock" and "o clock"). The folding is local and minimal on purpose;
the understanding stage owns the general normaliser.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.booking.state import BookingState, Gender, HeldAppointment, Kind, OfferedSlot, SlotRequest
from assistant.booking.state import TimeOfDay as TimeOfDay
from assistant.schemas import Language
from fhir_client.scheduling import Clinician

Intent = Literal["book", "cancel", "reschedule", "upcoming"]
Answer = Literal["yes", "no"]


class BookingMessage(BaseModel):
    """What one message says about booking.

    ``intent``: a new request (book, cancel, reschedule, upcoming) or None. ``answer``: a clear yes or
    no to the question pending in the state, read for that question (to "cancel this appointment?",
    "cancel it" is a yes and "keep it" a no); None when unclear. ``choice``: which of the offered slots
    (or, while asking which appointment, which appointment) the message picks, when exactly one fits.
    ``request``: the constraints it names; for a move, ``source`` names the appointment being moved
    ("my Tuesday appointment") and ``request`` where to.
    """

    model_config = ConfigDict(frozen=True)

    intent: Intent | None = None
    answer: Answer | None = None
    hedged: bool = False
    choice: int | None = None
    request: SlotRequest = SlotRequest()
    source: SlotRequest = SlotRequest()
    picks: bool = False  # it points at one of the items shown ("the 2 o'clock one", "celui de mardi")
    words: int = 0

    @property
    def constrains(self) -> bool:
        """It names a day, time, clinician, topic or kind (a new or refined request)."""
        return not self.request.empty


def fold(text: str) -> str:
    """ "C'est quand mon RDV déjà ?" → "c est quand mon rdv deja ?"."""
    text = text.replace("œ", "oe").replace("Œ", "oe").lower()
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = re.sub(r"['’‘`´ʼ\"“”«»]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _any(patterns: Sequence[str], text: str) -> bool:
    return any(re.search(p, text) for p in patterns)


# -- what kind of message ------------------------------------------------------------------------

_APPT = r"(appointments?|appts?|booking|rendez-vous|rendez vous|rdvs?|consultations?)"
_MINE = r"\b(my|our|mon|ma|mes|notre)\b"
_ASKS_WHEN = (
    r"\b(when|what time|what day|which day|what date|remind me|reminder|still on|is it still)\b",
    r"\b(quand|quelle heure|quel jour|quelle date|rappel\w*|toujours)\b",
)
_UPCOMING = (
    rf"{_MINE}[^.?!]*\b{_APPT}\b",
    rf"\b(do|have) i (have|got) (an?|any)\b[^.?!]*\b{_APPT}\b",
    rf"\b(ai-je|j ai|est-ce que j ai|ai je)\b[^.?!]*\b{_APPT}\b",
    r"\bwhat s booked\b|\bwhat is booked\b|\bqu est-ce qui est (reserve|prevu)\b",
)
_LISTS_MINE = (rf"\b(my|mes)\s+(upcoming |next |future |prochains? )?{_APPT}\b\s*\??$", r"^(show|list)\b")
_WANTS_NEW = r"\b(book|make|get|need|want|would like|d like|schedule|arrange|reserve|find|prendre|reserver|voudrais|veux|besoin|trouver|fixer)\b"
_CANCEL_VERB = r"\b(cancel\w*|call (it |that )?off|annul\w*|decommand\w*)"
_NEGATED_CANCEL = (
    r"\b(don t|do not|dont|never|not)\b[^.,;!?]{0,15}\bcancel",
    r"\b(ne|n)\b[^.,;!?]{0,12}\bannul\w*[^.,;!?]{0,12}\bpas\b",
    r"\bpas\s+(d\s+)?annul",
)
_KEEP = (
    r"\b(keep|kept|leave it|hold on to it|i ll go|i will go)\b",
    r"\b(garde\w*|conserve\w*|maintien\w*|maintenir|laisse[rz]?-le|je (m y|y) (vais|serai))\b",
)
_RESCHEDULE = (
    r"\breschedul\w*",
    r"\b(move|shift|change|push)\b.*\b(it|appointment|appt|that|booking|rdv|time)\b",
    r"\b(move|shift|push) (it|my)\b",
    r"\bdeplace\w*",
    r"\bdecale\w*",
    r"\breporte\w*",
    r"\bchanger? (de |mon |le |d )?(rendez-vous|rdv|creneau|horaire|heure)",
)
_BOOK = (
    rf"\b{_APPT}\b",
    r"\bbook(ing)?\b",
    r"\bschedule\b",
    r"\bslots?\b",
    r"\bsee (someone|somebody|a doctor|a gp|the doctor|the gp|a nurse|a specialist|dr\b|doctor)",
    r"\bcheck-?up\b",
    r"\bteleconsult\w*",
    r"\bcreneaux?\b",
    r"\breserver\b",
    r"\bprendre (un )?rendez",
    r"\bvoir (quelqu un|un medecin|une medecin|le medecin|un generaliste|une infirmiere|un specialiste"
    r"|le docteur|la docteure?|le dr|la dr|dr\b|docteur)",
    r"\bconsulter\b",
)
# "A woman doctor please", "can I see Claire Martin?": asking for someone is asking to book; merely
# naming them ("what did Dr Martin say?") is not.
_WANTS_WHO = (
    r"\b(see|voir|with|avec|chez|want|like|prefer|rather|need|please|plait|svp|voudrais|veux|souhaite\w*"
    r"|prefere\w*|aimerais)\b"
)
# "Anything Wednesday afternoon?": availability words count as a booking request when the message
# also names a day, a time or a clinician.
_AVAILABILITY = (
    r"\b(anything|something|free|available|availability|availabilities|open|opening|openings)\b",
    r"\b(quelque chose|libres?|disponibles?|dispos?|disponibilites?|de la place|de place)\b",
)


def intent_of(text: str, request: SlotRequest | None = None) -> Intent | None:
    """The scheduling intent of a (folded or raw) message, or None when it is not about appointments."""
    t = fold(text)
    asks_when = _any(_ASKS_WHEN, t) or re.search(r"\?\s*$", t) is not None
    about_mine = _any(_UPCOMING, t) and (
        _any(_ASKS_WHEN, t) or _any(_LISTS_MINE, t) or (asks_when and not re.search(_WANTS_NEW, t))
    )
    if (
        about_mine
        and not re.search(_CANCEL_VERB, t)
        and not _any(_RESCHEDULE, t)
        and not re.search(rf"{_WANTS_NEW}[^.?!]{{0,25}}\b{_APPT}", t)
    ):
        return "upcoming"
    cancels = re.search(_CANCEL_VERB, t) and not _any(_NEGATED_CANCEL, t)
    if cancels and (_any(_BOOK, t) or re.search(r"\b(it|that|ca|le|la|l)\b", t)):
        return "cancel"
    if _any(_RESCHEDULE, t):
        return "reschedule"
    if _any(_BOOK, t):
        return "book"
    if request is not None:
        if (request.has_who or request.kind) and re.search(_WANTS_WHO, t):
            return "book"
        if (request.has_days or request.has_time or request.has_who or request.kind) and _any(
            _AVAILABILITY, t
        ):
            return "book"
    return None


# -- yes / no ------------------------------------------------------------------------------------

_YES = (
    r"^(yes|yeah|yep|yup|sure|ok|okay|correct|confirm(ed)?|please do|go ahead|sounds good|that s fine|fine"
    r"|perfect|great)\b",
    r"\b(yes|please book|book it|confirm|go ahead)\b",
    r"^(oui|ouais|d accord|dac|ok|parfait|volontiers|entendu|ca marche|c est bon|vas-y|allez-y)\b",
    r"\b(oui|je confirme|confirmez|confirme|reservez|reserve-le|reservez-le)\b",
)
_NO = (
    r"^(no|nope|nah|never ?mind|not now|don t|do not|stop)\b",
    r"\b(no thanks|no thank you|don t book|do not book|not that one|none of (them|these)|nothing)\b",
    r"^(non|pas maintenant|laisse tomber|laissez tomber|finalement non|aucun)\b",
    r"\b(non merci|ne reservez (pas|rien)|ne pas reserver|aucun de|ne reserve rien|rien du tout)\b",
)
# "don't book", "ne réservez rien": the booking verb is there, negated — never a yes.
_NEGATED_YES = r"\b(ne (l |le |la )?reserve\w* (pas|rien)|ne pas reserver|ne confirme\w* pas|don t book|do not book|don t confirm)\b"
# Words that turn a yes into something that needs a question back.
_HEDGE = (
    r"\b(but|maybe|perhaps|not sure|i think|later|instead|other|another|wait|hmm+|let me think)\b",
    r"\b(mais|peut-etre|pas sur|je pense|plus tard|autre|plutot|attends?|reflechir)\b",
)


def hedges(text: str) -> bool:
    """ "maybe", "not sure", "plus tard": an unclear answer, never a yes."""
    return _any(_HEDGE, fold(text))


def answer_of(text: str, operation: str | None = None) -> Answer | None:
    """A clear yes or no to the pending question, or None (unclear, or something else).

    For a cancellation ("shall I cancel it?") the verbs decide before yes/no words: "no, cancel" and
    "cancel it" are a yes, "keep it" and "don't cancel" a no, and both at once is unclear. For a
    booking or a move, "cancel" means "don't do it".
    """
    t = fold(text)
    cancel_said = re.search(_CANCEL_VERB, t) is not None and not _any(_NEGATED_CANCEL, t)
    keep_said = _any(_KEEP, t) or _any(_NEGATED_CANCEL, t)
    if operation == "cancel":
        if cancel_said and not keep_said:
            return "yes"
        if keep_said and not cancel_said:
            return "no"
        if cancel_said and keep_said:
            return None
    elif operation in ("book", "reschedule") and (cancel_said or (keep_said and operation == "reschedule")):
        return "no"
    no = _any(_NO, t)
    yes = _any(_YES, re.sub(_NEGATED_YES, " ", t))
    if no and not yes:
        return "no"
    if yes and not no and "?" not in t and not _any(_HEDGE, t):
        return "yes"
    return None


# -- which service, who, how ---------------------------------------------------------------------

#: topic → (words in the patient's message, words that name the matching clinic service)
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "diabetes": (
        ("diabet", "sugar", "glucose", "insulin", "endocrin", "thyroid", "sucre", "glycemi"),
        ("diabet", "endocrin"),
    ),
    "cardiology": (("heart", "cardi", "palpitation", "coeur"), ("cardio",)),
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
        ("video", "online", "remote", "teleconsult", "en ligne", "a distance", "visio", "by phone", "camera"),
        ("video", "telehealth", "teleconsult"),
    ),
    "general": (
        ("gp", "doctor", "physician", "medecin", "generaliste", "docteur", "family doctor"),
        ("general practice", "medecine generale"),
    ),
}
_IN_PERSON = r"\b(in person|face to face|at the (clinic|surgery|practice)|en personne|en presentiel|au cabinet|sur place)\b"
_FEMALE = (
    r"\b(woman|female|lady|women)\s+(doctor|gp|physician|dr)\b",
    r"\b(doctor|gp|physician)\s+(who is\s+)?(a\s+)?(woman|female|lady)\b",
    r"\b(femme|une)\s+(medecin|docteure?|generaliste|dr)\b",
    r"\b(medecin|docteure?|generaliste)\s+(femme|feminin|de sexe feminin)\b",
    r"\b(doctoresse|docteure)\b",
)
_MALE = (
    r"\b(man|male|gentleman|men)\s+(doctor|gp|physician|dr)\b",
    r"\b(doctor|gp|physician)\s+(who is\s+)?(a\s+)?(man|male)\b",
    r"\bhomme\s+(medecin|docteur|generaliste)\b",
    r"\b(medecin|docteur|generaliste)\s+(homme|masculin|de sexe masculin)\b",
)


def topic_of(text: str) -> str | None:
    """The service a message points at ("my sugar" → diabetes), or None."""
    t = fold(text)
    for topic, (words, _) in TOPICS.items():
        if any(re.search(rf"\b{re.escape(w)}", t) for w in words):
            return topic
    return None


def kind_of(t: str) -> Kind | None:
    if re.search(rf"\b({'|'.join(re.escape(w) for w in TOPICS['video'][0])})", t):
        return "video"
    if re.search(_IN_PERSON, t):
        return "in_person"
    return None


def gender_of(t: str) -> Gender | None:
    female, male = _any(_FEMALE, t), _any(_MALE, t)
    if female != male:
        return "female" if female else "male"
    return None


def clinician_of(t: str, clinicians: Sequence[Clinician]) -> str | None:
    """The clinician a message names: "Dr Martin", "Claire Martin", "avec le docteur Nguyen", "with
    Martin". A bare family name alone is not enough (many are ordinary words: "petit")."""
    for person in clinicians:
        family = fold(person.family or "")
        if not family:
            continue
        given = "|".join(re.escape(fold(g)) for g in person.given if g)
        full = rf"\b(?:{given})\s+{re.escape(family)}\b" if given else None
        titled = (
            rf"\b(?:dr|doctor|docteure?|doc|nurse|infirmiere|madame|monsieur|mme|mr|mrs|ms|with|avec|chez|see|voir)"
            rf"\.?\s+(?:(?:le|la|dr\.?|docteure?)\s+){{0,2}}(?:(?:{given})\s+)?{re.escape(family)}\b"
            if given
            else rf"\b(?:dr|doctor|docteure?|nurse|with|avec|chez)\.?\s+{re.escape(family)}\b"
        )
        if re.search(titled, t) or (full and re.search(full, t)):
            return person.ref
    return None


# -- when ----------------------------------------------------------------------------------------

WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "tues": 1, "weds": 2, "thurs": 3,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
}  # fmt: skip
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "one": 1, "un": 1, "une": 1, "two": 2, "deux": 2, "couple of": 2, "three": 3, "trois": 3,
    "four": 4, "quatre": 4, "five": 5, "cinq": 5, "six": 6, "ten": 10, "dix": 10, "quinze": 15,
    "fifteen": 15,
}  # fmt: skip
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_NUMBER_RE = r"\d{1,2}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True))


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


@dataclass(frozen=True)
class _Days:
    first: dt.date
    last: dt.date  # exclusive


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_after(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def days_of(t: str, today: dt.date) -> _Days | None:
    """The local days a (folded) message names, resolved against ``today``; None if none."""
    one = dt.timedelta(days=1)
    if re.search(r"\b(day after tomorrow|apres-demain|apres demain)\b", t):
        return _Days(today + 2 * one, today + 3 * one)
    if re.search(r"\b(tomorrow|tmrw|tmr|demain)\b", t):
        return _Days(today + one, today + 2 * one)
    if re.search(
        r"\b(today|tonight|aujourd hui|this (morning|afternoon|evening)|ce (matin|soir)|cet apres-midi|cet apres midi)\b",
        t,
    ):
        return _Days(today, today + one)
    weeks = re.search(rf"\b(?:in|dans)\s+(?:the\s+)?({_NUMBER_RE})\s+(weeks?|semaines?)\b", t)
    if weeks or re.search(
        r"\b(in a fortnight|week after next|semaine d apres|dans quinze jours|dans 15 jours)\b", t
    ):
        n = _number(weeks.group(1)) if weeks else 2
        start = _monday(today + dt.timedelta(weeks=n))
        return _Days(start, start + 7 * one)
    in_days = re.search(rf"\b(?:in|dans)\s+({_NUMBER_RE})\s+(days?|jours?)\b", t)
    if in_days:
        day = today + _number(in_days.group(1)) * one
        return _Days(day, day + one)
    weekday = re.search(rf"\b({_WEEKDAY_RE})s?\b", t)
    if re.search(r"\b(next week|la semaine prochaine|semaine prochaine|semaine pro)\b", t):
        start = _monday(today) + 7 * one
        if weekday:  # "next week on Tuesday", "mardi de la semaine prochaine"
            day = start + WEEKDAYS[weekday.group(1)] * one
            return _Days(day, day + one)
        return _Days(start, start + 7 * one)
    if re.search(r"\b(this week|cette semaine|later this week|plus tard cette semaine)\b", t):
        return _Days(today, _monday(today) + 7 * one)
    if re.search(r"\b(next month|le mois prochain|mois prochain)\b", t):
        start = _month_after(today)
        return _Days(start, _month_after(start))
    if re.search(r"\b(this month|ce mois-ci|ce mois ci)\b", t):
        return _Days(today, _month_after(today))
    if re.search(r"\b(this weekend|the weekend|ce week-end|ce weekend|le week-end|le weekend|weekend)\b", t):
        saturday = today + ((5 - today.weekday()) % 7) * one
        return _Days(saturday, saturday + 2 * one)
    date = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th|er)?\s+(?:of\s+)?({_MONTH_RE})\b", t) or re.search(
        rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", t
    )
    if date:
        a, b = date.groups()
        day_n, month = (int(a), MONTHS[b]) if a.isdigit() else (int(b), MONTHS[a])
        try:
            candidate = dt.date(today.year, month, day_n)
        except ValueError:
            candidate = None
        if candidate is not None:
            if candidate < today:
                candidate = candidate.replace(year=today.year + 1)
            return _Days(candidate, candidate + one)
    if weekday:
        ahead = (WEEKDAYS[weekday.group(1)] - today.weekday()) % 7 or 7  # the coming one, never today
        day = today + ahead * one
        return _Days(day, day + one)
    return None


def weekday_named(text: str) -> int | None:
    m = re.search(rf"\b({_WEEKDAY_RE})s?\b", fold(text))
    return WEEKDAYS[m.group(1)] if m else None


def time_of_day_of(t: str) -> TimeOfDay | None:
    if re.search(r"\b(mornings?|matin(s|ee|ees)?)\b", t):
        return "morning"
    if re.search(r"\b(afternoons?|apres-midi|apres midi|aprem)\b", t):
        return "afternoon"
    if re.search(r"\b(evenings?|tonight|after work|soir(s|ee|ees)?|apres le travail)\b", t):
        return "evening"
    return None


# A clock time, not the start of a date or a duration ("from 5 December", "after 2 weeks").
_HOUR = (
    r"(\d{1,2})(?:\s*(?::|h|\.)\s*(\d{2}))?\s*(am|pm|h\b|heures?\b|o\s*clock\b|oclock\b)?"
    rf"(?!\s*(?:st|nd|rd|th|er|e|eme)?\s*(?:of\s+)?(?:{_MONTH_RE}|days?|jours?|weeks?|semaines?|months?|mois)\b)"
)
_AFTER = rf"\b(?:after|from|later than|not before|no earlier than|a partir de|apres|pas avant|des|plus tard que)\s+{_HOUR}"
_BEFORE = (
    rf"\b(?:before|by|no later than|earlier than|not after|avant|pas apres|jusqu a|au plus tard a)\s+{_HOUR}"
)


def _hour_minute(hour: str, minute: str | None, suffix: str | None, *, daytime: bool) -> dt.time | None:
    """A clock time; without am/pm an hour from 1 to 7 is taken as afternoon (no clinic opens at 2 am)."""
    h, m = int(hour), int(minute or 0)
    suffix = (suffix or "").strip()
    if suffix == "pm" and h < 12:
        h += 12
    elif suffix == "am" and h == 12:
        h = 0
    elif suffix not in ("am", "pm") and daytime and 1 <= h <= 7:
        h += 12
    if 0 <= h <= 23 and 0 <= m <= 59:
        return dt.time(h, m)
    return None


def time_window_of(t: str) -> tuple[dt.time | None, dt.time | None, str]:
    """("after 2pm", "before 11", "after lunch") → (earliest, latest, the text with those parts removed)."""
    earliest: dt.time | None = None
    latest: dt.time | None = None
    if re.search(r"\b(after lunch|apres (le )?dejeuner|apres manger)\b", t):
        earliest = dt.time(14, 0)
    if re.search(r"\b(after noon)\b", t):
        earliest = dt.time(12, 0)
    if re.search(r"\b(before lunch|before noon|avant (le )?dejeuner|avant midi)\b", t):
        latest = dt.time(12, 0)
    if re.search(r"\b(late afternoon|end of the day|fin d apres-midi|fin d apres midi|fin de journee)\b", t):
        earliest = dt.time(16, 0)
    m = re.search(_AFTER, t)
    if m:
        earliest = _hour_minute(m.group(1), m.group(2), m.group(3), daytime=True) or earliest
        t = t[: m.start()] + " " + t[m.end() :]
    m = re.search(_BEFORE, t)
    if m:
        latest = _hour_minute(m.group(1), m.group(2), m.group(3), daytime=False) or latest
        t = t[: m.start()] + " " + t[m.end() :]
    if earliest is not None and latest is not None and latest <= earliest:
        latest = None
    return earliest, latest, t


_CLOCK_PATTERNS = (
    r"\b(\d{1,2})\s*(?::|h|\.)\s*(\d{2})\s*(am|pm)?\b",  # 9:30, 9h30, 9.30, 2:30pm
    r"\b(\d{1,2})\s*(am|pm)\b",  # 2pm
    r"\b(\d{1,2})\s*(?:o\s*clock|oclock|heures?)\b",  # 9 o'clock, 9 heures
    r"\b(\d{1,2})\s*h\b",  # 9h, 14 h
    r"\b(?:at|a|vers|around|for|pour|de|celui de|celle de)\s+(\d{1,2})\b(?!\s*(?:st|nd|rd|th|er|e|eme)\b)"
    rf"(?!\s*(?:days?|jours?|weeks?|semaines?|months?|mois|minutes?|min|{_MONTH_RE})\b)",
)


def clock_of(t: str) -> dt.time | None:
    """ "at 9", "9:30", "9h30", "à 14 h", "2pm", "the 9 o'clock one", "noon" → a local time."""
    if re.search(r"\b(noon|midday|midi)\b", t) and not re.search(
        r"\b(apres-midi|apres midi|after noon)\b", t
    ):
        return dt.time(12, 0)
    for pattern in _CLOCK_PATTERNS:
        m = re.search(pattern, t)
        if not m:
            continue
        groups = list(m.groups())
        minute = next((g for g in groups[1:] if g and g.isdigit()), None)
        suffix = next((g for g in groups[1:] if g in ("am", "pm")), None)
        return _hour_minute(groups[0], minute, suffix, daytime=True)
    return None


def request_of(text: str, today: dt.date, clinicians: Sequence[Clinician] = ()) -> SlotRequest:
    """Every constraint a message names, as a ``SlotRequest`` (empty when it names none)."""
    t = fold(text)
    earliest, latest, rest = time_window_of(t)
    days = days_of(t, today)
    topic = topic_of(t)
    kind = kind_of(t)
    if topic == "video":
        topic = None
    if kind == "video" and topic in (None, "general"):
        topic = "video"
    return SlotRequest(
        topic=topic,
        first_day=days.first if days else None,
        last_day=days.last if days else None,
        time_of_day=time_of_day_of(t),
        earliest=earliest,
        latest=latest,
        clock=clock_of(rest),
        clinician=clinician_of(t, clinicians),
        gender=gender_of(t),
        kind=kind,
    )


# -- picking one of several ----------------------------------------------------------------------

_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "premier": 1, "premiere": 1, "1er": 1, "1re": 1, "deuxieme": 2, "2e": 2,
    "2eme": 2, "seconde": 2, "second ": 2, "troisieme": 3, "3e": 3, "3eme": 3, "quatrieme": 4, "4e": 4,
    "4eme": 4, "cinquieme": 5, "5e": 5,
}  # fmt: skip


def ordinal_of(text: str, count: int) -> int | None:
    """A 0-based index from "the second one", "le premier", "option 3", "2", "the last one"."""
    t = fold(text)
    # In a long sentence "last" or "first" is rarely a choice ("my last cholesterol result"); politeness
    # and a quoted date ("the first one, 2026-12-07T08:45, please") do not make it long.
    core = re.sub(
        r"\b(s il vous plait|s il te plait|svp|please|merci|thanks|thank you)\b|\S*\d{4}-\d\d-\d\d\S*", " ", t
    )
    if len(core.split()) > 6 and not re.search(r"\b(one|option|slot|choice|creneau|celui|celle|choix)\b", t):
        return None
    if re.search(r"\b(last|dernier|derniere)\b", t):
        return count - 1 if count else None
    for word, n in _ORDINALS.items():
        if re.search(rf"\b{re.escape(word.strip())}\b", t):
            return n - 1 if n <= count else None
    m = re.search(r"\b(?:number|option|no\.?|numero|n°|#)\s*(\d)\b", t) or re.fullmatch(
        r"(?:the |le |la )?(\d)(?: please| svp| s il vous plait)?[.!]?", t
    )
    if m:
        n = int(m.group(1))
        return n - 1 if 1 <= n <= count else None
    return None


def fits(start: dt.datetime | None, person: str | None, request: SlotRequest, tz: dt.tzinfo) -> bool:
    """The day, clock time and clinician of ``request`` all describe an item starting at ``start``
    with ``person``."""
    if start is None:
        return False
    local = start.astimezone(tz)
    if (
        request.first_day is not None
        and request.last_day is not None
        and not request.first_day <= local.date() < request.last_day
    ):
        return False
    if request.clock is not None:
        wanted = {(request.clock.hour, request.clock.minute)}
        if request.clock.hour >= 13:  # "the 2:30 one" was read as 14:30; 2:30 itself cannot be offered
            wanted.add((request.clock.hour - 12, request.clock.minute))
        if (local.hour, local.minute) not in wanted:
            return False
    return not (request.clinician is not None and person != request.clinician)


def _pick(
    items: Sequence[tuple[dt.datetime | None, str | None]], request: SlotRequest, tz: dt.tzinfo
) -> int | None:
    """The one item the request's day, clock time and clinician fit; None if none or several."""
    if request.clock is None and request.clinician is None and request.first_day is None:
        return None
    matching = [i for i, (start, person) in enumerate(items) if fits(start, person, request, tz)]
    return matching[0] if len(matching) == 1 else None


def points_at_one(t: str) -> bool:
    """ "the 2 o'clock one", "that one", "celui de mardi", "option 2": a pick among what was shown."""
    return re.search(r"\b(one|that|celui|celle|slot|creneau|option|number|numero)\b", t) is not None


def choice_of(
    text: str,
    request: SlotRequest,
    items: Sequence[OfferedSlot] | Sequence[HeldAppointment],
    tz: dt.tzinfo,
) -> int | None:
    """Which item a message picks: by position ("the second one"), else by day, clock time and
    clinician ("the 9 o'clock one", "Tuesday at 9", "the one with Dr Nguyen") when exactly one fits."""
    if not items:
        return None
    index = ordinal_of(text, len(items))
    if index is not None:
        return index
    if request.has_time and request.clock is None:
        return None  # "after 2pm", "afternoon": a constraint, not a choice
    if request.clock is None and not points_at_one(fold(text)):
        return None  # "what about Tuesday?", "Dr Nguyen please": a new request, not a pick
    return _pick([(item.starts, item.practitioner_ref) for item in items], request, tz)


# -- the whole message ---------------------------------------------------------------------------

_MOVE_VERB = re.compile(r"\b(reschedul\w*|move|shift|change|push|deplace\w*|decale\w*|reporte\w*|changer?)\b")
_MOVE_TO = re.compile(r"\b(?:to|until|for|into|a|au|pour|vers|en)\b")


def _split_move(t: str) -> tuple[str, str]:
    """ "move my Tuesday appointment to Thursday" → ("move my tuesday appointment", "thursday"): the
    first "to" after the verb separates the appointment being moved from where it goes."""
    verb = _MOVE_VERB.search(t)
    to = _MOVE_TO.search(t, verb.end() if verb else 0)
    if to is None:
        return t, ""
    return t[: to.start()], t[to.end() :]


def read_message(
    text: str,
    *,
    language: Language,
    now: dt.datetime,
    state: BookingState,
    clinicians: Sequence[Clinician] = (),
) -> BookingMessage:
    """Read one message against the conversation's state. ``now`` is aware, in the patient's zone.

    ``language`` is the conversation's; both languages' words are read whatever it is (patients mix
    them), so it only matters to callers that want to record it.
    """
    del language  # both languages are read; kept in the signature for callers and future use
    t = fold(text)
    today = now.date()
    tz = now.tzinfo or dt.UTC
    request = request_of(t, today, clinicians)
    if request.clinician and not (re.search(_WANTS_WHO, t) or points_at_one(t) or len(t.split()) <= 4):
        # "What did Dr Martin say about my results?" names a clinician without asking to see them
        request = request.model_copy(update={"clinician": None})
    intent = intent_of(t, request)
    source = SlotRequest()
    if intent == "reschedule":
        source_text, target_text = _split_move(t)
        if target_text:
            source = request_of(source_text, today, clinicians)
            request = request_of(target_text, today, clinicians)
    choice: int | None = None
    if state.step in ("choose", "confirm"):
        choice = choice_of(t, request, state.offers, tz)
    elif state.step == "choose_appointment":
        choice = choice_of(t, request, state.appointments, tz)
    operation = state.operation if state.step == "confirm" else None
    return BookingMessage(
        intent=intent,
        answer=answer_of(t, operation),
        hedged=hedges(t),
        choice=choice,
        request=request,
        source=source,
        picks=points_at_one(t) and intent is None,
        words=len(t.split()),
    )
