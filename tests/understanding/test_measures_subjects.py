"""Numbers as people give them, and who each part of a message is about."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.understanding.measures import find_ages, find_durations, find_vitals
from assistant.understanding.model import Relation, VitalKind
from assistant.understanding.stage import Understander
from assistant.understanding.subjects import PatientFacts
from assistant.understanding.text import fold

U = Understander.default()


@pytest.mark.parametrize(
    ("lang", "message", "kind", "value", "value2"),
    [
        ("en", "temp is 39,5 since this morning", VitalKind.TEMPERATURE, 39.5, None),
        ("en", "fever of 104F", VitalKind.TEMPERATURE, 40.0, None),
        ("en", "she's 2, 39.8 since lunch", VitalKind.TEMPERATURE, 39.8, None),
        ("fr", "fièvre à 38,2", VitalKind.TEMPERATURE, 38.2, None),
        ("en", "sats 92 on the oximeter", VitalKind.SPO2, 92.0, None),
        ("fr", "saturation à 89 %", VitalKind.SPO2, 89.0, None),
        ("en", "bp 180/115 this morning", VitalKind.BLOOD_PRESSURE, 180.0, 115.0),
        ("fr", "tension 14/9", VitalKind.BLOOD_PRESSURE, 140.0, 90.0),
        ("fr", "ma tension est à 18", VitalKind.BLOOD_PRESSURE, 180.0, None),
        ("en", "blood sugar 2.8", VitalKind.GLUCOSE, 2.8, None),
        ("en", "sugar was 450", VitalKind.GLUCOSE, 25.0, None),
        ("fr", "sucre à 0,5 ce matin", VitalKind.GLUCOSE, 2.78, None),
        ("fr", "glycémie 3,2 g/l", VitalKind.GLUCOSE, 17.76, None),
        ("en", "heart rate 140 and dizzy", VitalKind.PULSE, 140.0, None),
        # a sentence's full stop right after the number does not hide it
        (
            "en",
            "she felt hot, the ear thermometer says 38.2. she's feeding less",
            VitalKind.TEMPERATURE,
            38.2,
            None,
        ),
        # a watch read out in a message about the heart; a meter showing HI is above its range
        ("fr", "mon coeur s'est emballé, la montre affiche 180", VitalKind.PULSE, 180.0, None),
        ("en", "my heart is pounding and my watch says 172", VitalKind.PULSE, 172.0, None),
        ("fr", "le lecteur affiche HI et elle est somnolente", VitalKind.GLUCOSE, 33.3, None),
        ("en", "her meter just says HIGH", VitalKind.GLUCOSE, 33.3, None),
    ],
)
def test_vitals_are_read_and_converted(
    lang: str, message: str, kind: VitalKind, value: float, value2: float | None
) -> None:
    vitals = [v for v in find_vitals(fold(message), lang) if v.kind == kind]  # type: ignore[arg-type]
    assert vitals, message
    assert vitals[0].value == pytest.approx(value, abs=0.05)
    assert vitals[0].value2 == value2


@pytest.mark.parametrize(
    "message",
    [
        "my son is 3 and weighs 15 kg",
        "I walked 39 minutes",
        "call me at 0612345678",
        "2 pills at 8.30 am",
        "version 40.2 of the app",
        "my watch says 10000 steps today",
        "hi there, my meter is new",
    ],
)
def test_numbers_that_are_not_vitals(message: str) -> None:
    assert [v for v in find_vitals(fold(message), "en") if v.kind == VitalKind.TEMPERATURE] == []


@pytest.mark.parametrize(
    ("message", "days"),
    [
        ("coughing for 3 days", 3.0),
        ("depuis 2 semaines", 14.0),
        ("ca fait un mois que j ai mal", 30.0),
        ("since yesterday", 1.0),
        ("for weeks now", 21.0),
        ("depuis des mois", 90.0),
    ],
)
def test_durations(message: str, days: float) -> None:
    found = find_durations(fold(message))
    assert found and found[0].days == pytest.approx(days)


@pytest.mark.parametrize(
    ("message", "years"),
    [
        ("my 18 month old", 1.5),
        ("ma fille de 2 ans", 2.0),
        ("a 6 week old baby", 6 * 7 / 365),
        ("my dad is 87", 87.0),
        ("mon fils a 3 mois", 0.25),
    ],
)
def test_ages(message: str, years: float) -> None:
    ages = find_ages(fold(message))
    assert ages and ages[0].years == pytest.approx(years, abs=0.01)


def test_il_y_a_trois_ans_is_a_time_not_an_age() -> None:
    assert find_ages(fold("mon père a fait un AVC il y a 3 ans")) == []


def test_a_child_described_by_a_parent_is_the_subject_of_the_findings() -> None:
    u = U.understand(
        "my daughter is 2, 39.8 since this morning, floppy, won't drink", patient=PatientFacts(age_years=45)
    )
    child = next(s for s in u.subjects if s.relation == Relation.CHILD)
    assert child.age_years == 2.0 and not child.is_record_patient
    assert {f.concept for f in u.findings if f.subject == child.index} >= {"floppy", "not_drinking"}
    assert all(v.subject == child.index for v in u.vitals)
    assert u.subjects[0].is_record_patient


def test_pronouns_follow_the_last_person_and_i_returns_to_the_writer() -> None:
    u = U.understand("I think my husband is having a stroke, his face has dropped. I feel dizzy")
    partner = next(s for s in u.subjects if s.relation == Relation.PARTNER)
    by_concept = {f.concept: f.subject for f in u.findings}
    assert by_concept["face_weakness"] == partner.index
    assert by_concept["dizziness"] == 0


@pytest.mark.parametrize(
    "message",
    [
        "I have some tablets left from my brother, can I take them for my sore throat?",
        "my sister gave me her painkillers, can I take them for my sore knee?",
    ],
)
def test_my_described_body_part_returns_to_the_writer(message: str) -> None:
    u = U.understand(message)
    assert u.findings and all(f.subject == 0 for f in u.findings), u.findings


def test_on_a_childs_record_the_child_is_the_patient_and_the_writer_is_not() -> None:
    facts = PatientFacts(age_years=5.0, sex="female", given_names=("Daisey",))
    u = U.understand("elle a de la fièvre depuis hier", language="fr", patient=facts)
    fever = next(f for f in u.findings if f.concept == "fever")
    assert u.subjects[fever.subject].is_record_patient
    assert not u.subjects[0].is_record_patient
    named = U.understand("Daisey has a rash", patient=facts)
    rash = next(f for f in named.findings if f.concept == "rash")
    assert named.subjects[rash.subject].is_record_patient


def test_a_child_of_another_age_on_a_childs_record_is_not_the_patient() -> None:
    facts = PatientFacts(age_years=5.0)
    u = U.understand("my baby is 3 months old and has a fever", patient=facts)
    fever = next(f for f in u.findings if f.concept == "fever")
    assert not u.subjects[fever.subject].is_record_patient


@given(st.text(max_size=300))
def test_any_text_is_read_without_error_and_offsets_stay_in_the_folded_text(text: str) -> None:
    u = U.understand(text)
    for f in u.findings:
        assert 0 <= f.start <= f.end <= len(u.text.folded)
        assert 0 <= f.subject < len(u.subjects)
    assert fold(u.text.folded, language=u.language) == u.text.folded  # folding is idempotent


def test_on_a_teenagers_record_a_parents_my_daughter_is_the_patient_and_the_teenager_may_write() -> None:
    facts = PatientFacts(age_years=16.0, sex="female")
    parent = U.understand("ma fille a de la fièvre depuis hier", language="fr", patient=facts)
    fever = next(f for f in parent.findings if f.concept == "fever")
    assert parent.subjects[fever.subject].is_record_patient
    assert not parent.subjects[0].is_record_patient
    own = U.understand("I've had a fever since yesterday", patient=facts)
    assert own.subjects[0].is_record_patient


def test_on_an_older_parents_record_their_son_or_daughter_may_ask_about_her_record() -> None:
    facts = PatientFacts(age_years=73.0, sex="female")
    u = U.understand("My mum has COPD. How many breathing tests are in her record?", patient=facts)
    mum = next(s for s in u.subjects if s.relation is Relation.PARENT)
    assert mum.is_record_patient and not u.subjects[0].is_record_patient
    # without words about her record, or on a younger person's account, the mother is someone else
    plain = U.understand("My mum has COPD, is it hereditary?", patient=facts)
    assert not next(s for s in plain.subjects if s.relation is Relation.PARENT).is_record_patient
    young = U.understand(
        "My mum has COPD. How many breathing tests are in her record?", patient=PatientFacts(age_years=30.0)
    )
    assert young.subjects[0].is_record_patient


def test_a_grandparent_on_an_older_record_may_be_the_patient_too() -> None:
    facts = PatientFacts(age_years=88.0, sex="female")
    fr = U.understand(
        "Ma grand-mère a fait combien de vaccins contre la grippe d'après son dossier ?",
        language="fr",
        patient=facts,
    )
    gran = next(s for s in fr.subjects if s.relation is Relation.GRANDPARENT)
    assert gran.is_record_patient and not fr.subjects[0].is_record_patient
    en = U.understand("how many flu jabs has my nan had? is it in her record?", patient=facts)
    assert next(s for s in en.subjects if s.relation is Relation.GRANDPARENT).is_record_patient
    # a grandfather on a woman's record is someone else
    other = U.understand("what's in my grandad's record about his heart?", patient=facts)
    assert not next(s for s in other.subjects if s.relation is Relation.GRANDPARENT).is_record_patient


@pytest.mark.parametrize(
    ("message", "lang", "facts", "relation"),
    [
        # the record stopped when she was 86; her birth date makes her 92 today
        (
            "I'm helping my mum (she's 86) fill in a form. Does her record say how many flu vaccines she's had?",
            "en",
            PatientFacts(age_years=92.0, age_at_record_end=86.0, sex="female"),
            Relation.PARENT,
        ),
        (
            "Ma mère (elle a 86 ans) me demande combien de vaccins contre la grippe sont dans son dossier",
            "fr",
            PatientFacts(age_years=92.0, age_at_record_end=86.0, sex="female"),
            Relation.PARENT,
        ),
        # a child's record exported when she was 5, read six years later
        (
            "Daisey (she's 5) needs a list of her allergies for the club. What allergies are on her record?",
            "en",
            PatientFacts(age_years=11.0, age_at_record_end=5.0, sex="female", given_names=("Daisey",)),
            Relation.CHILD,
        ),
    ],
)
def test_an_age_reckoned_when_the_record_stopped_still_fits_the_patient(
    message: str, lang: str, facts: PatientFacts, relation: Relation
) -> None:
    u = U.understand(message, language=lang, patient=facts)  # type: ignore[arg-type]
    assert next(s for s in u.subjects if s.relation is relation).is_record_patient, u.subjects


@pytest.mark.parametrize(
    ("message", "facts"),
    [
        # an age outside both the record's last date and today is someone else
        (
            "my mum is 60, does her record say how many flu vaccines she's had?",
            PatientFacts(age_years=92.0, age_at_record_end=86.0, sex="female"),
        ),
        # a record that is up to date leaves no window: 86 is not 92
        (
            "I'm helping my mum (she's 86). Does her record say how many flu vaccines she's had?",
            PatientFacts(age_years=92.0, sex="female"),
        ),
        (
            "my baby is 3 months old, what vaccines are on her record?",
            PatientFacts(age_years=11.0, age_at_record_end=5.0, sex="female"),
        ),
    ],
)
def test_an_age_outside_the_records_span_is_still_someone_else(message: str, facts: PatientFacts) -> None:
    u = U.understand(message, patient=facts)
    assert not any(s.is_record_patient for s in u.subjects[1:]), u.subjects


def test_age_gap_spans_the_record_end_to_today() -> None:
    facts = PatientFacts(age_years=92.0, age_at_record_end=86.0)
    assert facts.age_gap(86.0) == 0.0 and facts.age_gap(90.0) == 0.0
    assert facts.age_gap(80.0) == 6.0 and facts.age_gap(95.0) == 3.0
    assert PatientFacts(age_years=92.0).age_gap(86.0) == 6.0
    assert PatientFacts().age_gap(40.0) is None


@pytest.mark.parametrize(
    ("message", "writer_reading"),
    [
        ("my mum's bp machine says 182/115 and my head is killing me", True),
        ("le tensiomètre de ma mère dit 17/11, j'ai mal à la tête", True),
        ("my husband's glucose meter reads 2.4 and I'm shaky", True),
        ("my mum has a headache, her bp is 182/115", False),
        ("ma mère a mal à la tête, sa tension est à 17/11", False),
    ],
)
def test_a_reading_on_someone_elses_device_is_the_writers(message: str, writer_reading: bool) -> None:
    u = U.understand(message)
    assert u.vitals, message
    assert all((v.subject == 0) is writer_reading for v in u.vitals), u.vitals


@pytest.mark.parametrize(
    ("text", "years"),
    [("ma fille de 10 jours a 38,1", 10 / 365), ("my son aged 4", 4.0), ("age 3", 3.0)],
)
def test_ages_are_read_as_words_not_inside_words(text: str, years: float) -> None:
    assert [round(a.years, 3) for a in find_ages(fold(text))] == [round(years, 3)]


@pytest.mark.parametrize(
    "text", ["theres a rope in the garage and", "see page 2", "mon fils a une toux de 10 jours"]
)
def test_no_age_is_read_from_inside_a_word_or_a_duration(text: str) -> None:
    assert find_ages(fold(text)) == []
