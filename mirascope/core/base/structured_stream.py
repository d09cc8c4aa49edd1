"""`BaseStructuredStream`: a stream of partial response models, then the validated one.

It wraps a provider stream (`GroqStream`) and turns the JSON text it carries (content in JSON
mode, tool-call arguments in tool mode) into partial instances of the response model, each
yielded when a value changed, then one final instance validated against the real model.

Invariants:
- Parsing is incremental (`_json_stream.py`): the cost of a stream is linear in its length, not
  quadratic as when the whole buffer is re-parsed per chunk.
- Partials are instances of `partial(model)` (every field optional, recursively), which
  subclasses the model; built-in types yield their partial value, unwrapped.
- The final instance is parsed from the whole text (JSON mode: first `{` to last `}`) and
  validated once; on failure the `pydantic.ValidationError` carries `_raw_text` (and
  `_response` when the stream can rebuild its response), and the stream keeps its state.
- `on_end` callbacks run once: right after the final instance was built (or failed to build),
  or, when the inner stream ended otherwise (`break`, error, close), at its end.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar, cast

from pydantic import ValidationError
from typing_extensions import Self

from ._json_stream import JsonStream, PartialBuilder
from ._partial import partial
from ._response_model import is_base_type, json_object_text, validate_output, wrapper_model
from .stream import BaseStream

__all__ = ["BaseStructuredStream", "JsonFragment"]

_ResponseModelT = TypeVar("_ResponseModelT")

JsonFragment = Callable[[Any, Any], str]
"""Takes a `(chunk, tool)` pair of the inner stream and returns the JSON text it adds."""

_MISSING: Any = object()


def _default_fragment(chunk: Any, tool: Any) -> str:
    """Content, or the argument text of a tool (its `delta`, or the whole call once complete)."""
    if tool is not None:
        delta = getattr(tool, "delta", None)
        if isinstance(delta, str):
            return delta
        tool_call: Any = getattr(tool, "tool_call", None)
        arguments = getattr(getattr(tool_call, "function", None), "arguments", None)
        return arguments if isinstance(arguments, str) else ""
    content = getattr(chunk, "content", "")
    return content if isinstance(content, str) else ""


class BaseStructuredStream(Generic[_ResponseModelT]):
    """Partial response models while a structured output streams in, then the final one.

    Iterate it (`for` or `async for`, matching the call) for partial instances (fields not yet
    received are `None`); the last item is the validated model, also kept in
    `constructed_response_model`. The underlying `GroqStream` is `stream`, with usage, cost
    and `construct_call_response()` once the loop ends.

    Example:
        ```python
        @groq.call("openai/gpt-oss-20b", response_model=Book, stream=True)
        def extract_book(text: str) -> str:
            return f"Extract the book from: {text}"

        book_stream = extract_book("The Name of the Wind by Patrick Rothfuss")
        for partial_book in book_stream:
            print(partial_book)
        print(book_stream.constructed_response_model)
        ```
    """

    stream: BaseStream[Any, Any, Any, Any, Any, Any, Any, Any, Any, Any, Any]
    """The provider stream the JSON text comes from."""
    response_model: type[_ResponseModelT]
    fields_from_call_args: dict[str, Any]
    """Values for the model's `FromCallArgs` fields, taken from the call's arguments."""
    constructed_response_model: _ResponseModelT
    """The final, validated model; set when iteration has produced it."""

    def __init__(
        self,
        *,
        stream: BaseStream[Any, Any, Any, Any, Any, Any, Any, Any, Any, Any, Any],
        response_model: type[_ResponseModelT],
        fields_from_call_args: dict[str, Any],
        json_fragment: JsonFragment | None = None,
        json_mode: bool = True,
    ) -> None:
        """Wrap `stream`.

        `json_fragment` picks the JSON text out of each `(chunk, tool)` pair (default: the
        content, or a tool's argument text); with `json_mode`, text around the object is cut.
        """
        self.stream = stream
        self.response_model = response_model
        self.fields_from_call_args = fields_from_call_args
        self._fragment = json_fragment or _default_fragment
        self._json_mode = json_mode
        self._parts: list[str] = []
        self._parser = JsonStream()
        self._invalid = False
        self._base_type = is_base_type(response_model)
        self._builder = PartialBuilder(partial(wrapper_model(response_model)))

    @property
    def raw_text(self) -> str:
        """The JSON text received so far.

        Example:
            ```python
            for _ in book_stream:
                pass
            book_stream.raw_text  # '{"title": "The Name of the Wind", ...}'
            ```
        """
        parts = self._parts
        if len(parts) > 1:
            parts[:] = ["".join(parts)]
        return parts[0] if parts else ""

    def _partial(self, text: str) -> Any:
        """The next partial value, or `_MISSING` when nothing visible changed."""
        self._parts.append(text)
        parser = self._parser
        if self._invalid or parser.done:
            return _MISSING
        try:
            changed = parser.feed(text)
        except ValueError:
            # Not JSON: no more partials; the final validation reports the error.
            self._invalid = True
            return _MISSING
        if not changed:
            return _MISSING
        built = self._builder.build(parser.root)
        if built is None:
            return _MISSING
        if self._base_type:
            value = getattr(built, "value", None)
            return _MISSING if value is None else value
        if self.fields_from_call_args:
            built = built.model_copy(update=self.fields_from_call_args)
        return built

    def _construct(self) -> _ResponseModelT:
        text = self.raw_text
        if self._json_mode:
            text = json_object_text(text)
        try:
            value = validate_output(self.response_model, text, self.fields_from_call_args)
        except ValidationError as exc:
            setattr(exc, "_raw_text", self.raw_text)  # noqa: B010 - pydantic errors take attrs
            with contextlib.suppress(ValueError, NotImplementedError):
                setattr(exc, "_response", self.stream.construct_call_response())  # noqa: B010
            raise
        self.constructed_response_model = cast(_ResponseModelT, value)
        return self.constructed_response_model

    _end_callbacks: list[Callable[[Any], object]] | None = None

    def on_end(self, callback: Callable[[Self], object]) -> None:
        """Run `callback(self)` once the structured stream has ended.

        That is right after the final model was built (`constructed_response_model`), or, if
        the inner stream ended otherwise (`break`, error, close), then. An async callback is
        awaited by the async iteration or `aclose()`.

        Example:
            ```python
            book_stream.on_end(lambda s: print(s.constructed_response_model))
            ```
        """
        if self._end_callbacks is None:
            self._end_callbacks = []
            self.stream.on_end(self._stream_ended)
        self._end_callbacks.append(cast("Callable[[Any], object]", callback))

    def _stream_ended(self, stream: Any) -> object:
        if stream.end_state in ("finished", "eof_without_finish"):
            return None  # the final model is built next, by the iteration: callbacks run then
        return self._run_end()

    def _run_end(self) -> Awaitable[None] | None:
        callbacks, self._end_callbacks = self._end_callbacks or [], None
        pending: list[Awaitable[object]] = []
        for callback in callbacks:
            result = callback(self)
            if isinstance(result, Awaitable):
                pending.append(cast("Awaitable[object]", result))
        if not pending:
            return None

        async def wait() -> None:
            for awaitable in pending:
                await awaitable

        return wait()

    def close(self) -> None:
        """Close the underlying stream (and its HTTP response). Idempotent.

        Example:
            ```python
            with extract_book("...") as book_stream:
                for partial_book in book_stream:
                    if partial_book.title:
                        break
            ```
        """
        self.stream.close()

    async def aclose(self) -> None:
        """Close the underlying async stream. Idempotent."""
        await self.stream.aclose()

    def sse(self) -> Any:
        """Plain SSE bytes: one `partial` event per partial object, then `finish` and `done`."""
        from . import _web_encode as web

        run = web.aencode if hasattr(self.stream.stream, "__aiter__") else web.encode
        return run(self, web.SSEEncoder())

    def ui_message_stream(self) -> Any:
        """UI message stream bytes: each partial object as a `data-partial` part (one id)."""
        from . import _web_encode as web

        run = web.aencode if hasattr(self.stream.stream, "__aiter__") else web.encode
        return run(self, web.UIMessageStreamEncoder())

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    _iter_decorator: Callable[[Callable[..., Any]], Callable[..., Any]] | None = None
    """Set by `middleware_factory`'s `custom_decorator`: wraps the iteration, as v1 did."""

    def __iter__(self) -> Iterator[_ResponseModelT]:
        """Yield partial models as the JSON arrives, then the validated model."""
        decorate = self._iter_decorator
        if decorate is None:
            return self._models()
        return decorate(type(self)._models)(self)  # v1: `custom_decorator(fn)(__iter__)`

    def _models(self) -> Iterator[_ResponseModelT]:
        fragment = self._fragment
        for chunk, tool in self.stream:
            text = fragment(chunk, tool)
            if text and (value := self._partial(text)) is not _MISSING:
                yield value
        try:
            value = self._construct()
        finally:
            if self._end_callbacks is not None:
                self._run_end()
        yield value

    def __aiter__(self) -> AsyncIterator[_ResponseModelT]:
        """The async twin of `__iter__` (for calls made from `async def` functions)."""
        decorate = self._iter_decorator
        if decorate is None:
            return self._amodels()
        return decorate(type(self)._amodels)(self)

    async def _amodels(self) -> AsyncIterator[_ResponseModelT]:
        fragment = self._fragment
        async for chunk, tool in self.stream:
            text = fragment(chunk, tool)
            if text and (value := self._partial(text)) is not _MISSING:
                yield value
        try:
            value = self._construct()
        finally:
            if self._end_callbacks is not None and (pending := self._run_end()) is not None:
                await pending
        yield value
