"""A real Chroma server for integration tests: ``chroma run`` (the CLI the chromadb package installs) on a
free 127.0.0.1 port, its data in a directory the caller names, stopped when the block ends.

Shared by the retrieval tests (index, re-sync, erasure against the server) and the API scale-out test (two
workers on one index).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def chroma_executable() -> str:
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        raise RuntimeError("the `chroma` command is missing: it comes with the chromadb package")
    return found


@contextmanager
def chroma_server(path: Path, *, start_timeout: float = 60.0) -> Iterator[str]:
    """Yield the base URL of a Chroma server persisting under ``path``; the log goes to ``path/../``."""
    path.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_file = path.parent / f"chroma-{port}.log"
    with log_file.open("wb") as log:
        # The server logs every request; a pipe nobody reads would fill up and block it, so a file.
        proc = subprocess.Popen(
            [chroma_executable(), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + start_timeout
    try:
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log_file.read_text(encoding="utf-8", errors="replace")[-2000:]
                raise RuntimeError(f"chroma run did not start on {url}: {tail}")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
