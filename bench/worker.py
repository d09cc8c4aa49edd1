"""One fresh measurement process: ``python -m bench.worker '<json spec>'`` (run from the repo root).

The parent (`bench.measure`) starts a new worker for every (client, measurement, round), so
no client inherits another's imports, caches or heap. The spec names the client kind, the
server's base URL and the mode; the worker prints one ``BENCH_RESULT <json>`` line.

Modes:
- ``chunk``: one untimed warm-up stream, then one timed stream of N chunks. Reports client CPU
  time (``time.process_time``) and wall time, plus ``ru_maxrss`` after set-up and at the end.
- ``call``: untimed warm-up calls, then rounds of timed N = 1 calls on one keep-alive client.
- ``async``: an untimed batch of small concurrent streams, then a timed ``asyncio.gather`` of
  C concurrent streams of N chunks on one event loop.
- ``cg_chunk`` / ``cg_call``: the same work, run under ``valgrind --tool=callgrind
  --dump-before=getppid``. The worker calls ``os.getppid()`` as a marker between phases, so
  callgrind writes one dump per phase and the parent can difference the instruction counts of
  two phases of different size in one process (the warm-up and start-up fall in phase 1).
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))

from bench import clients

RESULT_PREFIX = "BENCH_RESULT "


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _checked(kind: str, runner: clients.SyncRunner, n: int) -> None:
    clients.verify(kind, n, runner())


def run_chunk(spec: dict[str, Any]) -> dict[str, Any]:
    kind, n = spec["client"], spec["n"]
    factory = clients.make_sync(kind, spec["base_url"])
    warm, timed = factory(spec.get("warmup", 200)), factory(n)
    rss_setup = _rss_kb()
    _checked(kind, warm, spec.get("warmup", 200))
    wall0, cpu0 = time.perf_counter(), time.process_time()
    tally = timed()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    clients.verify(kind, n, tally)
    return {"cpu_s": cpu, "wall_s": wall, "rss_setup_kb": rss_setup, "rss_peak_kb": _rss_kb()}


def run_call(spec: dict[str, Any]) -> dict[str, Any]:
    kind = spec["client"]
    runner = clients.make_sync(kind, spec["base_url"])(1)
    for _ in range(spec["warmup"]):
        _checked(kind, runner, 1)
    round_cpu: list[float] = []
    walls: list[float] = []
    for _ in range(spec["rounds"]):
        cpu0 = time.process_time()
        for _ in range(spec["calls"]):
            wall0 = time.perf_counter()
            tally = runner()
            walls.append(time.perf_counter() - wall0)
            clients.verify(kind, 1, tally)
        round_cpu.append((time.process_time() - cpu0) / spec["calls"])
    return {"cpu_per_call_s": round_cpu, "wall_per_call_s": walls}


async def _run_async(spec: dict[str, Any]) -> dict[str, Any]:
    kind, n, concurrency = spec["client"], spec["n"], spec["concurrency"]
    factory = clients.make_async(kind, spec["base_url"])
    warm_n = spec.get("warmup_n", 20)
    warm, timed = factory(warm_n), factory(n)
    for tally in await asyncio.gather(*(warm() for _ in range(spec.get("warmup_streams", 50)))):
        clients.verify(kind, warm_n, tally)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    tallies = await asyncio.gather(*(timed() for _ in range(concurrency)))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    for tally in tallies:
        clients.verify(kind, n, tally)
    return {"cpu_s": cpu, "wall_s": wall, "chunks": n * concurrency, "rss_peak_kb": _rss_kb()}


def run_cg_chunk(spec: dict[str, Any]) -> dict[str, Any]:
    kind = spec["client"]
    factory = clients.make_sync(kind, spec["base_url"])
    sizes = [spec["warmup"], *spec["sizes"]]
    runners = [factory(n) for n in sizes]
    _checked(kind, runners[0], sizes[0])
    for n, runner in zip(sizes[1:], runners[1:], strict=True):
        os.getppid()  # callgrind dump marker: the previous phase ends here
        _checked(kind, runner, n)
    os.getppid()
    return {"phases": sizes[1:]}


def run_cg_call(spec: dict[str, Any]) -> dict[str, Any]:
    kind = spec["client"]
    runner = clients.make_sync(kind, spec["base_url"])(1)
    for _ in range(spec["warmup"]):
        _checked(kind, runner, 1)
    for count in spec["sizes"]:
        os.getppid()  # callgrind dump marker
        for _ in range(count):
            _checked(kind, runner, 1)
    os.getppid()
    return {"phases": spec["sizes"]}


def run_async(spec: dict[str, Any]) -> dict[str, Any]:
    return asyncio.run(_run_async(spec))


MODES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "chunk": run_chunk,
    "call": run_call,
    "async": run_async,
    "cg_chunk": run_cg_chunk,
    "cg_call": run_cg_call,
}


def main(argv: list[str]) -> int:
    spec = json.loads(argv[1])
    try:
        result: dict[str, Any] = {"status": "ok", **MODES[spec["mode"]](spec)}
    except clients.Unavailable as exc:
        result = {"status": "unavailable", "error": str(exc)}
    except Exception as exc:
        traceback.print_exc()
        result = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(RESULT_PREFIX + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
