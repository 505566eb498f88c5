"""Record questions read into a RecordQuery, and follow-ups resolved against the conversation.

Each conversation below is what patients write ("and the one before?", "what about 2016?", "how many in
total?", "is that bad?", "et avant ?", "et l'année d'avant ?"); the context is built the way the assistant
keeps it (the resolved query of each turn), so a chain of follow-ups steps back one value at a time.
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.understanding.model import (
    IntentKind,
    RecordQuery,
    RecordQueryKind,
    Understanding,
)
from assistant.understanding.record_query import RecordQueryTable, read_period
from assistant.understanding.text import fold
from tests.understanding.conversation import TODAY, UNDERSTANDER, converse

TABLE = RecordQueryTable.load()
K = RecordQueryKind


def query(u: Understanding) -> RecordQuery:
    assert u.record_query is not None, f"no record query for {u.text.original!r}: {u.intents}"
    return u.record_query


KIND_EXAMPLES = [
    (k.kind, lang, text) for k in TABLE.kinds for lang in ("en", "fr") for text in k.examples[lang]
]


@pytest.mark.parametrize(
    ("kind", "lang", "text"),
    KIND_EXAMPLES,
    ids=[f"{k}-{lang}-{i}" for i, (k, lang, _) in enumerate(KIND_EXAMPLES)],
)
def test_kind_examples_of_the_table(kind: RecordQueryKind, lang: str, text: str) -> None:
    assert (
        next(k.kind for k in TABLE.kinds if k.pattern.search(UNDERSTANDER.read_clinical(text).text.folded))
        == kind
    )


def test_the_one_before_steps_back_one_value_at_a_time() -> None:
    first, before, again = converse("what was my last a1c", "and the one before?", "and before that?")
    assert (query(first).kind, query(first).targets) == (K.LATEST, ("hba1c",))
    assert (query(before).kind, query(before).offset, query(before).targets) == (K.PREVIOUS, 1, ("hba1c",))
    assert (query(again).offset, again.followup) == (2, True)


def test_et_avant_in_french() -> None:
    _, before = converse(
        "c'était combien mon hémoglobine glyquée la dernière fois ?", "et avant ?", lang="fr"
    )
    assert (query(before).kind, query(before).offset, query(before).targets) == (K.PREVIOUS, 1, ("hba1c",))


def test_a_year_then_another_year_then_in_total() -> None:
    first, other, total = converse(
        "how many blood tests did I have in 2019?", "what about 2016?", "how many in total?"
    )
    assert (query(first).kind, query(first).categories) == (K.COUNT, ("tests",))
    first_period, other_period = query(first).period, query(other).period
    assert first_period is not None and first_period.start == date(2019, 1, 1)
    assert query(other).kind == K.COUNT and query(other).categories == ("tests",)
    assert other_period is not None and other_period.start == date(2016, 1, 1)
    assert query(total).kind == K.COUNT and query(total).period is None


def test_l_annee_d_avant_shifts_the_period_back_a_year() -> None:
    _, before = converse(
        "combien de fois j'ai fait le vaccin de la grippe en 2019 ?", "et l'année d'avant ?", lang="fr"
    )
    period = query(before).period
    assert period is not None and (period.start, period.end) == (date(2018, 1, 1), date(2018, 12, 31))
    assert query(before).kind == K.COUNT


@pytest.mark.parametrize(
    ("follow", "lang"), [("is that bad?", "en"), ("what does that mean?", "en"), ("c'est grave ?", "fr")]
)
def test_is_that_bad_asks_what_the_last_value_means(follow: str, lang: str) -> None:
    first = "What's my cholesterol?" if lang == "en" else "c'est combien mon cholestérol ?"
    _, meaning = converse(first, follow, lang=lang)
    assert query(meaning).kind == K.MEANING
    assert query(meaning).targets == ("total_cholesterol",)


def test_meaning_after_the_one_before_keeps_the_value_shown() -> None:
    *_, meaning = converse("what was my last a1c", "and the one before?", "is that bad?")
    assert (query(meaning).kind, query(meaning).offset) == (K.PREVIOUS, 1)  # that value, judged


def test_a_new_target_in_a_short_follow_up_keeps_the_question() -> None:
    _, bad = converse("mon cholestérol total c'est combien ?", "ok et le mauvais ?", lang="fr")
    assert query(bad).targets == ("ldl",)
    assert bad.followup


def test_a_full_new_question_is_not_a_follow_up() -> None:
    _, fresh = converse("what was my last a1c", "when was my last flu jab?")
    assert not fresh.followup
    assert query(fresh).targets == ("flu_vaccine",)


def test_what_i_take_for_blood_pressure_asks_for_medicines_not_the_blood_pressure() -> None:
    (u,) = converse("what do I take for my blood pressure?")
    assert query(u).categories == ("medications",)
    assert query(u).targets == ()


def test_targets_come_in_the_order_the_patient_named_them() -> None:
    (u,) = converse("has my blood pressure gone down since I cut back on salt?")
    assert query(u).targets[0] == "blood_pressure"
    assert query(u).kind == K.TREND


def test_plural_names_are_found() -> None:
    (u,) = converse("combien de sinusites j'ai eu d'après mon dossier ?", lang="fr")
    assert query(u).targets == ("sinusitis",) and query(u).kind == K.COUNT


def test_only_the_sentence_that_asks_is_the_query() -> None:
    (u,) = converse("Watching a film with chest pain in it last night. Anyway what was my last cholesterol?")
    assert query(u).targets == ("total_cholesterol",)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("in 2016", date(2016, 1, 1), date(2016, 12, 31)),
        ("since 2018", date(2018, 1, 1), None),
        ("depuis 2018", date(2018, 1, 1), None),
        ("before 2010", None, date(2009, 12, 31)),
        ("between 2015 and 2017", date(2015, 1, 1), date(2017, 12, 31)),
        ("en mars 2019", date(2019, 3, 1), date(2019, 3, 31)),
        ("last year", date(2025, 1, 1), date(2025, 12, 31)),
        ("l annee derniere", date(2025, 1, 1), date(2025, 12, 31)),
        ("de mars", date(2026, 3, 1), date(2026, 3, 31)),
        ("in december", date(2025, 12, 1), date(2025, 12, 31)),
    ],
)
def test_periods_as_patients_write_them(text: str, start: date | None, end: date | None) -> None:
    period = read_period(text, TODAY)
    assert period is not None and (period.start, period.end) == (start, end)


def test_relative_periods_need_today_and_vague_ones_give_no_window() -> None:
    assert read_period("last year", None) is None
    assert read_period("over the years", TODAY) is None
    assert read_period("in the last few years", TODAY) is None


@pytest.mark.parametrize(
    ("text", "lang", "kind", "target", "category"),
    [
        # a visit that says when, about a measured value: the value is asked
        ("What did I weigh at my last visit?", "en", K.LATEST, "body_weight", None),
        ("c'était combien ma tension à mon dernier rendez-vous ?", "fr", K.LATEST, "blood_pressure", None),
        # a visit asked about stays a visit
        ("when was my last appointment", "en", K.LAST_VISIT, None, "visits"),
        # seeing a clinician is a visit
        ("How many times did I see the GP last year?", "en", K.COUNT, None, "visits"),
        ("Combien de fois suis-je allée chez le médecin en 2018 ?", "fr", K.COUNT, None, "visits"),
        # "bad" names which cholesterol, it does not judge it
        ("What was my good cholesterol in 2016?", "en", K.VALUE_AT, "hdl", None),
        # "does my file mention…" asks whether the record holds it
        ("Mon dossier mentionne-t-il de l'asthme ?", "fr", K.EVER_HAD, "asthma", None),
        ("Quels sont mes problèmes de santé actuels ?", "fr", K.LIST, None, "conditions"),
    ],
)
def test_record_questions_read_as_patients_mean_them(
    text: str, lang: str, kind: RecordQueryKind, target: str | None, category: str | None
) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is kind, q
    if target is not None:
        assert target in q.targets, q
    if category is not None:
        assert category in q.categories, q


def test_a_judgement_after_the_value_is_still_a_meaning_question() -> None:
    (u,) = converse("is my bad cholesterol too high?")
    assert query(u).kind is K.MEANING


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        (
            "My latest HbA1c is in the portal. I'd like to know the one before that. Thanks.",
            RecordQueryKind.PREVIOUS,
        ),
        ("Merci ! Et mon cholestérol de l'avant-dernier bilan, svp.", RecordQueryKind.PREVIOUS),
    ],
)
def test_a_record_question_no_routing_entry_named_is_still_read(message: str, kind: RecordQueryKind) -> None:
    u = UNDERSTANDER.understand(message, today=date(2026, 12, 4))
    assert u.record_query is not None and u.record_query.kind is kind
    assert u.intents[0].kind is IntentKind.RECORD_QUESTION


def test_thanks_alone_is_not_a_record_question() -> None:
    u = UNDERSTANDER.understand("thanks, my HbA1c explanation was really clear", today=date(2026, 12, 4))
    assert u.record_query is None


def test_the_one_before_anywhere_in_the_message_asks_for_the_previous_value() -> None:
    u = UNDERSTANDER.understand(
        "Ma dernière tension était haute d'après l'infirmière. Et celle d'avant, elle était à combien ?",
        today=date(2026, 12, 4),
    )
    assert u.record_query is not None
    assert u.record_query.kind is RecordQueryKind.PREVIOUS and u.record_query.offset == 1
    assert "blood_pressure" in u.record_query.targets


@pytest.mark.parametrize(
    ("message", "lang", "target", "year"),
    [
        ("The insurer needs my cholesterol from 2018. Do you have it?", "en", "total_cholesterol", 2018),
        ("la mutuelle réclame mon HbA1c de 2020. Vous l'avez ?", "fr", "hba1c", 2020),
    ],
)
def test_a_pointing_back_question_takes_the_year_written_after_the_target(
    message: str, lang: str, target: str, year: int
) -> None:
    """ "do you have it?" names nothing: the value and its year are in the sentence before."""
    (u,) = converse(message, lang=lang)
    q = query(u)
    assert u.intent is IntentKind.RECORD_QUESTION
    assert target in q.targets and q.period is not None and q.period.start == date(year, 1, 1), q


def test_a_year_that_is_not_bound_to_the_target_stays_out() -> None:
    """The look-alike: a year of diagnosis in a sentence that does not ask is not the value's year."""
    (u,) = converse("I was diagnosed in 2019 and my A1c keeps creeping up. What was the last one?")
    assert query(u).period is None, query(u)


