"""Per-chunk CPU cost of the web encoders vs plain consumption (RESULTS.md, "Web encoders").

Run: `.venv/bin/python -m bench.web_encode` (CPU time of the consuming thread only, best of 5,
one 2000-chunk emulator stream per run and mode).

`.venv/bin/python -m bench.web_encode --callgrind`: the stable figure. One valgrind process per
mode against the bench server (a separate process, so only the client is counted) streams a
warm-up, then N = 500 and N = 2,500 chunks with an `os.getppid()` marker between the phases;
instructions per chunk = (Ir(2,500) - Ir(500)) / 2,000, as in bench/run.py. Modes: `plain` reads
`chunk.content` of every `(chunk, tool)` pair; `ui` and `sse` iterate `stream.ui_message_stream()`
and `stream.sse()` to the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mirascope.core import groq
from mirascope.core.groq.testing import GroqEmulator

CHUNKS = 2000


def main() -> None:
    with GroqEmulator() as emu:
        client = emu.client()

        @groq.call("llama-3.1-8b-instant", stream=True, client=client)
        def prompt() -> str:
            return "hi"

        text = " ".join(["word"] * CHUNKS)
        times: dict[str, list[float]] = {"plain": [], "ui": [], "sse": []}
        for _ in range(5):
            for mode, samples in times.items():
                emu.enqueue("text", text=text)
                stream = prompt()
                start = time.thread_time()
                body = {"plain": stream, "ui": None, "sse": None}[mode]
                if body is None:
                    body = stream.ui_message_stream() if mode == "ui" else stream.sse()
                for _item in body:
                    pass
                samples.append(time.thread_time() - start)
        base = min(times["plain"])
        for mode, samples in times.items():
            best = min(samples)
            print(f"{mode:5} {best / CHUNKS * 1e6:6.2f} us/chunk {best / base:.3f}x")
        client.close()


CG_SIZES = (500, 2500)


def _probe(mode: str, url: str) -> None:
    """Inside valgrind: a warm-up stream, then the two marked phases."""
    from groq import Groq

    client = Groq(base_url=url, api_key="bench")

    def consume(n: int) -> None:
        @groq.call(
            "llama-3.1-8b-instant", stream=True, client=client, call_params={"max_tokens": n}
        )
        def prompt() -> str:
            return "hi"

        stream = prompt()
        if mode == "plain":
            for chunk, _ in stream:
                _ = chunk.content
        else:
            for _item in stream.ui_message_stream() if mode == "ui" else stream.sse():
                pass

    consume(200)
    for n in CG_SIZES:
        os.getppid()  # callgrind marker: the previous phase ends here
        consume(n)
    os.getppid()


def callgrind() -> None:
    from bench import measure

    lo, hi = CG_SIZES
    per_chunk: dict[str, float] = {}
    with measure.running_server(900) as url:
        for mode in ("plain", "ui", "sse"):
            with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
                out = Path(tmp) / "cg.out"
                cmd = ["valgrind", "--tool=callgrind", "--dump-before=getppid"]
                cmd += [f"--callgrind-out-file={out}", sys.executable, "-m", "bench.web_encode"]
                cmd += ["--probe", mode, url]
                env = {**os.environ, "PYTHONHASHSEED": "0"}
                subprocess.run(cmd, check=True, capture_output=True, timeout=900, env=env)
                parts = measure._callgrind_parts(out)  # pyright: ignore[reportPrivateUsage]
            per_chunk[mode] = (parts[3] - parts[2]) / (hi - lo)
    base = per_chunk["plain"]
    print(f"instructions per chunk, (Ir(N={hi}) - Ir(N={lo})) / {hi - lo}, one process per mode")
    print("| mode | instr/chunk | x plain |")
    print("|---|---:|---:|")
    for mode, ir in per_chunk.items():
        print(f"| {mode} | {ir:,.0f} | {ir / base:.3f}x |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probe"]:
        _probe(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["--callgrind"]:
        callgrind()
    else:
        main()
