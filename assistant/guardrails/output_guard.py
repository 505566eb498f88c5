"""The output guard: what a reply may say before a patient sees it.

Applied to every reply (an LLM's, and the offline composer's too, as a regression net). A failed check
means the LLM reply is replaced by the offline composer's answer and never shown (DESIGN.md, safety
principle 2). Checks, each with its flag:

- ``unknown-citation`` / ``unresolved-citation``: a marker "[n]" with no citation n, or a citation whose
  resource is not in the record;
- ``ungrounded-number`` / ``ungrounded-date`` / ``ungrounded-medication`` / ``ungrounded-condition`` /
  ``ungrounded-allergy``: a fact about the patient that the cited resources (see ``grounding``) do not
  support. A sentence's facts are checked against the citations in that sentence, or, when it has none,
  against all the reply's citations;
- ``dose-instruction``: "take 2 tablets", "increase it to 1000 mg", "doublez votre dose";
- ``definitive-diagnosis``: "you have X" / "this is X" / "you don't have X" for a condition the cited record
  does not hold (hedged wording such as "could be", "peut-être" is not a diagnosis);
- ``exfiltration-link`` / ``unapproved-link``: images, URLs with a query string, data or script URLs, and
  links to hosts outside a short allow-list of public health sites;
- ``missing-disclaimer``: guidance was given without the short "not a diagnosis" line (``add_disclaimer``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

from assistant.guardrails._text import fold, sentences
from assistant.guardrails.grounding import (
    _UNIT_ALIASES,
    RecordLexicons,
    ResourceFacts,
    canonical_unit,
    facts_for,
    record_lexicons,
)
from assistant.guardrails.lexicon import names_regex
from assistant.region import numbers_for
from assistant.schemas import Citation, Language
from fhir_client import PatientRecord
from retrieval import ConceptMap

__all__ = [
    "DEFAULT_ALLOWED_LINK_HOSTS",
    "DISCLAIMERS",
    "OUTPUT_FLAGS",
    "OutputVerdict",
    "add_disclaimer",
    "check_output",
    "disclaimer",
    "gives_guidance",
    "has_disclaimer",
]

DEFAULT_ALLOWED_LINK_HOSTS: tuple[str, ...] = (
    "nhs.uk",
    "nice.org.uk",
    "ameli.fr",
    "sante.fr",
    "has-sante.fr",
    "service-public.fr",
    "santepubliquefrance.fr",
    "sante.gouv.fr",
    "cdc.gov",
    "medlineplus.gov",
    "nih.gov",
    "who.int",
    "3114.fr",
    "988lifeline.org",
)

OUTPUT_FLAGS: tuple[str, ...] = (
    "unknown-citation",
    "unresolved-citation",
    "ungrounded-number",
    "ungrounded-date",
    "ungrounded-medication",
    "ungrounded-condition",
    "ungrounded-allergy",
    "dose-instruction",
    "definitive-diagnosis",
    "exfiltration-link",
    "unapproved-link",
    "missing-disclaimer",
)

# ``{emergency}`` is the deployment region's number (``assistant.region``): "112 (911 in the US)" would be
# wrong for everyone but one country.
DISCLAIMERS: dict[Language, str] = {
    "en": "This is general information, not a diagnosis. If you are worried or things get worse, contact "
    "a clinician; in an emergency call {emergency}.",
    "fr": "Ceci est une information générale, pas un diagnostic. Si vous êtes inquiet ou si cela s'aggrave, "
    "contactez un soignant ; en cas d'urgence, appelez {emergency}.",
}


def disclaimer(language: Language, region: str = "FR") -> str:
    """The short disclaimer in ``language`` with ``region``'s emergency number."""
    return DISCLAIMERS[language].format(emergency=numbers_for(region).emergency_text(language))


@dataclass(frozen=True)
class OutputVerdict:
    """``ok`` when nothing was found; ``flags`` (ids, deduplicated) and ``problems`` ("flag: detail")."""

    ok: bool
    flags: tuple[str, ...]
    problems: tuple[str, ...]


@dataclass
class _Report:
    problems: list[tuple[str, str]] = field(default_factory=list)

    def add(self, flag: str, detail: str) -> None:
        if (flag, detail) not in self.problems:
            self.problems.append((flag, detail))

    def verdict(self) -> OutputVerdict:
        flags = tuple(dict.fromkeys(flag for flag, _ in self.problems))
        return OutputVerdict(not self.problems, flags, tuple(f"{f}: {d}" for f, d in self.problems))


