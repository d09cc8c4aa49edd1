"""A client-side pacer fed by Groq's `x-ratelimit-*` and `retry-after` headers (beyond v1).

Headers are parsed by `rate_limits.RateLimits` only. Model: a budget of requests (per day) and
tokens (per minute), each with the moment it is full again. Every request reserves one request and
the largest token count a request has used so far; a reply's headers then reset the budget to what
Groq says is left, minus what is still in flight (counting in-flight requests Groq may already
have charged twice errs on the side of waiting). Until the first reply, one request at a time
probes the limits. A 429 blocks everyone until its `retry-after`. Thread-safe; `delay()` never
sleeps, so one limiter serves sync and async callers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping

from .rate_limits import RateLimits

__all__ = ["RateLimiter"]

_PROBE_POLL = 0.01


class RateLimiter:
    """Paces requests so that a run stays under the limits its replies report.

    Example:
        ```python
        limiter = RateLimiter()
        while (wait := limiter.delay()) > 0:
            time.sleep(wait)
        reply = client.chat.completions.with_raw_response.create(**kwargs)
        limiter.release(reply.headers, tokens_used)
        ```
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known = False
        self._inflight = 0
        self._inflight_tokens = 0
        self._estimate = 0
        self._tokens_left: int | None = None
        self._tokens_limit: int | None = None
        self._tokens_full_at: float | None = None
        self._requests_left: int | None = None
        self._requests_limit: int | None = None
        self._requests_full_at: float | None = None
        self._blocked_until = 0.0
        self.rate_limited = 0
        """How many 429s this limiter has seen."""

    def delay(self) -> float:
        """0 and a reservation when a request may go now, else the seconds to wait first."""
        now = time.monotonic()
        with self._lock:
            if now < self._blocked_until:
                return self._blocked_until - now
            if not self._known:
                if self._inflight:
                    return _PROBE_POLL  # the probe's reply will tell the limits
                return self._reserve()
            if self._tokens_full_at is not None and now >= self._tokens_full_at:
                self._tokens_left, self._tokens_full_at = self._tokens_limit, None
            if self._requests_full_at is not None and now >= self._requests_full_at:
                self._requests_left, self._requests_full_at = self._requests_limit, None
            wait = self._shortfall(now)
            return wait if wait > 0 else self._reserve()

    def _shortfall(self, now: float) -> float:
        waits: list[float] = []
        if self._requests_left is not None and self._requests_left < 1:
            waits.append(self._until(self._requests_full_at, now))
        if self._tokens_left is not None and self._tokens_left < self._estimate:
            fresh = self._tokens_left == self._tokens_limit and not self._inflight
            if not fresh:  # a request larger than the whole budget goes alone in a fresh window
                waits.append(self._until(self._tokens_full_at, now))
        return max(waits, default=0.0)

    def _until(self, full_at: float | None, now: float) -> float:
        # Unknown reset (budget spent before any reply since the last reset): wait for a reply.
        return _PROBE_POLL if full_at is None else max(full_at - now, 1e-3)

    def _reserve(self) -> float:
        self._inflight += 1
        self._inflight_tokens += self._estimate
        if self._tokens_left is not None:
            self._tokens_left -= self._estimate
        if self._requests_left is not None:
            self._requests_left -= 1
        return 0.0

    def release(self, headers: Mapping[str, str] | None, tokens: int | None = None) -> None:
        """Record the reply to a reserved request: its headers and the tokens it used."""
        now = time.monotonic()
        limits = RateLimits.from_headers(headers) if headers is not None else None
        with self._lock:
            self._inflight = max(0, self._inflight - 1)
            self._inflight_tokens = max(0, self._inflight_tokens - self._estimate)
            if tokens is not None:
                self._estimate = max(self._estimate, tokens)
            if limits is None:
                self._known = True
                return
            self._known = True
            if limits.remaining_tokens is not None:
                self._tokens_left = limits.remaining_tokens - self._inflight_tokens
                self._tokens_limit = limits.limit_tokens
                if limits.reset_tokens is not None:
                    self._tokens_full_at = now + limits.reset_tokens
            if limits.remaining_requests is not None:
                self._requests_left = limits.remaining_requests - self._inflight
                self._requests_limit = limits.limit_requests
                if limits.reset_requests is not None:
                    self._requests_full_at = now + limits.reset_requests
            if limits.retry_after is not None:
                self.rate_limited += 1
                self._blocked_until = max(self._blocked_until, now + limits.retry_after)
