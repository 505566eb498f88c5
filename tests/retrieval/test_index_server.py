"""The index kept in a real Chroma server (``chroma run`` on 127.0.0.1, real MiniLM): nothing on local disk,
same ranking as the embedded index, one collection per patient, re-sync and erasure seen by every worker.

Each ``RecordRetriever`` here stands for one API worker: they share nothing but the server URL.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from retrieval_data import bundle_path, raw_bundle, record, ref
from typer.testing import CliRunner

import retrieval.chroma_server as chroma_store
from fhir_client import PatientRecord, load_bundle
from health_assistant.cli import app
from retrieval import Card, IndexUnavailable, MiniLMEmbedder, RecordRetriever, patient_key
from tests.chroma_server import chroma_server, free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("chroma") / "data") as url:
        yield url


def server_collections(url: str) -> dict[str, Any]:
    host, port = url.removeprefix("http://").split(":")
    client = chromadb.HttpClient(
        host=host, port=int(port), settings=ChromaSettings(anonymized_telemetry=False)
    )
    return {c.name: c for c in client.list_collections()}


def bodies(cards: list[Card]) -> dict[str, str]:
    # to_json (sorted keys) rather than content_hash: a read-back card's ``extra`` dict has another key order.
    return {c.id: c.to_json() for c in cards}


def worker(tmp_path: Path, url: str, embedder: MiniLMEmbedder) -> RecordRetriever:
    return RecordRetriever(tmp_path / "index", embedder=embedder, chroma_url=url)


def fresh(retriever: RecordRetriever, *records: PatientRecord) -> None:
    """Tests share one server: start each from no index for the patients it uses."""
    for rec in records:
        retriever.erase(rec.patient_id)


def edited_liz() -> tuple[PatientRecord, dict[str, Any], dict[str, Any]]:
    """Liz with her latest weight changed to 123.4 kg and one procedure dropped."""
    data = copy.deepcopy(raw_bundle("Liz_Conn"))
    weights = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation"
               and e["resource"]["code"]["coding"][0]["code"] == "29463-7"]  # fmt: skip
    weights[-1]["valueQuantity"]["value"] = 123.4
    dropped = next(e for e in data["entry"] if e["resource"]["resourceType"] == "Procedure")
    data["entry"].remove(dropped)
    return load_bundle(data, source="edited"), weights[-1], dropped["resource"]


def test_the_server_holds_one_collection_per_patient_nothing_local_and_ranks_like_the_embedded_index(
    tmp_path: Path, chroma_url: str, embedder: MiniLMEmbedder
) -> None:
    liz, luigi = record("Liz_Conn"), record("Luigi_Wiegand")
    served = worker(tmp_path, chroma_url, embedder)
    fresh(served, liz, luigi)
    embedded = RecordRetriever(tmp_path / "embedded", embedder=embedder)
    for rec in (liz, luigi):
        report = served.index_record(rec)
        assert report.sync.added == report.sync.total > 0 and report.sync.embedded_texts > 0
        embedded.index_record(rec)
    assert not (tmp_path / "index").exists()  # nothing of the served index on local disk
    names = set(server_collections(chroma_url))
    assert {patient_key(liz.patient_id), patient_key(luigi.patient_id)} <= names
    assert not any(liz.patient_id in n or luigi.patient_id in n for n in names)

    luigi_refs = {f"{r.get_resource_type()}/{r.id}" for r in luigi}
    for query in [
        "vaccines",
        "Hib vaccine",
        "blood pressure",
        "ma tension",
        "what is my name",
        "Luigi Wiegand",
    ]:
        hits = served.search(liz.patient_id, query, k=8)
        assert [(h.card.id, round(h.score, 5)) for h in hits] == [
            (h.card.id, round(h.score, 5)) for h in embedded.search(liz.patient_id, query, k=8)
        ]
        assert not {r for h in hits for r in h.card.refs} & luigi_refs
    assert bodies(served.stored_cards(liz.patient_id)) == bodies(served.cards_for(liz))
    assert served.ping() == f"chroma server at {chroma_url}"
    served.close()
    embedded.close()


def test_a_second_worker_resyncs_incrementally_and_the_first_sees_its_changes(
    tmp_path: Path, chroma_url: str, embedder: MiniLMEmbedder
) -> None:
    liz = record("Liz_Conn")
    one = worker(tmp_path, chroma_url, embedder)
    fresh(one, liz)
    first = one.index_record(liz)
    assert one.search(liz.patient_id, "my weight", k=3)  # worker one now holds Liz's cards in memory

    two = worker(tmp_path, chroma_url, embedder)
    again = two.index_record(liz)
    assert (again.sync.added, again.sync.updated, again.sync.removed, again.sync.embedded_texts) == (
        0,
        0,
        0,
        0,
    )
    assert again.sync.unchanged == first.sync.total

    edited, weight, dropped = edited_liz()
    report = two.index_record(edited)
    assert (report.sync.added, report.sync.removed) == (0, 1)
    assert 1 <= report.sync.updated <= 4 and report.sync.embedded_texts <= report.sync.updated
    # Worker one never synced the edit: it must notice the server's new generation, not answer from memory.
    hits = one.search(liz.patient_id, "my weight", k=3)
    assert any("123.4 kg" in h.card.text for h in hits)
    stored = {c.id for c in one.stored_cards(liz.patient_id)}
    assert ref(weight) in stored and ref(dropped) not in stored
    one.close()
    two.close()


def test_erasure_deletes_the_collection_on_the_server_for_every_worker(
    tmp_path: Path, chroma_url: str, embedder: MiniLMEmbedder
) -> None:
    liz, luigi = record("Liz_Conn"), record("Luigi_Wiegand")
    one, two = worker(tmp_path, chroma_url, embedder), worker(tmp_path, chroma_url, embedder)
    fresh(one, liz, luigi)
    one.index_record(liz)
    one.index_record(luigi)
    assert one.search(liz.patient_id, "blood pressure")
    assert two.is_indexed(liz.patient_id)

    assert two.erase(liz.patient_id) is True
    assert patient_key(liz.patient_id) not in server_collections(chroma_url)
    assert not one.is_indexed(liz.patient_id)
    with pytest.raises(LookupError, match="not been indexed"):
        one.search(liz.patient_id, "blood pressure")  # worker one's copy in memory is not used
    assert one.search(luigi.patient_id, "vaccines")  # the other patient is untouched
    assert two.erase(liz.patient_id) is False
    back = one.index_record(liz)
    assert back.sync.added == back.sync.total
    assert two.search(liz.patient_id, "blood pressure")
    one.close()
    two.close()


def test_card_bodies_live_in_shards_rewritten_only_where_cards_changed(
    tmp_path: Path, chroma_url: str, embedder: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    liz = record("Liz_Conn")
    served = worker(tmp_path, chroma_url, embedder)
    fresh(served, liz)
    served.index_record(liz)  # 67 cards: one shard at the default size
    collection = server_collections(chroma_url)[patient_key(liz.patient_id)]
    assert collection.get(where={"kind": "cards"}, include=[])["ids"] == ["cards:0"]

    # The record "grows" past four times its shard count: every body moves into the new shards.
    monkeypatch.setattr(chroma_store, "CARDS_PER_SHARD", 10)
    edited, _, _ = edited_liz()
    served.index_record(edited)
    shards = collection.get(where={"kind": "cards"}, include=["documents"])
    assert len(shards["ids"]) == 7 == -(-len(served.cards_for(edited)) // 10)
    expected = bodies(served.cards_for(edited))
    assert bodies(served.stored_cards(edited.patient_id)) == expected

    # A small change rewrites the shard that holds it; the rest stay byte for byte.
    before = dict(zip(shards["ids"], shards["documents"], strict=True))
    report = served.index_record(liz)  # the weight and the procedure come back
    assert report.sync.added == 1
    after = collection.get(where={"kind": "cards"}, include=["documents"])
    changed = [sid for sid, doc in zip(after["ids"], after["documents"], strict=True) if before[sid] != doc]
    assert 1 <= len(changed) < len(before)
    assert bodies(served.stored_cards(liz.patient_id)) == bodies(served.cards_for(liz))
    served.close()


def test_an_unreachable_server_is_an_upstream_failure_naming_it(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    retriever = RecordRetriever(tmp_path, embedder=embedder, chroma_url=url)
    with pytest.raises(IndexUnavailable, match=f"Chroma server at {url}"):
        retriever.index_record(record("Liz_Conn"))
    with pytest.raises(IndexUnavailable):
        retriever.ping()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["chroma:8000", "ftp://host:21", "http://host:8000/v2", "http://"])
def test_a_malformed_chroma_url_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="Chroma URL"):
        RecordRetriever(tmp_path, chroma_url=bad)


def cli(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_cli_ingest_and_search_use_the_server_named_by_the_setting(tmp_path: Path, chroma_url: str) -> None:
    liz = record("Liz_Conn")
    RecordRetriever(tmp_path, chroma_url=chroma_url).erase(liz.patient_id)
    env = {"HEALTH_ASSISTANT_DATA_DIR": str(tmp_path / "data"), "HEALTH_ASSISTANT_CHROMA_URL": chroma_url}
    code, out, err = cli(["ingest", "--patient", str(bundle_path("Liz_Conn")), "--json"], env)
    assert code == 0, err
    assert json.loads(out)["index"]["added"] > 0
    assert patient_key(liz.patient_id) in server_collections(chroma_url)
    code, out, err = cli(["search", "--patient", str(bundle_path("Liz_Conn")), "--json", "my weight"], env)
    assert code == 0, err
    found = json.loads(out)
    assert found["sync"]["unchanged"] == found["sync"]["cards"] and found["hits"]
    assert not (tmp_path / "data" / "index").exists()


@pytest.mark.parametrize(("url", "code"), [("http://127.0.0.1:{port}", 3), ("chroma:8000", 2)])
def test_cli_reports_a_dead_or_malformed_server_in_one_line(tmp_path: Path, url: str, code: int) -> None:
    env = {
        "HEALTH_ASSISTANT_DATA_DIR": str(tmp_path),
        "HEALTH_ASSISTANT_CHROMA_URL": url.format(port=free_port()),
    }
    got, _, err = cli(["ingest", "--patient", str(bundle_path("Liz_Conn"))], env)
    assert got == code
    assert err.startswith("error: ") and "Chroma" in err and len(err.strip().splitlines()) == 1
