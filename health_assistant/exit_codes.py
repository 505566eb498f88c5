"""Exit codes shared by every command: scripts and evaluators branch on them."""

OK = 0
BAD_INPUT = 2
UPSTREAM_FAILED = 3
NOT_AVAILABLE = 4