@pytest.mark.parametrize(
    ("message", "lang", "kind"),
    [
        (
            "My newest cholesterol is in the app. What was the cholesterol result before the latest one?",
            "en",
            K.PREVIOUS,
        ),
        ("quel était mon poids avant la dernière mesure ?", "fr", K.PREVIOUS),
        # the look-alike: "before" a life event is not the reading before the latest
        ("What was my latest A1c, before my new diet started?", "en", K.LATEST),
    ],
)
def test_the_reading_before_the_latest_one_is_the_previous_value(
    message: str, lang: str, kind: RecordQueryKind
) -> None:
    """The latest reading named as the reference point asks for the one before it, not for it."""
    (u,) = converse(message, lang=lang)
    assert query(u).kind is kind, query(u)


@pytest.mark.parametrize(
    ("first", "follow", "lang"),
    [
        (
            "what was my last cholesterol?",
            "and the one before? just curious how it's been going with all the walking",
            "en",
        ),
        (
            "c'était combien ma dernière tension ?",
            "et celle d'avant ? je me demande si les cachets font vraiment effet depuis",
            "fr",
        ),
    ],
)
def test_a_short_follow_up_question_then_a_remark_is_still_a_follow_up(
    first: str, follow: str, lang: str
) -> None:
    """The remark after the question does not make it a new, long question."""
    _, u = converse(first, follow, lang=lang)
    assert u.intent is IntentKind.RECORD_QUESTION and u.followup
    assert query(u).kind is K.PREVIOUS and query(u).offset == 1, query(u)


