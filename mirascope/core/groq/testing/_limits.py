"""Per-key rate limits for the emulator: requests per day and tokens per minute (GROQ_WIRE.md §4.1).

Off by default (the headers then keep their plausible, slowly falling values). When a test sets
limits, each API key gets fixed windows: a "day" and a "minute" whose lengths the test chooses, so
a limit can be hit and reset within a test. A request is charged when it is admitted; the
`x-ratelimit-*` headers on its reply report what is left after it, and the resets are the honest
time until the window restarts. A request that does not fit gets a 429 with `retry-after` and no
charge. Guarded by `State.lock` (the caller holds it).
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field

__all__ = ["KeyWindow", "LimitConfig", "format_duration", "key_of"]


def format_duration(seconds: float) -> str:
    """A Go-style duration as Groq sends it (`"2m59.56s"`, `"7.66s"`, `"172ms"`)."""
    seconds = max(0.0, seconds)
    if seconds < 1:
        return f"{max(1, math.ceil(seconds * 1000))}ms"
    hours, rest_h = divmod(seconds, 3600)
    if hours >= 1:
        minutes, rest = divmod(rest_h, 60)
        return f"{int(hours)}h{int(minutes)}m{rest:.2f}s"
    minutes, rest = divmod(seconds, 60)
    if minutes >= 1:
        return f"{int(minutes)}m{rest:.2f}s"
    return f"{rest:.2f}s"


def key_of(authorization: str) -> str:
    """A short digest of the bearer key, so the key itself is never kept."""
    return hashlib.sha256(authorization.encode()).hexdigest()[:16]


@dataclass
class KeyWindow:
    """One key's usage in its current day and minute windows."""

    day_start: float
    minute_start: float
    requests: int = 0
    tokens: int = 0


@dataclass
class LimitConfig:
    """The limits a test set, and every key's windows."""

    requests_per_day: int | None = None
    tokens_per_minute: int | None = None
    day_seconds: float = 86_400.0
    minute_seconds: float = 60.0
    windows: dict[str, KeyWindow] = field(default_factory=dict[str, KeyWindow])
    rejected: int = 0

    @property
    def active(self) -> bool:
        return self.requests_per_day is not None or self.tokens_per_minute is not None

    def _window(self, key: str, now: float) -> KeyWindow:
        w = self.windows.get(key)
        if w is None:
            w = self.windows[key] = KeyWindow(now, now)
        if now - w.day_start >= self.day_seconds:
            w.day_start, w.requests = now, 0
        if now - w.minute_start >= self.minute_seconds:
            w.minute_start, w.tokens = now, 0
        return w

    def admit(self, key: str, tokens: int) -> tuple[str | None, float, list[tuple[str, str]]]:
        """Charge a request of `tokens`: (the limit that refused it or None, retry, headers)."""
        now = time.monotonic()
        w = self._window(key, now)
        rpd = self.requests_per_day if self.requests_per_day is not None else 500_000
        tpm = self.tokens_per_minute if self.tokens_per_minute is not None else 250_000
        reset_day = w.day_start + self.day_seconds - now
        reset_min = w.minute_start + self.minute_seconds - now
        refused: str | None = None
        retry = 0.0
        if w.requests + 1 > rpd:
            refused, retry = "requests", reset_day
        elif w.tokens + tokens > tpm and w.tokens > 0:
            refused, retry = "tokens", reset_min
        if refused is None:
            w.requests += 1
            w.tokens += tokens
        else:
            self.rejected += 1
        headers = [
            ("x-ratelimit-limit-requests", str(rpd)),
            ("x-ratelimit-limit-tokens", str(tpm)),
            ("x-ratelimit-remaining-requests", str(max(0, rpd - w.requests))),
            ("x-ratelimit-remaining-tokens", str(max(0, tpm - w.tokens))),
            ("x-ratelimit-reset-requests", format_duration(reset_day)),
            ("x-ratelimit-reset-tokens", format_duration(reset_min)),
        ]
        return refused, retry, headers
