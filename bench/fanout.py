"""Fan-out bench: calls per client CPU-second, `fn.map_async` vs `asyncio.gather` over SDK calls.

Both sides make N non-streaming calls at concurrency 200 (a semaphore for the raw side) to the
emulator running in a separate process, so only the client's CPU is measured
(`time.process_time()`, median of `--repeat` runs, sides interleaved). Target: map_async >= 0.9x.

    python bench/fanout.py [--n 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time

SERVER = (
    "import sys, time\n"
    "from mirascope.core.groq.testing import GroqEmulator\n"
    "emu = GroqEmulator().start()\n"
    "print(emu.base_url, flush=True)\n"
    "sys.stdin.read()\n"
    "emu.stop()\n"
)
MODEL = "openai/gpt-oss-20b"
CONCURRENCY = 200
TIMEOUT = 600.0  # on a loaded machine 200 requests in flight may wait long for the emulator


async def _raw(base_url: str, n: int) -> float:
    from groq import AsyncGroq

    async with AsyncGroq(
        api_key="bench", base_url=base_url, max_retries=0, timeout=TIMEOUT
    ) as client:
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(i: int) -> object:
            async with gate:
                return await client.chat.completions.create(
                    model=MODEL, messages=[{"role": "user", "content": f"Say w{i}"}]
                )

        start = time.process_time()
        await asyncio.gather(*(one(i) for i in range(n)))
        return time.process_time() - start


async def _mapped(base_url: str, n: int) -> float:
    from groq import AsyncGroq

    from mirascope.core import groq

    async with AsyncGroq(
        api_key="bench", base_url=base_url, max_retries=0, timeout=TIMEOUT
    ) as client:

        @groq.call(MODEL, client=client)
        async def say(word: str) -> str:
            return f"Say {word}"

        start = time.process_time()
        results = await say.map_async(
            [{"word": f"w{i}"} for i in range(n)], concurrency=CONCURRENCY, progress=False
        )
        spent = time.process_time() - start
        failed = [r for r in results if not isinstance(r, groq.GroqCallResponse)]
        assert not failed, f"{len(failed)} calls failed, first: {failed[0]!r}"
        return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        asyncio.run(_raw(base_url, 50))  # warm-up: imports, pool
        asyncio.run(_mapped(base_url, 50))
        raw: list[float] = []
        mapped: list[float] = []
        for _ in range(args.repeat):
            raw.append(asyncio.run(_raw(base_url, args.n)))
            mapped.append(asyncio.run(_mapped(base_url, args.n)))
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(10)
    raw_rate = args.n / statistics.median(raw)
    map_rate = args.n / statistics.median(mapped)
    print(f"| side | calls per CPU-second (N={args.n}, concurrency {CONCURRENCY}) |")
    print("|---|---:|")
    print(f"| asyncio.gather over raw AsyncGroq calls | {raw_rate:,.0f} |")
    print(f"| fn.map_async | {map_rate:,.0f} |")
    print(f"\nratio map_async / raw: **{map_rate / raw_rate:.2f}\u00d7** (target >= 0.9\u00d7)")


if __name__ == "__main__":
    main()
