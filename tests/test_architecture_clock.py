"""One clock: nothing reads the machine's wall clock except ``health_assistant/clock.py``.

Code below the composition root takes a ``clock`` (or a ``today``) argument; the composition root passes
``system_clock``; tests pass a frozen one. A component that called ``date.today()`` itself would give a
different answer on a Saturday than on a Tuesday — exactly the bug that made the booking dialogues fail on
Fridays — so this scan reads every module's syntax tree and lists each wall-clock read, however it was
imported (``datetime.now``, ``dt.datetime.now``, ``from time import time``…). Durations
(``time.monotonic``, ``time.perf_counter``) are not dates and stay allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "fhir_client",
    "retrieval",
    "assistant",
    "api",
    "ui",
    "evals",
    "health_assistant",
    "sandbox",
    "tests",
]
ALLOWED = {Path("health_assistant/clock.py")}
WALL_CLOCK = {
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
    "time.time",
    "time.time_ns",
    "time.localtime",
    "time.gmtime",
    "time.ctime",
}


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local name → what it was imported as (``dt`` → ``datetime``, ``now`` → ``datetime.datetime``)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def wall_clock_reads(source: str, filename: str = "<string>") -> list[str]:
    """``line: name`` for each read of the wall clock in ``source`` (a reference counts, not only a call:
    ``clock=datetime.now`` as a default is the same fault)."""
    tree = ast.parse(source, filename=filename)
    aliases = _aliases(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute | ast.Name):
            continue
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            continue
        parts = _dotted(node)
        if parts is None or parts[0] not in aliases:
            continue
        qualified = ".".join([aliases[parts[0]], *parts[1:]])
        if qualified in WALL_CLOCK:
            found.append(f"{node.lineno}: {qualified}")
    return sorted(set(found), key=lambda s: int(s.split(":")[0]))


@pytest.mark.parametrize("package", PACKAGES)
def test_only_the_composition_root_reads_the_wall_clock(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative in ALLOWED or "node_modules" in relative.parts:
            continue
        for read in wall_clock_reads(path.read_text(encoding="utf-8"), str(relative)):
            offenders.append(f"{relative}:{read}")
    assert offenders == []


@pytest.mark.parametrize(
    "source",
    [
        "import datetime\nx = datetime.datetime.now()\n",
        "import datetime as dt\nx = dt.datetime.now(dt.UTC)\n",
        "from datetime import datetime\nx = datetime.utcnow()\n",
        "from datetime import date\ndef f(today=None):\n    return today or date.today()\n",
        "from datetime import datetime as D\nclock = D.now\n",
        "import time\nstamp = time.time()\n",
        "from time import time as now\nstamp = now()\n",
    ],
)
def test_the_scan_sees_every_spelling_of_a_wall_clock_read(source: str) -> None:
    assert wall_clock_reads(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "import time\nstarted = time.monotonic()\nelapsed = time.perf_counter()\n",
        "from datetime import date, datetime\nd = date(2026, 12, 1)\nt = datetime.fromisoformat('2026-12-01')\n",
        "def now():\n    return 1\nx = now()\n",
        "class C:\n    def today(self):\n        return self.clock().date()\n",
    ],
)
def test_the_scan_leaves_durations_and_fixed_dates_alone(source: str) -> None:
    assert wall_clock_reads(source) == []


def test_the_one_allowed_reader_is_the_system_clock() -> None:
    source = (ROOT / "health_assistant/clock.py").read_text(encoding="utf-8")
    assert wall_clock_reads(source) != []  # the allowance is not for an empty file
