"""Who each part of a message is about: the writer, their child, partner, parent, a friend…

"my daughter is 2, 39.8 since this morning, floppy" is about a two-year-old girl, not the account
holder; "I think my husband is having a stroke, his face has dropped" is about the husband. The reading is
positional, as people write: a person mentioned starts talking about them, "he"/"she"/"il"/"elle" continue
with the last person mentioned, "I"/"my chest"/"je" hand the story back to the writer. Ages and pregnancy
attach to the person they follow.

Whether a subject is the record's patient matters for every record-aware rule: on a parent's account for a
child's record ("quels médicaments Daisey doit prendre ?", "he has a fever" on the record of a 2-year-old),
the child is the patient and the writer is not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from assistant.schemas import Language
from assistant.understanding.measures import AgeMention, find_ages
from assistant.understanding.model import Relation, Subject
from assistant.understanding.text import fold_term
from fhir_client.yaml_data import load_yaml

__all__ = ["PatientFacts", "SubjectReader", "SubjectTrack", "age_in_years", "elder_may_be_the_patient"]

DATA_FILE = Path(__file__).parent / "data" / "people.yaml"
_SELF_INTRO = re.compile(
    r"(?:\bim|\bi am|\bthis is|\bits|\bmy name is|\bc est|\bje suis|\bje m appelle|\bmoi c est)"
    r"(?: (?:mr|mrs|ms|miss|dr|mme|mlle|madame|monsieur|m))? $"
)
CHILD_RECORD_AGE = 12.0  # below this age, the record's patient does not type their own messages
# The relatives an adult child or grandchild manages a record for ("ma grand-mère… d'après son dossier").
_ELDERS = frozenset({Relation.PARENT, Relation.GRANDPARENT})
ADULT_AGE = 18.0  # from 12 to 18, either the teenager or a parent types (a parent's "my son" is the patient)
# A record whose patient was at least this old when it ends is not read by them about their own mother or
# father (who would be over a hundred): "my mum"'s results asked on it are the open record's, typed by a son
# or daughter who helps, whether or not they say so ("je m'occupe de ses papiers").
ELDER_RECORD_AGE = 80.0
# Years a parent is at least older than their child. A mother or father said to be younger than the record's
# patient plus this ("ma mère a 80 ans passés" on the record of a woman of 73) cannot be that patient's parent:
# the writer is not the patient, and the parent, close to the record's age, is.
PARENT_AGE_GAP = 14.0


def age_in_years(birth: date, today: date) -> float:
    """Completed years; under two, the exact fraction (a 6-week-old is 0.115, not 0: fever rules for babies
    are written in weeks and months)."""
    if (today - birth).days < 2 * 365:
        return round(max(0, (today - birth).days) / 365.25, 3)
    return float(today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day)))


@dataclass(frozen=True)
class PatientFacts:
    """What the stage may know of the record's patient: enough to tell whether a subject is them."""

    age_years: float | None = None
    sex: str | None = None  # "female" | "male"
    given_names: tuple[str, ...] = ()
    proxy: bool = False  # the account holder acts for the patient (a parent for a child)
    family_names: tuple[str, ...] = ()  # with ``given_names``: never "someone else" when typed
    care_team_names: tuple[str, ...] = ()  # the record's clinicians and places of care
    # The patient's age on the last date the record holds. A record that stopped years ago (an old export,
    # a summary brought from another country) leaves open which moment a relative reckons the age from:
    # "my mum (she's 86)" fits a record that ends at 86 and a birth date that makes her 92 today.
    age_at_record_end: float | None = None
    # The record's patient has died (Patient.deceased[x]): whoever types is a relative or carer, never them,
    # and ``age_years`` is their age at death.
    deceased: bool = False

    def age_gap(self, stated: float) -> float | None:
        """Years between a stated age and the ages the record allows (its last date to today); None when
        the record gives no age."""
        if self.age_years is None:
            return None
        low = (
            self.age_years if self.age_at_record_end is None else min(self.age_at_record_end, self.age_years)
        )
        if stated < low:
            return low - stated
        return max(0.0, stated - self.age_years)


