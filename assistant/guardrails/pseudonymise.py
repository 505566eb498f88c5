"""PHI pseudonymiser: what a remote LLM sees instead of who the patient is.

Nothing identifying leaves the machine by default (the offline composer needs no model). When a remote
LLM is configured, every text sent to it (system prompt, record context, the patient's messages) goes
through ``Pseudonymiser.mask`` and the reply through ``restore`` (DESIGN.md, safety principle 6):

- from the record: the patient's names (official, maiden, Synthea's digit-suffixed "Josué544"), address
  lines, city, postal code, phone numbers, emails, every identifier value (MRN, SSN, NIR, driver's
  licence, passport, Synthea ids) and the logical id, exact birth and death dates, the mother's maiden
  name and contacts; the names, addresses and phones of the clinicians and organisations in the record;
- anywhere in free text: emails, phone numbers (US, French, international), SSN and NIR patterns, and
  dates or numbers introduced as a birth date or an identifier ("born 3/10/1956", "MRN: A12345").

Each distinct value becomes a placeholder such as ``[PATIENT_NAME_1]``, the same one every time it appears
in the conversation, so the model can still say "Hello [PATIENT_NAME_1]". A birth date keeps its year
(``[BIRTH_DATE_1 (1956)]``), or an age band from 90 on, so the model can still reason about age.
``restore`` puts the originals back; a placeholder the model invents is left as it is.

Clinical dates and values stay: they are what the patient asks about, and without names, addresses and
identifiers they do not point to a person.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from assistant.guardrails._text import strip_accents
from fhir_client import PatientRecord

__all__ = ["PLACEHOLDER_PATTERN", "Pseudonymiser"]

PLACEHOLDER_PATTERN = re.compile(r"\[([A-Z][A-Z_]*?)_(\d+)(?: \([^)\]\n]{0,40}\))?\]")

# --- accent- and case-insensitive letters ----------------------------------------------------------------

_VARIANTS: dict[str, set[str]] = {}
for _code in list(range(0x41, 0x5B)) + list(range(0x61, 0x7B)) + list(range(0xC0, 0x250)):
    _ch = chr(_code)
    _base = strip_accents(_ch).lower()
    if len(_base) == 1 and _base.isascii() and _base.isalpha():
        _VARIANTS.setdefault(_base, set()).update({_ch.lower(), _ch.upper()})
_APOSTROPHES = "'’ʼ`´"
_LETTER = "A-Za-zÀ-ÖØ-öø-ɏ"


def _loose(text: str) -> str:
    """A regex matching ``text`` ignoring case, accents, and how spaces, hyphens and apostrophes are typed."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        base = strip_accents(ch).lower()
        if len(base) == 1 and base in _VARIANTS:
            out.append("[" + "".join(sorted(_VARIANTS[base] | {ch})) + "]")
        elif ch in _APOSTROPHES:
            out.append(f"[{_APOSTROPHES}]")
        elif ch in "-‐‑ ":
            out.append(r"[\s\-‐‑]+")
        elif ch.isspace():
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _word(pattern: str, digits_suffix: bool = False) -> str:
    suffix = r"\d*" if digits_suffix else ""
    return rf"(?<![{_LETTER}0-9]){pattern}{suffix}(?![{_LETTER}0-9])"


def _digits_loose(digits: str) -> str:
    return r"[\s.\-()/]*".join(re.escape(d) for d in digits)


# --- dates -----------------------------------------------------------------------------------------------

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "janv"),
    2: ("february", "feb", "février", "févr", "fév"),
    3: ("march", "mar", "mars"),
    4: ("april", "apr", "avril", "avr"),
    5: ("may", "mai"),
    6: ("june", "jun", "juin"),
    7: ("july", "jul", "juillet", "juil"),
    8: ("august", "aug", "août"),
    9: ("september", "sep", "sept", "septembre"),
    10: ("october", "oct", "octobre"),
    11: ("november", "nov", "novembre"),
    12: ("december", "dec", "décembre", "déc"),
}
_ANY_MONTH = "(?:" + "|".join(_loose(n) for names in _MONTH_NAMES.values() for n in names) + r")\.?"


def _date_pattern(day: date) -> str:
    """Common spellings of one calendar date in English and French."""
    y, m, d = day.year, day.month, day.day
    dd, mm = rf"0?{d}", rf"0?{m}"
    month = "(?:" + "|".join(_loose(n) for n in _MONTH_NAMES[m]) + r")\.?"
    ordinal = r"(?:st|nd|rd|th|er|e)?"
    forms = [
        rf"{y}[-/.]{mm}[-/.]{dd}(?:T\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?",
        rf"{dd}[-/.]{mm}[-/.]{y}",
        rf"{mm}[-/.]{dd}[-/.]{y}",
        rf"{dd}{ordinal}(?:\s+of)?\s+{month},?\s+{y}",
        rf"{month}\s+{dd}{ordinal},?\s+{y}",
    ]
    return r"(?<![\d])(?:" + "|".join(forms) + r")(?![\d])"