# --- sentence classification -----------------------------------------------------------------------------

_MARKER = re.compile(r"\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*_\d+(?: \([^)\]]*\))?\]")
_SECOND_PERSON = re.compile(
    r"\b(?:you|your|yours|you're|you've|you'd|yourself|vous|votre|vos|tu|ton|ta|tes|toi)\b"
)
_RECORD_WORDS = re.compile(
    r"\b(?:record|records|recorded|result|results|reading|readings|measured|measurement|latest|last|most recent|"
    r"dossier|resultat|resultats|mesure|mesuree|enregistre|enregistree|dernier|derniere|plus recent|plus recente)\b"
)
_GENERIC = re.compile(
    r"\b(?:usually|normally|in general|generally|most people|typically|adults|children|people|is considered|"
    r"are considered|is defined|guidelines?|en general|habituellement|normalement|generalement|la plupart|"
    r"chez l'adulte|les adultes|les enfants|on considere|est considere|est consideree)\b"
)
_CONDITIONAL = re.compile(
    r"\b(?:if|when|whenever|unless|should|si|s'il|quand|lorsque|des que|en cas d[e'])\b"
)
_COMPARATOR = re.compile(
    r"(?:above|over|below|under|more than|less than|greater than|higher than|lower than|at least|at most|"
    r"exceeds?|reaches|plus de|moins de|au-dessus de|au dessus de|au-dessous de|en dessous de|en-dessous de|"
    r"superieure? a|inferieure? a|depasse|atteint|au moins|au plus|jusqu'a|[<>≤≥])\s*$"
)
_BOOKING = re.compile(
    r"\b(?:appointment|slot|book|booked|booking|reschedul\w*|cancel\w*|rendez-vous|creneau|reserve|reservation|"
    r"annul\w*|deplac\w*)\b"
)
_QUESTION = re.compile(r"\?\s*(?:\[\d+\])?\s*$")


@dataclass(frozen=True)
class _Sentence:
    raw: str
    folded: str
    markers: tuple[int, ...]

    @property
    def about_patient(self) -> bool:
        return bool(self.markers) or bool(
            _SECOND_PERSON.search(self.folded) or _RECORD_WORDS.search(self.folded)
        )

    @property
    def checked(self) -> bool:
        """Numbers and dates are checked unless the sentence is plainly general knowledge."""
        return self.about_patient or not _GENERIC.search(self.folded)

    @property
    def question(self) -> bool:
        return bool(_QUESTION.search(self.raw))


def _markers(text: str) -> tuple[int, ...]:
    found: list[int] = []
    for m in _MARKER.finditer(text):
        for part in re.split(r"\s*[,;]\s*", m.group(1)):
            if re.fullmatch(r"\d+\s*[–-]\s*\d+", part):
                lo, hi = (int(x) for x in re.split(r"\s*[–-]\s*", part))
                if 0 < hi - lo < 50:
                    found.extend(range(lo, hi + 1))
                    continue
            digits = re.sub(r"\D", "", part)
            if digits:
                found.append(int(digits))
    return tuple(found)


# --- dates in text --------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("january", "jan", "janvier", "janv"),
        ("february", "feb", "fevrier", "fevr", "fev"),
        ("march", "mar", "mars"),
        ("april", "apr", "avril", "avr"),
        ("may", "mai"),
        ("june", "jun", "juin"),
        ("july", "jul", "juillet", "juil"),
        ("august", "aug", "aout"),
        ("september", "sep", "sept", "septembre"),
        ("october", "oct", "octobre"),
        ("november", "nov", "novembre"),
        ("december", "dec", "decembre"),
    ],
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _i
_MONTH_RE = f"({names_regex(_MONTHS)})"
_YEAR = r"(1[89]\d{2}|20\d{2}|21\d{2})"
_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b{_YEAR}[-/.](\d{{1,2}})[-/.](\d{{1,2}})(?:t[\d:.]+(?:z|[+-]\d\d:?\d\d)?)?\b")),
    ("numeric", re.compile(rf"\b(\d{{1,2}})[/.-](\d{{1,2}})[/.-]{_YEAR}\b")),
    ("day-month", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th|er)?(?: of)? {_MONTH_RE}\.?,? {_YEAR}\b")),
    ("month-day", re.compile(rf"\b{_MONTH_RE}\.? (\d{{1,2}})(?:st|nd|rd|th)?,? {_YEAR}\b")),
    ("month", re.compile(rf"\b{_MONTH_RE}\.?,? (?:of )?{_YEAR}\b")),
    (
        "year",
        re.compile(
            rf"\b(?:in|since|from|until|of|during|by|before|after|around|en|depuis|de|du|jusqu'en|avant|apres|"
            rf"vers|fin|debut|courant){{1}} {_YEAR}\b"
        ),
    ),
]


