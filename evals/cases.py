"""Eval cases: what one conversation sends and what a safe assistant must (not) do in it.

A case is data, not code, so an evaluator can read, diff and add cases without touching Python. Files
are YAML (a ``defaults`` mapping merged into every case, then ``cases``) or JSON lines (one case per
line). Validation is strict: an unknown key or category is an error naming the file and the case,
because a misspelt expectation would otherwise silently score nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.schemas import RefusalCategory, TriageLevel, level_rank
from fhir_client.yaml_data import load_yaml

__all__ = [
    "BookingExpectation",
    "Case",
    "CaseFileError",
    "CiteExpectation",
    "Expect",
    "load_case_file",
    "merge_defaults",
]

Language = Literal["en", "fr"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CiteExpectation(_Strict):
    """A fact the reply must cite: a resource reference, or a LOINC code with its gold value.

    ``ref`` alone: some citation must point at exactly that resource. ``code`` (+ ``value``): some citation
    must point at an Observation in the record with that code, whose value equals ``value`` (within
    ``tolerance``); when ``ref`` is also given, that very Observation.
    """

    ref: str | None = None
    code: str | None = None
    value: float | str | None = None
    tolerance: float = 0.01

    @model_validator(mode="after")
    def _something_to_check(self) -> CiteExpectation:
        if not self.ref and not self.code:
            raise ValueError("a must_cite entry needs a resource 'ref' or a LOINC 'code'")
        return self


class BookingExpectation(_Strict):
    """What the scheduling side must look like after the conversation.

    Transcript checks always run; ``appointments_created`` is checked in the FHIR server when the run has
    one (``--fhir-url``), else reported as not scored.
    """

    offers_slots: bool | None = None  # some turn offers slots
    asks_confirmation: bool | None = None  # some turn asks for an explicit yes before acting
    booked: bool | None = None  # some turn reports a booking (or reschedule)
    cancelled: bool | None = None
    appointments_created: int | None = Field(default=None, ge=0)  # new Appointments for this patient


class Expect(_Strict):
    triage_at_least: TriageLevel | None = None
    triage_at_most: TriageLevel | None = None
    triage_turn: int | None = Field(
        default=None, description="Which turn (0-based, negative from the end) the triage checks read."
    )
    triage_asks: int | None = Field(
        default=None,
        description="A turn (0-based, negative from the end) whose reply must ask red-flag questions.",
    )
    refusal: RefusalCategory | list[RefusalCategory] | bool | None = None
    must_cite: list[CiteExpectation] = Field(default_factory=list)
    must_cite_any: list[str] = Field(default_factory=list, description="At least one of these refs is cited.")
    must_not_contain: list[str] = Field(default_factory=list)
    must_contain_any: list[str] = Field(default_factory=list)
    no_phi_of_other_patients: bool = True
    no_dose_instructions: bool = False
    no_definitive_diagnosis: bool = False
    no_external_links: bool = False
    booking: BookingExpectation | None = None
    rubric: list[RubricItem] = Field(default_factory=list)

    @field_validator("must_cite", mode="before")
    @classmethod
    def _refs_as_strings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"ref": v} if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def _coherent_triage(self) -> Expect:
        low, high = self.triage_at_least, self.triage_at_most
        if low is not None and high is not None and level_rank(low) > level_rank(high):
            raise ValueError(f"triage_at_least {low.value} is above triage_at_most {high.value}")
        return self

    def refusal_categories(self) -> set[RefusalCategory] | None:
        """The allowed refusal categories, or None when any refusal (or none) is acceptable."""
        if self.refusal is None or isinstance(self.refusal, bool):
            return None
        if isinstance(self.refusal, RefusalCategory):
            return {self.refusal}
        return set(self.refusal)


class RubricItem(_Strict):
    """One HealthBench-style criterion: a sentence a judge marks met or not, worth ``points`` (may be < 0)."""

    criterion: str = Field(min_length=5)
    points: int = Field(ge=-10, le=10)


Expect.model_rebuild()


class Case(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.:\-]+$")
    category: str = Field(min_length=1)
    language: Language
    patient: str | None = Field(
        default=None,
        description='A shared Synthea file stem ("Josue_Sipes"), "fhir:<id>" on the server, or null.',
    )
    turns: list[str] = Field(min_length=1)
    expect: Expect = Field(default_factory=Expect)
    record_patch: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Extra FHIR resources added to the patient's record for this case (indirect injection).",
    )
    tags: list[str] = Field(default_factory=list)
    note: str = ""
    suite: str = ""
    source: str = ""

    @field_validator("turns")
    @classmethod
    def _no_empty_turn(cls, turns: list[str]) -> list[str]:
        if any(not t.strip() for t in turns):
            raise ValueError("a turn is empty")
        return turns

    @field_validator("record_patch")
    @classmethod
    def _patch_is_fhir(cls, patch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for i, res in enumerate(patch):
            if not isinstance(res.get("resourceType"), str) or not isinstance(res.get("id"), str):
                raise ValueError(f"record_patch[{i}] needs a resourceType and an id")
        return patch


class CaseFileError(ValueError):
    """A case file could not be read or a case in it is invalid; the message names file and case."""


def merge_defaults(defaults: Mapping[str, Any], case: Mapping[str, Any]) -> dict[str, Any]:
    """Case keys win; ``expect`` and ``tags`` merge one level deep so a case can add to the defaults."""
    merged: dict[str, Any] = {**defaults, **case}
    if isinstance(defaults.get("expect"), Mapping) and isinstance(case.get("expect"), Mapping):
        merged["expect"] = {**defaults["expect"], **case["expect"]}
    if "tags" in defaults and "tags" in case:
        merged["tags"] = [*defaults["tags"], *case["tags"]]
    return merged


def _raw_cases(path: Path) -> tuple[dict[str, Any], list[Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseFileError(f"cannot read {path}: {exc.strerror}") from exc
    if path.suffix == ".jsonl":
        rows = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise CaseFileError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
        return {}, rows
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise CaseFileError(f"{path}: not valid YAML ({exc})") from exc
    if isinstance(data, list):
        return {}, data
    if not isinstance(data, Mapping) or not isinstance(data.get("cases"), list):
        raise CaseFileError(f"{path}: expected a list of cases or a mapping with 'cases' (and 'defaults')")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        raise CaseFileError(f"{path}: 'defaults' must be a mapping")
    return dict(defaults), list(data["cases"])


def load_case_file(
    path: str | Path, *, suite: str, known_categories: Iterable[str] | None = None
) -> list[Case]:
    """Read and validate every case of one file; ``known_categories`` (when given) must contain each."""
    p = Path(path)
    defaults, rows = _raw_cases(p)
    known = set(known_categories) if known_categories is not None else None
    cases = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise CaseFileError(f"{p}: case #{i + 1} is not a mapping")
        data = merge_defaults(defaults, row)
        data.setdefault("suite", suite)
        data["source"] = p.name
        label = data.get("id", f"#{i + 1}")
        try:
            case = Case.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(x) for x in err['loc']) or 'case'}: {err['msg']}" for err in exc.errors()
            )
            raise CaseFileError(f"{p}: case {label}: {problems}") from None
        if known is not None and case.category not in known:
            raise CaseFileError(
                f"{p}: case {label}: unknown category {case.category!r}; add it to evals/taxonomy.yaml"
            )
        cases.append(case)
    return cases
