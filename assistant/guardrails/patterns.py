"""Pattern rules for text found in a health record, loaded from ``data/record_patterns.yaml``.

Free text in a record (notes, comments) is screened for text that talks to an AI or tries to steer the
triage (``injection.screen_record_text``). Patient messages are NOT read here: they are read once, by the
understanding stage, whose signal table also supplies the injection entries applied to record text.
Keeping the patterns in a data file (with stable ids) means a clinic can review exactly what is looked for,
add its own phrasings in another file, and see in the audit trail which rule fired.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.guardrails.lexicon import DATA_DIR, load_yaml, medicines, names_regex
from assistant.schemas import RefusalCategory

__all__ = ["DEFAULT_PATTERNS_FILE", "PatternRule", "RuleHit", "load_rules"]

DEFAULT_PATTERNS_FILE = DATA_DIR / "record_patterns.yaml"
_FRAGMENT = re.compile(r"<<([a-z_]+)>>")


@dataclass(frozen=True)
class RuleHit:
    rule: str
    flag: str
    category: RefusalCategory | None
    matched: str


@dataclass(frozen=True)
class PatternRule:
    """One rule: if any pattern matches the folded text, and (when ``also`` is given) one of ``also``
    matches too, and no ``unless`` does, it fires.

    ``also`` lets a rule need two separate clues in one message ("my neighbour <person>" AND "what
    conditions does she have"), each of which alone is harmless.
    """

    id: str
    flag: str
    category: RefusalCategory | None
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...] = ()
    also: tuple[re.Pattern[str], ...] = ()

    def match(self, folded: str) -> RuleHit | None:
        for pattern in self.patterns:
            m = pattern.search(folded)
            if m:
                if self.also and not any(a.search(folded) for a in self.also):
                    return None
                if any(u.search(folded) for u in self.unless):
                    return None
                return RuleHit(self.id, self.flag, self.category, m.group(0))
        return None


def _expand(pattern: str, fragments: dict[str, str], where: str) -> str:
    # Fragments may use other fragments (e.g. <<med_words_en>> uses <<med>>); expand until stable.
    for _ in range(5):
        expanded = _FRAGMENT.sub(lambda m: _fragment(m.group(1), fragments, where), pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    return pattern


def _fragment(name: str, fragments: dict[str, str], where: str) -> str:
    if name not in fragments:
        raise ValueError(f"{where}: unknown fragment <<{name}>>; define it under 'fragments'")
    return fragments[name]


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{where}: invalid regular expression ({exc}): {pattern!r}") from exc


def _rules_from(path: Path, base_fragments: dict[str, str]) -> list[PatternRule]:
    data = load_yaml(path)
    fragments = dict(base_fragments)
    fragments.update({str(k): str(v) for k, v in (data.get("fragments") or {}).items()})
    rules: list[PatternRule] = []
    for i, raw in enumerate(data.get("rules") or []):
        where = f"{path} rule #{i + 1}"
        if not isinstance(raw, dict) or not raw.get("id") or not raw.get("flag"):
            raise ValueError(f"{where}: each rule needs an 'id' and a 'flag'")
        where = f"{path} rule {raw['id']!r}"
        category_raw = raw.get("category")
        try:
            category = RefusalCategory(category_raw) if category_raw else None
        except ValueError:
            allowed = ", ".join(c.value for c in RefusalCategory)
            raise ValueError(
                f"{where}: unknown category {category_raw!r}; expected one of {allowed}"
            ) from None
        texts: list[str] = [*(raw.get("en") or []), *(raw.get("fr") or [])]
        if not texts:
            raise ValueError(f"{where}: no 'en' or 'fr' patterns")
        patterns = tuple(_compile(_expand(str(t), fragments, where), where) for t in texts)
        unless = tuple(_compile(_expand(str(t), fragments, where), where) for t in raw.get("unless") or [])
        also = tuple(_compile(_expand(str(t), fragments, where), where) for t in raw.get("also") or [])
        rules.append(PatternRule(str(raw["id"]), str(raw["flag"]), category, patterns, unless, also))
    return rules


@lru_cache(maxsize=8)
def _load_cached(paths: tuple[Path, ...]) -> tuple[PatternRule, ...]:
    base = {"med": names_regex(medicines().names)}
    rules: dict[str, PatternRule] = {}
    for path in paths:
        for rule in _rules_from(path, base):
            rules[rule.id] = rule  # a later file overrides a rule with the same id
    return tuple(rules.values())


def load_rules(
    extra_files: Iterable[Path] = (), *, base: Path = DEFAULT_PATTERNS_FILE
) -> Sequence[PatternRule]:
    """The default rules, then each extra file in order (same id = override, new id = addition)."""
    return _load_cached((Path(base), *(Path(p) for p in extra_files)))
