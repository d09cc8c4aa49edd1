"""`RateLimits`: Groq's `x-ratelimit-*` headers of one response, parsed (beyond v1).

Groq sends six headers on every response, streams included, and `retry-after` only on a 429
(GROQ_WIRE.md §4.1, GROQ_2026.md "Rate-limit headers"). The `…-requests` headers always count
requests per **day** and the `…-tokens` headers tokens per **minute**. Resets are Go-style
durations (`"172ms"`, `"7.66s"`, `"2m59.56s"`, `"1h2m3s"`), parsed here into seconds.

Invariants: parsing never raises. A header that is absent or does not parse is `None`, so a proxy
that strips or mangles headers costs the caller a figure, never the response.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)")
_UNIT_SECONDS = {
    "h": 3600.0,
    "m": 60.0,
    "s": 1.0,
    "ms": 1e-3,
    "us": 1e-6,
    "µs": 1e-6,
    "ns": 1e-9,
}


def parse_duration(value: str | None) -> float | None:
    """Seconds in a Go-style duration (`"2m59.56s"` → 179.56), or None when it does not parse.

    A bare number is taken as seconds, as `retry-after` sends it.

    Example:
        ```python
        from mirascope.core.groq.rate_limits import parse_duration

        assert parse_duration("1h2m3s") == 3723.0
        assert parse_duration("172ms") == 0.172
        ```
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 and seconds != float("inf") else None
    total = 0.0
    end = 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != end:
            return None
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        end = match.end()
    if end != len(text) or end == 0:
        return None
    return round(total, 9)


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class RateLimits:
    """The rate-limit state Groq reported with one response.

    Example:
        ```python
        response = recommend_book("fantasy")
        limits = response.rate_limits
        if limits and limits.remaining_tokens is not None and limits.remaining_tokens < 1000:
            time.sleep(limits.reset_tokens or 1.0)
        ```
    """

    limit_requests: int | None
    """Requests allowed per day (RPD)."""
    remaining_requests: int | None
    """Requests left today."""
    reset_requests: float | None
    """Seconds until the request budget is full again."""
    limit_tokens: int | None
    """Tokens allowed per minute (TPM)."""
    remaining_tokens: int | None
    """Tokens left this minute."""
    reset_tokens: float | None
    """Seconds until the token budget is full again."""
    retry_after: float | None
    """Seconds to wait before retrying; Groq sends it only on a 429."""

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimits | None:
        """The limits in a response's headers, or None when it carries none of them.

        `headers` is case-insensitive when it is an `httpx.Headers`; a plain dict must use
        lower-case names, as Groq sends them.
        """
        limits = cls(
            limit_requests=_int(headers.get("x-ratelimit-limit-requests")),
            remaining_requests=_int(headers.get("x-ratelimit-remaining-requests")),
            reset_requests=parse_duration(headers.get("x-ratelimit-reset-requests")),
            limit_tokens=_int(headers.get("x-ratelimit-limit-tokens")),
            remaining_tokens=_int(headers.get("x-ratelimit-remaining-tokens")),
            reset_tokens=parse_duration(headers.get("x-ratelimit-reset-tokens")),
            retry_after=parse_duration(headers.get("retry-after")),
        )
        if limits == _EMPTY:
            return None
        return limits


_EMPTY = RateLimits(None, None, None, None, None, None, None)

__all__ = ["RateLimits", "parse_duration"]
