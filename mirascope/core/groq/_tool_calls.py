"""Tool-call assembly for streams, keyed by the delta's `index` and `id`.

Groq sends each call whole, sometimes several in one delta; OpenAI-style servers send the `id`
and name first and the arguments in fragments; Ollama-style servers reuse index 0 for every call
or send no `index` at all; some send `arguments` as a JSON object. All shapes go through one
path: fragments are collected per call and joined once.

Invariants:
- A call is identified by its `index` and `id`: a new `id` on a used index (or on a delta without
  `index`) starts a new call, so the arguments of two ids are never concatenated. A delta without
  `index` or `id` continues the call the previous delta went to.
- A call's arguments equal its fragments joined in arrival order, however the server cut or
  interleaved them (an object `arguments` is serialized once).
- Each call is released exactly once, in (`index`, arrival) order among the unreleased: as soon
  as it is named and its arguments form a complete JSON object, when its index is reused, when a
  finish reason arrives, or at the end of the stream (`flush`). Indexes may arrive in any order.
- `calls` lists every released call as plain `ChatCompletionMessageToolCallParam` dicts in
  that order; after a clean end that is every call received. A call cut off mid-arguments is
  never released, so it never reaches history.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from groq.types.chat.chat_completion_chunk import ChoiceDeltaToolCall


@dataclass
class PendingCall:
    """One tool call being received."""

    index: int
    seq: int = 0
    """Arrival position, to order calls that share an index."""
    id: str = ""
    name: str = ""
    arg_parts: list[str] = field(default_factory=list[str])
    complete: bool = False
    released: bool = False
    superseded: bool = False
    last_fragment: str = ""
    """The argument text of the latest delta (for partial tools)."""
    """A new id arrived on this call's index: it can receive nothing more."""

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
    """Collects tool-call deltas into calls and releases finished calls in order.

    Example:
        ```python
        asm = ToolCallAssembler()
        done = asm.feed(chunk.choices[0].delta.tool_calls)   # calls completed by this delta
        rest = asm.flush()                                   # end of stream
        ```
    """

    __slots__ = ("_calls", "_last", "_open")

    def __init__(self) -> None:
        self._calls: list[PendingCall] = []  # arrival order
        self._open: dict[int, PendingCall] = {}  # the call currently receiving at each index
        self._last: PendingCall | None = None  # where a delta without `index` goes

    def _slot(self, raw_index: object, id_: str | None) -> PendingCall:
        if not isinstance(raw_index, int) or isinstance(raw_index, bool):
            # No `index`: continue the latest call unless a new id starts one after all others.
            call = self._last
            index = call.index if call is not None else 0
            if call is None or (id_ and call.id and id_ != call.id):
                index = max((c.index for c in self._calls), default=-1) + 1
                call = None
        else:
            index = raw_index
            call = self._open.get(index)
            if call is not None and id_ and call.id and id_ != call.id:
                call.superseded = True  # index reused for a new call (Ollama-style)
                call = None
        if call is None:
            call = PendingCall(index=index, seq=len(self._calls))
            self._calls.append(call)
            self._open[index] = call
        self._last = call
        return call

    def feed(self, deltas: Sequence[ChoiceDeltaToolCall]) -> list[PendingCall]:
        """Apply one delta's tool-call entries; return the calls now complete, in order."""
        for delta in deltas:
            id_ = getattr(delta, "id", None)
            call = self._slot(getattr(delta, "index", None), id_ if isinstance(id_, str) else None)
            if isinstance(id_, str) and id_:
                call.id = id_
            function: Any = getattr(delta, "function", None)
            if isinstance(function, dict):
                function = SimpleNamespace(**function)  # pyright: ignore[reportUnknownArgumentType]
            if function is None:
                continue
            name = getattr(function, "name", None)
            if isinstance(name, str) and name:
                call.name = name
            arguments: object = getattr(function, "arguments", None)
            if isinstance(arguments, dict):
                # Some servers send the arguments as a JSON object, not a string.
                arguments = json.dumps(arguments)
            if isinstance(arguments, str) and arguments:
                call.arg_parts.append(arguments)
                call.last_fragment = arguments
                # Join and parse only when the text may have just closed an object, so
                # fragmented arguments cost linear time, not quadratic.
                tail = arguments.rstrip()
                if tail:
                    call.complete = tail.endswith("}") and _is_complete_object(call.arguments)
        return self._release(final=False)

    def flush(self, *, complete_only: bool = False) -> list[PendingCall]:
        """Finish reason or end of stream: release the calls not yet released, in order.

        With `complete_only` (a body cut short), a call whose arguments are not a complete JSON
        object stays unreleased, and so does every call after it: it was truncated.
        """
        if complete_only:
            for call in self._calls:
                call.complete = call.complete or not call.arg_parts
            return self._release(final=False)
        return self._release(final=True)

    def get(self, index: int) -> PendingCall | None:
        """The call currently receiving at `index`, if one has started."""
        return self._open.get(index)

    @property
    def last(self) -> PendingCall | None:
        """The call the latest delta went to."""
        return self._last

    @property
    def calls(self) -> list[dict[str, Any]]:
        """Every released call, as plain dicts in order (all of them once flushed)."""
        return [c.as_param() for c in sorted(self._calls, key=_order) if c.released]

    def _release(self, *, final: bool) -> list[PendingCall]:
        released: list[PendingCall] = []
        for call in sorted(self._calls, key=_order):
            if call.released:
                continue
            # Done when its JSON is complete (and named), its index was reused, or at the end.
            ready = final or call.superseded or (call.complete and bool(call.name))
            if not ready:
                break
            call.released = True
            released.append(call)
        return released


def _order(call: PendingCall) -> tuple[int, int]:
    return (call.index, call.seq)
