"""Load + parse time of each shared Synthea bundle, from file and (when a sandbox runs) from the server.

Run: ``.venv/bin/python -m benchmarks.bench_loading`` (starts its own sandbox for the server figures).
Median of ``--repeat`` runs per bundle; the first run pays the import of the R4B models, so it is excluded.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from fhir_client import load_bundle_file

DATA = Path(__file__).resolve().parent.parent / "data" / "synthea"
UUID = re.compile(r"_([0-9a-f-]{36})\.json$")


def _median_seconds(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-server", action="store_true", help="only time file loading")
    args = parser.parse_args()

    files = sorted(DATA.glob("*.json"), key=lambda p: p.stat().st_size)
    load_bundle_file(files[0])  # warm the model imports

    server_times: dict[str, float] = {}
    if not args.no_server:
        from fhir_client.client import FhirClient
        from fhir_client.server_record import load_patient_from_server
        from sandbox.launcher import Sandbox

        with Sandbox(port=0) as sb, FhirClient(sb.base_url) as client:
            for f in files:
                m = UUID.search(f.name)
                assert m, f.name
                pid = m.group(1)
                server_times[f.name] = _median_seconds(
                    lambda pid=pid: load_patient_from_server(client, pid), args.repeat
                )

    print(f"{'bundle':<60} {'resources':>9} {'file s':>8} {'server s':>9}")
    for f in files:
        record = load_bundle_file(f)
        file_s = _median_seconds(lambda f=f: load_bundle_file(f), args.repeat)
        srv = server_times.get(f.name)
        srv_txt = f"{srv:9.3f}" if srv is not None else f"{'-':>9}"
        print(f"{f.name:<60} {len(record):>9} {file_s:8.3f} {srv_txt}")


if __name__ == "__main__":
    main()