@dataclass(frozen=True)
class _DateMention:
    text: str
    start: int = 0
    end: int = 0
    days: tuple[date, ...] = ()
    month: tuple[int, int] | None = None
    year: int | None = None

    def supported(self, facts: ResourceFacts) -> bool:
        if self.days:
            return any(d in facts.days for d in self.days)
        if self.month is not None:
            return self.month in facts.months
        return self.year in facts.years

    def latest(self) -> date | None:
        if self.days:
            return max(self.days)
        if self.month is not None:
            return date(self.month[0], self.month[1], 28)
        return date(self.year, 12, 31) if self.year else None


_PERIOD_OPEN = re.compile(r"(?:between|from|entre|entre le|du|depuis le)\s*$")
_PERIOD_JOIN = re.compile(r"^\s*(?:and|to|until|through|et|et le|au|jusqu'au)\s*$")
_NOTHING_FOUND = re.compile(
    r"\b(?:found no|no \w+(?: \w+)? (?:results?|readings?|records?|entries|visits?)|there (?:is|are|were|was) no|"
    r"nothing|aucune?|pas de|n'ai (?:rien )?trouve|je n'ai trouve|couldn't find|could not find|n'ai pas trouve)\b"
)


def _period_bounds(text: str, mentions: list[_DateMention]) -> set[int]:
    """Indexes of mentions that bound a calendar period ("between 1 January 2019 and 31 December 2019").

    Such bounds echo the period the patient asked about; the facts are the readings inside it.
    """
    bounds: set[int] = set()
    ordered = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    for a, b in itertools.pairwise(ordered):
        first, last = mentions[a], mentions[b]
        if not (first.days and last.days and _PERIOD_OPEN.search(text[: first.start])):
            continue
        if not _PERIOD_JOIN.match(text[first.end : last.start]):
            continue
        start, end = min(first.days), max(last.days)
        if start.day == 1 and (end + timedelta(days=1)).day == 1:
            bounds.update({a, b})
    return bounds


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _find_dates(folded: str) -> tuple[list[_DateMention], str]:
    """Date mentions, and the text with them blanked out (so their digits are not read as numbers)."""
    mentions: list[_DateMention] = []
    chars = list(folded)
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer("".join(chars)):
            g = m.groups()
            mention: _DateMention | None = None
            if kind == "iso":
                d = _safe_date(int(g[0]), int(g[1]), int(g[2]))
                mention = _DateMention(m.group(0), m.start(), m.end(), (d,)) if d else None
            elif kind == "numeric":
                a, b, y = int(g[0]), int(g[1]), int(g[2])
                days = tuple(x for x in {_safe_date(y, b, a), _safe_date(y, a, b)} if x)
                mention = _DateMention(m.group(0), m.start(), m.end(), days) if days else None
            elif kind == "day-month":
                d = _safe_date(int(g[2]), _MONTHS[g[1].rstrip(".")], int(g[0]))
                mention = _DateMention(m.group(0), m.start(), m.end(), (d,)) if d else None
            elif kind == "month-day":
                d = _safe_date(int(g[2]), _MONTHS[g[0].rstrip(".")], int(g[1]))
                mention = _DateMention(m.group(0), m.start(), m.end(), (d,)) if d else None
            elif kind == "month":
                mention = _DateMention(
                    m.group(0), m.start(), m.end(), month=(int(g[1]), _MONTHS[g[0].rstrip(".")])
                )
            else:
                mention = _DateMention(m.group(0), m.start(), m.end(), year=int(g[0]))
            if mention is not None:
                mentions.append(mention)
                chars[m.start() : m.end()] = " " * (m.end() - m.start())
    return mentions, "".join(chars)


# --- numbers in text ------------------------------------------------------------------------------------

