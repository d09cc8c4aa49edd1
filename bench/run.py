"""Run the whole benchmark in one command and write a Markdown report.

    python bench/run.py                       # full run (~10 min on 2 cores), callgrind on
    python bench/run.py --quick               # small N, few rounds, no callgrind (< 2 min)
    python bench/run.py --only per_chunk,per_call --clients floor,sdk,mirascope

Progress goes to stderr; the report goes to stdout and to ``bench/RESULTS.md`` (``--out``).
Sections: ``per_chunk`` (CPU, wall, instructions per chunk, and peak RSS), ``per_call``,
``async`` (concurrent streams on one loop), ``import``. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import chart, clients, measure, report, wire

SECTIONS = ("per_chunk", "per_call", "async", "import")
ALIASES = {"rss": "per_chunk", "concurrent": "async", "imports": "import"}
IMPORT_MODULES = ("httpx", "groq", "mirascope.core.groq")
SERVER_LIFETIME_S = 1200.0


@dataclass
class Settings:
    """Sizes and repetitions; the full defaults follow PERFORMANCE.md §2."""

    n: int = 20_000
    rounds: int = 5
    warmup: int = 200
    cg_sizes: tuple[int, int] = (500, 2_500)
    call_warmup: int = 20
    call_rounds: int = 5
    call_calls: int = 40
    cg_call_warmup: int = 5
    cg_call_sizes: tuple[int, int] = (10, 60)
    async_concurrency: int = 200
    async_n: int = 500
    async_warmup_streams: int = 50
    import_reps: int = 7


QUICK = Settings(
    n=2_000,
    rounds=2,
    warmup=50,
    cg_sizes=(100, 600),
    call_warmup=5,
    call_rounds=2,
    call_calls=20,
    cg_call_warmup=3,
    cg_call_sizes=(5, 25),
    async_concurrency=20,
    async_n=100,
    async_warmup_streams=5,
    import_reps=2,
)


def _log(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py", description="mirascope-groq streaming benchmark"
    )
    parser.add_argument("--quick", action="store_true", help="small N, few rounds (< 2 min)")
    parser.add_argument("--only", type=_csv, default=list(SECTIONS), help=",".join(SECTIONS))
    parser.add_argument(
        "--clients", type=_csv, default=list(clients.CLIENTS), help=",".join(clients.CLIENTS)
    )
    parser.add_argument(
        "--callgrind",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="instruction counts under valgrind (default: on for full runs, off for --quick)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="callgrind processes at once")
    parser.add_argument("--n", type=int, help="chunks per stream for per_chunk")
    parser.add_argument("--rounds", type=int, help="interleaved rounds for per_chunk")
    parser.add_argument("--out", type=Path, default=measure.BENCH_DIR / "RESULTS.md")
    args = parser.parse_args(argv)
    args.only = [ALIASES.get(s, s) for s in args.only]
    for section in args.only:
        if section not in SECTIONS:
            parser.error(f"unknown section {section!r}; choose from {', '.join(SECTIONS)}")
    for kind in args.clients:
        if kind not in clients.CLIENTS:
            parser.error(f"unknown client {kind!r}; choose from {', '.join(clients.CLIENTS)}")
    return args


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_info(use_callgrind: bool) -> dict[str, str]:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu
            )
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    info = {
        "Machine": f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}",
        "Load average at start (1/5/15 min)": load,
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Packages": ", ".join(
            f"{d} {_version(d)}"
            for d in ("groq", "pydantic", "pydantic-core", "httpx", "jiter", "mirascope-groq")
        ),
    }
    if use_callgrind:
        proc = subprocess.run(["valgrind", "--version"], capture_output=True, text=True)
        info["valgrind"] = proc.stdout.strip()
    return info


def _probe_mirascope(kinds: list[str]) -> dict[str, str]:
    """Mirascope kinds whose imports fail in a fresh interpreter, with the error."""
    missing: dict[str, str] = {}
    wanted = [k for k in clients.MIRASCOPE_CLIENTS if k in kinds]
    if wanted:
        error = measure.probe_import("from mirascope.core.groq import groq_call")
        tool_kinds = [k for k in wanted if clients.uses_tools(k)]
        if error is None and tool_kinds:
            tool_error = measure.probe_import("from mirascope.core import BaseTool")
            if tool_error is not None:
                missing.update(dict.fromkeys(tool_kinds, tool_error))
        elif error is not None:
            missing.update(dict.fromkeys(wanted, error))
    return missing


def _merge(kinds: list[str], results: measure.Results, missing: dict[str, str]) -> measure.Results:
    """Results in ``kinds`` order, unavailable kinds included as such."""
    merged: measure.Results = {}
    for kind in kinds:
        if kind in missing:
            merged[kind] = measure.Outcome(status="unavailable", error=missing[kind])
        elif kind in results:
            merged[kind] = results[kind]
    return merged


def _write_chart(run: report.RunData, out: Path) -> None:
    """`<out>.json` with the charted figures, and `<out>.png` when matplotlib is installed."""
    data = chart.figures(run)
    out.with_suffix(".json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    try:
        chart.render(data, out.with_suffix(".png"))
    except ImportError:
        _log('chart skipped: matplotlib is not installed (pip install -e ".[bench]")')
        return
    _log(f"chart written to {out.with_suffix('.png')}")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    s = QUICK if args.quick else Settings()
    n = args.n or s.n
    rounds = args.rounds or s.rounds
    use_cg = args.callgrind if args.callgrind is not None else not args.quick
    notes: list[str] = []
    if use_cg and not measure.valgrind_available():
        use_cg = False
        notes.append("valgrind not found: instruction counts skipped.")
    kinds = sorted(set(args.clients), key=clients.CLIENTS.index)
    missing = _probe_mirascope(kinds)
    for kind, error in missing.items():
        _log(f"{kind}: unavailable ({error})")
    ready = [k for k in kinds if k not in missing]

    config: dict[str, Any] = {"quick": args.quick, "callgrind": use_cg, "n": n, "rounds": rounds}
    config.update(
        {
            "cg_sizes": list(s.cg_sizes),
            "call_warmup": s.call_warmup,
            "call_rounds": s.call_rounds,
            "call_calls": s.call_calls,
            "cg_call_sizes": list(s.cg_call_sizes),
            "async_concurrency": s.async_concurrency,
            "async_n": s.async_n,
            "import_reps": s.import_reps,
        }
    )
    run = report.RunData(
        date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        command=shlex.join(["python", "bench/run.py", *argv]),
        machine=machine_info(use_cg),
        config=config,
        notes=notes,
    )

    if "per_chunk" in args.only:
        with measure.running_server(SERVER_LIFETIME_S) as url:
            _log(f"per_chunk: N={n:,}, {rounds} rounds, clients {', '.join(ready)}")
            run.per_chunk = _merge(
                kinds, measure.per_chunk(url, ready, n, rounds, s.warmup), missing
            )
            if use_cg:
                lo, hi = s.cg_sizes
                _log(f"per_chunk callgrind: Ir(N={hi}) - Ir(N={lo}), {args.jobs} jobs")
                ok = [k for k in ready if run.per_chunk[k].ok]
                specs = {k: {"mode": "cg_chunk", "warmup": s.warmup, "sizes": [lo, hi]} for k in ok}
                run.cg_chunk = measure.callgrind_many(url, specs, args.jobs, "instr")

    text_ready = [k for k in ready if k in clients.TEXT_CLIENTS]
    text_kinds = [k for k in kinds if k in clients.TEXT_CLIENTS]
    if "per_call" in args.only and text_kinds:
        with measure.running_server(SERVER_LIFETIME_S) as url:
            _log(f"per_call: {s.call_rounds}x{s.call_calls} calls, clients {', '.join(text_ready)}")
            results = measure.per_call(url, text_ready, s.call_warmup, s.call_rounds, s.call_calls)
            run.per_call = _merge(text_kinds, results, missing)
            if use_cg:
                lo, hi = s.cg_call_sizes
                _log(f"per_call callgrind: Ir({hi} calls) - Ir({lo} calls)")
                ok = [k for k in text_ready if run.per_call[k].ok]
                specs = {
                    k: {"mode": "cg_call", "warmup": s.cg_call_warmup, "sizes": [lo, hi]}
                    for k in ok
                }
                run.cg_call = measure.callgrind_many(url, specs, args.jobs, "instr")

    if "async" in args.only and text_kinds:
        with measure.running_server(SERVER_LIFETIME_S) as url:
            _log(f"async: {s.async_concurrency} x N={s.async_n}, clients {', '.join(text_ready)}")
            results = measure.concurrent_async(
                url, text_ready, s.async_concurrency, s.async_n, s.async_warmup_streams
            )
            run.concurrent = _merge(text_kinds, results, missing)

    if "import" in args.only:
        _log(f"import: {', '.join(IMPORT_MODULES)}, {s.import_reps} reps")
        # Timing a half-written package would flatter it: only once `groq_call` imports.
        error = missing.get("mirascope") or measure.probe_import(
            "from mirascope.core.groq import groq_call"
        )
        unavailable = {"mirascope.core.groq": error} if error else {}
        run.imports = measure.import_times(IMPORT_MODULES, s.import_reps, unavailable)
        _log("import, uncached (bytecode writing off, editable install)")
        run.imports_uncached = measure.import_times(
            IMPORT_MODULES, s.import_reps, unavailable, cached=False
        )
        _log("import + first call (one one-chunk stream)")
        with measure.running_server(SERVER_LIFETIME_S) as url:
            run.first_call = measure.first_call_times(
                url, s.import_reps, model=wire.MODEL, api_key=wire.API_KEY
            )

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    run.machine["Load average at end (1/5/15 min)"] = load
    run.duration_s = time.perf_counter() - started
    text = report.render(run)
    sys.stdout.write(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    _log(f"report written to {args.out} ({run.duration_s:.0f} s)")
    _write_chart(run, args.out)
    failed = [
        f"{name}:{kind}"
        for name, section in (
            ("per_chunk", run.per_chunk),
            ("per_call", run.per_call),
            ("async", run.concurrent),
        )
        if section
        for kind, outcome in section.items()
        if outcome.status == "failed"
    ]
    if failed:
        _log(f"FAILED clients: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
