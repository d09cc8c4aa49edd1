"""`middleware_factory` through the real SDK and the emulator: hooks fire once a stream ends."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from groq_e2e_helpers import MODEL, Flavor
from pydantic import BaseModel

from mirascope.core.groq.errors import GroqStreamError
from mirascope.integrations import middleware_factory


class Log:
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    @contextmanager
    def cm(self, fn: Any) -> Iterator[str]:
        self.events.append(("enter", fn.__name__))
        try:
            yield "ctx"
        except BaseException as e:
            self.events.append(("exit_error", type(e).__name__))
            raise
        self.events.append(("exit", None))

    def hooks(self, is_async: bool) -> dict[str, Any]:
        def rec(name: str) -> Any:
            def hook(result: Any, fn: Any, ctx: Any) -> None:
                assert ctx == "ctx"
                self.events.append((name, getattr(result, "end_state", type(result).__name__)))

            async def ahook(result: Any, fn: Any, ctx: Any) -> None:
                hook(result, fn, ctx)

            return ahook if is_async else hook

        suffix = "_async" if is_async else ""
        names = ["handle_call_response", "handle_stream", "handle_response_model",
                 "handle_structured_stream", "handle_error"]  # fmt: skip
        return {f"{n}{suffix}": rec(n) for n in names}

    def decorator(self, is_async: bool) -> Any:
        return middleware_factory(custom_context_manager=self.cm, **self.hooks(is_async))


def prompt() -> str:
    return "hi"


async def test_call_response_hook(flavor: Flavor) -> None:
    log = Log()
    flavor.emu.enqueue("text", text="Hi")
    fn = log.decorator(flavor.is_async)(flavor.call(prompt, MODEL))
    response = await flavor.invoke(fn)
    assert response.content == "Hi"
    assert log.events == [("enter", "prompt"),
                          ("handle_call_response", "GroqCallResponse"), ("exit", None)]  # fmt: skip


@pytest.mark.parametrize("ending", ["exhausted", "break", "close", "error", "close_unstarted"])
async def test_stream_hook_fires_once_at_the_end(flavor: Flavor, ending: str) -> None:
    log = Log()
    if ending == "error":
        flavor.emu.enqueue("error_event", text="partial")
    else:
        flavor.emu.enqueue("text", text="Hello there friend", chunk_size=3)
    fn = log.decorator(flavor.is_async)(flavor.call(prompt, MODEL, stream=True))
    stream = await flavor.invoke(fn)
    assert [e[0] for e in log.events] == ["enter"]
    if ending == "exhausted":
        await flavor.drain(stream)
    elif ending == "close_unstarted":  # closed before its first next(): no request was sent
        await flavor.close_stream(stream)
    elif ending == "error":
        with pytest.raises(GroqStreamError):
            await flavor.drain(stream)
    else:
        it, _ = await flavor.first_pair(stream)
        assert [e[0] for e in log.events] == ["enter"]
        if ending == "close":
            await flavor.close_stream(stream)
        elif flavor.is_async:
            await it.aclose()  # what `async for ... break` then `async with` exit does
        else:
            it.close()  # what `break` does
    expected = {"exhausted": "finished", "break": "closed_early", "close": "closed_early",
                "close_unstarted": "closed_early"}  # fmt: skip
    if ending == "error":
        assert log.events[1:] == [("handle_error", "GroqStreamError"), ("handle_stream", "error"),
                                  ("exit", None)]  # fmt: skip
    else:
        assert log.events[1:] == [("handle_stream", expected[ending]), ("exit", None)]
    n = len(log.events)
    await flavor.close_stream(stream)
    assert len(log.events) == n  # exactly once


class Book(BaseModel):
    title: str


async def test_response_model_hook(flavor: Flavor) -> None:
    log = Log()
    flavor.emu.enqueue("tool_calls", calls=[("Book", '{"title": "Dune"}')])
    fn = log.decorator(flavor.is_async)(flavor.call(prompt, MODEL, response_model=Book))
    book = await flavor.invoke(fn)
    assert book.title == "Dune"
    assert log.events[1:] == [("handle_response_model", "Book"), ("exit", None)]


async def test_error_hook_result_replaces_the_call(flavor: Flavor) -> None:
    flavor.emu.enqueue("http_error", status=400)
    seen: list[Exception] = []

    def on_error(e: Exception, fn: Any, ctx: Any) -> str:
        seen.append(e)
        return "fallback"

    async def on_error_async(e: Exception, fn: Any, ctx: Any) -> str:
        return on_error(e, fn, ctx)

    deco = middleware_factory(handle_error=on_error, handle_error_async=on_error_async)
    assert await flavor.invoke(deco(flavor.call(prompt, MODEL))) == "fallback"
    assert len(seen) == 1


def test_tenacity_path_warns_like_v1() -> None:
    import importlib
    import sys

    sys.modules.pop("mirascope.integrations.tenacity", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mod = importlib.import_module("mirascope.integrations.tenacity")
    assert "deprecated" in str(caught[0].message)
    from mirascope.retries.tenacity import collect_errors

    assert mod.collect_errors is collect_errors


async def test_structured_stream_hook_fires_at_the_end(flavor: Flavor) -> None:
    log = Log()
    flavor.emu.enqueue("tool_calls", calls=[("Book", '{"title": "Dune"}')])
    fn = log.decorator(flavor.is_async)(
        flavor.call(prompt, MODEL, response_model=Book, stream=True)
    )
    structured = await flavor.invoke(fn)
    assert [e[0] for e in log.events] == ["enter"]
    partials = await flavor.drain(structured)
    assert partials[-1].title == "Dune"
    assert log.events[1:] == [("handle_structured_stream", "BaseStructuredStream"), ("exit", None)]


def following_decorator(seen: list[Any]) -> Any:
    """A `custom_decorator` like langfuse's `observe`: follows a returned generator to its end."""

    def custom_decorator(fn: Any) -> Any:
        def deco(f: Any) -> Any:
            def wrapped(*args: Any, **kwargs: Any) -> Any:
                out = f(*args, **kwargs)
                seen.append(("decorated", fn.__name__, type(args[0]).__name__ if args else None))
                if inspect.isasyncgen(out):

                    async def follow_async() -> Any:
                        try:
                            async for item in out:
                                yield item
                        finally:
                            seen.append(("followed_to_end", fn.__name__, None))

                    return follow_async()
                if inspect.isgenerator(out):

                    def follow() -> Any:
                        try:
                            yield from out
                        finally:
                            seen.append(("followed_to_end", fn.__name__, None))

                    return follow()
                return out

            return wrapped

        return deco

    return custom_decorator


