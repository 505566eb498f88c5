"""Performance harness: each bench_<name> module prints its figures; results live in RESULTS.md."""