def test_a_symptom_after_a_short_follow_up_question_is_not_swallowed() -> None:
    """The look-alike: a remark that reports a symptom is not a mere remark."""
    _, u = converse(
        "what was my last cholesterol?",
        "and the one before? also my chest has been hurting since this morning",
    )
    assert u.intent is IntentKind.SYMPTOM and not u.followup


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("how many asthma reviews have i had in total, not the a&e trip in 2017", None),
        ("combien de vaccins en tout, sauf celui de 2015 ?", None),
        ("combien de prises de sang depuis 2018, à part celle de l'hôpital ?", date(2018, 1, 1)),
        # the look-alike: a negated verb is not something set aside
        ("je n'ai pas eu de vaccin depuis 2019 ?", date(2019, 1, 1)),
    ],
)
def test_a_year_in_what_the_patient_sets_aside_is_not_the_period(text: str, start: date | None) -> None:
    """ "not the A&E visit in 2019" leaves that visit out; it does not ask about 2019."""
    period = read_period(fold(text), TODAY)
    assert (period.start if period is not None else None) == start, period


@pytest.mark.parametrize(
    ("message", "lang", "kind"),
    [
        ("can you look whether there's a tetanus shot on my file and when it was?", "en", K.EVER_HAD),
        ("pouvez-vous vérifier s'il y a un frottis dans mon dossier ?", "fr", K.EVER_HAD),
        # the look-alike: "if there's a problem" is a condition, not whether the record holds something
        ("if there's a problem with my kidneys, what was my last eGFR?", "en", K.LATEST),
    ],
)
def test_whether_the_record_holds_something_asks_for_every_time_it_does(
    message: str, lang: str, kind: RecordQueryKind
) -> None:
    """ "check if there's an X on my record and when" is answered with each X, not only the latest."""
    (u,) = converse(message, lang=lang)
    assert query(u).kind is kind, query(u)