@dataclass(frozen=True)
class _PersonTerm:
    relation: Relation
    pattern: re.Pattern[str]
    sex: str | None
    age_at_most: float | None = None  # "newborn", "baby", "toddler": the words bound the age


@dataclass
class _Person:
    """A subject while the message is being read (frozen into ``Subject`` at the end)."""

    relation: Relation
    sex: str | None = None
    age: float | None = None
    pregnant: bool = False
    named_patient: bool = False  # introduced by the record's patient's given name
    evidence: str = ""
    age_at_most: float | None = None


# The pronouns that say a sex; the others ("they", "lui", "sa", "le bébé") fit anyone.
_PRONOUN_SEX = {
    **dict.fromkeys(("he", "hes", "him", "his", "il"), "male"),
    **dict.fromkeys(("she", "shes", "her", "hers", "elle"), "female"),
}


# Object pronouns that cannot be the subject just named in their clause ("my partner took him"); "her" is
# also a possessive ("my partner took her inhaler") and stays out.
_OBJECT = frozenset({"him", "them"})
_OBJECT_REACH = 25  # characters from the person's words to the pronoun: "my partner took him", one verb apart


@dataclass
class _Mark:
    start: int
    end: int
    kind: str  # "person" | "self" | "pronoun" | "name"
    relation: Relation | None = None
    sex: str | None = None
    age_at_most: float | None = None
    object_form: bool = False  # "him", "them": never the subject of its own clause


@dataclass
class SubjectTrack:
    """The subjects found and, for each character offset, whose story it is."""

    subjects: list[Subject]
    marks: list[tuple[int, int]] = field(default_factory=list)  # (offset, subject index), sorted

    def subject_at(self, offset: int) -> int:
        current = 0
        for pos, index in self.marks:
            if pos > offset:
                break
            current = index
        return current


