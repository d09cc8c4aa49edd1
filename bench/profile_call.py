"""Where a short call spends its time: cProfile of one-chunk streams and of non-stream calls.

``python bench/profile_call.py [--calls N] [--top K]`` starts the bench server (`server.py`),
makes N warm calls of each kind on one keep-alive client, and prints the top K functions by
own time, as Markdown. A profile, not a measurement: cProfile's overhead inflates small
functions, so use it to find where to look and bench/run.py (callgrind) to judge a change.
"""

# ruff: noqa: RUF001
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from groq import Groq

from bench.measure import running_server
from mirascope.core.groq import groq_call


def _calls(base_url: str, client: Groq | None = None) -> dict[str, Any]:
    client = client or Groq(base_url=base_url, api_key="bench")

    @groq_call("llama-3.1-8b-instant", stream=True, client=client, call_params={"max_tokens": 1})
    def streamed(genre: str) -> str:
        return f"Recommend a {genre} book"

    @groq_call("llama-3.1-8b-instant", client=client, call_params={"max_tokens": 1})
    def plain(genre: str) -> str:
        return f"Recommend a {genre} book"

    def one_chunk_stream() -> None:
        for chunk, _ in streamed("fantasy"):
            _ = chunk.content

    def non_stream() -> None:
        _ = plain("fantasy").content

    return {"one-chunk stream": one_chunk_stream, "non-stream call": non_stream}


