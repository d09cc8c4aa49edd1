"""Where a short call spends its time: cProfile of one-chunk streams and of non-stream calls.

``python bench/profile_call.py [--calls N] [--top K]`` starts the bench server (`server.py`),
makes N warm calls of each kind on one keep-alive client, and prints the top K functions by
own time, as Markdown. A profile, not a measurement: cProfile's overhead inflates small
functions, so use it to find where to look and bench/run.py (callgrind) to judge a change.
"""

from __future__ import annotations

import argparse
import cProfile
import io
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


def _calls(base_url: str) -> dict[str, Any]:
    client = Groq(base_url=base_url, api_key="bench")

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="append the tables to RESULTS.md")
    args = parser.parse_args()
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
