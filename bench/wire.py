"""Shared wire constants and shapes for the bench server and clients (stdlib only).

The server renders its streams from these and every client checks what it received against
them, so a client that drops, merges or duplicates chunks fails loudly instead of looking fast.
"""

from __future__ import annotations

import json
from itertools import pairwise

PATH = "/openai/v1/chat/completions"
MODEL = "llama-3.1-8b-instant"
PROMPT = "Recommend a fantasy book"
API_KEY = "bench"

# Ten words, 54 characters in all: ~5.4 characters per chunk, like Groq's llama token deltas.
WORDS: tuple[str, ...] = (
    " Once",
    " upon",
    " a",
    " time",
    " there",
    " lived",
    " the",
    " ancient",
    " dragon",
    " named",
)

# Number of complete tool calls the server puts in its one tool-call delta when `tools` is sent.
TOOL_CALLS_PER_STREAM = 2

# The OpenAI-style schema the floor and SDK clients send; mirascope builds the same from GetWeather.
TOOLS: list[dict[str, object]] = [
    {
        "type": "function",
        "function": {
            "name": "GetWeather",
            "description": "Get the current weather in a city.",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        },
    }
]


# Tool-heavy streams (`tools` sent AND `tool_choice == "required"`): every one of the N chunks
# carries tool-call data, OpenAI-style: K calls one after the other, each opened by a delta with
# `index`, `id`, `type`, `function.name` and `"arguments": ""`, then argument fragments of
# TOOLHEAVY_FRAGMENT characters. The calls' arguments are `{"city": "<long string>"}`.
TOOLHEAVY_TOOL_CHOICE = "required"
TOOLHEAVY_FRAGMENT = 6
TOOLHEAVY_MIN_N = 2 * TOOL_CALLS_PER_STREAM
_CITY = "Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu"


# Reasoning streams (`reasoning_format == "parsed"`): the N chunks carry `delta.reasoning`
# (the words below) instead of `delta.content`, as Groq's reasoning models stream their thinking.
REASONING_FORMAT = "parsed"


def toolheavy_chunks(n: int) -> list[int]:
    """How many of the ``n`` chunks each call gets (header + fragments), split evenly."""
    k = TOOL_CALLS_PER_STREAM
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def toolheavy_fragments(n: int) -> list[list[str]]:
    """Per call, its argument fragments in order (one per chunk after the call's header).

    Each call's fragments join to ``{"city":"…"}``: ~TOOLHEAVY_FRAGMENT characters a piece, at
    least 12 characters in all. Needs ``n >= TOOLHEAVY_MIN_N``.
    """
    if n < TOOLHEAVY_MIN_N:
        raise ValueError(f"a tool-heavy stream needs N >= {TOOLHEAVY_MIN_N}, got {n}")
    calls: list[list[str]] = []
    for i, count in enumerate(toolheavy_chunks(n)):
        pieces = count - 1
        size = max(TOOLHEAVY_FRAGMENT * pieces, 12)
        city_len = size - len('{"city":""}')
        start = 7 * i
        city = (_CITY * (city_len // len(_CITY) + 2))[start : start + city_len]
        text = '{"city":"' + city + '"}'
        cuts = [size * j // pieces for j in range(pieces + 1)]
        calls.append([text[a:b] for a, b in pairwise(cuts)])
    return calls


def toolheavy_arguments(n: int) -> list[dict[str, str]]:
    """Per call, the parsed arguments a client must end up with for ``max_tokens=n``."""
    return [json.loads("".join(parts)) for parts in toolheavy_fragments(n)]


def word(i: int) -> str:
    """The text of content chunk ``i`` (0-based)."""
    return WORDS[i % len(WORDS)]


def expected_chars(n: int) -> int:
    """Total characters of the ``n`` content deltas the server sends for ``max_tokens=n``."""
    full, rest = divmod(n, len(WORDS))
    return full * sum(len(w) for w in WORDS) + sum(len(w) for w in WORDS[:rest])
