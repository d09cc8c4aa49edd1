"""Measurement orchestration: the server's lifecycle, fresh workers, callgrind, import timing.

Everything here runs in the parent process (`bench/run.py`) and only starts subprocesses:
the server (`bench/server.py`), one worker per sample (`bench/worker.py`), valgrind around a
worker, and bare interpreters for import timing. Each subprocess has a timeout and the server
a maximum lifetime, so nothing outlives a run. Methods follow PERFORMANCE.md §2.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.worker import RESULT_PREFIX

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
WORKER_TIMEOUT_S = 600.0
CALLGRIND_TIMEOUT_S = 900.0


@dataclass
class Outcome:
    """One client's (or module's) samples for one measurement, or why there are none."""

    status: str = "ok"
    """``ok``, ``unavailable`` (package not importable yet), ``failed`` or ``skipped``."""
    error: str = ""
    values: dict[str, list[float]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def add(self, key: str, value: float) -> None:
        self.values.setdefault(key, []).append(value)

    def median(self, key: str) -> float | None:
        """Median of the samples under ``key``, or None when there are none."""
        samples = self.values.get(key)
        return statistics.median(samples) if self.ok and samples else None

    def absorb(self, result: dict[str, Any]) -> bool:
        """Take a worker's status; False (and keep the error) unless it was ok."""
        if result.get("status") != "ok":
            self.status = result.get("status", "failed")
            self.error = result.get("error", "no result")
            return False
        return True


Results = dict[str, Outcome]


# --------------------------------------------------------------------------- subprocesses


