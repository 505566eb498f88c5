"""Safety core: triage rules, input/output guards, PHI pseudonymiser."""
