"""Allergy conflicts and "can I take X with my medicines?" questions, answered from the record.

A patient asking "can I take amoxicillin?" with a penicillin allergy on file must hear about that
allergy, cited, whatever else the turn says (a back-pain self-care reply, a refusal to change a dose, a
record answer). And a question whether two things can be combined must not get a guess: we have no
reliable offline interaction source, so the reply sends the patient to a pharmacist or the prescriber
and lists the record's current medicines to show them. Both are data-driven
(``data/medicine_safety.yaml``): allergen groups with their words, and the patterns of an interaction
question, in English and French.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.composer.draft import CitationList, Draft
from assistant.composer.formatting import pick
from assistant.composer.naming import card_name
from assistant.guardrails._text import fold
from assistant.guardrails.lexicon import medicines, names_regex
from assistant.schemas import Language
from fhir_client.yaml_data import load_yaml
from retrieval import Card, ConceptMap, RecordQueries

__all__ = ["AllergenGroup", "MedicineSafety", "SafetyRules", "load_safety_rules"]

DATA_FILE = Path(__file__).parent / "data" / "medicine_safety.yaml"
MAX_MEDICINES = 8
_STATUS = re.compile(r"\s*\((?:active|inactive|resolved)\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class AllergenGroup:
    key: str
    names: dict[str, str]  # language → the group's plain name
    advice: dict[str, str]  # language → one line of advice ({emergency} filled in)
    pattern: re.Pattern[str]

    def named_in(self, folded: str) -> bool:
        return bool(self.pattern.search(folded))


@dataclass(frozen=True)
class SafetyRules:
    groups: tuple[AllergenGroup, ...]
    combine: tuple[re.Pattern[str], ...]
    own_treatment: tuple[re.Pattern[str], ...]
    other_product: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]


def _words_pattern(words: Sequence[str]) -> re.Pattern[str]:
    alternation = names_regex(fold(w) for w in words)
    return re.compile(rf"(?<![a-z]){alternation}(?:e?s)?(?![a-z])")


def _compile_all(raw: object, med: str, where: str) -> tuple[re.Pattern[str], ...]:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected en/fr lists of patterns")
    out = []
    for lang in ("en", "fr"):
        for text in raw.get(lang) or []:
            try:
                out.append(re.compile(str(text).replace("<<med>>", med)))
            except re.error as exc:
                raise ValueError(f"{where}: invalid regular expression ({exc}): {text!r}") from exc
    return tuple(out)


@lru_cache(maxsize=4)
def load_safety_rules(path: Path = DATA_FILE) -> SafetyRules:
    """Read the allergen groups and interaction patterns, naming the file in any error."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("allergens"), dict):
        raise ValueError(f"{path} needs an 'allergens' mapping")
    groups = []
    for key, raw in data["allergens"].items():
        if not isinstance(raw, dict) or not raw.get("words") or not isinstance(raw.get("advice"), dict):
            raise ValueError(f"{path}: allergen group {key!r} needs 'words' and 'advice'")
        names = {lang: str(raw.get(lang) or key) for lang in ("en", "fr")}
        advice = {lang: str(raw["advice"].get(lang) or "") for lang in ("en", "fr")}
        groups.append(AllergenGroup(str(key), names, advice, _words_pattern(raw["words"])))
    ix = data.get("interactions") or {}
    med = names_regex(medicines().names)
    where = f"{path} interactions"
    return SafetyRules(
        tuple(groups),
        _compile_all(ix.get("combine"), med, where),
        _compile_all(ix.get("own_treatment"), med, where),
        _compile_all(ix.get("other_product"), med, where),
        _compile_all(ix.get("unless") or {}, med, where),
    )


