"""Retrieval over the patient's own record: record cards, exact queries by code, hybrid index."""