@pytest.mark.parametrize(
    ("message", "lang", "target"),
    [
        (
            "The lab portal shows my potassium twice and I'm confused. Anyway what was my last result exactly?",
            "en",
            "potassium",
        ),
        (
            "Pour le cholestérol je ne sais plus trop. C'était combien le dernier chiffre ?",
            "fr",
            "total_cholesterol",
        ),
        # the look-alikes: a condition named elsewhere is not a result, and "results" asks for all of them
        ("I've had diabetes for years. What was my last result?", "en", None),
        ("My potassium was fine apparently. What were my latest results?", "en", None),
    ],
)
def test_one_result_asked_for_is_the_test_named_elsewhere_in_the_message(
    message: str, lang: str, target: str | None
) -> None:
    """ "what was my last result?" says only "a result": a test named in another sentence says which."""
    (u,) = converse(message, lang=lang)
    q = query(u)
    if target is None:
        assert not any(t in q.targets for t in ("potassium", "diabetes")), q
    else:
        assert target in q.targets and q.kind is K.LATEST, q


@pytest.mark.parametrize(
    ("message", "lang", "target"),
    [
        (
            "The cardiologist started me on metoprolol after the scare. Is it still on my list?",
            "en",
            "metoprolol",
        ),
        (
            "On m'avait donné du furosémide à l'hôpital. Est-ce que je l'ai toujours dans mes traitements ?",
            "fr",
            "furosemide",
        ),
        # the look-alike: no pointer back, the list of medicines is asked, not the one named before
        ("I take metformin for my diabetes. Which medicines am I on at the moment?", "en", None),
    ],
)
def test_a_medicine_pointed_back_at_is_the_one_named_before(
    message: str, lang: str, target: str | None
) -> None:
    """ "is it still on my list?" names no medicine: the one in the sentence before is the one asked about."""
    (u,) = converse(message, lang=lang)
    q = query(u)
    assert q.targets == ((target,) if target else ()), q


@pytest.mark.parametrize(
    ("text", "lang", "start"),
    [
        ("Since 2016, how many check-ups for my asthma have I had?", "en", date(2016, 1, 1)),
        ("So from 2014, how many times did I see the GP?", "en", date(2014, 1, 1)),
        ("Depuis 2017, combien de consultations pour mon diabète ai-je eues ?", "fr", date(2017, 1, 1)),
        ("En 2019, combien de vaccins contre la grippe ai-je reçus ?", "fr", date(2019, 1, 1)),
    ],
)
def test_a_time_phrase_opening_the_question_bounds_it(text: str, lang: str, start: date) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.period is not None and q.period.start == start, q


