"""`fn.batch`, `fn.map`, `fn.map_async`: the bulk modes attached to every decorated function.

Invariant: a bulk item is built by the same `_CallSpec.prepare` as a single call and parsed by the
same `_CallSpec.response_of`, so a batch line's body is exactly the request the call would send.
The heavy modules (`batch`, `_fanout`) are imported only when a bulk mode is used.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["BoundCall", "attach_bulk"]


@dataclass(frozen=True)
class BoundCall:
    """A decorated function's spec and prompt function, for building and parsing bulk items."""

    spec: Any
    """The `_CallSpec` fixed at decoration time."""
    fn: Callable[..., Any]
    original: Callable[..., Any]
    is_async: bool

    def prepare(self, args: Mapping[str, Any]) -> Any:
        """The `_Call` for one input (an async prompt function is run to completion here)."""
        from ._call import _fn_args  # pyright: ignore[reportPrivateUsage]

        fn_args = _fn_args(self.original, (), dict(args))
        returned = self.original(**args)
        if inspect.isawaitable(returned):
            returned = asyncio.run(_awaited(returned))
        return self.spec.prepare(self.fn, fn_args, returned)

    async def prepare_async(self, args: Mapping[str, Any]) -> Any:
        """The `_Call` for one input, awaiting an async prompt function."""
        from ._call import _fn_args  # pyright: ignore[reportPrivateUsage]

        fn_args = _fn_args(self.original, (), dict(args))
        returned = self.original(**args)
        if inspect.isawaitable(returned):
            returned = await returned
        return self.spec.prepare(self.fn, fn_args, returned)


async def _awaited(value: Any) -> Any:
    return await value


def attach_bulk(inner: Any, bound: BoundCall) -> None:
    """Give the decorated function `inner` its `batch`, `map` and `map_async` attributes."""

    def batch(inputs: Iterable[Mapping[str, Any]], **kwargs: Any) -> Any:
        from .batch import submit_batch

        return submit_batch(bound, inputs, **kwargs)

    batch.__doc__ = "Submit `inputs` to Groq's Batch API; returns a `GroqBatch` (see `batch`)."

    def map(inputs: Iterable[Mapping[str, Any]], **kwargs: Any) -> list[Any]:
        from ._fanout import map_sync

        return map_sync(bound, inputs, **kwargs)

    async def map_async(inputs: Iterable[Mapping[str, Any]], **kwargs: Any) -> list[Any]:
        from ._fanout import map_async as run

        return await run(bound, inputs, **kwargs)

    map.__doc__ = "Run the call over `inputs` on this machine; results in input order."
    map_async.__doc__ = "`map`, awaited: `await fn.map_async(inputs, concurrency=32)`."
    inner.batch = batch
    inner.map = map
    inner.map_async = map_async
    inner._groq_bulk = bound