@contextmanager
def running_server(max_lifetime_s: float) -> Generator[str, None, None]:
    """Start `bench/server.py`, yield its base URL, stop it by PID afterwards."""
    proc = subprocess.Popen(
        [sys.executable, str(BENCH_DIR / "server.py"), "--max-lifetime", str(max_lifetime_s)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        if not line.startswith("PORT "):
            raise RuntimeError(f"bench server did not report a port (got {line!r})")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        if proc.stdin is not None:
            proc.stdin.close()  # the server also stops on stdin EOF
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _worker_cmd(spec: dict[str, Any]) -> list[str]:
    return [sys.executable, "-m", "bench.worker", json.dumps(spec)]


def _parse_worker(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
            if result.get("status") == "failed":
                sys.stderr.write(proc.stderr[-3000:])
            return result
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {"status": "failed", "error": f"worker exited {proc.returncode}: {tail}"}


def run_worker(spec: dict[str, Any], timeout_s: float = WORKER_TIMEOUT_S) -> dict[str, Any]:
    """Run one fresh worker process and return its result dict."""
    try:
        proc = subprocess.run(
            _worker_cmd(spec), cwd=ROOT, capture_output=True, text=True, timeout=timeout_s
        )
    except subprocess.TimeoutExpired:
        return {"status": "failed", "error": f"worker timed out after {timeout_s:.0f} s"}
    return _parse_worker(proc)


def valgrind_available() -> bool:
    return shutil.which("valgrind") is not None


def _callgrind_parts(out: Path) -> dict[int, int]:
    """Instruction totals per dump part, from ``out``, ``out.1``, ``out.2``, …"""
    parts: dict[int, int] = {}
    for path in out.parent.glob(out.name + "*"):
        part, total = None, None
        with path.open() as fh:
            for line in fh:
                if line.startswith("part:"):
                    part = int(line.split()[1])
                elif line.startswith(("totals:", "summary:")):
                    total = int(line.split()[1])
        if part is not None and total is not None:
            parts[part] = total
    return parts


def run_callgrind(spec: dict[str, Any]) -> dict[str, Any]:
    """Run a ``cg_*`` worker under callgrind; return per-unit instructions between two phases.

    Phase k (0-based, one per entry of ``spec["sizes"]``) is dump part k + 2: part 1 is start-up,
    imports, client set-up and warm-up; the last part is shutdown. The result is
    (Ir(largest phase) - Ir(smallest phase)) / (largest size - smallest size), which cancels
    every fixed cost and leaves the cost per chunk (``cg_chunk``) or per call (``cg_call``).
    """
    sizes: list[int] = spec["sizes"]
    with tempfile.TemporaryDirectory(prefix="bench-cg-") as tmp:
        out = Path(tmp) / "cg.out"
        cmd = [
            "valgrind",
            "--tool=callgrind",
            "--dump-before=getppid",
            f"--callgrind-out-file={out}",
            *_worker_cmd(spec),
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        try:
            proc = subprocess.run(
                cmd, cwd=ROOT, capture_output=True, text=True, timeout=CALLGRIND_TIMEOUT_S, env=env
            )
        except subprocess.TimeoutExpired:
            return {"status": "failed", "error": f"callgrind timed out ({CALLGRIND_TIMEOUT_S} s)"}
        result = _parse_worker(proc)
        if result.get("status") != "ok":
            return result
        parts = _callgrind_parts(out)
    want = len(sizes) + 2
    if sorted(parts) != list(range(1, want + 1)):
        return {
            "status": "failed",
            "error": f"expected {want} callgrind parts, got {sorted(parts)}",
        }
    phase = {size: parts[i + 2] for i, size in enumerate(sizes)}
    lo, hi = min(sizes), max(sizes)
    return {"status": "ok", "per_unit": (phase[hi] - phase[lo]) / (hi - lo), "phases": phase}


# --------------------------------------------------------------------------- measurements


def interleaved(kinds: Sequence[str], rounds: int) -> Iterator[tuple[int, str]]:
    """A B C D, D C B A, A B C D, … so load drift hits every client alike."""
    for r in range(rounds):
        for kind in kinds if r % 2 == 0 else reversed(kinds):
            yield r, kind


def per_chunk(base_url: str, kinds: Sequence[str], n: int, rounds: int, warmup: int) -> Results:
    """CPU and wall µs per chunk over one N-chunk stream per fresh worker; RSS from the same run."""
    results = {kind: Outcome() for kind in kinds}
    for _, kind in interleaved(kinds, rounds):
        outcome = results[kind]
        if not outcome.ok:
            continue
        spec = {"mode": "chunk", "client": kind, "base_url": base_url, "n": n, "warmup": warmup}
        result = run_worker(spec)
        if outcome.absorb(result):
            outcome.add("cpu_us", result["cpu_s"] / n * 1e6)
            outcome.add("wall_us", result["wall_s"] / n * 1e6)
            outcome.add("rss_setup_mb", result["rss_setup_kb"] / 1024)
            outcome.add("rss_peak_mb", result["rss_peak_kb"] / 1024)
            outcome.add("rss_growth_mb", (result["rss_peak_kb"] - result["rss_setup_kb"]) / 1024)
    return results


def per_call(base_url: str, kinds: Sequence[str], warmup: int, rounds: int, calls: int) -> Results:
    """CPU µs per N = 1 call (median of per-round means) and wall per call (median and p90)."""
    results = {kind: Outcome() for kind in kinds}
    for kind in kinds:
        spec = {
            "mode": "call",
            "client": kind,
            "base_url": base_url,
            "warmup": warmup,
            "rounds": rounds,
            "calls": calls,
        }
        result = run_worker(spec)
        outcome = results[kind]
        if outcome.absorb(result):
            outcome.values["cpu_us"] = [v * 1e6 for v in result["cpu_per_call_s"]]
            walls = sorted(v * 1e6 for v in result["wall_per_call_s"])
            outcome.values["wall_us"] = walls
            outcome.values["wall_p90_us"] = [walls[min(len(walls) - 1, int(0.9 * len(walls)))]]
    return results


def concurrent_async(
    base_url: str, kinds: Sequence[str], concurrency: int, n: int, warmup_streams: int
) -> Results:
    """Chunks per client-CPU-second and per wall-second for C concurrent streams on one loop."""
    results = {kind: Outcome() for kind in kinds}
    for kind in kinds:
        spec = {
            "mode": "async",
            "client": kind,
            "base_url": base_url,
            "n": n,
            "concurrency": concurrency,
            "warmup_streams": warmup_streams,
        }
        result = run_worker(spec)
        outcome = results[kind]
        if outcome.absorb(result):
            outcome.add("chunks_per_cpu_s", result["chunks"] / max(result["cpu_s"], 1e-9))
            outcome.add("cpu_us", result["cpu_s"] / result["chunks"] * 1e6)
            outcome.add("chunks_per_wall_s", result["chunks"] / max(result["wall_s"], 1e-9))
            outcome.add("wall_s", result["wall_s"])
            outcome.add("rss_peak_mb", result["rss_peak_kb"] / 1024)
    return results


def callgrind_many(base_url: str, specs: dict[str, dict[str, Any]], jobs: int, key: str) -> Results:
    """Run callgrind workers (``jobs`` at a time) and collect their per-unit instructions."""
    results = {kind: Outcome() for kind in specs}

    def one(kind: str) -> tuple[str, dict[str, Any]]:
        return kind, run_callgrind({**specs[kind], "client": kind, "base_url": base_url})

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for kind, result in pool.map(one, list(specs)):
            if results[kind].absorb(result):
                results[kind].add(key, result["per_unit"])
    return results


def _importtime_self_us(stderr: str) -> dict[str, int]:
    """``-X importtime`` self-times in µs, by module."""
    times: dict[str, int] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        fields = line[len("import time:") :].split("|")
        times[fields[2].strip()] = int(fields[0])
    return times


def _python(
    stmt: str, *flags: str, env: dict[str, str] | None = None
) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, *flags, "-c", stmt],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    return time.perf_counter() - t0, proc


def _drop_own_bytecode() -> None:
    """Remove this checkout's ``__pycache__`` under ``mirascope/`` (ours only, never others')."""
    for cache in (ROOT / "mirascope").rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def _cached_env() -> dict[str, str]:
    """This environment with bytecode writing on (``PYTHONDONTWRITEBYTECODE`` removed)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _last_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    return (proc.stderr.strip().splitlines() or ["?"])[-1]


def _interleaved(keys: list[str], reps: int) -> Iterator[str]:
    """`keys` `reps` times, every other pass reversed, so no key always runs first."""
    for r in range(reps):
        yield from keys if r % 2 == 0 else reversed(keys)


def import_times(
    modules: Iterable[str],
    reps: int,
    unavailable: dict[str, str] | None = None,
    *,
    cached: bool = True,
) -> Results:
    """Import cost per module, in fresh interpreters (PERFORMANCE.md §2 (d)).

    ``importtime_ms``: sum of ``-X importtime`` self-times of the modules the import adds beyond
    ``python -c pass``; ``modules``: how many it adds; ``wall_ms``: wall of ``python -c "import
    X"`` minus wall of ``python -c pass``, the two runs back to back, median over ``reps``.

    ``cached=True`` runs with bytecode writing on (``PYTHONDONTWRITEBYTECODE`` removed), after an
    untimed import that writes it. ``cached=False`` is an editable install where bytecode
    writing is off: ``PYTHONDONTWRITEBYTECODE=1`` and our own ``__pycache__`` removed before
    every timed run, so ``mirascope`` compiles each time while site-packages keep their bytecode.
    """
    env = _cached_env()
    if not cached:
        env["PYTHONDONTWRITEBYTECODE"] = "1"

    def python(stmt: str, *flags: str) -> tuple[float, subprocess.CompletedProcess[str]]:
        if not cached:
            _drop_own_bytecode()
        return _python(stmt, *flags, env=env)

    modules = list(modules)
    results = {m: Outcome() for m in modules}
    for module, error in (unavailable or {}).items():
        results[module] = Outcome(status="unavailable", error=error)
    for module in modules:  # untimed: compiles any stale .pyc, fails fast if not importable
        if not results[module].ok:
            continue
        _, proc = python(f"import {module}")
        if proc.returncode != 0:
            results[module] = Outcome(status="unavailable", error=_last_error_line(proc))
    baseline = set(_importtime_self_us(python("pass", "-X", "importtime")[1].stderr))
    for module in _interleaved(modules, reps):
        outcome = results[module]
        if not outcome.ok:
            continue
        pass_wall, _ = python("pass")
        wall, _ = python(f"import {module}")
        outcome.add("wall_ms", (wall - pass_wall) * 1e3)
        _, proc = python(f"import {module}", "-X", "importtime")
        added = {k: v for k, v in _importtime_self_us(proc.stderr).items() if k not in baseline}
        outcome.add("importtime_ms", sum(added.values()) / 1e3)
        outcome.add("modules", len(added))
    return results


_FIRST_CALL = {
    "groq": (
        "import groq\n"
        "client = groq.Groq(base_url={url!r}, api_key={key!r}, max_retries=0)\n"
        "stream = client.chat.completions.create(model={model!r},"
        " messages=[{{'role': 'user', 'content': 'hi'}}], max_tokens=1, stream=True)\n"
        "assert [c for c in stream]\n"
    ),
    "mirascope.core.groq": (
        "import groq as sdk\n"
        "from mirascope.core import groq\n"
        "client = sdk.Groq(base_url={url!r}, api_key={key!r}, max_retries=0)\n"
        "@groq.call({model!r}, stream=True, client=client, call_params={{'max_tokens': 1}})\n"
        "def hi() -> str:\n"
        "    return 'hi'\n"
        "assert [c for c in hi()]\n"
    ),
}
"""A fresh process's whole start: import, client, one one-chunk stream, against the bench server."""


def first_call_times(url: str, reps: int, *, model: str, api_key: str) -> Results:
    """Wall of `_FIRST_CALL`'s statements minus `python -c pass`, back to back, median of `reps`.

    What `import_times` cannot show: what each library leaves to its first call (`import groq`
    defers `groq.resources.chat`; `mirascope.core.groq` defers its response layer, `_invoke`).
    Cached bytecode, as `import_times(cached=True)`.
    """
    env = _cached_env()
    stmts = {k: v.format(url=url, key=api_key, model=model) for k, v in _FIRST_CALL.items()}
    results = {k: Outcome() for k in stmts}
    for module, stmt in stmts.items():  # untimed: writes bytecode, fails fast
        _, proc = _python(stmt, env=env)
        if proc.returncode != 0:
            results[module] = Outcome(status="failed", error=_last_error_line(proc))
    for module in _interleaved(list(stmts), reps):
        if not results[module].ok:
            continue
        pass_wall, _ = _python("pass", env=env)
        wall, _ = _python(stmts[module], env=env)
        results[module].add("wall_ms", (wall - pass_wall) * 1e3)
    return results


def probe_import(stmt: str) -> str | None:
    """None if ``stmt`` runs in a fresh interpreter, else the last line of its error."""
    _, proc = _python(stmt)
    if proc.returncode == 0:
        return None
    return _last_error_line(proc)