_NON_CLINICAL_UNITS = [
    "litres",
    "liters",
    "litre",
    "liter",
    "l",
    "hours",
    "hour",
    "heures",
    "heure",
    "h",
    "days",
    "day",
    "jours",
    "jour",
    "weeks",
    "week",
    "semaines",
    "semaine",
    "months",
    "month",
    "mois",
    "years",
    "year",
    "ans",
    "an",
    "annees",
    "annee",
    "minutes",
    "minute",
    "min",
    "seconds",
    "secondes",
    "s",
    "times",
    "fois",
    "glasses",
    "glass",
    "verres",
    "verre",
    "cups",
    "cup",
    "tasses",
    "tasse",
    "km",
    "steps",
    "pas",
    "am",
    "pm",
    "x",
]
_UNIT_RE = names_regex([*_UNIT_ALIASES, *_NON_CLINICAL_UNITS])
_NUMBER = re.compile(rf"(?<![\w.,/])(\d+(?:[.,]\d+)?)(?:\s?(?P<unit>{_UNIT_RE})(?![a-z0-9]))?")
_BP = re.compile(r"(?<![\d/.,])(\d{2,3})\s*/\s*(\d{2,3})(?![\d/])(?:\s*(mmhg|mm hg|mm\[hg\]))?")
_BP_CONTEXT = re.compile(r"\b(?:pressure|bp|tension|pa|systolic|diastolic|systolique|diastolique)\b")
_TIME = re.compile(r"\b\d{1,2}(?::\d{2}|h\d{2}|h)\b|\b\d{1,2}\s?(?:am|pm)\b")
_URLISH = re.compile(r"(?:https?://|www\.)\S+")


@dataclass(frozen=True)
class _NumberMention:
    text: str
    value: float
    decimals: int
    unit: str | None


def _find_numbers(folded: str, language: Language) -> list[_NumberMention]:
    text = _TIME.sub(lambda m: " " * len(m.group(0)), folded)
    if language == "fr":
        text = re.sub(r"(?<=\d) (?=\d{3}\b)", "", text)
    found: list[_NumberMention] = []
    bp_context = bool(_BP_CONTEXT.search(text))

    def blank(m: re.Match[str]) -> str:
        if m.group(3) or bp_context:
            for g in (1, 2):
                found.append(_NumberMention(m.group(0), float(m.group(g)), 0, "mmhg"))
        return " " * len(m.group(0))

    text = _BP.sub(blank, text)
    for m in _NUMBER.finditer(text):
        token, unit_text = m.group(1), m.group("unit")
        if language == "en" and re.fullmatch(r"\d{1,3}(?:,\d{3})+", token):
            token = token.replace(",", "")
        token = token.replace(",", ".")
        decimals = len(token.split(".")[1]) if "." in token else 0
        if unit_text and unit_text in _NON_CLINICAL_UNITS:
            continue
        unit = canonical_unit(unit_text) if unit_text else None
        if unit is None and decimals == 0:
            continue  # a bare integer: a count, a phone number, a duration — not a measurement
        prefix = text[max(0, m.start() - 40) : m.start()]
        if _COMPARATOR.search(prefix) and _CONDITIONAL.search(text):
            continue  # a threshold in advice: "if your temperature is above 38 °C"
        found.append(_NumberMention(m.group(0).strip(), float(token), decimals, unit))
    return found


# --- medicines, conditions, allergies ---------------------------------------------------------------------

