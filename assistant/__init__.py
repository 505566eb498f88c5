"""The assistant: one turn contract, guardrails, backends, sessions."""
