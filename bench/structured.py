"""Structured-stream scaling: an 8,000-chunk structured stream must cost at most 4.5x the
2,000-chunk one (linear would be 4x; re-parsing the buffer per chunk, as v1 does, is quadratic).

The Groq emulator runs in a child process (so its CPU is not counted) and streams, in JSON mode,
a `Library` whose JSON grows with N: about 10 characters per chunk, cut into exactly N content
deltas. The client is `groq.call(..., response_model=Library, stream=True, json_mode=True)`,
drained to the final validated model, sync. Measured: client CPU time (`time.process_time`,
median of rounds) and, when valgrind is installed, callgrind instruction counts of one client
process whose phases are split by `os.getppid()` dump markers (as `bench/measure.py` does). For
contrast, "re-parse per chunk" times the v1 approach on the same chunks, without HTTP: append
the chunk, jiter-parse the whole buffer in partial mode, validate the partial model.

Run: `python bench/structured.py [--rounds 3] [--no-callgrind] [--no-write]`. The result is
printed and appended to bench/RESULTS.md under "Structured streaming"; exit status 1 if a ratio
is above 4.5.
"""

# ruff: noqa: RUF001
from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import jiter
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
SMALL, LARGE = 2_000, 8_000
LIMIT = 4.5
CHARS_PER_CHUNK = 10
MODEL = "llama-3.1-8b-instant"


class Author(BaseModel):
    name: str
    born: int


class Volume(BaseModel):
    title: str
    author: Author
    tags: list[str]


class Library(BaseModel):
    name: str
    volumes: list[Volume]


def library_json(n_chunks: int) -> str:
    """A Library JSON text of about `n_chunks * CHARS_PER_CHUNK` characters."""
    volumes: list[dict[str, Any]] = []
    data: dict[str, Any] = {"name": "Bench library", "volumes": volumes}
    target = n_chunks * CHARS_PER_CHUNK
    size = len(json.dumps(data))
    i = 0
    while size < target:
        volume = {
            "title": f"Volume {i} of the collection",
            "author": {"name": f"Author {i % 97}", "born": 1900 + i % 120},
            "tags": ["fiction", f"shelf-{i % 13}"],
        }
        volumes.append(volume)
        size += len(json.dumps(volume)) + 2  # ", " between items
        i += 1
    return json.dumps(data)


# -- the emulator, in its own process ------------------------------------------------------------

_SERVE = (
    "import sys\n"
    "from mirascope.core.groq.testing import GroqEmulator\n"
    "emu = GroqEmulator().start()\n"
    "print(emu.base_url, flush=True)\n"
    "sys.stdin.read()\n"
    "emu.stop()\n"
)