class MedicineSafety:
    """Checks one message against one patient's record (active allergies, current medicines)."""

    def __init__(
        self,
        queries: RecordQueries,
        concepts: ConceptMap,
        *,
        emergency: str,
        rules: SafetyRules | None = None,
    ) -> None:
        self.queries = queries
        self.concepts = concepts
        self.emergency = emergency
        self.rules = rules or load_safety_rules()

    def allergy_conflicts(self, message: str) -> list[tuple[Card, AllergenGroup]]:
        """Active allergies of the record in a group the message names (each allergy once)."""
        folded = fold(message)
        named = [g for g in self.rules.groups if g.named_in(folded)]
        if not named:
            return []
        found: list[tuple[Card, AllergenGroup]] = []
        for card in self.queries.allergies():
            text = fold(f"{card.title} {card.extra.get('semantic', '')}")
            group = next((g for g in named if g.named_in(text)), None)
            if group is not None:
                found.append((card, group))
        return found

    def is_interaction_question(self, message: str) -> bool:
        """Something combined with the patient's own medicines ("ibuprofen with my naproxen")."""
        folded = fold(message)
        if any(p.search(folded) for p in self.rules.unless):
            return False
        if not any(p.search(folded) for p in self.rules.combine):
            return False
        own = [m.span() for p in self.rules.own_treatment for m in p.finditer(folded)]
        if not own:
            return False
        for pattern in self.rules.other_product:
            for m in pattern.finditer(folded):
                if not any(lo <= m.start() < hi for lo, hi in own):
                    return True
        return False

    def notes(self, message: str, language: Language, cites: CitationList) -> list[str]:
        """Lines to add to another reply (symptom advice, a refusal): allergy warnings, interactions."""
        lines = self._allergy_lines(message, language, cites)
        if self.is_interaction_question(message):
            lines.append(_interaction_line(language))
        return lines

    def answer(self, message: str, language: Language) -> Draft | None:
        """A whole reply when the message is an allergy conflict or an interaction question."""
        conflicts = self.allergy_conflicts(message)
        interaction = self.is_interaction_question(message)
        if not conflicts and not interaction:
            return None
        cites = CitationList()
        lines = self._allergy_lines(message, language, cites)
        read = [card.ref for card, _ in conflicts]
        if interaction:
            lines.append(_interaction_line(language))
            meds = sorted(self.queries.medications(), key=lambda c: c.date or date.min, reverse=True)
            if meds:
                lines.append(
                    pick(
                        language,
                        "Your record lists these current medicines, to show them:",
                        "Votre dossier mentionne ces médicaments actuels, à leur montrer :",
                    )
                )
                for card in meds[:MAX_MEDICINES]:
                    name = card_name(card, self.concepts, language)
                    lines.append(f"- {name} {cites.cite(card.ref, card.title)}")
                read.extend(c.ref for c in meds)
        return Draft(text="\n".join(lines), citations=cites.items, resources_read=read, guidance=True)

    def _allergy_lines(self, message: str, language: Language, cites: CitationList) -> list[str]:
        lines = []
        for card, group in self.allergy_conflicts(message):
            name = _STATUS.sub("", card_name(card, self.concepts, language))
            marker = cites.cite(card.ref, card.title)
            lines.append(
                pick(
                    language,
                    f"⚠️ Your record lists an allergy that matters here: {name} {marker}. "
                    f"What you mention belongs to {group.names['en']}.",
                    f"⚠️ Votre dossier mentionne une allergie importante ici : {name} {marker}. "
                    f"Ce dont vous parlez fait partie des {group.names['fr']}.",
                )
            )
            advice = group.advice.get(language, "").replace("{emergency}", self.emergency)
            if advice:
                lines.append(advice)
        return lines


def _interaction_line(language: Language) -> str:
    return pick(
        language,
        "Whether these can be taken together depends on the medicines, their doses and your health, so I "
        "won't guess: a pharmacist can check it for you quickly, without an appointment, or ask your "
        "prescriber before combining them.",
        "Savoir si on peut les associer dépend des médicaments, de leurs doses et de votre santé, je ne "
        "vais donc pas deviner : un pharmacien peut le vérifier rapidement, sans rendez-vous, ou "
        "demandez à votre prescripteur avant de les associer.",
    )