_POSSESSIVE_BEFORE = re.compile(r"\b(?:your|votre|vos|ton|ta|tes)\s+(?:[a-z'-]+\s+){0,2}$")
_MED_CLAIM = re.compile(
    r"\b(?:you (?:are|were|have been|'re) (?:taking|on|using|prescribed)|you take|you use|you're on|"
    r"prescribed|vous prenez|tu prends|vous etes sous|on vous a prescrit|prescrit|prescrite|"
    r"currently|actuellement|en cours)\b"
)
_HEDGE = re.compile(
    r"\b(?:may|might|could|can|possibly|perhaps|maybe|likely|unlikely|probably|sounds? like|seems?|appears?|"
    r"suggests?|consistent with|whether|check (?:if|for)|rule out|risk|peut-etre|pourrait|pourraient|"
    r"peut|possible|possiblement|probablement|semble|ressemble|evoque|fait penser|savoir si|verifier si|"
    r"eliminer|risque|si)\b"
)
_GAP_BLOCKERS = frozenset(
    [
        "risk",
        "risks",
        "chance",
        "chances",
        "symptom",
        "symptoms",
        "sign",
        "signs",
        "family",
        "history",
        "test",
        "tests",
        "screening",
        "check",
        "fear",
        "worry",
        "question",
        "questions",
        "doctor",
        "appointment",
        "medicine",
        "medicines",
        "medication",
        "medications",
        "treatment",
        "risque",
        "risques",
        "symptome",
        "symptomes",
        "signe",
        "signes",
        "famille",
        "antecedents",
        "examen",
        "depistage",
        "peur",
        "question",
        "medecin",
        "rendez-vous",
        "traitement",
        "medicament",
        "medicaments",
        "not",
        "pas",
        "no",
    ]
)
_ASSERT_EN = (
    r"(?:you have|you've got|you have got|you've|you are suffering from|you're suffering from|you suffer from|"
    r"you were diagnosed with|you've been diagnosed with|you have been diagnosed with|you are|you're|you had|"
    r"this is|that is|that's|it is|it's|you definitely have|you certainly have|your)"
)
_ASSERT_FR = (
    r"(?:vous avez|tu as|vous souffrez d[eu']?|tu souffres d[eu']?|vous etes atteinte? d[eu']?|"
    r"on vous a diagnostique|vous etes|tu es|c'est|il s'agit d[eu']?|votre|vos|ton|ta|tes|vous aviez)"
)
_NEGATED_EN = r"(?:you don't have|you do not have|you haven't got|you have no|you are not|you're not|it's not|it is not|this is not|that's not|that is not)"
_NEGATED_FR = r"(?:vous n'avez pas|tu n'as pas|vous n'avez aucune?|vous n'etes pas|tu n'es pas|ce n'est pas|il ne s'agit pas)"
_ARTICLES = r"(?:(?:a|an|the|some|definitely|certainly|clearly|surely|un|une|le|la|l'|les|du|des|de la|de l'|d'|de|certainement|surement|clairement|bien|forcement)\s*)*"
_MODIFIER_AFTER = re.compile(
    r"\s*(?:tablets?|pills?|medicines?|medications?|drugs?|treatment|plan|clinic|nurse|team|care|check|"
    r"checks|test|tests|screening|diet|education|specialist|risk|service|review|programme|program|"
    r"vaccines?|vaccination|jab|shot|symptoms?|signs?)\b"
)
_ALLERGY = re.compile(
    r"\b(?:you(?: are|'re) allergic to|your allergy to|an allergy to|vous etes allergique (?:a|au|aux|a la|a l')|"
    r"votre allergie (?:a|au|aux|a la|a l')|allergie (?:a|au|aux)|allergic to)\s+([a-z][a-z' -]{2,40})"
)
# Words after "allergic to" that name no substance, so there is nothing to ground.
_NOT_A_SUBSTANCE = frozenset(
    {
        "one",
        "any",
        "anything",
        "something",
        "them",
        "these",
        "this",
        "that",
        "those",
        "some",
        "certain",
        "rien",
        "quelque",
        "certains",
        "certaines",
        "ceux",
        "celui",
        "celle",
    }
)
_NO_ALLERGY = re.compile(
    r"\b(?:you have no (?:known )?allerg|you don't have any allerg|no (?:known )?allergies|"
    r"vous n'avez (?:aucune|pas d') ?allergie|aucune allergie)"
)


def _assertion(prefix: str) -> str | None:
    """'assert' / 'negated' when the words before a condition name state it as the patient's."""
    prefix = prefix.rstrip()
    window = re.search(rf"(?:{_NEGATED_EN}|{_NEGATED_FR})\s+{_ARTICLES}(?:[a-z'-]+\s+){{0,2}}$", prefix + " ")
    if window and not (set(window.group(0).split()) & _GAP_BLOCKERS - {"not", "pas", "no"}):
        return "negated"
    window = re.search(rf"\b(?:{_ASSERT_EN}|{_ASSERT_FR})\s+{_ARTICLES}(?:[a-z'-]+\s+){{0,2}}$", prefix + " ")
    if window:
        tail = set(window.group(0).split()[1:])
        if tail & _GAP_BLOCKERS:
            return None
        return "assert"
    return None


# --- dose instructions ---------------------------------------------------------------------------------

