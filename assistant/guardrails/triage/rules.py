"""Triage rules as data: YAML files loaded, merged (packaged + a clinic's overrides), validated, compiled.

Why data and not code: a clinician can read a rule, see which public guidance it follows, and a clinic
can add or override one without a release. Every rule carries its own examples (must fire) and near
misses (must not) in English and French, and the test suite runs them all.

File format (every key is checked; a mistake names the file, the rule id and the field)::

    lexicon:            # optional: named sub-patterns, used in patterns as @name
      chest: "(?:chest|breastbone)"
    typos:              # optional: misspelling -> correction, applied to whole words before matching
      siezure: seizure
    rules:
      - id: chest-pain-cardiac
        level: emergency          # emergency | urgent | soon | self_care
        guidance: "NHS 111 chest pain; NICE CG95"
        tags: [chest, cardiac]    # what record-aware modifiers look at
        call: emergency           # optional: emergency | crisis (the number given with the advice)
        history_sensitive: false  # optional: "I had a stroke" (told as history) does not fire
        patterns:                 # regexes on normalised text (lower case, no accents);
          en: ["crushing @chest pain", ["@chest", "sweat\\w*"]]   # a list = all parts, any order
          fr: ["douleur @poitrine_fr"]
        exclude: {en: [], fr: []} # optional: any of these in the message stops the rule
        advice: {en: "...", fr: "..."}          # {call}, {crisis} are filled in for the region
        watch_for: {en: ["..."], fr: ["..."]}
        examples: {en: ["..."], fr: ["..."]}    # each must fire this rule
        near_misses: {en: ["..."], fr: ["..."]} # each must not fire this rule
    modifiers: [...]    # record-aware modifiers, see modifiers.py
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from assistant.guardrails.triage.literals import ParsedPattern, parse_pattern
from assistant.guardrails.triage.text import fold_accents, normalise
from assistant.schemas import LANGUAGES, Language, TriageLevel

__all__ = [
    "PACKAGED_RULES_DIR",
    "Branch",
    "CompiledPattern",
    "RawRuleSet",
    "Rule",
    "RuleFileError",
    "compile_rule",
    "compile_rules",
    "read_rule_dirs",
]

PACKAGED_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
RULE_LEVELS = ("emergency", "urgent", "soon", "self_care")
RULE_KEYS = frozenset(
    {
        "id",
        "level",
        "guidance",
        "tags",
        "call",
        "history_sensitive",
        "patterns",
        "exclude",
        "advice",
        "watch_for",
        "examples",
        "near_misses",
        "enabled",
        "category",
    }
)
FILE_KEYS = frozenset({"lexicon", "rules", "modifiers", "typos"})
_ID = re.compile(r"^[a-z0-9][a-z0-9\-]{1,63}$")
_MACRO = re.compile(r"@([a-z][a-z0-9_]*)")
# libyaml's safe loader when available: the rule files are large and the pure-Python parser is slow
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RuleFileError(ValueError):
    """A rule file that cannot be used, naming the file, the rule (or modifier) id and the field."""

    def __init__(self, path: Path | str, rule_id: str | None, field_name: str | None, reason: str) -> None:
        self.path = str(path)
        self.rule_id = rule_id
        self.field = field_name
        self.reason = reason
        where = f"{self.path}"
        if rule_id:
            where += f": rule {rule_id!r}"
        if field_name:
            where += f": field {field_name!r}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class Branch:
    """One regex and the literals a text must contain for it to possibly match (None: always try)."""

    regex: re.Pattern[str]
    literals: frozenset[str] | None

    def may_match(self, found: set[str]) -> bool:
        """``found``: the literals present in the text (``LiteralIndex.found``)."""
        return self.literals is None or not self.literals.isdisjoint(found)


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """One alternative of a rule: every part must be found (affirmed) somewhere in the conversation."""

    source: str
    parts: tuple[Branch, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    level: TriageLevel
    guidance: str
    tags: frozenset[str]
    call: Literal["emergency", "crisis"] | None
    history_sensitive: bool
    single: Branch | None  # every one-part pattern of both languages as one alternation (any suffices)
    combos: tuple[CompiledPattern, ...]
    exclude: re.Pattern[str] | None
    advice: Mapping[Language, str]
    watch_for: Mapping[Language, tuple[str, ...]]
    examples: Mapping[Language, tuple[str, ...]]
    near_misses: Mapping[Language, tuple[str, ...]]
    source_file: str
    category: str = ""


@dataclass
class RawRuleSet:
    """Rules, lexicon and modifiers as read from the files, after merging overrides, before compiling."""

    lexicon: dict[str, str] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    rule_files: dict[str, str] = field(default_factory=dict)
    modifiers: dict[str, dict[str, Any]] = field(default_factory=dict)
    modifier_files: dict[str, str] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)
    typos: dict[str, str] = field(default_factory=dict)


def _yaml_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise RuleFileError(directory, None, None, "rules directory does not exist or is not a directory")
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise RuleFileError(path, None, None, f"not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise RuleFileError(path, None, None, "not UTF-8 text") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RuleFileError(path, None, None, "expected a mapping with 'rules', 'lexicon' or 'modifiers'")
    unknown = set(data) - FILE_KEYS
    if unknown:
        raise RuleFileError(
            path, None, sorted(unknown)[0], f"unknown top-level key; expected {', '.join(sorted(FILE_KEYS))}"
        )
    return cast(dict[str, Any], data)


def _merge_items(
    path: Path, items: Any, kind: str, store: dict[str, dict[str, Any]], files: dict[str, str], *, base: bool
) -> list[str]:
    """Add or override items by id; returns ids disabled in this file."""
    if not isinstance(items, list):
        raise RuleFileError(path, None, kind, f"'{kind}' must be a list")
    disabled = []
    seen: set[str] = set()
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise RuleFileError(path, None, f"{kind}[{n}]", "each entry must be a mapping with an 'id'")
        rid = item.get("id")
        if not isinstance(rid, str) or not _ID.match(rid):
            raise RuleFileError(
                path, str(rid) if rid else None, "id", "id must be 2-64 characters of a-z, 0-9 and '-'"
            )
        if rid in seen:
            raise RuleFileError(path, rid, "id", "the same id appears twice in this file")
        seen.add(rid)
        if base and rid in store:
            raise RuleFileError(path, rid, "id", f"id already defined in {files[rid]}")
        if item.get("enabled", True) is False:
            disabled.append(rid)
            store.pop(rid, None)
            continue
        if rid in store:  # a clinic override: fields given replace the packaged ones
            store[rid] = {**store[rid], **item}
        else:
            store[rid] = dict(item)
        files[rid] = str(path)
    return disabled


def read_rule_dirs(base_dir: Path, extra_dirs: Sequence[Path] = ()) -> RawRuleSet:
    raw = RawRuleSet()
    for d_index, directory in enumerate([base_dir, *extra_dirs]):
        base = d_index == 0
        for path in _yaml_files(directory):
            data = _read_yaml(path)
            lexicon = data.get("lexicon") or {}
            if not isinstance(lexicon, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in lexicon.items()
            ):
                raise RuleFileError(path, None, "lexicon", "lexicon must map names to regex strings")
            raw.lexicon.update(lexicon)
            typos = data.get("typos") or {}
            if not isinstance(typos, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip()
                for k, v in typos.items()
            ):
                raise RuleFileError(path, None, "typos", "typos must map a misspelling to its correction")
            raw.typos.update({normalise(k): normalise(v) for k, v in typos.items()})
            if "rules" in data:
                gone = _merge_items(path, data["rules"], "rules", raw.rules, raw.rule_files, base=base)
                raw.disabled.update(gone)
            if "modifiers" in data:
                gone = _merge_items(
                    path, data["modifiers"], "modifiers", raw.modifiers, raw.modifier_files, base=base
                )
                raw.disabled.update(gone)
    return raw


# --- compiling ------------------------------------------------------------------------------------


class _Expander:
    def __init__(self, lexicon: Mapping[str, str]) -> None:
        self.lexicon = lexicon
        self.cache: dict[str, str] = {}

    def expand(self, source: str, where: tuple[str, str | None, str]) -> str:
        active: list[str] = []

        def repl(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in self.lexicon:
                raise RuleFileError(where[0], where[1], where[2], f"unknown lexicon name @{name}")
            if name in active:
                raise RuleFileError(where[0], where[1], where[2], f"lexicon name @{name} refers to itself")
            if name not in self.cache:
                active.append(name)
                self.cache[name] = "(?:" + _MACRO.sub(repl, _gaps(fold_accents(self.lexicon[name]))) + ")"
                active.pop()
            return self.cache[name]

        return _MACRO.sub(repl, _gaps(fold_accents(source)))


# A gap follows either a word (then a space, or a comma and a space, is needed) or a group that already
# ended with a space, e.g. "(?:of )?~ pills" (then nothing more is needed).
_GAP = "(?:,? |(?<= ))(?:[a-z0-9°%]+,? ){0,3}"
_WIDE_GAP = "(?:,? |(?<= ))(?:[a-z0-9°%]+,? ){0,6}"
_GAP_MARK = re.compile(r" *(~~?) *")


def _gaps(source: str) -> str:
    """``~`` between two parts allows up to 3 words in between, ``~~`` up to 6 (same sentence part)."""
    return _GAP_MARK.sub(lambda m: _WIDE_GAP if m.group(1) == "~~" else _GAP, source)


def _bounded(expanded: str) -> str:
    # Patterns match whole words unless the author writes \w* themselves.
    return rf"(?<![a-z0-9])(?:{expanded})(?![a-z0-9])"


def _compile(regex: str, where: tuple[str, str | None, str]) -> re.Pattern[str]:
    try:
        return re.compile(regex)
    except re.error as exc:
        raise RuleFileError(where[0], where[1], where[2], f"invalid pattern: {exc}") from None


def _parse(regex: str, where: tuple[str, str | None, str]) -> ParsedPattern:
    try:
        return parse_pattern(regex)
    except re.error as exc:
        raise RuleFileError(where[0], where[1], where[2], f"invalid pattern: {exc}") from None


def _branch(parsed: ParsedPattern) -> Branch:
    return Branch(parsed.compile(), parsed.literals)


def _merge(parsed: list[ParsedPattern], where: tuple[str, str | None, str]) -> Branch:
    """One alternation (one regex pass) guarded by the union of the patterns' literals."""
    literals: frozenset[str] | None = frozenset()
    for p in parsed:
        literals = None if literals is None or p.literals is None else literals | p.literals
    return Branch(_compile("|".join(p.source for p in parsed), where), literals)


