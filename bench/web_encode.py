"""Per-chunk CPU cost of the web encoders vs plain consumption (RESULTS.md, "Web encoders").

Run: `.venv/bin/python -m bench.web_encode` (CPU time of the consuming thread only, best of 5,
one 2000-chunk emulator stream per run and mode).
"""

from __future__ import annotations

import time

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


if __name__ == "__main__":
    main()