@pytest.mark.parametrize("ending", ["exhausted", "break"])
async def test_custom_decorator_wraps_the_call_and_the_stream_iteration(
    flavor: Flavor, ending: str
) -> None:
    seen: list[Any] = []

    def on_stream(stream: Any, fn: Any, ctx: Any) -> None:
        seen.append(("handle_stream", stream.end_state, stream.content))

    async def on_stream_async(stream: Any, fn: Any, ctx: Any) -> None:
        on_stream(stream, fn, ctx)

    flavor.emu.enqueue("text", text="Hello there friend", chunk_size=3)
    deco = middleware_factory(
        custom_decorator=following_decorator(seen),
        handle_stream=on_stream,
        handle_stream_async=on_stream_async,
    )
    stream = await flavor.invoke(deco(flavor.call(prompt, MODEL, stream=True)))
    assert seen == [("decorated", "prompt", None)]  # the call itself (no positional args)
    if ending == "exhausted":
        pairs = await flavor.drain(stream)
        assert "".join(c.content for c, _ in pairs) == "Hello there friend"
        assert seen[1:] == [
            ("decorated", "prompt", "GroqStream"),  # v1: `custom_decorator(fn)(__iter__)`
            ("handle_stream", "finished", "Hello there friend"),
            ("followed_to_end", "prompt", None),
        ]
    else:
        it, _ = await flavor.first_pair(stream)
        if flavor.is_async:
            await it.aclose()
        else:
            it.close()
        assert seen[1] == ("decorated", "prompt", "GroqStream")
        # An async generator left early is closed by the event loop's finalizer, soon after.
        assert await flavor.wait_for(lambda: len(seen) == 4)
        assert ("handle_stream", "closed_early", stream.content) in seen[2:]
        assert ("followed_to_end", "prompt", None) in seen[2:]


