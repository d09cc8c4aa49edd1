"""Bench case: one big SSE event fed to the decoder in small reads vs in one read.

The decoder must be linear in the size of one event (issue 9 C): one 10 MB event read in 4 KB
pieces may cost at most 3x the same event read at once. CPU time (`time.process_time`) of
`SSEDecoder.decode` alone, median over rounds; no network, so the figure is the decoder's.

    python bench/sse_event.py                  # 10 MB, 4 KB reads, 5 rounds
    python bench/sse_event.py --mb 2 --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from mirascope.core.groq._sse import SSEDecoder

LIMIT = 3.0


def _decode(body: bytes, read_size: int) -> float:
    decoder = SSEDecoder()
    started = time.process_time()
    events = [
        e for i in range(0, len(body), read_size) for e in decoder.decode(body[i : i + read_size])
    ]
    elapsed = time.process_time() - started
    assert len(events) == 1 and len(events[0][0]) == len(body) - 8, "decoder lost the event"
    return elapsed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--read", type=int, default=4096, help="bytes per read")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    size = int(args.mb * 1_000_000)
    body = b"data: " + b"x" * size + b"\n\n"
    whole, pieces = [], []
    for _ in range(args.rounds):  # interleaved, so load drift hits both alike
        whole.append(_decode(body, len(body)))
        pieces.append(_decode(body, args.read))
    one, many = statistics.median(whole), statistics.median(pieces)
    ratio = many / one if one > 0 else float("inf")
    verdict = "PASS" if ratio <= LIMIT else "MISS"
    print(
        f"| one {args.mb:g} MB event | {one * 1000:.2f} ms in one read | "
        f"{many * 1000:.2f} ms in {len(body) // args.read + 1} reads of {args.read} B | "
        f"{ratio:.2f}x | {verdict} (<= {LIMIT:g}x) |"
    )
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
