"""`ServerTimings`: Groq's own timings of a request, from its usage report (beyond v1)."""

from __future__ import annotations

from dataclasses import dataclass

from groq.types import CompletionUsage


@dataclass(frozen=True)
class ServerTimings:
    """How long Groq spent on a request, in seconds, as its usage report states.

    Example:
        ```python
        for chunk, _ in stream:
            ...
        if stream.server_timings:
            print(f"queued {stream.server_timings.queue_time:.3f}s")
        ```
    """

    queue_time: float | None
    """Time waiting in Groq's queue."""
    prompt_time: float | None
    """Time spent reading the prompt."""
    completion_time: float | None
    """Time spent generating."""
    total_time: float | None
    """Prompt plus completion time."""

    @classmethod
    def from_usage(cls, usage: CompletionUsage | None) -> ServerTimings | None:
        """The timings of a usage report, or None when it has none."""
        if usage is None:
            return None
        timings = cls(
            queue_time=usage.queue_time,
            prompt_time=usage.prompt_time,
            completion_time=usage.completion_time,
            total_time=usage.total_time,
        )
        if timings == _EMPTY:
            return None
        return timings


_EMPTY = ServerTimings(None, None, None, None)

__all__ = ["ServerTimings"]
