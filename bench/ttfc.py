"""Time to first chunk: from the call to the first text chunk in the client's hands.

`python bench/ttfc.py` starts the bench server, then times K = 300 streams of N = 20 chunks per
client on one keep-alive client, interleaved (floor, mirascope, floor, ...), after 20 warm-up
calls each: the wall time and the client CPU time (`time.process_time`) from the call to the
first chunk, median and p90 over the K streams. Each stream is then read to its end, untimed.
`--callgrind` adds the stable figure: instructions from the call to the first chunk under
callgrind (one process per client, 10 warm-up calls, mean over 20 calls, an `os.getppid()`
marker at the call and at the first chunk). `--calls`, `--n` change the sizes. Reading the body
in larger blocks must not delay the first chunk: compare runs of two versions of the package
(the same machine, minutes apart).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import measure, wire

Probe = Callable[[], tuple[float, float]]
MARK = False  # set in the callgrind probe process only
CG_WARMUP, CG_CALLS = 10, 20
PROBES: dict[str, Callable[[str, int], Probe]] = {}


def _floor(base_url: str, n: int) -> Probe:
    import httpx

    client = httpx.Client(
        base_url=base_url, headers={"authorization": f"Bearer {wire.API_KEY}"}, timeout=60
    )
    body = {
        "model": wire.MODEL,
        "messages": [{"role": "user", "content": wire.PROMPT}],
        "max_tokens": n,
        "stream": True,
    }

    def probe() -> tuple[float, float]:
        os.getppid() if MARK else None  # callgrind marker: the call starts
        wall0, cpu0 = time.perf_counter(), time.process_time()
        first: tuple[float, float] | None = None
        with client.stream("POST", wire.PATH, json=body) as response:
            for line in response.iter_lines():
                if first is None and line.startswith("data: ") and line != "data: [DONE]":
                    delta = json.loads(line[6:])["choices"][0]["delta"]
                    if delta.get("content"):
                        first = (time.perf_counter() - wall0, time.process_time() - cpu0)
                        os.getppid() if MARK else None  # the first chunk is in hand
        assert first is not None
        return first

    return probe


def _mirascope(base_url: str, n: int) -> Probe:
    from groq import Groq

    from mirascope.core.groq import groq_call

    client = Groq(base_url=base_url, api_key=wire.API_KEY)

    @groq_call(wire.MODEL, stream=True, client=client, call_params={"max_tokens": n})
    def recommend_book(genre: str) -> str:
        return f"Recommend a {genre} book"

    def probe() -> tuple[float, float]:
        os.getppid() if MARK else None
        wall0, cpu0 = time.perf_counter(), time.process_time()
        first: tuple[float, float] | None = None
        for chunk, _ in recommend_book("fantasy"):
            if first is None and chunk.content:
                first = (time.perf_counter() - wall0, time.process_time() - cpu0)
                os.getppid() if MARK else None
        assert first is not None
        return first

    return probe


PROBES.update(floor=_floor, mirascope=_mirascope)


def _cg_probe(kind: str, url: str, n: int) -> None:
    """Inside valgrind: warm up, then CG_CALLS marked calls."""
    global MARK
    probe = PROBES[kind](url, n)
    for _ in range(CG_WARMUP):
        probe()
    MARK = True
    for _ in range(CG_CALLS):
        probe()
    MARK = False
    os.getppid()


def _cg_first_chunk(kind: str, url: str, n: int) -> float:
    """Mean instructions from the call to the first chunk (parts 2, 4, …, 2·CG_CALLS)."""
    with tempfile.TemporaryDirectory(prefix="bench-ttfc-") as tmp:
        out = Path(tmp) / "cg.out"
        cmd = [
            "valgrind",
            "--tool=callgrind",
            "--dump-before=getppid",
            f"--callgrind-out-file={out}",
            sys.executable,
            str(Path(__file__).resolve()),
            "--probe",
            kind,
            "--url",
            url,
            "--n",
            str(n),
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        subprocess.run(cmd, capture_output=True, check=True, timeout=900, env=env)
        parts = measure._callgrind_parts(out)  # pyright: ignore[reportPrivateUsage]
    firsts = [parts[2 * i + 2] for i in range(CG_CALLS)]
    return sum(firsts) / len(firsts)


def _p90(values: list[float]) -> float:
    return sorted(values)[int(0.9 * (len(values) - 1))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python bench/ttfc.py")
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--callgrind", action="store_true")
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        _cg_probe(args.probe, args.url, args.n)
        return 0
    instr: dict[str, float] = {}
    with measure.running_server(600) as url:
        probes = {"floor": _floor(url, args.n), "mirascope": _mirascope(url, args.n)}
        for probe in probes.values():
            for _ in range(20):
                probe()
        walls: dict[str, list[float]] = {k: [] for k in probes}
        cpus: dict[str, list[float]] = {k: [] for k in probes}
        for _ in range(args.calls):
            for kind, probe in probes.items():
                wall, cpu = probe()
                walls[kind].append(wall * 1e6)
                cpus[kind].append(cpu * 1e6)
        if args.callgrind:
            instr = {kind: _cg_first_chunk(kind, url, args.n) for kind in probes}
    print(f"time to first chunk, {args.calls} streams of N = {args.n} per client (µs)")
    print("| client | wall median | wall p90 | CPU median | CPU p90 | instr to first chunk |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in probes:
        w, c = walls[kind], cpus[kind]
        ir = f"{instr[kind]:,.0f}" if kind in instr else "n/a"
        print(
            f"| {kind} | {statistics.median(w):,.0f} | {_p90(w):,.0f} |"
            f" {statistics.median(c):,.0f} | {_p90(c):,.0f} | {ir} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