def start_emulator() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def stop_emulator(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- the client ----------------------------------------------------------------------------------


class Client:
    """One sync structured-stream call per `run(n)`, against the emulator at `base_url`."""

    def __init__(self, base_url: str) -> None:
        import groq

        from mirascope.core import groq as mgroq

        self.control = httpx.Client(base_url=base_url)
        self.client = groq.Groq(base_url=base_url, api_key="bench", max_retries=0)
        self.texts: dict[int, str] = {}

        @mgroq.call(MODEL, response_model=Library, stream=True, json_mode=True, client=self.client)
        def extract() -> str:
            return "Describe the library."

        self.extract = extract

    def script(self, n: int) -> None:
        text = self.texts.setdefault(n, library_json(n))
        entry = {"scenario": "json", "params": {"text": text, "chunks": n, "usage_mode": "both"}}
        self.control.post("/__emulator__/script", json=[entry]).raise_for_status()

    def run(self) -> int:
        partials = 0
        final: object = None
        for item in self.extract():
            partials += 1
            final = item
        if not isinstance(final, Library):
            raise RuntimeError(f"no final Library (got {type(final).__name__})")
        return partials

    def close(self) -> None:
        self.client.close()
        self.control.close()


def cpu_seconds(client: Client, n: int, rounds: int) -> float:
    samples: list[float] = []
    for _ in range(rounds):
        client.script(n)
        start = time.process_time()
        client.run()
        samples.append(time.process_time() - start)
    return statistics.median(samples)


def reparse_seconds(n: int, rounds: int) -> float:
    """v1's approach, in-process: re-parse and re-validate the whole buffer on every chunk."""
    from mirascope.core.base._partial import partial

    text = library_json(n)
    size = -(-len(text) // n)
    chunks = [text[i : i + size] for i in range(0, len(text), size)]
    model = partial(Library)
    samples: list[float] = []
    for _ in range(rounds):
        start = time.process_time()
        buffer = ""
        for chunk in chunks:
            buffer += chunk
            model.model_validate(jiter.from_json(buffer.encode(), partial_mode="trailing-strings"))
        samples.append(time.process_time() - start)
    return statistics.median(samples)


# -- callgrind -----------------------------------------------------------------------------------


def worker(base_url: str) -> None:
    """Under callgrind: warm up, then one phase per stream, split by `os.getppid()` markers.

    Dump parts: 1 start-up and warm-up, 2 the 2,000-chunk stream, 3 scripting the next one,
    4 the 8,000-chunk stream, 5 shutdown.
    """
    client = Client(base_url)
    try:
        for n in (SMALL, LARGE):
            client.texts[n] = library_json(n)
        client.script(200)
        client.run()
        client.script(SMALL)
        os.getppid()  # callgrind dump marker: the previous part ends here
        client.run()
        os.getppid()
        client.script(LARGE)
        os.getppid()
        client.run()
        os.getppid()
    finally:
        client.close()


def callgrind_phases(base_url: str) -> dict[int, int] | None:
    from bench.measure import _callgrind_parts, valgrind_available

    if not valgrind_available():
        return None
    with tempfile.TemporaryDirectory(prefix="bench-structured-") as tmp:
        out = Path(tmp) / "cg.out"
        cmd = [
            "valgrind",
            "--tool=callgrind",
            "--dump-before=getppid",
            f"--callgrind-out-file={out}",
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            base_url,
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=900)
        if proc.returncode != 0:
            raise RuntimeError(f"callgrind worker failed:\n{proc.stderr[-2000:]}")
        parts = _callgrind_parts(out)
    if sorted(parts) != [1, 2, 3, 4, 5]:
        raise RuntimeError(f"expected callgrind parts 1-5, got {sorted(parts)}")
    return {SMALL: parts[2], LARGE: parts[4]}


# -- report --------------------------------------------------------------------------------------


def report(rounds: int, use_callgrind: bool) -> tuple[str, bool]:
    proc, base_url = start_emulator()
    try:
        client = Client(base_url)
        try:
            client.script(200)
            client.run()  # warm-up: imports, partial classes, connection
            cpu = {n: cpu_seconds(client, n, rounds) for n in (SMALL, LARGE)}
        finally:
            client.close()
        instructions = callgrind_phases(base_url) if use_callgrind else None
    finally:
        stop_emulator(proc)
    reparse = {n: reparse_seconds(n, 1) for n in (SMALL, LARGE)}

    cpu_ratio = cpu[LARGE] / cpu[SMALL]
    ok = cpu_ratio <= LIMIT
    rows = [
        "| measure | N = 2,000 | N = 8,000 | ratio 8,000 / 2,000 |",
        "|---|---:|---:|---:|",
        f"| client CPU, median of {rounds} (ms) | {cpu[SMALL] * 1e3:,.1f} | "
        f"{cpu[LARGE] * 1e3:,.1f} | **{cpu_ratio:.2f}×** |",
    ]
    if instructions is not None:
        ir_ratio = instructions[LARGE] / instructions[SMALL]
        ok = ok and ir_ratio <= LIMIT
        rows.append(
            f"| callgrind instructions, client | {instructions[SMALL]:,} | "
            f"{instructions[LARGE]:,} | **{ir_ratio:.2f}×** |"
        )
    rows.append(
        f"| v1-style re-parse per chunk, no HTTP (ms) | {reparse[SMALL] * 1e3:,.1f} | "
        f"{reparse[LARGE] * 1e3:,.1f} | {reparse[LARGE] / reparse[SMALL]:.2f}× |"
    )
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    valgrind = "on" if instructions is not None else "off (valgrind not installed or disabled)"
    lines = [
        "",
        "## Structured streaming",
        "",
        f"- **Date:** {when}; **command:** `python bench/structured.py`; load average {load}; "
        f"callgrind {valgrind}",
        f"- A `response_model=Library` JSON-mode structured stream (nested models and lists, "
        f"~{CHARS_PER_CHUNK} characters per chunk) from the emulator in a separate process, "
        "drained to the validated model. Limit: 8,000 chunks cost at most "
        f"{LIMIT}× the 2,000-chunk stream (linear is 4×). **{'pass' if ok else 'FAIL'}.**",
        "",
        *rows,
        "",
    ]
    return "\n".join(lines), ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-callgrind", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--worker", metavar="BASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0
    text, ok = report(args.rounds, use_callgrind=not args.no_callgrind)
    print(text)
    if not args.no_write:
        with (ROOT / "bench" / "RESULTS.md").open("a") as fh:
            fh.write(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