@pytest.mark.parametrize(
    "text",
    [
        # the opening phrase is a clause of its own: it dates something else
        "In 2015 I moved house, how many asthma visits have I had?",
        # the period is in a sentence that does not ask
        "Since 2016 I have been on insulin. How many asthma visits have I had?",
        "Ok, how many asthma visits have I had?",
    ],
)
def test_a_time_phrase_that_is_not_the_question_s_own_opening_does_not_bound_it(text: str) -> None:
    (u,) = converse(text)
    assert query(u).period is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("How many diabetes follow-ups did I have?", "en"),
        ("What number of follow-up appointments for my asthma are in my record?", "en"),
        ("Combien de rendez-vous de contrôle pour mon diabète ?", "fr"),
        ("J'ai eu combien de consultations de suivi pour mon asthme ?", "fr"),
    ],
)
def test_a_kind_of_visit_asked_for_is_kept_with_the_visits(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert "visits" in q.categories and "follow up" in q.visit_names, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("How many asthma visits have I had?", "en"),
        ("Should I follow up with my GP about my asthma visits?", "en"),
        ("Combien de consultations pour mon asthme ?", "fr"),
    ],
)
def test_visits_without_a_kind_of_visit_asked_keep_every_visit(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert query(u).visit_names == ()


@pytest.mark.parametrize(
    "text",
    [
        "jsuis passé chez le généraliste quand pour la dernière fois, et c'était pour quoi ?",
        "Quand est-ce que je suis allé chez le docteur la dernière fois ?",
        "ma fille est allée chez la pédiatre quand la dernière fois ?",
    ],
)
def test_going_to_the_doctor_asked_with_quand_asks_for_the_last_visit(text: str) -> None:
    (u,) = converse(text, lang="fr")
    q = query(u)
    assert q.kind is K.LAST_VISIT and "visits" in q.categories, q


def test_telling_about_the_last_time_at_the_doctor_is_not_a_record_question() -> None:
    (u,) = converse(
        "Je suis allée chez le médecin la dernière fois pour ma toux et il m'a donné du sirop.", lang="fr"
    )
    assert u.record_query is None


@pytest.mark.parametrize(
    "text",
    [
        "how many times have I come in since 2019? I keep losing count",
        "How often did I really come in during 2021?",
    ],
)
def test_coming_in_counted_is_a_count_of_visits(text: str) -> None:
    (u,) = converse(text)
    q = query(u)
    assert q.kind is K.COUNT and q.categories == ("visits",), q


def test_coming_in_for_a_named_thing_asks_for_that_thing_not_the_visits() -> None:
    (u,) = converse("when did I come in for my flu jab?")
    q = query(u)
    assert q.targets == ("flu_vaccine",) and "visits" not in q.categories, q


@pytest.mark.parametrize(
    ("text", "lang", "year"),
    [
        (
            "A nurse said my sugar was high at my 2017 physical and nobody followed up. What was my A1c that year?",
            "en",
            2017,
        ),
        (
            "J'ai fait un bilan en 2016, on m'a parlé de cholestérol. C'était combien mon cholestérol cette année-là ?",
            "fr",
            2016,
        ),
    ],
)
def test_that_year_is_the_year_the_message_named(text: str, lang: str, year: int) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.period is not None and (q.period.start, q.period.end) == (
        date(year, 1, 1),
        date(year, 12, 31),
    ), q


def test_that_year_outside_the_question_and_this_year_are_unchanged() -> None:
    (u,) = converse("What was my A1c last time? I started metformin that year.")
    assert query(u).period is None
    assert read_period("cette annee", TODAY) is not None
    assert read_period("cette annee la", TODAY) is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("When was I last at the doctors and what did they do?", "en"),
        ("when were we last at the GP?", "en"),
        ("When was the last time I went to the emergency room?", "en"),
        ("when was the last time I ended up in A&E?", "en"),
        ("When was Daisey last seen at the clinic?", "en"),
        ("Ma mère a été vue en dernier quand ?", "fr"),
        ("c'était quand la dernière fois que je suis allée aux urgences ?", "fr"),
        ("la dernière fois que j'ai consulté chez le médecin c'était quand ?", "fr"),
    ],
)
def test_the_last_time_at_a_place_of_care_asks_for_the_last_visit(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert query(u).kind is K.LAST_VISIT, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the last time I went to the doctors I had a cough, now it's back", "en"),
        ("last time I was in A&E they gave me antibiotics for my chest, should I go again?", "en"),
        ("la dernière fois que je suis allée aux urgences j'ai attendu 6 heures", "fr"),
    ],
)
def test_telling_about_the_last_time_at_a_place_of_care_is_not_a_last_visit_question(
    text: str, lang: str
) -> None:
    (u,) = converse(text, lang=lang)
    assert u.record_query is None or u.record_query.kind is not K.LAST_VISIT, u.record_query


