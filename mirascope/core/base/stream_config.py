"""`StreamConfig`: options for `stream=`, and `StreamOptions`, their checked form.

Invariant: a bad key or value raises when the decorator reads it (`StreamOptions.of`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from typing_extensions import TypedDict


class StreamConfig(TypedDict, total=False):
    """Stream options, passed as `stream={...}` instead of `stream=True`.

    Example:
        ```python
        @groq.call("openai/gpt-oss-120b", tools=[GetWeather], stream={"partial_tools": True})
        def ask(q: str) -> str:
            return q
        ```
    """

    partial_tools: bool
    """Also yield partial tools while their arguments stream in (`tool.delta` = new text)."""
    first_chunk_timeout: float
    """Seconds to wait for the first chunk before closing the stream with a timeout error."""
    chunk_timeout: float
    """Seconds allowed between two chunks before closing the stream with a timeout error."""
    max_retries_before_first_chunk: int
    """Re-send the request this many times if the stream fails before anything was yielded."""


@dataclass(frozen=True)
class StreamOptions:
    """The `stream=` settings that shape a stream's source (see `StreamConfig`).

    Example:
        ```python
        assert StreamOptions.of({"chunk_timeout": 5}).has_timeouts
        ```
    """

    partial_tools: bool = False
    first_chunk_timeout: float | None = None
    chunk_timeout: float | None = None
    max_retries_before_first_chunk: int = 0

    @classmethod
    def of(cls, config: bool | StreamConfig) -> StreamOptions:
        """Read a `stream=True` or `stream={...}` argument; a bad key or value raises here."""
        if not isinstance(config, dict):
            return cls()
        settings: dict[str, Any] = dict(config)
        unknown = sorted(set(settings) - set(StreamConfig.__optional_keys__))
        if unknown:
            raise ValueError(
                f"Unknown stream option {unknown[0]!r}; StreamConfig keys are "
                f"{', '.join(sorted(StreamConfig.__optional_keys__))}."
            )
        for key in ("first_chunk_timeout", "chunk_timeout"):
            value = settings.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"stream option {key!r} must be a number of seconds, not {value!r}")
            if not math.isfinite(value):  # NaN compares false to everything; inf never fires
                raise ValueError(f"stream option {key!r} must be a finite number, not {value!r}")
            if value <= 0:
                raise ValueError(f"stream option {key!r} must be positive, not {value!r}")
        retries = settings.get("max_retries_before_first_chunk", 0)
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise ValueError(
                "stream option 'max_retries_before_first_chunk' must be an int >= 0, "
                f"not {retries!r}"
            )
        return cls(
            partial_tools=bool(settings.get("partial_tools", False)),
            first_chunk_timeout=settings.get("first_chunk_timeout"),
            chunk_timeout=settings.get("chunk_timeout"),
            max_retries_before_first_chunk=retries,
        )

    @property
    def has_timeouts(self) -> bool:
        """Whether a watchdog is needed."""
        return self.first_chunk_timeout is not None or self.chunk_timeout is not None


__all__ = ["StreamConfig", "StreamOptions"]
