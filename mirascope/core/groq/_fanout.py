"""`fn.map` / `fn.map_async`: one decorated call over many inputs on one machine (beyond v1).

Invariants: results are in input order, one per input: the call's result (response, response
model or parsed output) or a `GroqBulkItemError`; one failure never loses another. At most
`concurrency` requests are in flight, on one pooled `AsyncGroq` client. The SDK's own retries are
off for these requests (`max_retries=0`) so every 429 reaches the `RateLimiter`, which paces the
rest; a 429'd item is retried after `retry-after`.

Interruption follows Python's rules and keeps what finished: cancelling `map_async`'s task
cancels the requests in flight (the SDK closes their connections), marks the unfinished inputs
`GroqBulkItemError(code="interrupted")` in the `into=` list that holds every result as it
finishes, and re-raises the `CancelledError` (so `asyncio.timeout`, `wait_for` and `TaskGroup`
behave as with any coroutine). Ctrl-C in `map` cancels the run's task the same way, on every
Python (asyncio.Runner does it only from 3.11, and only for its own handler), then raises
`GroqBulkInterrupted`, a `KeyboardInterrupt` carrying the results; a second Ctrl-C stops at once.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from collections.abc import Iterable, Mapping
from types import FrameType
from typing import Any, cast

from groq import APIConnectionError, APIStatusError, AsyncGroq, Groq, RateLimitError

from ._bulk import BoundCall
from ._client import default_async_client
from ._limiter import RateLimiter
from .errors import GroqBulkInterrupted, GroqBulkItemError

__all__ = ["map_async", "map_sync"]


def _client_for(
    bound: BoundCall, client: Groq | AsyncGroq | None, own_loop: bool
) -> tuple[AsyncGroq, bool]:
    """The pooled client (SDK retries off) and whether the run owns it (and so closes it)."""
    given = client or bound.spec.client
    if given is None and own_loop:  # `map`'s loop ends with the run: so must its client
        return AsyncGroq(max_retries=0), True
    if isinstance(given, Groq):  # a sync function's client: same key, URL and timeout
        own = AsyncGroq(api_key=given.api_key, base_url=str(given.base_url),
                        timeout=given.timeout, max_retries=0)  # fmt: skip
        return own, True
    base = given if isinstance(given, AsyncGroq) else default_async_client()
    return base.with_options(max_retries=0), False  # shares (and leaves open) base's pool


class _Progress:
    """A tqdm bar when tqdm is installed, else a plain counter line; both on stderr."""

    def __init__(self, total: int, enabled: bool | None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.total, self.done, self.failed, self.tokens, self.cost = total, 0, 0, 0, 0.0
        self._bar: Any = None
        if self.enabled:
            try:
                from tqdm import tqdm  # pyright: ignore[reportMissingModuleSource]
            except ImportError:
                pass
            else:
                self._bar = tqdm(total=total, file=sys.stderr)

    def update(self, result: object) -> None:
        self.done += 1
        if isinstance(result, GroqBulkItemError):
            self.failed += 1
        if not self.enabled:  # tokens and cost are for the display only (pricing is not free)
            return
        response = getattr(result, "_response", result)
        self.tokens += (getattr(response, "input_tokens", 0) or 0) + (
            getattr(response, "output_tokens", 0) or 0
        )
        self.cost += getattr(response, "cost", 0.0) or 0.0
        text = f"failed={self.failed} tokens={self.tokens} cost=${self.cost:.6f}"
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=False)
            self._bar.update(1)
        else:
            print(f"\r{self.done}/{self.total} done {text}", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self.enabled:
            print(file=sys.stderr)


async def _one(
    bound: BoundCall,
    client: AsyncGroq,
    limiter: RateLimiter,
    index: int,
    args: Mapping[str, Any],
    max_429_retries: int,
) -> Any:
    from ..base.stream import now_ms

    try:
        call = await bound.prepare_async(args)
    except Exception as exc:  # a bad input fails its own item, before any request
        return _item_error(exc, index)
    from ._post import aparse_completion, apost_chat

    attempts = 0
    while True:
        while (wait := limiter.delay()) > 0:
            await asyncio.sleep(wait)
        start = now_ms()
        try:
            raw = await apost_chat(client, call.call_kwargs)
        except RateLimitError as exc:
            limiter.release(exc.response.headers)
            attempts += 1
            if attempts > max_429_retries:
                return _item_error(exc, index)
            continue
        except APIStatusError as exc:
            limiter.release(exc.response.headers)
            return _item_error(exc, index)
        except APIConnectionError as exc:
            limiter.release(None)
            return _item_error(exc, index)
        except BaseException:
            limiter.release(None)
            raise
        completion = await aparse_completion(raw)
        usage = completion.usage
        limiter.release(raw.headers, usage.total_tokens if usage is not None else None)
        try:
            return bound.response_of(call, completion, start, now_ms(), headers=raw.headers)
        except Exception as exc:  # e.g. the response model did not validate
            return _item_error(exc, index)


def _item_error(exc: BaseException, index: int) -> GroqBulkItemError:
    status = exc.status_code if isinstance(exc, APIStatusError) else None
    body: object = exc.body if isinstance(exc, APIStatusError) else None
    code: str | None = None
    if isinstance(body, dict):
        inner = cast(dict[str, Any], body).get("error", body)
        if isinstance(inner, dict):
            found = cast(dict[str, Any], inner).get("code")
            code = found if isinstance(found, str) else None
    error = GroqBulkItemError(f"{type(exc).__name__}: {exc}", index=index, status_code=status,
                              code=code or type(exc).__name__, body=cast(object, body))  # fmt: skip
    error.__cause__ = exc
    return error


async def map_async(
    bound: BoundCall,
    inputs: Iterable[Mapping[str, Any]],
    *,
    concurrency: int = 16,
    client: Groq | AsyncGroq | None = None,
    progress: bool | None = None,
    max_429_retries: int = 5,
    into: list[Any] | None = None,
    _own_loop: bool = False,
) -> list[Any]:
    """Run the call over `inputs` with at most `concurrency` in flight (`fn.map_async`).

    `into`, when given, is cleared and filled in place (one slot per input, `None` until it
    finishes) and returned: it still holds what finished after a cancellation.
    """
    if bound.spec.stream:
        name = getattr(bound.fn, "__qualname__", repr(bound.fn))
        raise ValueError(
            f"{name} is a stream=True function; map runs each call to its end, so decorate a "
            "function without stream=True to map it."
        )
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    items = list(inputs)
    results: list[Any] = into if into is not None else []
    results[:] = [None] * len(items)
    finished = [False] * len(items)
    pool, owned = _client_for(bound, client, _own_loop)
    limiter = RateLimiter()
    bar = _Progress(len(items), progress)
    cursor = iter(range(len(items)))

    async def worker() -> None:
        for i in cursor:
            results[i] = await _one(bound, pool, limiter, i, items[i], max_429_retries)
            finished[i] = True
            bar.update(results[i])

    workers = [asyncio.ensure_future(worker()) for _ in range(min(concurrency, len(items)))]
    try:
        await asyncio.gather(*workers)
    except BaseException:  # cancelled: stop the rest, keep what finished, re-raise
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        for i, done in enumerate(finished):
            if not done:
                results[i] = GroqBulkItemError("interrupted before it finished", index=i,
                                               code="interrupted")  # fmt: skip
        raise
    finally:
        bar.close()
        if owned:
            await pool.close()
    return results


class _CancelOnSigint:
    """While the run lasts, the first Ctrl-C cancels its task instead of raising mid-loop."""

    def __init__(self) -> None:
        self.hit = False
        self._task: asyncio.Task[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: Any = None

    def __enter__(self) -> _CancelOnSigint:
        # Only where Python's own handler is in place (main thread, not replaced by the app).
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    async def run(self, coroutine: Any) -> list[Any]:
        self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
        return await coroutine

    def _on_sigint(self, signum: int, frame: FrameType | None) -> None:
        if self.hit or self._task is None or self._loop is None or self._loop.is_closed():
            raise KeyboardInterrupt  # a second Ctrl-C, or before the run started: stop now
        self.hit = True
        self._loop.call_soon_threadsafe(self._task.cancel)


def map_sync(
    bound: BoundCall,
    inputs: Iterable[Mapping[str, Any]],
    *,
    into: list[Any] | None = None,
    **kwargs: Any,
) -> list[Any]:
    """`fn.map`: `map_async` on its own event loop; Ctrl-C raises `GroqBulkInterrupted`."""
    results: list[Any] = into if into is not None else []
    with _CancelOnSigint() as sigint:
        try:
            run = map_async(bound, inputs, into=results, _own_loop=True, **kwargs)
            return asyncio.run(sigint.run(run))
        except asyncio.CancelledError:
            if not sigint.hit:
                raise
        except KeyboardInterrupt:  # a second Ctrl-C: asyncio.run has cancelled the run
            pass
    raise GroqBulkInterrupted(results) from None
