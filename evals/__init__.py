"""Safety eval suites. Arrives with issue #9."""
