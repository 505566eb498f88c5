"""Reading protocol files: the packaged ones, then a clinic's directories on top (add, override, disable).

Layout of a directory: any number of ``*.yaml`` files, each holding one protocol (top-level ``id:``), or a
list of them (``protocols: [...]``), and/or record-aware ``modifiers: [...]``. The packaged protocols live
in ``assistant/guardrails/protocols/``; a clinic points ``HEALTH_ASSISTANT_TRIAGE_RULES_DIR`` at its own
directory, read after them:

- a protocol with a new id is added;
- a protocol with a known id overrides the fields it gives; its ``criteria`` and ``questions`` are merged by
  id (a known id replaces that criterion or question in place, a new one is added at the end, one with
  ``enabled: false`` is removed); ``examples`` and ``look_alikes`` given replace the packaged ones;
- ``enabled: false`` on a protocol removes it; modifiers merge the same way by id.

Every file is validated completely before anything is used: a mistake raises ``ProtocolFileError`` naming the
file, the protocol (or modifier) and the field, and nothing half-loaded is ever used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import ValidationError

from assistant.guardrails.triage.modifiers import Modifier, ModifierError, compile_modifier
from assistant.guardrails.triage.protocol_model import (
    AllCond,
    AnyCond,
    Condition,
    CountCond,
    FactCond,
    FindingCond,
    NotCond,
    Protocol,
)

__all__ = ["PACKAGED_PROTOCOLS_DIR", "ProtocolFileError", "ProtocolSet", "read_protocol_dirs"]

PACKAGED_PROTOCOLS_DIR = Path(__file__).resolve().parent.parent / "protocols"
_FILE_KEYS = frozenset({"protocols", "modifiers"})
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGED_BY_ID = ("criteria", "questions")


class ProtocolFileError(ValueError):
    """A protocol file that cannot be used, naming the file, the protocol (or modifier) and the field."""

    def __init__(self, path: Path | str, item_id: str | None, field_name: str | None, reason: str) -> None:
        self.path = str(path)
        self.protocol_id = item_id
        self.field = field_name
        self.reason = reason
        where = self.path
        if item_id:
            where += f": protocol {item_id!r}"
        if field_name:
            where += f": field {field_name!r}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class ProtocolSet:
    """Validated protocols (in a stable order) and modifiers, ready for the engine."""

    protocols: tuple[Protocol, ...]
    modifiers: tuple[Modifier, ...]
    files: Mapping[str, str] = field(default_factory=dict)  # protocol id -> the file that last set it


def _yaml_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise ProtocolFileError(
            directory, None, None, "protocol directory does not exist or is not a directory"
        )
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


def _read(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise ProtocolFileError(
            path, None, None, f"not valid YAML{at}: {getattr(exc, 'problem', exc)}"
        ) from None
    except UnicodeDecodeError:
        raise ProtocolFileError(path, None, None, "not UTF-8 text") from None
    if data is None:
        return [], []
    if not isinstance(data, dict):
        raise ProtocolFileError(
            path, None, None, "expected a protocol (with an 'id') or 'protocols'/'modifiers'"
        )
    if "rules" in data:
        raise ProtocolFileError(
            path,
            None,
            "rules",
            "this is the retired regex rule format; write a protocol on findings instead (README: 'Triage protocols')",
        )
    if "id" in data:
        protocols = [data]
        modifiers: Any = []
    else:
        unknown = set(data) - _FILE_KEYS
        if unknown:
            raise ProtocolFileError(
                path,
                None,
                sorted(unknown)[0],
                "unknown top-level key; expected a protocol, 'protocols' or 'modifiers'",
            )
        protocols = data.get("protocols") or []
        modifiers = data.get("modifiers") or []
    for key, items in (("protocols", protocols), ("modifiers", modifiers)):
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ProtocolFileError(path, None, key, f"'{key}' must be a list of mappings")
        for item in items:
            if not isinstance(item.get("id"), str) or not item["id"]:
                raise ProtocolFileError(path, None, f"{key}.id", "each entry needs an 'id'")
    return cast(list[dict[str, Any]], protocols), cast(list[dict[str, Any]], modifiers)


def _merge_by_id(path: Path, pid: str, key: str, base: list[Any], over: Any) -> list[Any]:
    if not isinstance(over, list):
        raise ProtocolFileError(path, pid, key, f"'{key}' must be a list")
    out = [dict(item) for item in base if isinstance(item, dict)]
    index = {item.get("id"): n for n, item in enumerate(out)}
    removed: set[int] = set()
    for item in over:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ProtocolFileError(path, pid, key, f"each of '{key}' needs an 'id'")
        n = index.get(item["id"])
        if item.get("enabled", True) is False:
            if n is not None:
                removed.add(n)
            continue
        if n is None:
            index[item["id"]] = len(out)
            out.append(dict(item))
        else:
            out[n] = {**out[n], **item}
    return [item for n, item in enumerate(out) if n not in removed]


def _override(path: Path, base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    pid = str(over["id"])
    for key, value in over.items():
        if key in _MERGED_BY_ID:
            merged[key] = _merge_by_id(path, pid, key, list(base.get(key) or []), value)
        else:
            merged[key] = value
    return merged


def _validation_error(
    path: str, pid: str, exc: ValidationError, spec: Mapping[str, Any]
) -> ProtocolFileError:
    """The first error, its place named by ids rather than positions ("criteria.chest-pain-sudden.when")."""
    first = exc.errors()[0]
    parts = [str(p) for p in first.get("loc", ())]
    if len(parts) >= 2 and parts[0] in _MERGED_BY_ID and parts[1].isdigit():
        items = spec.get(parts[0]) or []
        n = int(parts[1])
        if n < len(items) and isinstance(items[n], dict) and isinstance(items[n].get("id"), str):
            parts[1] = items[n]["id"]
    msg = str(first.get("msg", "invalid value")).replace("Value error, ", "")
    return ProtocolFileError(path, pid, ".".join(parts) or None, msg)


def read_protocol_dirs(
    base_dir: Path | None = None,
    extra_dirs: Sequence[Path] = (),
    *,
    concepts: Mapping[str, Iterable[str]] | None = None,
) -> ProtocolSet:
    """Packaged protocols (or ``base_dir``), then each extra dir on top (see module docstring).

    ``concepts``: lexicon concept id -> its groups; when given, every concept and group a protocol names
    must exist (a typo would otherwise make a criterion silently never fire).
    """
    raw: dict[str, dict[str, Any]] = {}
    files: dict[str, str] = {}
    disabled: set[str] = set()
    mods: dict[str, dict[str, Any]] = {}
    mod_files: dict[str, str] = {}
    for d_index, directory in enumerate([base_dir or PACKAGED_PROTOCOLS_DIR, *extra_dirs]):
        packaged = d_index == 0
        for path in _yaml_files(Path(directory)):
            protocol_items, modifier_items = _read(path)
            for item in protocol_items:
                pid = str(item["id"])
                if packaged and pid in raw:
                    raise ProtocolFileError(path, pid, "id", f"id already defined in {files[pid]}")
                if item.get("enabled", True) is False:
                    raw.pop(pid, None)
                    disabled.add(pid)
                    continue
                raw[pid] = _override(path, raw[pid], item) if pid in raw else dict(item)
                files[pid] = str(path)
            for item in modifier_items:
                mid = str(item["id"])
                if packaged and mid in mods:
                    raise ProtocolFileError(
                        path, mid, "id", f"modifier id already defined in {mod_files[mid]}"
                    )
                if item.get("enabled", True) is False:
                    mods.pop(mid, None)
                    continue
                mods[mid] = {**mods[mid], **item} if mid in mods else dict(item)
                mod_files[mid] = str(path)

    modifiers: list[Modifier] = []
    for mid, spec in mods.items():
        try:
            modifiers.append(compile_modifier(mid, spec, mod_files[mid]))
        except ModifierError as exc:
            raise ProtocolFileError(exc.path, mid, exc.field, exc.reason) from None
    facts = {m.fact for m in modifiers}

    validated: list[Protocol] = []
    criterion_owner: dict[str, str] = {}
    for pid, spec in raw.items():
        source = files[pid]
        try:
            protocol = Protocol.model_validate({**spec, "source_file": source})
        except ValidationError as exc:
            raise _validation_error(source, pid, exc, spec) from None
        for criterion in protocol.criteria:
            owner = criterion_owner.setdefault(criterion.id, pid)
            if owner != pid:
                raise ProtocolFileError(
                    source, pid, f"criteria.{criterion.id}", f"criterion id already used by {owner}"
                )
            _check_condition(criterion.when, source, pid, f"criteria.{criterion.id}.when", concepts, facts)
        _check_names(protocol.presenting.findings, source, pid, "presenting.findings", concepts)
        _check_names(protocol.presenting.accounts_for, source, pid, "presenting.accounts_for", concepts)
        if protocol.presenting.when is not None:
            _check_condition(protocol.presenting.when, source, pid, "presenting.when", concepts, facts)
        for q in protocol.questions:
            _check_names((q.means.concept,), source, pid, f"questions.{q.id}.means.concept", concepts)
        validated.append(protocol)
    validated.sort(key=lambda p: (-p.priority, p.id))
    for modifier in modifiers:
        for concept in modifier.stated:
            _check_names((concept,), mod_files[modifier.id], modifier.id, "stated", concepts)
    return ProtocolSet(tuple(validated), tuple(modifiers), files)


def _check_names(
    names: Iterable[str], path: str, pid: str, where: str, concepts: Mapping[str, Iterable[str]] | None
) -> None:
    if concepts is None:
        return
    groups = {g for gs in concepts.values() for g in gs}
    for name in names:
        if name == "any":
            continue
        if name.startswith("group:"):
            if name[6:] not in groups:
                raise ProtocolFileError(path, pid, where, f"no lexicon concept is in the group {name[6:]!r}")
        elif name not in concepts:
            raise ProtocolFileError(path, pid, where, f"unknown lexicon concept {name!r}")


def _check_condition(
    cond: Condition,
    path: str,
    pid: str,
    where: str,
    concepts: Mapping[str, Iterable[str]] | None,
    facts: set[str],
) -> None:
    if isinstance(cond, FindingCond):
        _check_names(cond.finding, path, pid, where, concepts)
    elif isinstance(cond, FactCond):
        for name in cond.fact:
            if name not in facts:
                raise ProtocolFileError(
                    path, pid, where, f"unknown fact {name!r}; known: {', '.join(sorted(facts))}"
                )
    elif isinstance(cond, (AllCond, AnyCond)):
        for sub in cond.all if isinstance(cond, AllCond) else cond.any:
            _check_condition(sub, path, pid, where, concepts, facts)
    elif isinstance(cond, CountCond):
        for sub in cond.of:
            _check_condition(sub, path, pid, where, concepts, facts)
    elif isinstance(cond, NotCond):
        _check_condition(cond.not_, path, pid, where, concepts, facts)
