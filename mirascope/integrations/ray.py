"""`ray_udf`: a decorated Groq call as a Ray Data `map_batches` callable class (beyond v1).

Needs the `ray` extra. Each Ray actor builds one pooled `AsyncGroq` client in `__init__` and runs
each batch through the same engine as `fn.map_async` (bounded concurrency, the header-fed rate
limiter, typed per-item errors), so a row's result is what `map` would give. `__call__` is an
async generator, which Ray Data runs on the actor's own event loop (ray-project/ray#46129).
Invariant: one output row per input row, in order; the input columns are kept and these are
added: `content`, `error_type`, `error`, `input_tokens`, `output_tokens`, `cost`. A failed row has
`content=None` and `error_type` set; it never fails the Ray task.

Groq limits are per organization, so on a cluster split the budget across actors: with
`concurrency=N` actors each keeps at most `max_in_flight` requests open.

Example:
    ```python
    import ray

    from mirascope.core import groq
    from mirascope.integrations.ray import ray_udf

    @groq.call("openai/gpt-oss-20b")
    def summarize(text: str) -> str:
        return f"Summarize: {text}"

    ray.init()  # or ray.init(address="ray://head:10001") for an existing cluster
    ds = ray.data.from_items([{"text": t} for t in texts])
    out = ds.map_batches(ray_udf(summarize), concurrency=4, batch_size=64)
    ```
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from groq import AsyncGroq

__all__ = ["ray_udf"]


def _row_of(result: object) -> dict[str, Any]:
    from mirascope.core.groq.errors import GroqBulkItemError

    if isinstance(result, GroqBulkItemError):
        return {"content": None, "error_type": result.code or type(result).__name__,
                "error": result.message, "input_tokens": None, "output_tokens": None,
                "cost": None}  # fmt: skip
    response: Any = getattr(result, "_response", result)
    content: object = getattr(result, "content", None)
    dump: Any = getattr(result, "model_dump_json", None)
    if content is None and callable(dump):
        content = dump()
    return {"content": content if isinstance(content, str) else str(result), "error_type": None,
            "error": None, "input_tokens": getattr(response, "input_tokens", None),
            "output_tokens": getattr(response, "output_tokens", None),
            "cost": getattr(response, "cost", None)}  # fmt: skip


def ray_udf(
    fn: Any,
    *,
    max_in_flight: int = 32,
    client_factory: Callable[[], AsyncGroq] | None = None,
) -> type:
    """A callable class for `ds.map_batches(..., concurrency=N)` running `fn` on each row.

    `client_factory` builds each actor's client (default: `AsyncGroq()`, which reads
    `GROQ_API_KEY` on the worker). Each row's columns are `fn`'s keyword arguments.

    Example:
        ```python
        out = ds.map_batches(ray_udf(summarize, max_in_flight=16), concurrency=4)
        ```
    """
    bound = getattr(fn, "_groq_bulk", None)
    if bound is None:
        raise TypeError(f"ray_udf needs a @groq.call function, got {fn!r}")
    if bound.spec.stream:
        raise ValueError("ray_udf runs each call to its end: decorate without stream=True.")

    class GroqCallUDF:
        """One Ray actor: one pooled client, one rate limiter per batch run."""

        def __init__(self) -> None:
            self._client = client_factory() if client_factory is not None else AsyncGroq()

        async def __call__(self, batch: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
            from mirascope.core.groq._fanout import map_async

            columns = list(batch)
            size = len(batch[columns[0]]) if columns else 0
            rows = [{c: _plain(batch[c][i]) for c in columns} for i in range(size)]
            results = await map_async(
                bound, rows, concurrency=max_in_flight, client=self._client, progress=False
            )
            out: dict[str, list[Any]] = {c: [r[c] for r in rows] for c in columns}
            for name in ("content", "error_type", "error", "input_tokens", "output_tokens", "cost"):
                out[name] = []
            for result in results:
                for key, value in _row_of(result).items():
                    out[key].append(value)
            yield out

    GroqCallUDF.__qualname__ = f"GroqCallUDF[{getattr(fn, '__name__', 'call')}]"
    return GroqCallUDF


def _plain(value: Any) -> Any:
    # numpy scalars -> Python values, so templates and pydantic see plain str/int/float.
    item = getattr(value, "item", None)
    return item() if callable(item) else value
