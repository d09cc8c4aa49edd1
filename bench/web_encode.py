"""Per-chunk CPU cost of the web encoders vs plain consumption (see RESULTS.md, "Web encoders").

Run: .venv/bin/python -m bench.web_encode  (client-thread CPU time, best of 5, 2000-chunk stream)
"""

import time

from mirascope.core import groq
from mirascope.core.groq.testing import GroqEmulator

with GroqEmulator() as emu:
    client = emu.client()

    @groq.call("llama-3.1-8b-instant", stream=True, client=client)
    def f() -> str:
        return "hi"

    text = " ".join(["word"] * 2000)
    res = {"plain": [], "ui": [], "sse": []}
    for r in range(5):
        for mode in res:
            emu.enqueue("text", text=text)
            s = f()
            t = time.thread_time()
            if mode == "plain":
                for _ in s:
                    pass
            elif mode == "ui":
                for _ in s.ui_message_stream():
                    pass
            else:
                for _ in s.sse():
                    pass
            res[mode].append(time.thread_time() - t)
    b = min(res["plain"])
    for m, v in res.items():
        print(m, f"{min(v) / 2000 * 1e6:.2f} us/chunk", f"{min(v) / b:.3f}x")
