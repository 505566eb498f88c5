"""A medicine asked for by its brand finds the record's entry named by the molecule (round-19 dev): the
reliever "Ventoline"/"Ventolin" is the albuterol (US) or salbutamol (UK, FR) of the record, and not the
preventer inhaler beside it."""

from __future__ import annotations

import pytest
from retrieval_data import record

from retrieval import ConceptMap, RecordQueries


@pytest.mark.parametrize("word", ["Ventoline", "ventolin", "salbutamol", "albuterol"])
def test_the_reliever_by_its_brand_finds_the_records_albuterol(word: str) -> None:
    q = RecordQueries(record("Fidel_Bins"))
    concept = ConceptMap.load().resolve(word)
    assert [c.key for c in concept] == ["salbutamol"]
    found = q.medicines_for(concept[0])
    assert found and all("albuterol" in e.name.lower() for e in found)


def test_other_inhalers_are_not_the_reliever() -> None:
    q = RecordQueries(record("Fidel_Bins"))
    (concept,) = ConceptMap.load().resolve("salbutamol")
    assert not any("fluticasone" in e.name.lower() for e in q.medicines_for(concept))