def test_the_last_emergency_visit_then_how_many_counts_emergency_visits() -> None:
    last, total = converse(
        "When was the last time I went to the emergency room?",
        "ok and how many times have I been there in total?",
    )
    assert query(last).kind is K.LAST_VISIT and "emergency" in query(last).visit_names
    q = query(total)
    assert q.kind is K.COUNT and "visits" in q.categories and "emergency" in q.visit_names, q
    (fr,) = converse("quand suis-je allé aux urgences pour la dernière fois ?", lang="fr")
    assert "urgences" in query(fr).visit_names


def test_a_last_visit_with_no_place_named_keeps_every_kind_of_visit() -> None:
    (u,) = converse("When was I last at the doctors and what did they do?")
    assert query(u).visit_names == ()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how many jabs did he have at his last appointment?", "en"),
        ("how many vaccines did I get at my last visit?", "en"),
        ("il a eu combien de vaccins à son dernier rendez-vous mon fils ?", "fr"),
        ("combien de vaccins lors de mon dernier rdv ?", "fr"),
    ],
)
def test_entries_counted_at_the_last_visit_are_those_entries_on_that_day(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.COUNT and q.categories == ("vaccines",) and q.at_last_visit, q


def test_the_total_after_a_count_at_the_last_visit_counts_every_one() -> None:
    first, total = converse(
        "il a eu combien de vaccins à son dernier rendez-vous ?",
        "et depuis sa naissance ça fait combien en tout ?",
        lang="fr",
    )
    assert query(first).at_last_visit
    q = query(total)
    assert q.kind is K.COUNT and q.categories == ("vaccines",) and not q.at_last_visit and q.period is None, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how many appointments have I had since my last visit to the cardiologist?", "en"),
        ("how many visits did I have last year?", "en"),
        ("combien de rendez-vous j'ai eu l'an dernier ?", "fr"),
    ],
)
def test_visits_counted_are_not_bounded_to_the_last_visit(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert not q.at_last_visit, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("was I vaccinated against HPV as a teenager?", "en"),
        ("was she ever tested for whooping cough?", "en"),
        ("j'ai été vaccinée contre le papillomavirus quand j'étais ado ?", "fr"),
        ("est-ce que je suis vacciné contre le tétanos ?", "fr"),
        ("il a bien été vacciné contre la rougeole ?", "fr"),
    ],
)
def test_whether_it_was_done_is_an_ever_had_question(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert query(u).kind is K.EVER_HAD, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("j'ai été vaccinée hier contre la grippe et j'ai mal au bras, c'est normal ?", "fr"),
        ("I was vaccinated yesterday and my arm is sore, is that normal?", "en"),
    ],
)
def test_a_vaccine_told_with_a_symptom_is_not_an_ever_had_question(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.record_query is None or u.record_query.kind is not K.EVER_HAD, u.record_query


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        (
            "The nurse mentioned my kidney number had gone up again. I didn't catch the result. "
            "Can you tell me what my latest creatinine was?",
            "en",
            "creatinine",
        ),
        (
            "mon médecin m'a parlé de mes reins qui fatiguent. Vous pouvez me dire ma dernière créatinine ?",
            "fr",
            "creatinine",
        ),
    ],
)
def test_the_clause_that_asks_names_what_is_asked_over_the_story(text: str, lang: str, target: str) -> None:
    (u,) = converse(text, lang=lang)
    assert query(u).targets == (target,), query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "ma fonction rénale sur la dernière prise de sang, c'est grave ou pas ? "
            "on m'a dit que mes reins fatiguaient un peu et depuis je dors mal",
            "fr",
        ),
        ("what was my last cholesterol? I've had a headache all week too", "en"),
    ],
)
def test_a_test_asked_about_beside_a_symptom_is_still_a_record_question(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.has_intent(IntentKind.RECORD_QUESTION) and u.has_intent(IntentKind.SYMPTOM), u.intents
    assert query(u).targets, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my blood pressure was 180/110 this morning and I have a headache, is that bad?", "en"),
        ("I have a headache since my blood test yesterday, is that bad?", "en"),
        ("j'ai mal à la tête depuis ma prise de sang d'hier, c'est grave ?", "fr"),
    ],
)
def test_a_symptom_with_a_test_word_is_not_a_record_question(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.record_query is None, u.record_query


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        (
            "when I had covid they also did a swab for flu. was the flu one negative? the results page shows brackets",
            "en",
            "flu_test",
        ),
        ("was my flu test positive?", "en", "flu_test"),
        ("le résultat de mon test de la grippe dans mon dossier, il était négatif ?", "fr", "flu_test"),
        (
            "I had a measles blood test a while back. Can you tell me what it showed?",
            "en",
            "measles_immunity",
        ),
        ("ma sérologie rougeole, ça donnait quoi ?", "fr", "measles_immunity"),
    ],
)
def test_a_test_for_an_illness_is_not_its_vaccine(text: str, lang: str, target: str) -> None:
    (u,) = converse(text, lang=lang)
    assert target in query(u).targets, query(u)


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        ("when was my last flu jab?", "en", "flu_vaccine"),
        ("has my son had his measles jab?", "en", "mmr_vaccine"),
        ("j'ai eu combien de vaccins contre la grippe ?", "fr", "flu_vaccine"),
        # a result word with no test named anywhere: still the vaccine
        ("did my flu jab come back on my record? the result page is blank", "en", "flu_vaccine"),
    ],
)
def test_vaccines_stay_vaccines(text: str, lang: str, target: str) -> None:
    (u,) = converse(text, lang=lang)
    assert target in query(u).targets, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how many times have I ended up in the emergency room according to my records", "en"),
        ("how many A&E visits have I had since 2015?", "en"),
        ("combien de passages aux urgences j'ai eu depuis 2015 ?", "fr"),
    ],
)
def test_emergency_visits_counted_are_visits_of_that_kind(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.COUNT and "visits" in q.categories and q.visit_names, q


def test_a_question_sentence_that_asks_keeps_its_own_clause_over_a_later_aside() -> None:
    (u,) = converse(
        "Could you list the medicines she's currently prescribed, and leave out anything that was just a "
        "one-off course, like the antibiotics she had for her sinuses? I want to remember the inhalers."
    )
    q = query(u)
    assert q.kind is K.LIST and q.categories == ("medications",) and not q.targets, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how many asthma review appointments have i had since 2015?", "en"),
        ("how many diabetes reviews have I had?", "en"),
        (
            "combien de consultations de suivi pour mon asthme j'ai eues en tout "
            "(je parle des rdv de suivi, pas du passage aux urgences de 2019) ?",
            "fr",
        ),
        ("how many follow ups have I had, not counting the A&E visit?", "en"),
    ],
)
def test_follow_ups_counted_leave_out_the_emergency_visit_set_aside(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert "follow up" in q.visit_names and "emergency" not in q.visit_names, q


@pytest.mark.parametrize(
    "text",
    [
        "how many times have I been to A&E?",
        "how many visits have I had since my medication was reviewed?",
    ],
)
def test_a_review_or_an_emergency_not_set_aside_is_not_a_follow_up(text: str) -> None:
    (u,) = converse(text)
    assert "follow up" not in query(u).visit_names, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("My breathing test, the blowing one. What was the score the time before the most recent one?", "en"),
        ("what was the result of my last spirometry?", "en"),
        ("Mon test du souffle (spirométrie), pas le dernier mais celui d'avant, ça donnait quoi ?", "fr"),
        ("le résultat de ma dernière spirométrie ?", "fr"),
    ],
)
def test_a_procedures_score_is_the_measurement_it_gives(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert "fev1_fvc" in query(u).targets and "spirometry" not in query(u).targets, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("when was my last spirometry?", "en"),
        ("how many breathing tests did I have in 2020?", "en"),
        ("c'était quand ma dernière spirométrie ?", "fr"),
    ],
)
def test_when_or_how_often_a_procedure_was_done_stays_the_procedure(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert "fev1_fvc" not in query(u).targets, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("How many well baby checkups has Luigi had so far?", "en"),
        ("how many check ups have I had since 2018?", "en"),
        ("combien de visites du nourrisson il a eu ?", "fr"),
        ("il a eu combien de check-up depuis sa naissance ?", "fr"),
    ],
)
def test_check_ups_counted_are_check_up_visits(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.COUNT and "visits" in q.categories and "check up" in q.visit_names, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how many appointments have I had since 2018?", "en"),
        ("combien de consultations j'ai eu en 2019 ?", "fr"),
    ],
)
def test_visits_in_general_are_not_only_check_ups(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert "check up" not in query(u).visit_names, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "when I was poorly they put me on ceftriaxone through the drip. is that still going or did they stop it?",
            "en",
        ),
        ("à l'hôpital on m'a mis sous ceftriaxone en perfusion, c'est toujours en cours ?", "fr"),
    ],
)
def test_a_hospital_medicine_still_going_is_a_still_on_question(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.STILL_ON and "ceftriaxone" in q.terms, q
    assert u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents


def test_asking_to_stop_a_medicine_is_still_a_medicine_change() -> None:
    (u,) = converse("can I stop the ceftriaxone now?")
    assert u.has_intent(IntentKind.MEDICINE_QUESTION), u.intents


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("quels médicaments on a donné à ma fille quand elle a eu le covid en février 2020 ?", "fr"),
        ("what medicines did they give me when I had the flu?", "en"),
    ],
)
def test_the_illness_a_medicine_was_given_during_is_not_what_is_asked(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert "medications" in q.categories and not q.targets and not q.terms, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("did I test positive when I had covid?", "en"),
        ("quand elle a eu le covid, elle a été testée ?", "fr"),
    ],
)
def test_an_illness_named_without_medicines_stays_a_target(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.targets or q.terms, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("My husband's last cholesterol was in March 2019. What was the one before that one?", "en"),
        ("Sa dernière tension c'était en mars 2019. Et celle d'avant, c'était combien ?", "fr"),
    ],
)
def test_the_one_before_a_dated_latest_is_the_reading_before_that_period(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind == K.PREVIOUS and q.period is not None and q.period.start == date(2019, 3, 1), q


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("à la consultation d'avant la dernière, elle pesait combien ?", K.PREVIOUS),
        ("la pesée d'avant la dernière chez le docteur, ça donnait quoi ?", K.PREVIOUS),
        # look-alike: the last weighing itself, with nothing before it
        ("à la dernière consultation chez le médecin, elle pesait combien ?", K.LATEST),
    ],
)
def test_avant_la_derniere_asks_for_the_one_before_whatever_word_follows(text: str, kind: K) -> None:
    (u,) = converse(text, lang="fr")
    assert query(u).kind == kind, query(u)


