"""The on-disk index (real chromadb under tmp_path, real MiniLM): isolation, incremental re-sync, erasure."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from retrieval_data import raw, raw_bundle, record, ref

from fhir_client import load_bundle
from retrieval import MiniLMEmbedder, RecordRetriever, patient_key


def test_each_patient_has_their_own_store_and_never_sees_another_patients_cards(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    liz, luigi = record("Liz_Conn"), record("Luigi_Wiegand")
    retriever = RecordRetriever(tmp_path, embedder=embedder)
    retriever.index_record(liz)
    retriever.index_record(luigi)
    stores = sorted(p.name for p in tmp_path.iterdir())
    assert stores == sorted([patient_key(liz.patient_id), patient_key(luigi.patient_id)])
    assert liz.patient_id not in " ".join(str(p) for p in tmp_path.rglob("*"))  # ids never in file names
    liz_refs = {f"{r.get_resource_type()}/{r.id}" for r in liz}
    luigi_refs = {f"{r.get_resource_type()}/{r.id}" for r in luigi}
    # Luigi is an infant with vaccines; ask Liz's index about them and about Luigi's own words.
    for query in ["vaccines", "Hib vaccine", "rotavirus", "what is my name", "Luigi Wiegand"]:
        hits = retriever.search(liz.patient_id, query, k=20)
        assert hits
        refs = {r for h in hits for r in h.card.refs}
        assert refs <= liz_refs and not refs & luigi_refs
    retriever.close()


def test_unchanged_resync_embeds_nothing_and_a_changed_resource_only_its_cards(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    first = RecordRetriever(tmp_path, embedder=embedder).index_record(record("Liz_Conn"))
    assert first.sync.added == first.sync.total > 0 and first.sync.embedded_texts > 0

    again = RecordRetriever(tmp_path, embedder=embedder)  # a new process would start like this
    report = again.index_record(record("Liz_Conn"))
    assert (report.sync.added, report.sync.updated, report.sync.removed, report.sync.embedded_texts) == (
        0,
        0,
        0,
        0,
    )
    assert report.sync.unchanged == first.sync.total

    data = copy.deepcopy(raw_bundle("Liz_Conn"))
    weights = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation"
               and e["resource"]["code"]["coding"][0]["code"] == "29463-7"]  # fmt: skip
    weights[-1]["valueQuantity"]["value"] = 123.4
    dropped = next(e for e in data["entry"] if e["resource"]["resourceType"] == "Procedure")
    data["entry"].remove(dropped)
    edited = load_bundle(data, source="edited")
    report = again.index_record(edited)
    assert report.sync.added == 0
    assert report.sync.removed == 1
    # The weight's own card and the weight series card show the value; nothing else should be re-embedded.
    assert report.sync.updated <= 4 and report.sync.embedded_texts <= report.sync.updated
    stored = {c.id: c for c in again.stored_cards(edited.patient_id)}
    assert "123.4 kg" in stored[ref(weights[-1])].text
    assert ref(dropped["resource"]) not in stored
    hits = again.search(edited.patient_id, "my weight", k=3)
    assert any("123.4 kg" in h.card.text for h in hits)
    again.close()


def test_erase_removes_the_collection_and_every_file(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    liz, luigi = record("Liz_Conn"), record("Luigi_Wiegand")
    retriever = RecordRetriever(tmp_path, embedder=embedder)
    retriever.index_record(liz)
    retriever.index_record(luigi)
    assert retriever.search(liz.patient_id, "blood pressure")
    assert retriever.erase(liz.patient_id) is True
    assert not (tmp_path / patient_key(liz.patient_id)).exists()
    assert [p.name for p in tmp_path.iterdir()] == [patient_key(luigi.patient_id)]
    assert not retriever.is_indexed(liz.patient_id)
    with pytest.raises(LookupError, match="not been indexed"):
        retriever.search(liz.patient_id, "blood pressure")
    assert retriever.search(luigi.patient_id, "vaccines")  # the other patient is untouched
    assert retriever.erase(liz.patient_id) is False  # nothing left to erase
    # Re-indexing after erasure starts from nothing and works in the same process.
    again = retriever.index_record(liz)
    assert again.sync.added == again.sync.total
    assert retriever.search(liz.patient_id, "blood pressure")
    retriever.close()


def test_erase_from_a_fresh_process_view(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    liz = record("Liz_Conn")
    writer = RecordRetriever(tmp_path, embedder=embedder)
    writer.index_record(liz)
    writer.close()
    assert RecordRetriever(tmp_path, embedder=embedder).erase(liz.patient_id) is True
    assert list(tmp_path.iterdir()) == []


def test_erasure_never_loads_the_model(tmp_path: Path) -> None:
    retriever = RecordRetriever(tmp_path)
    assert retriever.erase("nobody") is False
    assert retriever._embedder is None


def test_a_blank_patient_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="patient id is required"):
        patient_key("  ")


def test_every_card_of_the_record_is_stored(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    retriever = RecordRetriever(tmp_path, embedder=embedder)
    retriever.index_record(record("Liz_Conn"))
    stored = {c.id for c in retriever.stored_cards(record("Liz_Conn").patient_id)}
    for rtype in ("Observation", "Encounter", "Immunization", "Procedure", "Condition", "MedicationRequest"):
        for r in raw("Liz_Conn", rtype):
            assert ref(r) in stored
    retriever.close()


ROOT = Path(__file__).resolve().parents[2]
ALL_RECORDS = sorted((ROOT / "data" / "synthea").glob("*.json")) + sorted(
    (ROOT / "data" / "realworld").glob("*.json")
)


def test_all_sixteen_shared_records_load_index_and_answer_a_search(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    from fhir_client import load_bundle_file

    assert len(ALL_RECORDS) == 16
    retriever = RecordRetriever(tmp_path, embedder=embedder)
    for path in ALL_RECORDS:
        rec = load_bundle_file(path)
        report = retriever.index_record(rec)
        assert report.sync.total == report.sync.added > 0, path.name
        hits = retriever.search(rec.patient_id, "my medicines and health problems", k=5)
        own = {f"{r.get_resource_type()}/{r.id}" for r in rec}
        assert hits and {x for h in hits for x in h.card.refs} <= own, path.name
    retriever.close()
