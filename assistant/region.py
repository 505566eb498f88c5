"""The numbers a patient is told to call, per deployment country: one table for every text.

The triage advice ("call 15 now"), the disclaimer, the refusals, the booking flow's "if it gets worse",
the health-topic guidance and the patient app all take their numbers from ``numbers_for(region)``, so a
UK deployment never shows a French number and a US one never shows "112 (911 in the US)". A country not
in the table gets the European default, 112, which works across the EU and in many other countries.

Sources (public, checked for this table): France — SAMU 15, 112 also answered; 3114, the national
suicide-prevention line (free, 24/7); 116 117 for the out-of-hours GP service (permanence des soins).
United Kingdom — 999 (NHS "When to call 999"); NHS 111 for urgent advice out of hours, and 111 option 2
for an urgent mental-health crisis. United States — 911; 988 Suicide & Crisis Lifeline (call or text);
no national out-of-hours number (the practice's after-hours line). Germany — 112 (Rettungsdienst);
116 117 for the ärztlicher Bereitschaftsdienst; TelefonSeelsorge 0800 111 0 111 (free, 24/7).
Canada — 911; 988 Suicide Crisis Helpline; 811 health line in most provinces.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = ["DEFAULT_REGION", "REGIONS", "RegionNumbers", "numbers_for", "region_code"]

_Language = Literal["en", "fr"]


@dataclass(frozen=True, slots=True)
class RegionNumbers:
    """What to call in one country. ``also`` are numbers that reach the same emergency service (112 in
    France); they may be named next to ``emergency``, never instead of it."""

    code: str
    emergency: str
    crisis: str
    out_of_hours: str | None = None
    also: tuple[str, ...] = ()

    @property
    def all_numbers(self) -> tuple[str, ...]:
        """Every number this country's texts may show (what a deployment test allows)."""
        numbers = (self.emergency, *self.also, self.crisis)
        if self.out_of_hours:
            numbers += (self.out_of_hours,)
        return tuple(dict.fromkeys(numbers))

    def emergency_text(self, language: _Language) -> str:
        """The emergency number as a sentence ends it: "15 (or 112)", "le 15 (ou le 112)", "999"."""
        if language == "fr":
            main = f"le {self.emergency}"
            return main + "".join(f" (ou le {n})" for n in self.also)
        return self.emergency + "".join(f" (or {n})" for n in self.also)

    def crisis_text(self, language: _Language) -> str:
        """The crisis line as said in a sentence: "988", "le 3114"."""
        return f"le {self.crisis}" if language == "fr" else self.crisis

    def out_of_hours_text(self, language: _Language) -> str:
        """Who to call when the practice is closed: the national number where there is one."""
        if self.out_of_hours:
            if language == "fr":
                return f"la permanence de soins ({self.out_of_hours})"
            return f"the out-of-hours service ({self.out_of_hours})"
        return "un service de garde" if language == "fr" else "an out-of-hours service"


DEFAULT_REGION = RegionNumbers("EU", emergency="112", crisis="112")

REGIONS: MappingProxyType[str, RegionNumbers] = MappingProxyType(
    {
        "FR": RegionNumbers("FR", emergency="15", crisis="3114", out_of_hours="116 117", also=("112",)),
        "GB": RegionNumbers("GB", emergency="999", crisis="111", out_of_hours="111"),
        "US": RegionNumbers("US", emergency="911", crisis="988"),
        "CA": RegionNumbers("CA", emergency="911", crisis="988", out_of_hours="811"),
        "DE": RegionNumbers("DE", emergency="112", crisis="0800 111 0 111", out_of_hours="116 117"),
    }
)
_ALIASES = {"UK": "GB"}


def region_code(value: str) -> str:
    """ "fr" → "FR", "en_GB" / "en-GB" → "GB", "UK" → "GB" (the country part of a locale, upper case)."""
    parts = value.strip().replace("_", "-").split("-")
    code = (parts[1] if len(parts) > 1 and parts[1] else parts[0]).upper()
    return _ALIASES.get(code, code)


def numbers_for(region: str) -> RegionNumbers:
    """The numbers for an ISO country code or a locale ("FR", "en-GB", "de_DE"); unknown → 112."""
    return REGIONS.get(region_code(region), DEFAULT_REGION)
