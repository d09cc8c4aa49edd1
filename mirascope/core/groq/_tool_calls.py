"""Tool-call assembly for streams, keyed by the delta's `index`.

Groq sends each call whole, sometimes several in one delta; OpenAI-style servers send the `id`
and name first and the arguments in fragments. All shapes go through one path: fragments are
collected per `index` and joined once.

Invariants:
- A call's arguments equal its fragments joined in arrival order, however the server cut them.
- Calls are released in `index` order, each exactly once: as soon as its arguments form a complete
  JSON object and every lower index was released, else when another index starts, when a finish
  reason arrives, or at the end of the stream (`flush`).
- `calls` lists every released call as plain `ChatCompletionMessageToolCallParam` dicts in
  `index` order; after a clean end that is every call received. A call cut off mid-arguments is
  never released, so it never reaches history.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from groq.types.chat.chat_completion_chunk import ChoiceDeltaToolCall


@dataclass
class PendingCall:
    """One tool call being received."""

    index: int
    id: str = ""
    name: str = ""
    arg_parts: list[str] = field(default_factory=list[str])
    complete: bool = False
    released: bool = False

    @property
    def arguments(self) -> str:
        """The argument text received so far (`""` means no arguments)."""
        if len(self.arg_parts) > 1:
            self.arg_parts[:] = ["".join(self.arg_parts)]
        return self.arg_parts[0] if self.arg_parts else ""

    def as_param(self) -> dict[str, Any]:
        """The call as a `ChatCompletionMessageToolCallParam` dict, for history."""
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


def _is_complete_object(text: str) -> bool:
    if not text.rstrip().endswith("}"):
        return False
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


class ToolCallAssembler:
    """Collects tool-call deltas per `index` and releases finished calls in order.

    Example:
        ```python
        asm = ToolCallAssembler()
        done = asm.feed(chunk.choices[0].delta.tool_calls)   # calls completed by this delta
        rest = asm.flush()                                   # end of stream
        ```
    """

    __slots__ = ("_calls", "_next_release")

    def __init__(self) -> None:
        self._calls: dict[int, PendingCall] = {}
        self._next_release = 0  # position in index order of the first unreleased call

    def feed(self, deltas: Sequence[ChoiceDeltaToolCall]) -> list[PendingCall]:
        """Apply one delta's tool-call entries; return the calls now complete, in index order."""
        for delta in deltas:
            call = self._calls.get(delta.index)
            if call is None:
                call = self._calls[delta.index] = PendingCall(index=delta.index)
            if delta.id:
                call.id = delta.id
            function = delta.function
            if function is not None:
                if function.name:
                    call.name = function.name
                if function.arguments:
                    call.arg_parts.append(function.arguments)
                    # Join and parse only when the text may have just closed an object, so
                    # fragmented arguments cost linear time, not quadratic. Whitespace after
                    # the closing brace changes nothing.
                    tail = function.arguments.rstrip()
                    if tail:
                        call.complete = (
                            bool(call.name)
                            and tail.endswith("}")
                            and _is_complete_object(call.arguments)
                        )
        return self._release(final=False)

    def flush(self, *, complete_only: bool = False) -> list[PendingCall]:
        """Finish reason or end of stream: release the calls not yet released, in index order.

        With `complete_only` (a body cut short), a call whose arguments are not a complete JSON
        object stays unreleased, and so does every call after it: it was truncated.
        """
        if complete_only:
            for call in self._calls.values():
                call.complete = call.complete or not call.arg_parts
            return self._release(final=False, stop_at_incomplete=True)
        return self._release(final=True)

    def get(self, index: int) -> PendingCall | None:
        """The call at `index`, if one has started."""
        return self._calls.get(index)

    @property
    def calls(self) -> list[dict[str, Any]]:
        """Every released call, as plain dicts in index order (all of them once flushed)."""
        return [self._calls[i].as_param() for i in sorted(self._calls) if self._calls[i].released]

    def _release(self, *, final: bool, stop_at_incomplete: bool = False) -> list[PendingCall]:
        order = sorted(self._calls)
        last = -1 if stop_at_incomplete else (order[-1] if order else -1)
        released: list[PendingCall] = []
        for index in order[self._next_release :]:
            call = self._calls[index]
            # A call is done when its JSON is complete or a later index has started.
            if not (final or call.complete or index < last):
                break
            call.released = True
            self._next_release += 1
            released.append(call)
        return released
