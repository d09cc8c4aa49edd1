"""Shared wire constants for the bench server and clients (stdlib only).

The server renders its streams from these and every client checks what it received against
them, so a client that drops, merges or duplicates chunks fails loudly instead of looking fast.
"""

from __future__ import annotations

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


def word(i: int) -> str:
    """The text of content chunk ``i`` (0-based)."""
    return WORDS[i % len(WORDS)]


def expected_chars(n: int) -> int:
    """Total characters of the ``n`` content deltas the server sends for ``max_tokens=n``."""
    full, rest = divmod(n, len(WORDS))
    return full * sum(len(w) for w in WORDS) + sum(len(w) for w in WORDS[:rest])
