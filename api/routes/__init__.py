"""Thin routes: parse, call the core with the token's patient, audit, shape the response."""
