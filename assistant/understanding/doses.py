"""How much paracetamol someone says they took in a day, as a number the triage protocols can compare.

Why a number and not a phrase: people rarely write "overdose" when they have taken too much paracetamol for
toothache or a migraine ("9 Doliprane 1000 yesterday and 7 since this morning", "I've had 12 paracetamol
today"). Public guidance (nhs.uk "Paracetamol for adults": at most 4 g in 24 hours; nhs.uk "Paracetamol
overdose" and the French ANSM / Ameli advice on paracétamol: more than the daily maximum needs A&E at once,
even when the person feels well, because the liver damage shows only days later) turns on the amount, so
the amount is what we read: tablets counted × the strength given (500 mg when none is given, the usual
tablet in the UK and France), divided by the number of days when the count covers several ("16 tablets over
4 days" is 4 a day).

Only amounts already taken are read: the message must say the medicine was taken ("took", "had",
"swallowed", "j'ai pris"…) and a pack size ("a box of 16") is not a count. Questions about a hypothetical
amount ("would 10 be too many?") are the risk-signal reader's business, not a measurement.
"""

from __future__ import annotations

import re

from assistant.understanding.measures import words_to_number
from assistant.understanding.model import Vital, VitalKind

__all__ = ["find_paracetamol_amounts"]

_DEFAULT_STRENGTH_MG = 500.0

_DRUG = (
    r"(?:paracetamols?|acetaminophen|dolipranes?|dafalgans?|efferalgans?|panadols?|calpol|tylenols?"
    r"|co ?codamol|cocodamol|codoliprane|lemsip)"
)
_PARACETAMOL = re.compile(rf"\b{_DRUG}\b")
_TAKEN = re.compile(
    r"\b(?:took|taken|had|have had|ive had|swallowed|popped|necked|downed|been taking|been on"
    r"|pris|prise|prises|avale|avalee|avales|ingere|enchaine|enchainee)\b"
)
_STRENGTH = re.compile(rf"{_DRUG} ?(\d{{3,4}})\b|(\d{{3,4}}) ?mg\b|\b(1) ?(?:g|gr|gramme|gram)\b(?! ?/)")
_UNIT = (
    r"(?:comprimes?|cachets?|gelules?|pilules?|tablets?|tabs?|pills?|caplets?|capsules?|sachets?|"
    + _DRUG
    + r")"
)
_COUNT = re.compile(
    rf"(?<![\d.])(\d{{1,2}}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    rf"|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt)"
    rf" (?:(?:x|de|of|more|extra|autres?|other|de plus|en plus|\w+ ?(?:mg|g)) ){{0,2}}{_UNIT}"
)
_PACK = re.compile(
    r"(?:box|boxes|packet|packets|pack|packs|strip|blister|bottle|tube|boite|boites|plaquette|plaquettes"
    r"|flacon) (?:of|de|d) $"
)
_OVER_DAYS = re.compile(
    r"(?:over|in|across|en|sur|during|pendant) (?:the |les )?(?:last |past |derniers |dernieres )?"
    r"(\d{1,2}|two|three|four|five|six|seven|deux|trois|quatre|cinq|six|sept) (?:days|jours)"
    r"|(?:this|the whole|all) week|(?:cette|toute la) semaine"
)


def _number(word: str) -> float:
    value = words_to_number(word)
    if value is None:  # the patterns only capture digits and the number words measures.py knows
        raise ValueError(f"not a number: {word!r}")
    return value


def _strength_mg(folded: str) -> float:
    for m in _STRENGTH.finditer(folded):
        if m.group(3):
            return 1000.0
        value = float(m.group(1) or m.group(2))
        if value in (325.0, 500.0, 650.0, 1000.0):
            return value
    return _DEFAULT_STRENGTH_MG


def find_paracetamol_amounts(folded: str) -> list[Vital]:
    """The largest daily amount of paracetamol the message says was taken, in mg (empty when none is read).

    Each count of tablets is one reading; the stage sets clause and subject later, as for vital signs.
    """
    if not _PARACETAMOL.search(folded) or not _TAKEN.search(folded):
        return []
    strength = _strength_mg(folded)
    days_match = _OVER_DAYS.search(folded)
    days = 1.0
    if days_match is not None:
        days = _number(days_match.group(1)) if days_match.group(1) else 7.0
    readings: list[Vital] = []
    for m in _COUNT.finditer(folded):
        if _PACK.search(folded[max(0, m.start() - 14) : m.start()]):
            continue
        count = _number(m.group(1))
        if count > 40:
            continue
        mg = count * strength / days
        readings.append(
            Vital(
                kind=VitalKind.PARACETAMOL_MG_DAY,
                value=round(mg, 1),
                unit="mg/day",
                raw=m.group(),
                start=m.start(),
                end=m.end(),
                clause=0,
            )
        )
    return readings