def _text_map(raw: Any, path: str, rid: str, name: str, *, required: bool) -> dict[Language, str]:
    if raw is None and not required:
        return {}
    if not isinstance(raw, dict) or set(raw) - set(LANGUAGES):
        raise RuleFileError(path, rid, name, "expected a mapping with keys en and fr")
    out: dict[Language, str] = {}
    for lang in LANGUAGES:
        value = raw.get(lang)
        if not isinstance(value, str) or not value.strip():
            raise RuleFileError(path, rid, f"{name}.{lang}", "missing or empty text")
        out[lang] = value.strip()
    return out


def _list_map(raw: Any, path: str, rid: str, name: str, *, required: bool) -> dict[Language, tuple[str, ...]]:
    if raw is None:
        if required:
            raise RuleFileError(path, rid, name, "missing; give en and fr lists")
        return {"en": (), "fr": ()}
    if not isinstance(raw, dict) or set(raw) - set(LANGUAGES):
        raise RuleFileError(path, rid, name, "expected a mapping with keys en and fr")
    out: dict[Language, tuple[str, ...]] = {}
    for lang in LANGUAGES:
        value = raw.get(lang, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise RuleFileError(path, rid, f"{name}.{lang}", "expected a list of non-empty strings")
        if required and not value:
            raise RuleFileError(path, rid, f"{name}.{lang}", "needs at least one entry in each language")
        out[lang] = tuple(v.strip() for v in value)
    return out


def compile_rule(rid: str, spec: Mapping[str, Any], path: str, expander: _Expander) -> Rule:
    unknown = set(spec) - RULE_KEYS
    if unknown:
        raise RuleFileError(path, rid, sorted(unknown)[0], "unknown field")
    level = spec.get("level")
    if level not in RULE_LEVELS:
        raise RuleFileError(
            path, rid, "level", f"level must be one of {', '.join(RULE_LEVELS)}, got {level!r}"
        )
    guidance = spec.get("guidance")
    if not isinstance(guidance, str) or not guidance.strip():
        raise RuleFileError(path, rid, "guidance", "say which public guidance the rule follows")
    tags = spec.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise RuleFileError(path, rid, "tags", "expected a list of words")
    call = spec.get("call")
    if call not in (None, "emergency", "crisis"):
        raise RuleFileError(path, rid, "call", "call must be emergency or crisis")
    if level == "emergency" and call is None:
        call = "emergency"
    hs = spec.get("history_sensitive", False)
    if not isinstance(hs, bool):
        raise RuleFileError(path, rid, "history_sensitive", "expected true or false")

    patterns = spec.get("patterns")
    if not isinstance(patterns, dict) or set(patterns) - set(LANGUAGES):
        raise RuleFileError(path, rid, "patterns", "expected a mapping with keys en and fr")
    singles: list[ParsedPattern] = []
    combos: list[CompiledPattern] = []
    for lang in LANGUAGES:
        items = patterns.get(lang)
        if not isinstance(items, list) or not items:
            raise RuleFileError(path, rid, f"patterns.{lang}", "needs at least one pattern in each language")
        for n, item in enumerate(items, 1):
            where = (path, rid, f"patterns.{lang}[{n}]")
            parts = [item] if isinstance(item, str) else item
            if not isinstance(parts, list) or not parts or not all(isinstance(p, str) and p for p in parts):
                raise RuleFileError(*where, "a pattern is a regex string or a list of regex strings")
            if any("\\\\" in p for p in parts):
                raise RuleFileError(
                    *where,
                    "a doubled backslash matches a literal backslash; in single quotes write \\w, not \\\\w",
                )
            expanded = [_bounded(expander.expand(p, where)) for p in parts]
            parsed = [_parse(e, where) for e in expanded]
            if len(parsed) == 1:
                singles.append(parsed[0])
            else:
                combos.append(CompiledPattern(" + ".join(parts), tuple(_branch(p) for p in parsed)))
    single = _merge(singles, (path, rid, "patterns")) if singles else None

    exclude_raw = spec.get("exclude") or {}
    if not isinstance(exclude_raw, dict) or set(exclude_raw) - set(LANGUAGES):
        raise RuleFileError(path, rid, "exclude", "expected a mapping with keys en and fr")
    excl: list[str] = []
    for lang, items in exclude_raw.items():
        if not isinstance(items, list) or not all(isinstance(p, str) for p in items):
            raise RuleFileError(path, rid, f"exclude.{lang}", "expected a list of regex strings")
        excl.extend(_bounded(expander.expand(p, (path, rid, f"exclude.{lang}"))) for p in items)
    exclude = _compile("|".join(excl), (path, rid, "exclude")) if excl else None

    advice = _text_map(spec.get("advice"), path, rid, "advice", required=True)
    for lang, text in advice.items():
        try:
            text.format(call="15", crisis="3114", emergency="15")
        except (KeyError, IndexError, ValueError) as exc:
            raise RuleFileError(
                path, rid, f"advice.{lang}", f"unknown placeholder {exc}; use {{call}} or {{crisis}}"
            ) from None
    category = spec.get("category", "")
    if not isinstance(category, str):
        raise RuleFileError(path, rid, "category", "expected a word")
    return Rule(
        id=rid,
        level=TriageLevel(level),
        guidance=guidance.strip(),
        tags=frozenset(tags),
        call=cast(Literal["emergency", "crisis"] | None, call),
        history_sensitive=hs,
        single=single,
        combos=tuple(combos),
        exclude=exclude,
        advice=advice,
        watch_for=_list_map(spec.get("watch_for"), path, rid, "watch_for", required=False),
        examples=_list_map(spec.get("examples"), path, rid, "examples", required=True),
        near_misses=_list_map(spec.get("near_misses"), path, rid, "near_misses", required=True),
        source_file=path,
        category=category,
    )


def compile_rules(raw: RawRuleSet) -> tuple[list[Rule], _Expander]:
    expander = _Expander(raw.lexicon)
    rules = [compile_rule(rid, spec, raw.rule_files[rid], expander) for rid, spec in raw.rules.items()]
    return rules, expander


def iter_rule_ids(rules: Iterable[Rule]) -> list[str]:
    return [r.id for r in rules]