def _bounded(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")


def _person(pattern: str) -> re.Pattern[str]:
    """A person term, also as an English possessive ("my wife's" folds to "my wifes")."""
    return re.compile(rf"(?<![a-z0-9])(?:{pattern})s?(?![a-z0-9])")


class SubjectReader:
    """Reads the subjects of a folded message (one instance, built once, shared across threads)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._people: dict[str, list[_PersonTerm]] = {"en": [], "fr": []}
        relations: Mapping[str, Any] = data.get("relations") or {}
        for rel_name, by_lang in relations.items():
            relation = Relation(rel_name)
            for lang in ("en", "fr"):
                for entry in (by_lang or {}).get(lang) or ():
                    bound = entry.get("age_at_most")
                    self._people[lang].append(
                        _PersonTerm(
                            relation,
                            _person(fold_term(str(entry["term"]))),
                            entry.get("sex"),
                            float(bound) if bound is not None else None,
                        )
                    )

        def joined(key: str, lang: str) -> re.Pattern[str]:
            return _bounded("|".join(fold_term(str(t)) for t in data[key][lang]))

        self._self = {lang: joined("self", lang) for lang in ("en", "fr")}
        self._pronoun = {lang: joined("pronouns", lang) for lang in ("en", "fr")}
        self._pregnant = {lang: joined("pregnant", lang) for lang in ("en", "fr")}
        self._parent_proxy = {lang: joined("parent_proxy", lang) for lang in ("en", "fr")}
        self._device_after = re.compile("|".join(fold_term(str(t)) for t in data["borrowed_device"]["en"]))
        self._device_before = re.compile("|".join(fold_term(str(t)) for t in data["borrowed_device"]["fr"]))

    @classmethod
    @cache
    def load(cls, path: Path = DATA_FILE) -> SubjectReader:
        return cls(load_yaml(path.read_text(encoding="utf-8")))

    def read(
        self,
        folded: str,
        language: Language,
        sentences: Sequence[tuple[int, int]],
        patient: PatientFacts | None = None,
        default_other: Relation | None = None,
    ) -> SubjectTrack:
        """Subjects and who each offset is about. ``default_other``: the subject a bare pronoun starts
        when no one has been named (the previous turn's subject in a follow-up)."""
        patient = patient or PatientFacts()
        child_record = patient.age_years is not None and patient.age_years < CHILD_RECORD_AGE
        marks = self._marks(folded, language, patient)
        ages = find_ages(folded)

        subjects: list[_Person] = [_Person(Relation.SELF)]
        track: list[tuple[int, int]] = []
        last_other: int | None = None
        last_end = -10

        def new_subject(
            relation: Relation, sex: str | None, evidence: str, bound: float | None = None
        ) -> int:
            for i, s in enumerate(subjects[1:], 1):
                if s.relation == relation and (s.sex == sex or s.sex is None or sex is None):
                    s.sex = s.sex or sex
                    if bound is not None and (s.age_at_most is None or bound < s.age_at_most):
                        s.age_at_most = bound
                    return i
            subjects.append(_Person(relation, sex, evidence=evidence, age_at_most=bound))
            return len(subjects) - 1

        for k, mark in enumerate(marks):
            prev = marks[k - 1] if k else None
            if mark.kind == "self":
                track.append((mark.start, 0))
            elif mark.kind in ("person", "name"):
                assert mark.relation is not None
                if mark.kind == "name" and last_other is not None and 0 <= mark.start - last_end <= 2:
                    idx = last_other  # "mon mari Josué", "my son Luigi": the relation and the name are one person
                else:
                    idx = new_subject(
                        mark.relation, mark.sex, folded[mark.start : mark.end], mark.age_at_most
                    )
                subjects[idx].named_patient = subjects[idx].named_patient or mark.kind == "name"
                before = track[-1][1] if track else 0
                last_other = idx
                last_end = mark.end
                track.append((mark.start, idx))
                if self._device_after.match(folded, mark.end) or self._device_before.search(
                    folded[max(0, mark.start - 40) : mark.start]
                ):
                    track.append((mark.end, before))  # only the device's owner: the story stays put
            elif mark.kind == "pronoun":
                if (
                    last_other is not None
                    and mark.object_form
                    and prev is not None
                    and prev.kind == "person"
                    and mark.start - prev.end <= _OBJECT_REACH
                    and not any(prev.end <= start < mark.start for start, _ in sentences)
                ):
                    # "my partner took him", "my wife drove him there": a plain object pronoun right
                    # after a person in the same clause is someone else (that person would be "himself"),
                    # the one named before them ("Luigi's last appointment… my partner took him")
                    earlier = next(
                        (
                            i
                            for _, i in reversed(track)
                            if i not in (0, last_other) and subjects[i].sex in (None, mark.sex)
                        ),
                        None,
                    )
                    if earlier is not None:
                        last_other = earlier
                if last_other is None:
                    relation = default_other or (Relation.CHILD if child_record else Relation.OTHER)
                    last_other = new_subject(relation, None, folded[mark.start : mark.end])
                elif mark.sex and subjects[last_other].sex not in (None, mark.sex):
                    # "elle me confond avec mon frère… elle respire vite": a gendered pronoun goes back
                    # to the last person of that sex, not to whoever was named last
                    for _, earlier in reversed(track):
                        if earlier and subjects[earlier].sex in (None, mark.sex):
                            last_other = earlier
                            break
                track.append((mark.start, last_other))

        tracker = SubjectTrack([], sorted(track))
        self._attach_ages(ages, subjects, tracker, folded, sentences)
        for m in self._pregnant[language].finditer(folded):
            subjects[tracker.subject_at(m.start())].pregnant = True

        out: list[Subject] = []
        record_index = self._record_subject(subjects, patient, child_record)
        if record_index == 0 and self._parent_proxy[language].search(folded):
            record_index = self._parent_on_own_record(subjects, patient, record_index)
        for i, s in enumerate(subjects):
            age, sex = s.age, s.sex
            if i == record_index:
                age = age if age is not None else patient.age_years
                sex = sex or patient.sex
            out.append(
                Subject(
                    index=i,
                    relation=s.relation,
                    is_record_patient=i == record_index,
                    age_years=age,
                    sex=sex,
                    pregnant=s.pregnant,
                    evidence=s.evidence,
                    age_at_most=s.age_at_most,
                )
            )
        tracker.subjects = out
        return tracker

    def _marks(self, folded: str, language: Language, patient: PatientFacts) -> list[_Mark]:
        marks: list[_Mark] = []
        taken: list[tuple[int, int]] = []
        for lang in (language, "fr" if language == "en" else "en"):
            for term in self._people[lang]:
                for m in term.pattern.finditer(folded):
                    if any(m.start() < e and s < m.end() for s, e in taken):
                        continue
                    taken.append((m.start(), m.end()))
                    marks.append(
                        _Mark(m.start(), m.end(), "person", term.relation, term.sex, term.age_at_most)
                    )
        for name in patient.given_names:
            folded_name = fold_term(name).strip()
            if len(folded_name) < 3:
                continue
            # "Luigi's jabs" folds to "luigis": the name is mentioned, the possessive "s" left outside it
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(folded_name)}(?=s?(?![a-z0-9]))", folded):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                if _SELF_INTRO.search(folded[max(0, m.start() - 20) : m.start()]):
                    continue  # "I'm Josue", "c'est Mme Doyle": the writer introducing themselves
                taken.append((m.start(), m.end()))
                relation = Relation.CHILD if (patient.age_years or 99) < 18 else Relation.OTHER
                marks.append(_Mark(m.start(), m.end(), "name", relation, patient.sex))
        for m in self._self[language].finditer(folded):
            if not any(m.start() < e and s < m.end() for s, e in taken):
                marks.append(_Mark(m.start(), m.end(), "self"))
        for m in self._pronoun[language].finditer(folded):
            if not any(m.start() < e and s < m.end() for s, e in taken):
                word = m.group()
                marks.append(
                    _Mark(
                        m.start(), m.end(), "pronoun", sex=_PRONOUN_SEX.get(word), object_form=word in _OBJECT
                    )
                )
        marks.sort(key=lambda k: k.start)
        return marks

    @staticmethod
    def _attach_ages(
        ages: Sequence[AgeMention],
        subjects: list[_Person],
        tracker: SubjectTrack,
        folded: str,
        sentences: Sequence[tuple[int, int]],
    ) -> None:
        for age in ages:
            # "I'm 45" / "j'ai 45 ans" belong to the writer; otherwise the person being talked about.
            before = folded[max(0, age.start - 12) : age.start]
            if re.search(r"(?:^|\s)(?:im|i am|j ai|je suis|jai)\s*$", before):
                idx = 0
            else:
                idx = tracker.subject_at(age.start)
                if idx == 0:
                    # "my 2 year old", "2-year-old has a fever": the age names someone else.
                    nxt = [pos for pos, i in tracker.marks if pos >= age.start and i != 0]
                    if nxt and nxt[0] - age.end <= 20:
                        idx = tracker.subject_at(nxt[0])
                        if age.years < 16 and subjects[idx].relation is Relation.OTHER:
                            # "4 month old has 39.1 tonight, her jabs…": the age opens the child's story
                            # and the pronoun after it is the same child, so what lies between is theirs
                            subjects[idx].relation = Relation.CHILD
                            tracker.marks.append((age.start, idx))
                            tracker.marks.sort()
                    elif age.years < 16:
                        subjects.append(_Person(Relation.CHILD, evidence=age.text))
                        idx = len(subjects) - 1
                        tracker.marks.append((age.start, idx))
                        tracker.marks.sort()
            if subjects[idx].age is None:
                subjects[idx].age = age.years

    @staticmethod
    def _parent_on_own_record(subjects: list[_Person], patient: PatientFacts, default: int) -> int:
        """A son or daughter (or grandchild) writing about their parent's record on the parent's account: the parent
        mentioned is the patient when the record's patient is 60 or over and nothing in the message says
        otherwise (a sex that differs, a stated age far from the record's). Then "her record" is the open
        record, not someone else's, and the parent's age and conditions come from it."""
        if patient.age_years is None or patient.age_years < 60:
            return default
        found = _first_like_patient(subjects, patient, _ELDERS, max_age_gap=3.0)
        return default if found is None else found

    @staticmethod
    def _record_subject(subjects: list[_Person], patient: PatientFacts, child_record: bool) -> int | None:
        """Index of the record's patient among the subjects (None when they are not in the message)."""
        named = next((i for i, s in enumerate(subjects[1:], 1) if s.named_patient), None)
        if named is not None and not child_record:
            # "Found Josue on the sofa…", "mon mari Josué, c'est son compte": the writer speaks of the
            # record's patient by name, so they write for the patient (who is not the writer).
            return named
        if patient.deceased:
            # A deceased patient's record is read by a relative ("my late grandfather", "mon père, décédé
            # en 1990"): the first relative mentioned who may be them is the patient, never the writer.
            relatives = frozenset(Relation) - {Relation.SELF, Relation.FRIEND}
            found = _first_like_patient(subjects, patient, relatives, max_age_gap=3.0)
            return 0 if found is None else found
        teen_record = patient.age_years is not None and CHILD_RECORD_AGE <= patient.age_years < ADULT_AGE
        if not (child_record or patient.proxy or teen_record):
            elder = _elder_too_young_to_be_a_parent(subjects, patient)
            return 0 if elder is None else elder
        # A parent writing on a child's record: the child mentioned is the patient when nothing says
        # otherwise (a stated age far from the record's, or a sex that differs).
        found = _first_like_patient(subjects, patient, frozenset({Relation.CHILD}), max_age_gap=1.5)
        if found is not None:
            return found
        # A teenager may type their own messages: on their record, a parent's "my daughter" is them, and
        # otherwise the writer is.
        return 0 if teen_record and not (child_record or patient.proxy) else None


def elder_may_be_the_patient(subject: Subject, patient: PatientFacts) -> bool:
    """Whether ``subject`` — the writer's parent or grandparent — may be the patient of a record so old that
    the writer cannot be that patient asking about a parent of theirs (``ELDER_RECORD_AGE``): nothing said
    of them contradicts the record (a sex that differs, a stated age more than 3 years off)."""
    if subject.relation not in _ELDERS or patient.age_years is None or patient.deceased:
        return False
    youngest = min(patient.age_years, patient.age_at_record_end or patient.age_years)
    if youngest < ELDER_RECORD_AGE:
        return False
    if subject.sex and patient.sex and subject.sex != patient.sex:
        return False
    gap = patient.age_gap(subject.age_years) if subject.age_years is not None else None
    return gap is None or gap <= 3.0


def _elder_too_young_to_be_a_parent(subjects: Sequence[_Person], patient: PatientFacts) -> int | None:
    """A parent (or grandparent) said to be less than ``PARENT_AGE_GAP`` years older than the record's patient
    is today, and not more than 3 years younger than the record allows, of the patient's sex: the writer cannot be the
    record's patient asking about their own parent, so that parent is the patient ("my mum, she's 80" on the
    record of a woman now 73). A parent old enough ("my mum is 95") leaves the writer the patient."""
    if patient.age_years is None or patient.deceased:
        return None
    youngest = min(patient.age_years, patient.age_at_record_end or patient.age_years)
    for i, s in enumerate(subjects[1:], 1):
        if s.relation not in _ELDERS or s.age is None:
            continue
        if s.sex and patient.sex and s.sex != patient.sex:
            continue
        if youngest - 3.0 <= s.age < patient.age_years + PARENT_AGE_GAP:
            return i
    return None


def _first_like_patient(
    subjects: Sequence[_Person],
    patient: PatientFacts,
    relations: frozenset[Relation],
    *,
    max_age_gap: float,
) -> int | None:
    """The first person of these relations to the writer who may be the record's patient: nothing said of
    them contradicts the record (a sex that differs, a stated age further than ``max_age_gap`` years)."""
    for i, s in enumerate(subjects[1:], 1):
        if s.relation not in relations:
            continue
        if s.sex and patient.sex and s.sex != patient.sex:
            continue
        gap = patient.age_gap(s.age) if s.age is not None else None
        if gap is not None and gap > max_age_gap:
            continue
        return i
    return None