_GENERIC_DATE = (
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|"
    rf"\d{{1,2}}(?:st|nd|rd|th|er|e)?(?:\s+of)?\s+{_ANY_MONTH},?\s+\d{{4}}|{_ANY_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)

# --- generic detectors for free text ---------------------------------------------------------------------

_GENERIC: list[tuple[str, re.Pattern[str], int]] = [
    ("EMAIL", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), 0),
    ("IDENTIFIER", re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"), 0),  # US SSN
    (
        "IDENTIFIER",  # French NIR (sex, year, month, department, commune, order, key)
        re.compile(
            r"(?<![\w])(?<!CT )(?<!RxNorm )(?<!LOINC )(?<!CVX )[12][\s.]?\d{2}[\s.]?(?:0[1-9]|1[0-2]|[2-9]\d)[\s.]?"
            r"(?:\d{2}|2[AB])[\s.]?\d{3}[\s.]?\d{3}(?:[\s.]?\d{2})?(?![\w])"
        ),
        0,
    ),
    (
        "PHONE",
        re.compile(
            r"(?<![\w/+])(?:(?:\+|00)33[\s.-]?(?:\(0\)[\s.-]?)?[1-9]|0[1-9])(?:[\s.-]?\d{2}){4}(?![\w/])"  # France
        ),
        0,
    ),
    (
        "PHONE",
        re.compile(r"(?<![\w/])(?:\+1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w/])"),  # US
        0,
    ),
    ("PHONE", re.compile(r"(?<![\w/])\+\d{1,3}(?:[\s.-]?\d{2,4}){2,5}(?![\w/])"), 0),  # other international
    (
        "BIRTH_DATE",
        re.compile(
            rf"(?i)\b(?:born(?:\s+on)?|date\s+of\s+birth|d\.?o\.?b\.?|birth\s?date|birthday|n[ée]e?(?:\(e\))?\s+le|"
            rf"date\s+de\s+naissance)\s*[:\-]?\s*({_GENERIC_DATE})"
        ),
        1,
    ),
    (
        "IDENTIFIER",
        re.compile(
            r"(?i)\b(?:mrn|medical\s+record\s+(?:number|no\.?)|patient\s+(?:id|number)|ssn|social\s+security\s+"
            r"(?:number|no\.?)|passport(?:\s+(?:number|no\.?))?|driver'?s\s+licen[cs]e(?:\s+(?:number|no\.?))?|"
            r"num[ée]ro\s+de\s+s[ée]curit[ée]\s+sociale|n°\s*de\s+s[ée]curit[ée]\s+sociale|num[ée]ro\s+de\s+dossier|"
            r"n°\s*de\s+dossier|ipp|nir|carte\s+vitale)\s*(?:is|est|:|#|n°|no\.?)?\s*([A-Z0-9][A-Z0-9\-]{3,})"
        ),
        1,
    ),
]


@dataclass(frozen=True)
class _Entity:
    kind: str
    pattern: re.Pattern[str]
    hint: str = ""  # shown inside the placeholder, e.g. the birth year


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str
    hint: str


def _age_hint(born: date, until: date) -> str:
    age = until.year - born.year - ((until.month, until.day) < (born.month, born.day))
    return "90+ years old" if age >= 90 else str(born.year)


def _str(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    text = _str(value)
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


class Pseudonymiser:
    """Masks a patient's identifying data in text and restores it in replies.

    One instance per patient's LLM binding: placeholders stay consistent across every text masked by the
    same instance, and ``restore`` only knows the placeholders this instance produced. The patient may
    have several conversations at once (two browser tabs, the API's thread pool), so handing out a
    placeholder is atomic: two threads never get the same number for two different values.
    """

    def __init__(self, entities: Iterable[_Entity] = ()) -> None:
        self._lock = threading.Lock()
        self._entities = list(entities)
        self._by_surface: dict[tuple[str, str], str] = {}
        self._originals: dict[str, str] = {}
        self._counters: dict[str, int] = {}

    # -- construction ---------------------------------------------------------------------------------

    @classmethod
    def from_record(cls, record: PatientRecord | None, *, today: date | None = None) -> Pseudonymiser:
        """Everything identifying in ``record`` (see the module docstring); ``None`` → generic detection only.

        ``today`` (required with a record) decides the age hint given with a masked birth date.
        """
        if record is None:
            return cls()
        if today is None:
            raise ValueError("pseudonymising a record needs today's date (pass today=)")
        return cls(_record_entities(record, today))

    # -- masking ----------------------------------------------------------------------------------------

    def _spans(self, text: str) -> list[_Span]:
        found: list[_Span] = []
        for m in PLACEHOLDER_PATTERN.finditer(text):
            found.append(_Span(m.start(), m.end(), "LITERAL", ""))
        for entity in self._entities:
            for m in entity.pattern.finditer(text):
                if m.end() > m.start():
                    found.append(_Span(m.start(), m.end(), entity.kind, entity.hint))
        for kind, pattern, group in _GENERIC:
            for m in pattern.finditer(text):
                if m.end(group) > m.start(group):
                    found.append(_Span(m.start(group), m.end(group), kind, ""))
        # Longest first at each position, then keep non-overlapping spans left to right.
        found.sort(key=lambda s: (s.start, -(s.end - s.start)))
        kept: list[_Span] = []
        for span in found:
            if kept and span.start < kept[-1].end:
                continue
            kept.append(span)
        return kept

    def _placeholder(self, kind: str, surface: str, hint: str) -> str:
        key = (kind, surface)
        with self._lock:
            existing = self._by_surface.get(key)
            if existing is not None:
                return existing
            n = self._counters.get(kind, 0) + 1
            self._counters[kind] = n
            token = f"[{kind}_{n} ({hint})]" if hint else f"[{kind}_{n}]"
            self._by_surface[key] = token
            self._originals[f"{kind}_{n}"] = surface
            return token

    def mask(self, text: str) -> str:
        """``text`` with every identifying value replaced by its placeholder."""
        out: list[str] = []
        pos = 0
        for span in self._spans(text):
            out.append(text[pos : span.start])
            out.append(self._placeholder(span.kind, text[span.start : span.end], span.hint))
            pos = span.end
        out.append(text[pos:])
        return "".join(out)

    def restore(self, text: str) -> str:
        """Put the original values back in place of the placeholders this instance produced."""

        def back(m: re.Match[str]) -> str:
            return self._originals.get(f"{m.group(1)}_{m.group(2)}", m.group(0))

        return PLACEHOLDER_PATTERN.sub(back, text)

    @property
    def mapping(self) -> dict[str, str]:
        """Placeholder id (e.g. ``PATIENT_NAME_1``) → original, for the local audit log only."""
        with self._lock:
            return dict(self._originals)

    def unknown_placeholders(self, text: str) -> list[str]:
        """Placeholders in a reply that this instance never produced (a model inventing identities)."""
        return [
            m.group(0)
            for m in PLACEHOLDER_PATTERN.finditer(text)
            if f"{m.group(1)}_{m.group(2)}" not in self._originals
        ]


# --- what a record identifies ------------------------------------------------------------------------------

_NAME_PREFIXES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "mme", "mlle", "m", "pr", "sir", "jr", "sr"}
)
_UNIT_WORDS = re.compile(
    r"\s+(?:apt|apartment|unit|suite|ste|#|bat|bât|appt|appartement|etage|étage)\b.*$", re.IGNORECASE
)


