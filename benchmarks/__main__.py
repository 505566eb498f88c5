"""``python -m benchmarks``: run every benchmark in turn (what ``make bench`` does)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    names = sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_")
    )
    only = set(sys.argv[1:])
    for name in names:
        if only and name not in only and name.removeprefix("bench_") not in only:
            continue
        print(f"\n=== {name} ===", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        saved, sys.argv = sys.argv, [name]
        try:
            module.main()
        finally:
            sys.argv = saved


if __name__ == "__main__":
    main()
