"""Suites: one folder of case files per suite under ``evals/datasets/``, or any file/folder an evaluator
points at. Folders written by other teams in their own formats (``triage/``, ``retrieval/``) are read
through adapters, so their gold data is used as-is and stays theirs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.schemas import TriageLevel
from evals.cases import Case, CaseFileError, load_case_file
from evals.taxonomy import load_taxonomy
from fhir_client.yaml_data import load_yaml

__all__ = ["DATASETS_DIR", "SuiteError", "available_suites", "load_suites"]

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
SYNTHEA_DIR = Path(__file__).resolve().parent.parent / "data" / "synthea"
CASE_SUFFIXES = (".yaml", ".yml", ".jsonl")


class SuiteError(ValueError):
    """Unknown suite name, unreadable path, or duplicate case ids across the suites of a run."""


def _rows(folder: Path) -> Iterable[tuple[Path, Mapping[str, Any]]]:
    for path in sorted(folder.iterdir()):
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    yield path, json.loads(line)
        elif path.suffix in (".yaml", ".yml"):
            data = load_yaml(path.read_text(encoding="utf-8"))
            items = data.get("cases", []) if isinstance(data, Mapping) else data or []
            for item in items:
                yield path, item


def _retrieval_adapter(folder: Path) -> list[Case]:
    """``questions.jsonl`` rows {id, patient, lang, question, gold: [refs]} → cite the gold resource.

    One gold ref must be cited; with several (e.g. "active medicines, first three") any one will do.
    The exact-query checks in the same folder test ``RecordQueries`` directly, not the assistant.
    """
    path = folder / "questions.jsonl"
    if not path.exists():
        return []
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        gold = list(row["gold"])
        expect: dict[str, Any] = {"must_cite": gold} if len(gold) == 1 else {"must_cite_any": gold}
        expect["refusal"] = False
        cases.append(
            Case(
                id=f"retrieval:{row['id']}",
                category="retrieval_question",
                language=row["lang"],
                patient=row["patient"],
                turns=[row["question"]],
                expect=expect,
                note=row.get("rule", ""),
                suite="retrieval",
                source=path.name,
            )
        )
    return cases


NOT_FOUND_WORDS = [
    "couldn't find",
    "could not find",
    "n'ai pas trouvé",
    "n'ai trouvé aucun",
    "je n'ai rien trouvé",
]


BLIND_DIR = DATASETS_DIR / "blind"


def _record_questions_adapter(folder: Path) -> list[Case]:
    """``cases.jsonl`` in the blind-set format (``evals.blind.RecordCase``) → cases on the shared Synthea
    patients: every gold resource cited (or one of them for counts), an honest "not found" when the gold
    is not in the record. The real-world rows (patients outside ``data/synthea``) and the gold values are
    scored by ``python -m benchmarks.blind_score record evals/datasets/record_questions``, which reads
    both.

    The frozen blind record sets (``evals/datasets/blind/record-*``, written by people who never saw the
    code) join as the suite ``record_questions_blind``: kept apart so that their pass rate, the one that
    says how the answers hold on questions nobody tuned for, is never averaged into the project's own.
    """
    cases = _record_cases(folder / "cases.jsonl", "record_questions")
    if folder.resolve() == (DATASETS_DIR / "record_questions").resolve():
        for blind in sorted(BLIND_DIR.glob("record-*/cases.jsonl")):
            cases.extend(_record_cases(blind, "record_questions_blind"))
    return cases


def _record_cases(path: Path, suite: str) -> list[Case]:
    if not path.exists():
        return []
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if not any(SYNTHEA_DIR.glob(f"{row['patient']}_*.json")):
            continue
        expect: dict[str, Any] = {"refusal": False}
        if row.get("expect_not_found"):
            expect["must_contain_any"] = NOT_FOUND_WORDS
        elif row.get("match") == "any":
            expect["must_cite_any"] = list(row["gold_refs"])
        else:
            expect["must_cite"] = list(row["gold_refs"])
        cases.append(
            Case(
                id=f"record:{row['id']}",
                category="record_question",
                language=row["lang"],
                patient=row["patient"],
                turns=list(row["turns"]),
                expect=expect,
                note=row.get("note", ""),
                suite=suite,
                source=str(path.relative_to(DATASETS_DIR))
                if path.is_relative_to(DATASETS_DIR)
                else path.name,
            )
        )
    return cases


_LEVEL_KEYS = ("expect_level", "expected_level", "level", "expected", "gold")


def _triage_adapter(folder: Path) -> list[Case]:
    """The triage team's rule cases. Rows already in our case schema are taken as they are; rows in the
    ``triage --batch`` shape ({id, message, lang} + a gold level) become one-turn cases that must reach the
    gold level and not exceed ``max_level`` (default: the gold level itself)."""
    cases = []
    for path, row in _rows(folder):
        if "turns" in row and "expect" in row:
            data = {**row, "suite": "triage", "source": path.name}
            data.setdefault("category", "triage_rule")
            try:
                cases.append(Case.model_validate(data))
            except ValidationError as exc:
                raise SuiteError(f"{path}: case {row.get('id')}: {exc.errors()[0]['msg']}") from None
            continue
        level = next((row[k] for k in _LEVEL_KEYS if isinstance(row.get(k), str)), None)
        text = row.get("message") or row.get("text")
        if level is None or not isinstance(text, str):
            raise SuiteError(
                f"{path}: row {row.get('id')} has no message or gold level ({', '.join(_LEVEL_KEYS)})"
            )
        ceiling = row.get("max_level", level)
        try:
            TriageLevel(level), TriageLevel(ceiling)
        except ValueError as exc:
            raise SuiteError(f"{path}: row {row.get('id')}: {exc}") from None
        cases.append(
            Case(
                id=f"triage:{row['id']}",
                category="triage_rule",
                language=row.get("lang") or row.get("language") or "en",
                patient=row.get("patient"),
                turns=[text],
                expect={"triage_at_least": level, "triage_at_most": ceiling},
                suite="triage",
                source=path.name,
            )
        )
    return cases


ADAPTERS: dict[str, Callable[[Path], list[Case]]] = {
    "retrieval": _retrieval_adapter,
    "record_questions": _record_questions_adapter,
    "triage": _triage_adapter,
}


def available_suites(root: Path = DATASETS_DIR) -> list[str]:
    """Suite folders that hold case files (an adapted folder with no data yet is not a suite)."""
    names = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        if any(f.suffix in CASE_SUFFIXES for f in folder.iterdir()):
            names.append(folder.name)
    return names


def _load_folder(folder: Path, suite: str, known: set[str]) -> list[Case]:
    if folder.name in ADAPTERS and folder.resolve().parent == DATASETS_DIR:
        return ADAPTERS[folder.name](folder)
    cases: list[Case] = []
    for path in sorted(folder.iterdir()):
        if path.suffix in CASE_SUFFIXES and not path.name.startswith("_"):
            cases.extend(load_case_file(path, suite=suite, known_categories=known))
    return cases


def load_suites(selection: Iterable[str] = (), root: Path = DATASETS_DIR) -> list[Case]:
    """Cases of the named suites (folders under ``root``), or of the given files/folders; all when empty."""
    known = set(load_taxonomy())
    wanted = list(selection) or available_suites(root)
    cases: list[Case] = []
    try:
        for item in wanted:
            path = Path(item)
            if (root / item).is_dir():
                cases.extend(_load_folder(root / item, item, known))
            elif path.is_dir():
                cases.extend(_load_folder(path, path.name, known))
            elif path.is_file():
                cases.extend(load_case_file(path, suite=path.stem, known_categories=known))
            else:
                raise SuiteError(
                    f"no suite {item!r}: not a folder of {root} ({', '.join(available_suites(root))}) nor a file"
                )
    except CaseFileError as exc:
        raise SuiteError(str(exc)) from None
    seen: dict[str, str] = {}
    for case in cases:
        if case.id in seen:
            raise SuiteError(f"case id {case.id!r} appears twice ({seen[case.id]} and {case.source})")
        seen[case.id] = case.source
    return cases