def _name_tokens(names: Iterable[Any]) -> Iterator[str]:
    for name in names or []:
        parts: list[str] = [*(getattr(name, "given", None) or []), _str(getattr(name, "family", None))]
        text = _str(getattr(name, "text", None))
        if text:
            parts.extend(text.split())
        for part in parts:
            for token in re.split(r"[\s,]+", part):
                base = re.sub(r"\d+$", "", token).strip(".")
                if len(base) >= 2 and base.lower().strip(".") not in _NAME_PREFIXES:
                    yield base
                    for piece in re.split(r"[-'’]", base):
                        if len(piece) >= 3 and piece != base:
                            yield piece


def _address_entities(addresses: Iterable[Any], with_city: bool) -> Iterator[_Entity]:
    for address in addresses or []:
        for line in getattr(address, "line", None) or []:
            line = _str(line)
            if not line:
                continue
            variants = {line, _UNIT_WORDS.sub("", line)}
            street = re.sub(r"^\d+[A-Za-z]?,?\s+", "", line)
            if len(street.split()) >= 2:
                variants.update({street, _UNIT_WORDS.sub("", street)})
            for variant in sorted(v for v in variants if len(v) >= 4):
                yield _Entity("ADDRESS", re.compile(_word(_loose(variant))))
        if with_city and _str(getattr(address, "city", None)):
            yield _Entity("CITY", re.compile(_word(_loose(_str(address.city)))))
        postal = _str(getattr(address, "postalCode", None))
        if len(postal) >= 3:
            yield _Entity("POSTAL_CODE", re.compile(rf"(?<![\w]){_loose(postal)}(?![\w])"))
        if _str(getattr(address, "text", None)):
            yield _Entity("ADDRESS", re.compile(_word(_loose(_str(address.text)))))