def _table(profile: cProfile.Profile, calls: int, top: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    rows: list[tuple[float, float, int, str]] = []
    for (file, line, name), (_cc, ncalls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{Path(file).name}:{line} {name}" if line else name
        for marker in ("site-packages/", "mirascope/"):
            if marker in file:
                where = f"{file.split(marker)[-1]}:{line} {name}"
        rows.append((tottime, cumtime, ncalls, where))
    rows.sort(reverse=True)
    total = sum(r[0] for r in rows)
    lines = [
        "| function | own µs/call | share | cum µs/call | calls/call |",
        "|---|---:|---:|---:|---:|",
    ]
    for tottime, cumtime, ncalls, where in rows[:top]:
        lines.append(
            f"| `{where}` | {tottime / calls * 1e6:.1f} | {tottime / total:.0%} "
            f"| {cumtime / calls * 1e6:.1f} | {ncalls / calls:.1f} |"
        )
    lines.append(f"| **total** | {total / calls * 1e6:.1f} | 100% | | |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- callgrind mode

# Functions timed by instruction count: (module, attribute path, label). A missing one is
# skipped, so the table follows the code as it changes.
TARGETS: list[tuple[str, str, str]] = [
    ("mirascope.core.groq._call", "_fn_args", "ours: bind arguments (`_fn_args`)"),
    ("mirascope.core.groq._call", "_CallSpec.prepare", "ours: `_CallSpec.prepare` (all set-up)"),
    ("mirascope.core.groq._call", "resolve_messages", "ours: template → messages"),
    ("mirascope.core.groq._call", "convert_message_params", "ours: messages → Groq dicts"),
    ("mirascope.core.groq._call", "build_call_params", "ours: call-param routing"),
    ("mirascope.core.groq._call", "_Call", "ours: `_Call` record"),
    ("mirascope.core.groq._call", "_CallSpec.stream_of", "ours: `GroqStream` set-up"),
    ("mirascope.core.groq._call", "_CallSpec.response_of", "ours: `GroqCallResponse` build"),
    ("mirascope.core.groq._call", "parse_completion", "ours: completion JSON → model"),
    ("mirascope.core.groq._call", "post_chat", "ours: `post_chat` (request)"),
    ("mirascope.core.groq._stream_source", "post_chat", "ours: `post_chat` (request)"),
    ("mirascope.core.groq._stream_source", "stream_request", "ours: stream request kwargs"),
    ("mirascope.core.groq._sse", "parse_chunk", "ours: SSE event → chunk model"),
    ("mirascope.core.base.stream", "BaseStream.__iter__", "ours: `BaseStream.__iter__` (gen.)"),
    ("mirascope.core.groq._call", "iter_pairs", "ours: `iter_pairs` (generator)"),
    ("mirascope.core.groq._stream_source", "iter_chunks", "ours: `_sse.iter_chunks` (generator)"),
    ("httpx", "Response.iter_bytes", "httpx: `Response.iter_bytes` (generator)"),
    ("mirascope.core.groq._stream_source", "_Pairing.pairs", "ours: chunk → (chunk, tool)"),
    ("mirascope.core.groq._stream_source", "_Pairing.end", "ours: end of stream check"),
    ("mirascope.core.groq.stream", "GroqStream._update_properties", "ours: stream state"),
    ("mirascope.core.base.stream", "BaseStream._end", "ours: stream end"),
    ("groq.resources.chat.completions", "Completions.create", "SDK: `create()`"),
    ("groq.resources.chat.completions", "maybe_transform", "SDK: `maybe_transform` (body)"),
    ("groq._base_client", "SyncAPIClient.request", "SDK: `request()` (retries, options)"),
    ("groq._base_client", "SyncAPIClient._build_request", "SDK: `_build_request`"),
    ("groq._base_client", "SyncAPIClient._build_headers", "SDK: `_build_headers`"),
    ("groq._models", "FinalRequestOptions.construct", "SDK: `FinalRequestOptions.construct`"),
    ("groq._base_client", "model_copy", "SDK: `model_copy` of the options"),
    ("groq._base_client", "SyncAPIClient._prepare_options", "SDK: `_prepare_options`"),
    ("groq._base_client", "SyncAPIClient._process_response", "SDK: `_process_response`"),
    ("groq._response", "APIResponse.parse", "SDK: `APIResponse.parse`"),
    ("httpx", "Client.send", "httpx: `Client.send` (HTTP round trip)"),
    ("httpx", "Response.read", "httpx: `Response.read`"),
    ("httpx", "Response.close", "httpx: `Response.close`"),
]
CG_KINDS = ("sdk_stream", "mirascope_stream", "sdk_plain", "mirascope_plain")
CG_SIZES = (10, 60)
CG_TABLE_CALLS = 5


def _cg_call(kind: str, base_url: str) -> Any:
    from bench import wire

    client = Groq(base_url=base_url, api_key=wire.API_KEY)
    messages: Any = [{"role": "user", "content": wire.PROMPT}]
    if kind == "sdk_stream":

        def sdk_stream() -> None:
            stream = client.chat.completions.create(
                model=wire.MODEL, messages=messages, max_tokens=1, stream=True
            )
            for chunk in stream:
                if chunk.choices:
                    _ = chunk.choices[0].delta.content

        return sdk_stream
    if kind == "sdk_plain":

        def sdk_plain() -> None:
            completion = client.chat.completions.create(
                model=wire.MODEL, messages=messages, max_tokens=1
            )
            _ = completion.choices[0].message.content

        return sdk_plain
    calls = _calls(base_url, client)
    return calls["one-chunk stream" if kind == "mirascope_stream" else "non-stream call"]


def _install(events: list[int]) -> list[str]:
    """Wrap every target so each entry and exit is a callgrind dump (`os.getppid`)."""
    import functools
    import importlib
    import inspect

    labels: list[str] = []
    mark = os.getppid
    for module_name, path, label in TARGETS:
        try:
            owner: Any = importlib.import_module(module_name)
            *parents, attr = path.split(".")
            for name in parents:
                owner = getattr(owner, name)
            original = getattr(owner, attr)
        except (ImportError, AttributeError):
            continue
        if label in labels:
            idx = labels.index(label)
        else:
            idx = len(labels)
            labels.append(label)

        def wrapper(*args: Any, __f: Any = original, __i: int = idx, **kwargs: Any) -> Any:
            events.append(__i + 1)
            mark()
            try:
                return __f(*args, **kwargs)
            finally:
                events.append(-(__i + 1))
                mark()

        if inspect.isgeneratorfunction(original):

            def gen_wrapper(*args: Any, __f: Any = original, __i: int = idx, **kwargs: Any) -> Any:
                # Each resumption of the generator is one entry and exit.
                gen = __f(*args, **kwargs)
                try:
                    while True:
                        events.append(__i + 1)
                        mark()
                        try:
                            item = next(gen)
                        except StopIteration:
                            return
                        finally:
                            events.append(-(__i + 1))
                            mark()
                        yield item
                finally:
                    gen.close()

            setattr(owner, attr, functools.wraps(original)(gen_wrapper))
            continue
        setattr(owner, attr, functools.wraps(original)(wrapper))
    return labels


def cg_child(kind: str, base_url: str, events_path: str) -> None:
    """Under callgrind: per-call phases (no wrappers), then the wrapped calls for the table."""
    fn = _cg_call(kind, base_url)
    for _ in range(5):
        fn()
    for count in CG_SIZES:
        os.getppid()  # phase marker: parts 2 and 3 are the two phases
        for _ in range(count):
            fn()
    os.getppid()
    events: list[int] = []
    labels = _install(events)
    fn()  # warms the wrappers; its events are dumps too
    start = len(events)
    events.append(0)
    os.getppid()  # the table starts after this event
    for _ in range(CG_TABLE_CALLS):
        fn()
    events.append(0)
    os.getppid()
    Path(events_path).write_text(json.dumps({"labels": labels, "events": events, "start": start}))


def _cg_run(kind: str, base_url: str) -> dict[str, Any]:
    import shutil
    import subprocess
    import tempfile

    from bench.measure import _callgrind_parts  # pyright: ignore[reportPrivateUsage]

    with tempfile.TemporaryDirectory(prefix="bench-cgcall-") as tmp:
        out = Path(tmp) / "cg.out"
        events_path = Path(tmp) / "events.json"
        cmd = [
            shutil.which("valgrind") or "valgrind",
            "--tool=callgrind",
            "--dump-before=getppid",
            f"--callgrind-out-file={out}",
            sys.executable,
            str(Path(__file__).resolve()),
            "--cg-child",
            kind,
            "--base-url",
            base_url,
            "--events",
            str(events_path),
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
        if proc.returncode != 0:
            raise RuntimeError(f"{kind}: callgrind child failed: {proc.stderr[-2000:]}")
        parts = _callgrind_parts(out)
        data = json.loads(events_path.read_text())
    # Parts: 1 start-up, 2 and 3 the phases; event k's marker ends part 4 + k, so the segment
    # after event k is part 5 + k.
    lo, hi = CG_SIZES
    per_call = (parts[3] - parts[2]) / (hi - lo)
    labels: list[str] = data["labels"]
    events: list[int] = data["events"]
    incl = [0] * len(labels)
    own = [0] * len(labels)
    calls = [0] * len(labels)
    stack: list[int] = []
    top_self = 0
    table_total = 0
    for k in range(data["start"], len(events) - 1):
        event = events[k]
        if event > 0:
            stack.append(event - 1)
            calls[event - 1] += 1
        elif event < 0:
            stack.pop()
        segment = parts[5 + k]
        table_total += segment
        if stack:
            own[stack[-1]] += segment
            for idx in set(stack):
                incl[idx] += segment
        else:
            top_self += segment
    n = CG_TABLE_CALLS
    rows = [
        {"label": labels[i], "incl": incl[i] / n, "self": own[i] / n, "calls": calls[i] / n}
        for i in range(len(labels))
        if calls[i]
    ]
    return {
        "per_call": per_call,
        "table_total": table_total / n,
        "rest": top_self / n,
        "rows": rows,
    }


def _cg_table(result: dict[str, Any], top: int) -> str:
    total = result["table_total"]
    rows = sorted(result["rows"], key=lambda r: -r["self"])[:top]
    lines = [
        "| function (wrapped) | self instr/call | share | inclusive instr/call | calls/call |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r['self']:,.0f} | {r['self'] / total:.0%} | {r['incl']:,.0f} "
            f"| {r['calls']:.1f} |"
        )
    lines.append(
        f"| everything else (caller, iteration, unwrapped code) | {result['rest']:,.0f} | "
        f"{result['rest'] / total:.0%} | | |"
    )
    lines.append(f"| **total (wrapped run)** | {total:,.0f} | 100% | | |")
    return "\n".join(lines)


def callgrind_report(top: int, kinds: tuple[str, ...] = CG_KINDS) -> str:
    from concurrent.futures import ThreadPoolExecutor

    with running_server(max_lifetime_s=1200) as base_url, ThreadPoolExecutor(2) as pool:
        runs = pool.map(lambda k: _cg_run(k, base_url), kinds)
        results = dict(zip(kinds, runs, strict=True))
    lo, hi = CG_SIZES
    report = [
        "## Per-call instructions by function (callgrind)",
        "",
        f"- **Date:** {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; **command:** "
        f"`python bench/profile_call.py --callgrind`; load average "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        f"- instr/call = (Ir({hi} calls) − Ir({lo} calls)) / {hi - lo}, unwrapped, after 5 warm-up"
        f" calls, one keep-alive client per process; then {CG_TABLE_CALLS} calls with each"
        " listed function wrapped so that its entry and exit are callgrind dumps (self = its own"
        " instructions outside other listed functions). The wrappers add a little to each row.",
        "",
        "| call | groq SDK instr/call | mirascope-groq instr/call | ×SDK |",
        "|---|---:|---:|---:|",
    ]
    for mode, label in (("stream", "one-chunk stream"), ("plain", "non-stream call")):
        sdk, ours = results.get(f"sdk_{mode}"), results.get(f"mirascope_{mode}")
        if sdk and ours:
            a, b = sdk["per_call"], ours["per_call"]
            report.append(f"| {label} | {a:,.0f} | {b:,.0f} | **{b / a:.2f}×** |")
        elif ours:
            report.append(f"| {label} | (not run) | {ours['per_call']:,.0f} | |")
    for kind in kinds:
        report += ["", f"### {kind}", "", _cg_table(results[kind], top)]
    return "\n".join(report) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="append the tables to RESULTS.md")
    parser.add_argument("--callgrind", action="store_true", help="instructions, not cProfile")
    parser.add_argument("--kinds", default=",".join(CG_KINDS), help="callgrind clients")
    parser.add_argument("--cg-child", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--events", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cg_child:
        cg_child(args.cg_child, args.base_url, args.events)
        return 0
    if args.callgrind:
        text = callgrind_report(args.top, tuple(args.kinds.split(",")))
        print(text)
        if args.write:
            with (Path(__file__).resolve().parent / "RESULTS.md").open("a") as fh:
                fh.write("\n" + text)
        return 0
    report = [
        "## Per-call profile",
        "",
        f"- **Date:** {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; **command:** "
        f"`python bench/profile_call.py --calls {args.calls} --top {args.top}`; load average "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "- cProfile own time per call (inflated by cProfile itself; instruction counts are in the"
        " per-call table above). Use it to see where a short call goes, not to judge a change.",
    ]
    with running_server(max_lifetime_s=600) as base_url:
        for label, fn in _calls(base_url).items():
            for _ in range(50):  # warm: pools, caches, lazily built schemas
                fn()
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.calls):
                fn()
            profile.disable()
            report += ["", f"### {label}", "", _table(profile, args.calls, args.top)]
    text = "\n".join(report) + "\n"
    print(text)
    if args.write:
        with (Path(__file__).resolve().parent / "RESULTS.md").open("a") as fh:
            fh.write("\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
