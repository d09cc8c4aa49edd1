"""`fn.batch`, `fn.batch_async`, `fn.map`, `fn.map_async`: the bulk modes of a decorated function.

Invariant: a bulk item is built by the same `_CallSpec.prepare` as a single call, so a batch
line's body is exactly the request the call would send, and parsed as `_CallSpec.response_of`
parses (a batch result on a `GroqBatchResponse`, whose `.cost` is the batch price).
The heavy modules (`batch`, `_fanout`) are imported only when a bulk mode is used. `GroqCall` and
`AsyncGroqCall` are what the type checker sees for a decorated function: its own parameters
(ParamSpec), its return type, and the bulk methods with results typed from it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from typing_extensions import ParamSpec

if TYPE_CHECKING:
    from groq import AsyncGroq, Groq

    from .batch import GroqBatch
    from .errors import GroqBulkItemError

__all__ = ["AsyncGroqCall", "BoundCall", "BulkMethods", "GroqCall", "attach_bulk"]

_P = ParamSpec("_P")
_R = TypeVar("_R")

MAX_LINES = 50_000  # Groq's limits for one batch input file (GROQ_2026.md §1.4)
MAX_BYTES = 200 * 1024 * 1024


class BulkMethods(Protocol[_R]):
    """The bulk methods of a decorated function; each result is `_R` or a per-item error."""

    def map(
        self,
        inputs: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = 16,
        client: Groq | AsyncGroq | None = None,
        progress: bool | None = None,
        max_429_retries: int = 5,
        into: list[Any] | None = None,
    ) -> list[_R | GroqBulkItemError]:
        """Run the call over `inputs` on this machine; results in input order."""
        ...

    async def map_async(
        self,
        inputs: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = 16,
        client: Groq | AsyncGroq | None = None,
        progress: bool | None = None,
        max_429_retries: int = 5,
        into: list[Any] | None = None,
    ) -> list[_R | GroqBulkItemError]:
        """`map`, awaited: `await fn.map_async(inputs, concurrency=32)`."""
        ...

    def batch(
        self,
        inputs: Iterable[Mapping[str, Any]],
        *,
        completion_window: str = "24h",
        client: Groq | AsyncGroq | None = None,
        metadata: dict[str, str] | None = None,
        max_lines: int = MAX_LINES,
        max_bytes: int = MAX_BYTES,
    ) -> GroqBatch[_R]:
        """Submit `inputs` to Groq's Batch API; returns a `GroqBatch` (see `batch`)."""
        ...

    async def batch_async(
        self,
        inputs: Iterable[Mapping[str, Any]],
        *,
        completion_window: str = "24h",
        client: Groq | AsyncGroq | None = None,
        metadata: dict[str, str] | None = None,
        max_lines: int = MAX_LINES,
        max_bytes: int = MAX_BYTES,
    ) -> GroqBatch[_R]:
        """`batch`, awaited: the uploads and creations go through an `AsyncGroq` client."""
        ...


class GroqCall(BulkMethods[_R], Protocol[_P, _R]):
    """A `def` function under `@groq.call`: call it, or run it over many inputs.

    Example:
        ```python
        response = recommend_book("fantasy")  # GroqCallResponse
        # list[GroqCallResponse | GroqBulkItemError], in input order:
        results = recommend_book.map([{"genre": "horror"}])
        ```
    """

    __name__: str
    __qualname__: str

    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R: ...


class AsyncGroqCall(BulkMethods[_R], Protocol[_P, _R]):
    """An `async def` function under `@groq.call`: await it, or run it over many inputs.

    Example:
        ```python
        response = await recommend_book("fantasy")
        results = await recommend_book.map_async([{"genre": "horror"}], concurrency=32)
        ```
    """

    __name__: str
    __qualname__: str

    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> Coroutine[Any, Any, _R]: ...


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
        from ._invoke import prepare

        return prepare(self.spec, self.fn, fn_args, returned)

    async def prepare_async(self, args: Mapping[str, Any]) -> Any:
        """The `_Call` for one input, awaiting an async prompt function."""
        from ._call import _fn_args  # pyright: ignore[reportPrivateUsage]

        fn_args = _fn_args(self.original, (), dict(args))
        returned = self.original(**args)
        if inspect.isawaitable(returned):
            returned = await returned
        from ._invoke import prepare

        return prepare(self.spec, self.fn, fn_args, returned)

    def response_of(
        self,
        call: Any,
        completion: Any,
        start: float,
        end: float,
        headers: Any = None,
        response_type: Any = None,
    ) -> Any:
        """The result a call returns for `completion` (`_invoke.response_of`); batch results pass
        `response_type=GroqBatchResponse`."""
        from ._invoke import response_of

        return response_of(self.spec, call, completion, start, end, headers, response_type)


async def _awaited(value: Any) -> Any:
    return await value


def attach_bulk(inner: Any, bound: BoundCall) -> None:
    """Give the decorated function `inner` its `batch`, `map` and `map_async` attributes."""

    def batch(inputs: Iterable[Mapping[str, Any]], **kwargs: Any) -> Any:
        from .batch import submit_batch

        return submit_batch(bound, inputs, **kwargs)

    async def batch_async(inputs: Iterable[Mapping[str, Any]], **kwargs: Any) -> Any:
        from .batch import submit_batch_async

        return await submit_batch_async(bound, inputs, **kwargs)

    def map(inputs: Iterable[Mapping[str, Any]], **kwargs: Any) -> list[Any]:
        from ._fanout import map_sync

        return map_sync(bound, inputs, **kwargs)

    async def map_async(inputs: Iterable[Mapping[str, Any]], **kwargs: Any) -> list[Any]:
        from ._fanout import map_async as run

        return await run(bound, inputs, **kwargs)

    # Their keyword arguments and types are `BulkMethods`'s (what the type checker sees).
    batch.__doc__ = "Submit `inputs` to Groq's Batch API; returns a `GroqBatch` (see `batch`)."
    batch_async.__doc__ = "`batch`, awaited: `handle = await fn.batch_async(inputs)`."
    map.__doc__ = "Run the call over `inputs` on this machine; results in input order."
    map_async.__doc__ = "`map`, awaited: `await fn.map_async(inputs, concurrency=32)`."
    inner.batch = batch
    inner.batch_async = batch_async
    inner.map = map
    inner.map_async = map_async
    inner._groq_bulk = bound
