"""Errors for misusing a stream. Provider errors stay the provider SDK's own types.

RuntimeError
└── StreamConsumedError     a stream was iterated a second time
TypeError
└── StreamFlavorError       a sync stream in `async for`, or the reverse
"""

from __future__ import annotations


class StreamConsumedError(RuntimeError):
    """A stream was iterated a second time; its state is left untouched."""

    def __init__(self) -> None:
        super().__init__(
            "This stream was already iterated; streams are single-pass. Read stream.content, "
            "stream.message_param or stream.construct_call_response() instead."
        )


class StreamFlavorError(TypeError):
    """A sync stream was used with `async for`, or an async stream with `for`."""

    def __init__(self, *, is_async: bool) -> None:
        if is_async:
            message = (
                "This stream comes from an async function: iterate it with `async for` "
                "(stream = await fn(...); async for chunk, tool in stream: ...)."
            )
        else:
            message = (
                "This stream comes from a sync function: iterate it with `for`, not `async for`."
            )
        super().__init__(message)