async def test_custom_decorator_wraps_structured_stream_iteration(flavor: Flavor) -> None:
    seen: list[Any] = []
    flavor.emu.enqueue("tool_calls", calls=[("Book", '{"title": "Dune"}')])
    deco = middleware_factory(custom_decorator=following_decorator(seen))
    fn = deco(flavor.call(prompt, MODEL, response_model=Book, stream=True))
    structured = await flavor.invoke(fn)
    partials = await flavor.drain(structured)
    assert partials[-1].title == "Dune"
    assert seen == [("decorated", "prompt", None),
                    ("decorated", "prompt", "BaseStructuredStream"),  # v1: its `__iter__`
                    ("followed_to_end", "prompt", None)]  # fmt: skip


async def test_custom_decorator_wraps_a_plain_call_once(flavor: Flavor) -> None:
    seen: list[Any] = []
    flavor.emu.enqueue("text", text="Hi")
    deco = middleware_factory(custom_decorator=following_decorator(seen))
    response = await flavor.invoke(deco(flavor.call(prompt, MODEL)))
    assert response.content == "Hi"
    assert seen == [("decorated", "prompt", None)]


async def test_hooks_see_llm_call_results(flavor: Flavor) -> None:
    """`llm.call` results wrap rather than subclass: the hooks still fire, with the llm object."""
    from mirascope import llm

    log = Log()
    flavor.emu.enqueue("text", text="Hi").enqueue("text", text="Hello there", chunk_size=4)
    body = flavor.fn(prompt)
    call = llm.call(provider="groq", model=MODEL, client=flavor.default_client)
    response = await flavor.invoke(log.decorator(flavor.is_async)(call(body)))
    assert isinstance(response, llm.CallResponse)
    assert log.events[1:] == [("handle_call_response", "CallResponse"), ("exit", None)]
    log.events.clear()
    streamed = llm.call(provider="groq", model=MODEL, stream=True, client=flavor.default_client)
    stream = await flavor.invoke(log.decorator(flavor.is_async)(streamed(body)))
    assert isinstance(stream, llm.Stream) and log.events == [("enter", "prompt")]
    pairs = await flavor.drain(stream)
    assert "".join(c.content for c, _ in pairs) == "Hello there"
    assert log.events[1:] == [("handle_stream", "finished"), ("exit", None)]


@pytest.mark.parametrize("ending", ["exhausted", "close"])
async def test_structured_stream_hook_sees_the_final_model(flavor: Flavor, ending: str) -> None:
    seen: list[Any] = []

    def hook(structured: Any, fn: Any, ctx: Any) -> None:
        seen.append((structured.stream.end_state,
                     getattr(structured, "constructed_response_model", None)))  # fmt: skip

    async def hook_async(structured: Any, fn: Any, ctx: Any) -> None:
        hook(structured, fn, ctx)

    flavor.emu.enqueue("tool_calls", calls=[("Book", '{"title": "Dune"}')])
    deco = middleware_factory(handle_structured_stream=hook,
                              handle_structured_stream_async=hook_async)  # fmt: skip
    structured = await flavor.invoke(deco(flavor.call(prompt, MODEL, response_model=Book,
                                                      stream=True)))  # fmt: skip
    if ending == "exhausted":
        await flavor.drain(structured)
        assert seen == [("finished", Book(title="Dune"))]  # v1: after the model is built
    else:
        await flavor.close_stream(structured)
        assert seen == [("closed_early", None)]
