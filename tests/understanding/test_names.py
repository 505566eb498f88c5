"""Other people's names, found by their shape in what the patient typed, minus the patient's own and their
care team's; marked in the folded text without moving any offset."""

from __future__ import annotations

from assistant.assistant import patient_facts
from assistant.understanding.names import NAME_MARK, NameFinder
from assistant.understanding.subjects import PatientFacts
from assistant.understanding.text import fold
from tests.understanding.reading import TODAY, record

FINDER = NameFinder.load()


def test_names_but_not_titles_places_medicines_or_sentence_starts() -> None:
    text = "Ask Dr Adams whether Harriet Vance's Lasix is in stock at Saint Mary Hospital on Monday. Thanks"
    assert FINDER.find(text) == ("Harriet Vance",)


def test_elision_hyphens_apostrophes_and_honorifics() -> None:
    text = "Comparez avec celui d'Anne-Sophie Leclerc, de Mme Benali et de Sean O'Brien."
    assert FINDER.find(text) == ("Anne-Sophie Leclerc", "Benali", "Sean O'Brien")


def test_marking_keeps_offsets_and_the_possessive() -> None:
    text = "Show me Josue Sipes's latest blood pressure"
    folded = fold(text)
    marked = FINDER.mark(folded, FINDER.find(text))
    assert len(marked) == len(folded)
    assert marked == f"show me {NAME_MARK * 11}s latest blood pressure"


def test_ids_written_with_underscores_are_names() -> None:
    assert FINDER.find("give me the record of Liz_Conn") == ("Liz Conn",)


def test_the_patients_own_names_and_care_team_are_dropped() -> None:
    facts = patient_facts(record("Lupe_Little"), TODAY)
    assert "Lupe" in facts.given_names and "Little" in facts.family_names
    assert all(not any(ch.isdigit() for ch in n) for n in (*facts.given_names, *facts.family_names))
    assert FINDER.find("Show me Lupe Little's results", facts) == ()
    assert FINDER.find("Show me Lupe Little's results") == ("Lupe Little",)
    team = PatientFacts(care_team_names=("Harriet", "Vance"))
    assert FINDER.find("Has Harriet Vance seen my results?", team) == ()
    # Only a name made wholly of the patient's words is theirs: a relative shares the family name.
    assert FINDER.find("What is Maria Little's blood sugar?", facts) == ("Maria Little",)


def test_countries_and_cities_are_places_not_people() -> None:
    assert (
        FINDER.find("la dernière mesure de mon dossier (celui d'Autriche) ; mon cardiologue ici à Strasbourg")
        == ()
    )
    assert FINDER.find("my records from Spain, my GP back in Manchester has them") == ()
    # a person named next to a place is still a person
    assert FINDER.find("les résultats de Marie Dupont à Lyon") == ("Marie Dupont",)


def test_a_record_from_abroad_is_the_patients_own() -> None:
    from assistant.understanding.model import SignalKind
    from assistant.understanding.stage import Understander

    u = Understander.default().understand(
        "ma tension, la dernière mesure qui est dans mon dossier (celui d'Autriche), c'était combien ?",
        language="fr",
    )
    assert not u.has_signal(SignalKind.OTHER_PERSON_DATA), u.signals
