"""Turn plain data into Groq wire shapes: ids, usage, chunks, SSE events and error bodies.

Nothing here does I/O. Shapes follow GROQ_WIRE.md §1.4, §1.7, §4.2 and §4.4; key order matches the
recorded transcripts so that byte-level comparisons stay readable.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
import uuid

__all__ = [
    "DONE_EVENT",
    "chat_completion_id",
    "count_tokens",
    "encode_chunk",
    "error_body",
    "fingerprint",
    "request_id",
    "split_text",
    "sse_event",
    "tool_call_id",
    "usage_dict",
]

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
_TOKEN_RE = re.compile(r"\s*[\w']+|\s*[^\w\s]+|\s+")
DONE_EVENT = b"data: [DONE]\n\n"
"""The SSE terminator event."""


def request_id() -> str:
    """`req_` + a 26-character lowercase ULID (48-bit ms time + 80 random bits)."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    chars = [_CROCKFORD[(value >> (5 * i)) & 31] for i in range(25, -1, -1)]
    return "req_" + "".join(chars)


def chat_completion_id() -> str:
    """`chatcmpl-` + a UUID4."""
    return f"chatcmpl-{uuid.uuid4()}"


def fingerprint() -> str:
    """`fp_` + 10 hex digits."""
    return "fp_" + secrets.token_hex(5)


def tool_call_id() -> str:
    """9 lowercase alphanumerics, like the observed `tk85n1k4m`."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(9))


def tokenize(text: str) -> list[str]:
    """Split text into word-like tokens that keep their leading space ("Hello", " there", "!")."""
    return _TOKEN_RE.findall(text)


def count_tokens(text: str) -> int:
    """The emulator's deterministic token count: the number of `tokenize` pieces."""
    return len(tokenize(text))


def split_text(
    text: str,
    *,
    chunk_size: int = 1,
    chunk_chars: int | None = None,
    chunks: int | None = None,
) -> list[str]:
    """Cut text into delta strings.

    `chunk_chars` cuts every N characters; `chunks` cuts into N pieces of near-equal length;
    otherwise `chunk_size` tokens go in each piece. Joining the result always gives `text` back.
    """
    if not text:
        return []
    if chunk_chars is not None:
        step = max(1, chunk_chars)
        return [text[i : i + step] for i in range(0, len(text), step)]
    if chunks is not None:
        n = max(1, min(chunks, len(text)))
        bounds = [round(i * len(text) / n) for i in range(n + 1)]
        return [text[bounds[i] : bounds[i + 1]] for i in range(n)]
    toks = tokenize(text)
    step = max(1, chunk_size)
    return ["".join(toks[i : i + step]) for i in range(0, len(toks), step)]


def usage_dict(
    prompt_tokens: int,
    completion_tokens: int,
    *,
    reasoning_tokens: int | None = None,
    cached_tokens: int | None = None,
) -> dict[str, object]:
    """A `CompletionUsage` in Groq's key order, with deterministic timings."""
    prompt_time = round(prompt_tokens * 0.00002 + 0.0008, 9)
    completion_time = round(completion_tokens * 0.004, 9)
    usage: dict[str, object] = {
        "queue_time": 0.041905864,
        "prompt_tokens": prompt_tokens,
        "prompt_time": prompt_time,
        "completion_tokens": completion_tokens,
        "completion_time": completion_time,
        "total_tokens": prompt_tokens + completion_tokens,
        "total_time": round(prompt_time + completion_time, 9),
    }
    if cached_tokens is not None:
        usage["prompt_tokens_details"] = {"cached_tokens": cached_tokens}
    if reasoning_tokens is not None:
        usage["completion_tokens_details"] = {"reasoning_tokens": reasoning_tokens}
    return usage


def dumps(obj: object) -> bytes:
    """Compact JSON, UTF-8, as Groq sends it."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def sse_event(obj: object) -> bytes:
    """One data-only SSE event: `data: <compact JSON>\\n\\n`."""
    return b"data: " + dumps(obj) + b"\n\n"


def encode_chunk(payload: bytes) -> bytes:
    """One HTTP/1.1 chunk (`Transfer-Encoding: chunked`) carrying `payload`."""
    return b"%x\r\n%s\r\n" % (len(payload), payload)


def choice(delta: dict[str, object], finish_reason: str | None = None) -> list[object]:
    """A one-element `choices` list for a chunk."""
    return [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}]


_ERROR_DEFAULTS: dict[int, tuple[str, str | None, str]] = {
    400: ("invalid_request_error", None, "Bad request."),
    401: ("invalid_request_error", "invalid_api_key", "Invalid API Key"),
    403: ("permissions_error", "permission_denied", "Permission denied for this resource."),
    404: ("invalid_request_error", "unknown_url", "Not found."),
    408: ("invalid_request_error", "request_timeout", "Request timed out."),
    409: ("invalid_request_error", "conflict", "Conflict."),
    413: (
        "tokens",
        "rate_limit_exceeded",
        "Request too large for model `{model}` in organization `org_emulator` service tier "
        "`on_demand` on tokens per minute (TPM): Limit 6000, Requested 12328, please reduce your "
        "message size and try again. Need more tokens? Upgrade to Dev Tier today at "
        "https://console.groq.com/settings/billing",
    ),
    422: ("invalid_request_error", None, "The request could not be processed by the model."),
    429: (
        "tokens",
        "rate_limit_exceeded",
        "Rate limit reached for model `{model}` in organization `org_emulator` service tier "
        "`on_demand` on tokens per minute (TPM): Limit 12000, Used 4437, Requested 9854. Please "
        "try again in 11.455s. Need more tokens? Upgrade to Dev Tier today at "
        "https://console.groq.com/settings/billing",
    ),
    498: (
        "capacity_exceeded",
        "capacity_exceeded",
        "Flex tier capacity exceeded. This is a transient error; please retry later.",
    ),
    499: ("invalid_request_error", "request_cancelled", "Request cancelled by client."),
    500: ("internal_server_error", "internal_server_error", "Internal Server Error"),
    502: ("service_unavailable", "service_unavailable", "Bad Gateway"),
    503: ("service_unavailable", "service_unavailable", "Service Unavailable"),
}


def error_body(
    status: int,
    *,
    message: str | None = None,
    type: str | None = None,
    code: str | None = None,
    param: str | None = None,
    failed_generation: str | None = None,
    model: str = "openai/gpt-oss-20b",
) -> dict[str, object]:
    """`{"error": {...}}` for an HTTP status, using the §4.2 defaults for what is not given."""
    d_type, d_code, d_message = _ERROR_DEFAULTS.get(status, ("api_error", None, f"Error {status}"))
    err: dict[str, object] = {
        "message": message if message is not None else d_message.replace("{model}", model),
        "type": type or d_type,
    }
    if code or d_code:
        err["code"] = code or d_code
    if param is not None:
        err["param"] = param
    if failed_generation is not None:
        err["failed_generation"] = failed_generation
    return {"error": err}


def rate_limit_headers(requests_seen: int, tokens: int) -> list[tuple[str, str]]:
    """The six `x-ratelimit-*` headers with plausible, slowly decreasing values."""
    return [
        ("x-ratelimit-limit-requests", "500000"),
        ("x-ratelimit-limit-tokens", "250000"),
        ("x-ratelimit-remaining-requests", str(max(0, 500_000 - requests_seen))),
        ("x-ratelimit-remaining-tokens", str(max(0, 250_000 - tokens))),
        ("x-ratelimit-reset-requests", "2m59.56s"),
        ("x-ratelimit-reset-tokens", "7.66s"),
    ]