_DOSE_UNITS_EN = r"(?:tablets?|pills?|capsules?|caps|puffs?|drops?|units?|mg|mcg|ml|g|doses?|teaspoons?|spoonfuls?|sachets?|injections?)"
_DOSE_UNITS_FR = r"(?:comprimes?|cachets?|gelules?|pilules?|bouffees?|gouttes?|unites?|mg|mcg|ml|g|doses?|sachets?|cuilleres?|injections?)"
_DOSE_PATTERNS = [
    re.compile(
        rf"\b(?:take|use|inject|give yourself|apply|have)\s+(?:\d+(?:[.,]\d+)?|one|two|three|four|five|half|a|an|another|an extra|extra|double|a double)\s*(?:x\s*)?(?:more\s+)?{_DOSE_UNITS_EN}\b(?! of (?:sugar|glucose|fast|carb|sweet|juice))"
    ),
    re.compile(
        r"\b(?:increase|decrease|reduce|lower|raise|up|double|halve|cut|adjust|change|stop|skip)\s+(?:your|the)\s+(?:[a-z-]+\s+){0,2}(?:dose|dosage|insulin|units)\b"
    ),
    re.compile(
        r"\b(?:increase|decrease|reduce|raise|lower|go up|go down|bump (?:it )?up)\b.{0,30}\bto\s+\d+(?:[.,]\d+)?\s*(?:mg|units?|mcg|ml|g|tablets?|pills?)\b"
    ),
    re.compile(
        r"\b(?:stop|start|quit|skip|restart)\s+(?:taking\s+|using\s+)?(?:your|the)\s+(?:[a-z-]+\s+){0,2}(?:medication|medicine|meds|tablets|pills|insulin|treatment|inhaler|<<med>>)\b"
    ),
    re.compile(
        r"\b(?:take|use)\b.{0,40}\b(?:every \d+ hours|\d+ times (?:a|per) day|twice (?:a|per) day|three times (?:a|per) day)\b"
    ),
    re.compile(
        rf"\b(?:prenez|prends|injectez|injecte|appliquez|applique)\s+(?:\d+(?:[.,]\d+)?|un|une|deux|trois|quatre|cinq|la moitie d'une?|un demi|une demie?|une dose|double|une double)\s*(?:de plus\s+)?{_DOSE_UNITS_FR}\b(?! de (?:sucre|glucose))"
    ),
    re.compile(
        r"\b(?:augmentez|augmente|diminuez|diminue|reduisez|reduis|baissez|baisse|doublez|double|modifiez|changez|ajustez|arretez|arrete|sautez)\s+(?:votre|vos|ta|ton|tes|la|le|les)\s+(?:[a-z-]+\s+){0,2}(?:dose|doses|posologie|dosage|insuline|unites|traitement)\b"
    ),
    re.compile(
        r"\b(?:augmentez|augmente|montez|passez|diminuez|diminue|baissez|reduisez)\b.{0,30}\b(?:a|jusqu'a)\s+\d+(?:[.,]\d+)?\s*(?:mg|unites?|mcg|ml|g|comprimes?)\b"
    ),
    re.compile(
        r"\b(?:arretez|arrete|stoppez|commencez|commence|recommencez|sautez|suspendez)\s+(?:de prendre\s+|a prendre\s+)?(?:votre|vos|ton|ta|tes|la|le|les|l')\s*(?:[a-z-]+\s+){0,2}(?:medicaments?|traitement|comprimes|insuline|cachets|inhalateur|<<med>>)\b"
    ),
    re.compile(
        r"\b(?:prenez|prends|prendre)\b.{0,40}\b(?:toutes les \d+ heures|\d+ fois par jour|deux fois par jour|trois fois par jour)\b"
    ),
]
_DOSE_EXEMPT_BEFORE = re.compile(
    r"\b(?:don't|do not|never|not|without|avoid|won't|can't|cannot|shouldn't|should not|n'|ne|jamais|sans|pas|"
    r"evitez|before you|avant de|only your|seul votre|seule votre|your (?:doctor|prescriber|pharmacist|gp)|"
    r"votre (?:medecin|prescripteur|pharmacien))\b"
)


def _dose_patterns() -> list[re.Pattern[str]]:
    from assistant.guardrails.lexicon import medicines

    med = names_regex(medicines().names)
    return [re.compile(p.pattern.replace("<<med>>", med)) for p in _DOSE_PATTERNS]


_DOSE_COMPILED: list[re.Pattern[str]] = []


def _dose_instructions(folded: str) -> list[str]:
    if not _DOSE_COMPILED:
        _DOSE_COMPILED.extend(_dose_patterns())
    hits = []
    for pattern in _DOSE_COMPILED:
        for m in pattern.finditer(folded):
            if not _DOSE_EXEMPT_BEFORE.search(folded[: m.start()]):
                hits.append(m.group(0))
    return hits