def test_a_month_without_its_year_is_marked_as_implied() -> None:
    implied = read_period(fold("my a1c in january"), TODAY)
    written = read_period(fold("my a1c in january 2020"), TODAY)
    assert implied is not None and implied.year_implied and implied.start == date(2026, 1, 1)
    assert written is not None and not written.year_implied


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("combien de fois je suis allée aux urgences ?", "fr"),
        ("combien de fois j'ai atterri à l'hôpital depuis 2018 ?", "fr"),
        ("how many times have I ended up at the ER?", "en"),
        ("how many times was I rushed to hospital since 2018?", "en"),
    ],
)
def test_going_to_the_emergency_department_or_hospital_is_a_visit(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert "visits" in query(u).categories, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("le médecin des urgences m'a prescrit quel antibiotique ?", "fr"),
        ("I ended up taking the antibiotics for how many days?", "en"),
    ],
)
def test_the_emergency_named_without_going_there_is_not_a_visit(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.record_query is None or "visits" not in u.record_query.categories, u.record_query


def test_a_long_follow_up_that_names_nothing_still_counts_what_was_asked_before() -> None:
    _, total = converse(
        "when did I last get my flu shot?",
        "right. and how many of those have I had altogether, counting every one you have on file?",
    )
    q = query(total)
    assert (q.kind, q.targets, total.followup) == (K.COUNT, ("flu_vaccine",), True), q


def test_a_long_new_question_that_names_its_own_target_is_not_a_follow_up() -> None:
    _, other = converse(
        "when did I last get my flu shot?",
        "ok and how many cholesterol tests have I had altogether since I moved to the new practice?",
    )
    q = query(other)
    assert q.kind == K.COUNT and "flu_vaccine" not in q.targets and not other.followup, q


def test_a_before_that_in_the_story_does_not_change_the_year_asked() -> None:
    (u,) = converse(
        "I want to know if my cholesterol was already high before that, because my dad has it too. "
        "I had a check-up every year. What was my cholesterol result in 2017?"
    )
    q = query(u)
    assert q.kind == K.VALUE_AT and q.period is not None and q.period.start == date(2017, 1, 1), q