def _telecom_entities(telecoms: Iterable[Any]) -> Iterator[_Entity]:
    for telecom in telecoms or []:
        value = _str(getattr(telecom, "value", None))
        if not value:
            continue
        system = _str(getattr(telecom, "system", None))
        digits = re.sub(r"\D", "", value)
        if system == "email" or "@" in value:
            yield _Entity("EMAIL", re.compile(re.escape(value), re.IGNORECASE))
        elif len(digits) >= 6:
            body = _digits_loose(digits[1:] if digits.startswith("0") else digits)
            prefix = (
                r"(?:(?:\+|00)\d{1,3}[\s.\-]*(?:\(0\)[\s.\-]*)?|0[\s.\-]*)?"
                if digits.startswith("0")
                else r"(?:\+?1[\s.\-]*)?"
            )
            yield _Entity("PHONE", re.compile(rf"(?<![\d]){prefix}\(?{body}(?![\d])"))
        else:
            yield _Entity("CONTACT", re.compile(re.escape(value)))


def _identifier_entity(value: str) -> _Entity | None:
    value = value.strip()
    if len(value) < 4:
        return None
    core = re.sub(r"[\s\-.]", "", value)
    if core.isdigit() and len(core) >= 6:
        pattern = rf"(?<![\w]){_digits_loose(core)}(?![\w])"
    else:
        pattern = rf"(?<![\w-]){_loose(value)}(?![\w-])"
    return _Entity("IDENTIFIER", re.compile(pattern, re.IGNORECASE))


def _record_entities(record: PatientRecord, today: date) -> list[_Entity]:
    patient = record.patient
    entities: list[_Entity] = []
    for token in sorted(set(_name_tokens(patient.name or [])), key=len, reverse=True):
        entities.append(_Entity("PATIENT_NAME", re.compile(_word(_loose(token), digits_suffix=True))))
    for ext in patient.extension or []:
        url = _str(ext.url)
        if url.endswith("patient-mothersMaidenName") and _str(getattr(ext, "valueString", None)):
            for token in _str(ext.valueString).split():
                base = re.sub(r"\d+$", "", token)
                if len(base) >= 2:
                    entities.append(
                        _Entity("RELATIVE_NAME", re.compile(_word(_loose(base), digits_suffix=True)))
                    )
        if url.endswith("patient-birthPlace") and getattr(ext, "valueAddress", None) is not None:
            entities.extend(_address_entities([ext.valueAddress], with_city=True))
    entities.extend(_address_entities(patient.address or [], with_city=True))
    entities.extend(_telecom_entities(patient.telecom or []))
    for contact in patient.contact or []:
        for token in _name_tokens([contact.name] if contact.name else []):
            entities.append(_Entity("RELATIVE_NAME", re.compile(_word(_loose(token), digits_suffix=True))))
        entities.extend(_telecom_entities(contact.telecom or []))
        if contact.address is not None:
            entities.extend(_address_entities([contact.address], with_city=True))
    identifiers = {_str(i.value) for i in patient.identifier or [] if _str(i.value)}
    identifiers.add(_str(patient.id))
    for value in sorted(identifiers, key=len, reverse=True):
        entity = _identifier_entity(value)
        if entity is not None:
            entities.append(entity)
    born = _as_date(patient.birthDate)
    died = _as_date(getattr(patient, "deceasedDateTime", None))
    if born is not None:
        entities.append(
            _Entity(
                "BIRTH_DATE", re.compile(_date_pattern(born), re.IGNORECASE), _age_hint(born, died or today)
            )
        )
    if died is not None:
        entities.append(_Entity("DEATH_DATE", re.compile(_date_pattern(died), re.IGNORECASE), str(died.year)))
    # Clinicians and organisations in the record narrow down where the patient lives and is treated.
    for practitioner in record.of_type("Practitioner"):
        for token in sorted(
            set(_name_tokens(getattr(practitioner, "name", None) or [])), key=len, reverse=True
        ):
            entities.append(_Entity("CLINICIAN_NAME", re.compile(_word(_loose(token), digits_suffix=True))))
        entities.extend(_address_entities(getattr(practitioner, "address", None) or [], with_city=True))
        entities.extend(_telecom_entities(getattr(practitioner, "telecom", None) or []))
    for rtype in ("Organization", "Location"):
        for org in record.of_type(rtype):
            name = _str(getattr(org, "name", None))
            if len(name) >= 3:
                entities.append(_Entity("ORGANIZATION", re.compile(_word(_loose(name)))))
            address = getattr(org, "address", None)
            entities.extend(
                _address_entities(
                    address if isinstance(address, list) else [address] if address else [], with_city=True
                )
            )
            entities.extend(_telecom_entities(getattr(org, "telecom", None) or []))
    return entities
