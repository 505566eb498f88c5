"""Retrieval over the patient's own record: record cards, exact queries by code, hybrid index.

What the assistant calls:
- ``RecordRetriever(index_dir, embedder=..., chroma_url=None)``: ``index_record(record)`` (incremental),
  ``search(patient_id, query, k=, types=, since=, until=)`` → ``SearchHit`` (card, score, signals),
  ``erase(patient_id)``. Embedded chromadb under ``index_dir``, or everything in the Chroma server at
  ``chroma_url`` (``IndexUnavailable`` when it cannot be reached).
- ``RecordQueries(record)``: ``latest(term)``, ``series(term, since, until)``, ``conditions()``,
  ``medications()``, ``allergies()``, ``immunizations(vaccine)``, ``encounters(since, until)``,
  ``out_of_range(term)``, ``billing_totals()``, ``vaccines_due(as_of)``; every result carries resource references to cite.
- ``build_cards(record)`` → ``Card`` (plain-language text + metadata + refs), ``ConceptMap`` (patient words
  in English and French ↔ codes).
"""

from retrieval.cards import build_cards
from retrieval.chroma_server import IndexUnavailable
from retrieval.concepts import Concept, ConceptMap
from retrieval.embedding import E5Embedder, Embedder, EmbeddingModelMissing, MiniLMEmbedder
from retrieval.exact import BillingTotals, RecordQueries, UnknownConcept
from retrieval.index import SyncReport, patient_key
from retrieval.model import Card, Code
from retrieval.readings import Reading
from retrieval.retriever import IndexReport, RecordRetriever
from retrieval.search import SearchHit
from retrieval.vaccines import VaccineDue

CARD_TYPES = (
    "Patient",
    "Condition",
    "Observation",
    "MedicationRequest",
    "AllergyIntolerance",
    "Immunization",
    "Procedure",
    "Encounter",
    "DiagnosticReport",
    "CarePlan",
    "Goal",
    "ImagingStudy",
)

__all__ = [
    "CARD_TYPES",
    "BillingTotals",
    "Card",
    "Code",
    "Concept",
    "ConceptMap",
    "E5Embedder",
    "Embedder",
    "EmbeddingModelMissing",
    "IndexReport",
    "IndexUnavailable",
    "MiniLMEmbedder",
    "Reading",
    "RecordQueries",
    "RecordRetriever",
    "SearchHit",
    "SyncReport",
    "UnknownConcept",
    "VaccineDue",
    "build_cards",
    "patient_key",
]