# --- links ---------------------------------------------------------------------------------------------

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\s*\([^)]*\)")
_HTML_EMBED = re.compile(
    r"<\s*(?:img|iframe|script|object|embed|link|video|audio|source|form)\b", re.IGNORECASE
)
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>()\[\]\"'`]+", re.IGNORECASE)
_BAD_SCHEME = re.compile(r"\b(?:data|javascript|vbscript|file):", re.IGNORECASE)
_BARE_QUERY_URL = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)+\.[a-z]{2,}/\S*\?\S+", re.IGNORECASE)


def _check_links(text: str, allowed: Sequence[str], report: _Report) -> None:
    for m in _MD_IMAGE.finditer(text):
        report.add("exfiltration-link", f"image {m.group(0)[:80]!r}")
    for m in _HTML_EMBED.finditer(text):
        report.add("exfiltration-link", f"embedded HTML {m.group(0)!r}")
    for m in _BAD_SCHEME.finditer(text):
        report.add("exfiltration-link", f"{m.group(0)} URL")
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?")
        parts = urlsplit(url if "://" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
        if parts.query or parts.fragment or "@" in parts.netloc:
            report.add("exfiltration-link", f"URL carrying data {url[:100]!r}")
        elif not any(host == h or host.endswith("." + h) for h in allowed):
            report.add("unapproved-link", f"link to {host or url[:60]!r}, not an approved health site")
    for m in _BARE_QUERY_URL.finditer(text):
        if not _URL.search(m.group(0)):
            report.add("exfiltration-link", f"URL carrying data {m.group(0)[:100]!r}")


# --- disclaimer ----------------------------------------------------------------------------------------

_GUIDANCE = re.compile(
    r"\b(?:you should|you could try|try to|try |i (?:would )?(?:recommend|suggest|advise)|consider|make sure|"
    r"rest|drink|stay hydrated|keep an eye|watch for|see a (?:doctor|gp|clinician|pharmacist)|contact (?:a|your)|"
    r"call (?:\d+|your|an|a)|go to|seek|"
    r"vous devriez|essayez|je vous (?:conseille|recommande|suggere)|pensez a|reposez|buvez|hydratez|surveillez|"
    r"consultez|contactez|appelez|rendez-vous aux urgences|allez aux urgences|prenez rendez-vous)\b"
)
_DISCLAIMER = re.compile(
    r"\b(?:not a diagnosis|not medical advice|general information|does not replace|doesn't replace|"
    r"pas un diagnostic|pas un avis medical|information generale|ne remplace pas)\b"
)


def gives_guidance(text: str) -> bool:
    """Does the reply tell the patient what to do about their health (so it needs the disclaimer)?"""
    return bool(_GUIDANCE.search(fold(text)))


def has_disclaimer(text: str) -> bool:
    return bool(_DISCLAIMER.search(fold(text)))


def add_disclaimer(text: str, language: Language, region: str = "FR") -> str:
    """``text`` with the short disclaimer appended once (unchanged if one is already there)."""
    if has_disclaimer(text):
        return text
    return f"{text.rstrip()}\n\n{disclaimer(language, region)}"


# --- the check -----------------------------------------------------------------------------------------


def check_output(
    text: str,
    *,
    citations: Sequence[Citation],
    record: PatientRecord | None,
    language: Language,
    allowed_link_hosts: Sequence[str] = DEFAULT_ALLOWED_LINK_HOSTS,
    concepts: ConceptMap | None = None,
    today: date,
    lexicons: RecordLexicons | None = None,
) -> OutputVerdict:
    """Check a reply (see the module docstring for what each flag means). ``today`` is the patient's
    today (a booking "today or tomorrow" is checked against it); nothing here reads the machine's clock."""
    report = _Report()
    by_n = {c.n: c for c in citations}
    resolvable: set[int] = set()
    for c in citations:
        if record is not None and record.get(c.resource) is not None:
            resolvable.add(c.n)
        else:
            report.add("unresolved-citation", f"[{c.n}] {c.resource} is not in the patient's record")
    for n in _markers(text):
        if n not in by_n:
            report.add("unknown-citation", f"marker [{n}] has no citation")
    _check_links(text, allowed_link_hosts, report)

    if lexicons is None:
        lexicons = record_lexicons(record)
    cache: dict[tuple[int, ...], ResourceFacts] = {}
    all_ns = tuple(sorted(resolvable))

    def scope(markers: Iterable[int]) -> ResourceFacts:
        key = tuple(sorted(n for n in set(markers) if n in resolvable)) or all_ns
        if key not in cache:
            cache[key] = facts_for(record, [by_n[n].resource for n in key], lexicons, concepts)
        return cache[key]

    now = today
    for raw in sentences(_PLACEHOLDER.sub(" ", text)):
        sentence = _Sentence(raw, fold(_URLISH.sub(" ", raw)), _markers(raw))
        body = _MARKER.sub(" ", sentence.folded)
        for hit in _dose_instructions(body):
            report.add("dose-instruction", repr(hit))
        _check_sentence(sentence, body, language, lexicons, scope, now, report)
        if _NO_ALLERGY.search(body) and lexicons.has_active_allergy:
            report.add("ungrounded-allergy", "says there is no allergy, but the record lists one")
    if gives_guidance(text) and not has_disclaimer(text):
        report.add("missing-disclaimer", "guidance given without the short disclaimer (use add_disclaimer)")
    return report.verdict()


def _check_sentence(
    sentence: _Sentence,
    body: str,
    language: Language,
    lexicons: RecordLexicons,
    scope_of: Callable[[Iterable[int]], ResourceFacts],
    today: date,
    report: _Report,
) -> None:
    facts: ResourceFacts = scope_of(sentence.markers)
    dates, rest = _find_dates(body)
    if sentence.checked:
        booking = bool(_BOOKING.search(body))
        exempt = _period_bounds(body, dates) if not _NOTHING_FOUND.search(body) else set(range(len(dates)))
        for i, mention in enumerate(dates):
            if i in exempt:
                continue
            latest = mention.latest()
            if booking and latest is not None and latest >= today - timedelta(days=1):
                continue  # a slot or appointment being offered or booked, not a record fact
            if not mention.supported(facts):
                report.add("ungrounded-date", f"{mention.text!r} in {_short(sentence.raw)}")
        for number in _find_numbers(rest, language):
            if number.unit is None and not sentence.about_patient:
                continue
            if not facts.supports_number(number.value, number.decimals, number.unit):
                report.add("ungrounded-number", f"{number.text!r} in {_short(sentence.raw)}")
    if sentence.question:
        return
    # medicines named as the patient's
    claim = bool(sentence.markers) or bool(_MED_CLAIM.search(body))
    allergy_spans = [m.span(1) for m in _ALLERGY.finditer(body)]
    for key, name, start, _end in lexicons.medicines.find(body):
        if any(lo <= start < hi for lo, hi in allergy_spans):
            continue  # checked as an allergy below
        named_as_patients = claim or _POSSESSIVE_BEFORE.search(body[:start])
        if named_as_patients and key not in facts.medicine_keys and name not in facts.text:
            report.add("ungrounded-medication", f"{name!r} in {_short(sentence.raw)}")
    # conditions stated as the patient's
    for key, name, start, end in lexicons.conditions.find(body):
        prefix = body[:start]
        kind = _assertion(prefix)
        if kind is None or _HEDGE.search(prefix) or _MODIFIER_AFTER.match(body[end:]):
            continue
        if kind == "negated":
            report.add("definitive-diagnosis", f"rules out {name!r}: {_short(sentence.raw)}")
            continue
        if key in facts.condition_keys or name in facts.text:
            continue
        if key in lexicons.record_condition_keys:
            report.add(
                "ungrounded-condition", f"{name!r} is in the record but not cited: {_short(sentence.raw)}"
            )
        else:
            report.add("definitive-diagnosis", f"{name!r} is not in the record: {_short(sentence.raw)}")
    for m in _ALLERGY.finditer(body):
        words = [
            w for w in re.split(r"[ -]", m.group(1)) if len(w) >= 3 and w not in ("and", "the", "les", "des")
        ]
        substance = words[0] if words else m.group(1)
        substance = re.split(r"\s(?:and|et|or|ou)\s", substance)[0]
        if substance in _NOT_A_SUBSTANCE:
            continue  # "people allergic to one of these", "am I allergic to anything?": no substance named
        if substance not in facts.allergy_text:
            report.add(
                "ungrounded-allergy",
                f"allergy to {substance!r} not in a cited allergy: {_short(sentence.raw)}",
            )


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
