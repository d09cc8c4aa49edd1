"""`GroqBatch`: a decorated function run over many inputs through Groq's Batch API (beyond v1).

Contract (GROQ_2026.md §1.4): inputs become JSONL lines `{custom_id, method, url, body}` whose
`body` is exactly the request the sync call would send; files hold at most 50,000 lines and
200 MB, so larger jobs are split into several batches behind one handle whose `id` joins theirs
with commas. Invariants: results come back in input order, matched on `custom_id` (the input's
index), since Groq does not keep order; every input yields a result or a typed
`GroqBulkItemError`; `error_file_id` is read only when it is a string (Groq sends `{}` on success);
`wait()` stops at `completed`, `failed`, `expired` or `cancelled` and raises on a status it does
not know rather than spinning. Batch prices are half the sync price with no cached-token discount
on top: a result's `.cost` is that price (`GroqBatchResponse`), also given by `batch_cost`.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Iterable, Mapping
from contextlib import AbstractAsyncContextManager, AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast, overload

from groq import AsyncGroq, Groq, PermissionDeniedError
from groq.types.chat import ChatCompletion
from pydantic import computed_field

from ..costs._groq_prices import calculate_groq_cost
from ._bulk import MAX_BYTES, MAX_LINES, BoundCall, BulkMethods
from ._client import default_async_client, default_client
from .call_response import GroqCallResponse
from .errors import GroqBatchExpiredError, GroqBatchNotAvailableError, GroqBulkItemError

__all__ = [
    "BatchRequestCounts",
    "GroqBatch",
    "GroqBatchResponse",
    "batch_cost",
    "submit_batch",
    "submit_batch_async",
]

_R_co = TypeVar("_R_co", covariant=True)
_T = TypeVar("_T")

TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
_RUNNING = frozenset({"validating", "in_progress", "finalizing", "cancelling"})
_ENDPOINT = "/v1/chat/completions"


@dataclass(frozen=True)
class BatchRequestCounts:
    """Requests of all the handle's batches: total, completed and failed so far."""

    total: int
    completed: int
    failed: int


def batch_cost(response: GroqCallResponse) -> float | None:
    """A call's USD cost at the batch price: half the sync price, and cached input tokens billed
    at the full input rate first (the batch discount replaces the cache discount, GROQ_2026.md
    §1.6). A batch result's `.cost` is this figure.

    Example:
        ```python
        total = sum(batch_cost(r) or 0 for r in handle.results() if isinstance(r, GroqCallResponse))
        ```
    """
    meta = response.cost_metadata.model_copy(update={"cached_tokens": None})
    full = calculate_groq_cost(meta, response.model)
    return None if full is None else full * 0.5


class GroqBatchResponse(GroqCallResponse):
    """A `GroqCallResponse` that came back from the Batch API: `.cost` is the batch price.

    Example:
        ```python
        for result in handle.results():
            if isinstance(result, GroqBatchResponse):
                print(result.content, result.cost)  # 50% of the sync price
        ```
    """

    @computed_field
    @property
    def cost(self) -> float | None:
        """The cost in USD at the batch price (`batch_cost`), or None for an unpriced model."""
        return batch_cost(self)


def _split(lines: list[bytes], max_lines: int, max_bytes: int) -> list[bytes]:
    parts: list[bytes] = []
    current: list[bytes] = []
    size = 0
    for line in lines:
        if current and (len(current) >= max_lines or size + len(line) + 1 > max_bytes):
            parts.append(b"\n".join(current) + b"\n")
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        parts.append(b"\n".join(current) + b"\n")
    return parts


def _refuse(bound: BoundCall) -> str:
    name = getattr(bound.fn, "__qualname__", repr(bound.fn))
    if bound.spec.stream:
        raise ValueError(
            f"{name} is a stream=True function; the Batch API does not stream. "
            "Decorate a function without stream=True to batch it."
        )
    return name


def _line(index: int, call: Any) -> bytes:
    line = {"custom_id": str(index), "method": "POST", "url": _ENDPOINT, "body": call.call_kwargs}
    return json.dumps(line, separators=(",", ":")).encode()


def _refuse_plan(exc: PermissionDeniedError) -> None:
    if "not_available_for_plan" in str(exc):
        raise GroqBatchNotAvailableError(
            "Groq refused the batch (403 not_available_for_plan): the Batch API needs a "
            "paid plan (Developer tier or above) for this API key's organization."
        ) from exc


def _twin_sync(client: AsyncGroq) -> Groq:
    return Groq(api_key=client.api_key, base_url=str(client.base_url), timeout=client.timeout,
                max_retries=client.max_retries)  # fmt: skip


def _twin_async(client: Groq) -> AsyncGroq:
    return AsyncGroq(api_key=client.api_key, base_url=str(client.base_url),
                     timeout=client.timeout, max_retries=client.max_retries)  # fmt: skip


def submit_batch(
    bound: BoundCall,
    inputs: Iterable[Mapping[str, Any]],
    *,
    completion_window: str = "24h",
    client: Groq | AsyncGroq | None = None,
    metadata: dict[str, str] | None = None,
    max_lines: int = MAX_LINES,
    max_bytes: int = MAX_BYTES,
) -> GroqBatch[Any]:
    """Build, upload and create the batches for `inputs` (what `fn.batch(...)` does)."""
    name = _refuse(bound)
    calls = {index: bound.prepare(args) for index, args in enumerate(inputs)}
    if not calls:
        raise ValueError(f"{name}.batch() was given no inputs.")
    handle: GroqBatch[Any] = GroqBatch([], client=client or bound.spec.client, bound=bound,
                                       calls=calls)  # fmt: skip
    with handle._sync() as sync:
        for k, data in enumerate(_split([_line(i, c) for i, c in calls.items()], max_lines,
                                        max_bytes)):  # fmt: skip
            uploaded = sync.files.create(file=(f"mirascope-{k}.jsonl", data), purpose="batch")
            try:
                created = sync.batches.create(
                    input_file_id=str(uploaded.id), endpoint=_ENDPOINT,
                    completion_window=completion_window, metadata=metadata,
                )  # fmt: skip
            except PermissionDeniedError as exc:
                _refuse_plan(exc)
                raise
            handle.batch_ids.append(created.id)
            handle._info.append(created)
    return handle


async def submit_batch_async(
    bound: BoundCall,
    inputs: Iterable[Mapping[str, Any]],
    *,
    completion_window: str = "24h",
    client: Groq | AsyncGroq | None = None,
    metadata: dict[str, str] | None = None,
    max_lines: int = MAX_LINES,
    max_bytes: int = MAX_BYTES,
) -> GroqBatch[Any]:
    """`submit_batch` on an `AsyncGroq` client (what `await fn.batch_async(...)` does)."""
    name = _refuse(bound)
    calls = {index: await bound.prepare_async(args) for index, args in enumerate(inputs)}
    if not calls:
        raise ValueError(f"{name}.batch_async() was given no inputs.")
    handle: GroqBatch[Any] = GroqBatch([], client=client or bound.spec.client, bound=bound,
                                       calls=calls)  # fmt: skip
    async with handle._async() as aclient:
        for k, data in enumerate(_split([_line(i, c) for i, c in calls.items()], max_lines,
                                        max_bytes)):  # fmt: skip
            uploaded = await aclient.files.create(file=(f"mirascope-{k}.jsonl", data),
                                                  purpose="batch")  # fmt: skip
            try:
                created = await aclient.batches.create(
                    input_file_id=str(uploaded.id), endpoint=_ENDPOINT,
                    completion_window=completion_window, metadata=metadata,
                )  # fmt: skip
            except PermissionDeniedError as exc:
                _refuse_plan(exc)
                raise
            handle.batch_ids.append(created.id)
            handle._info.append(created)
    return handle


class _Poller:
    """`wait`'s loop state: the backoff, the deadline, the progress line."""

    def __init__(self, handle: GroqBatch[Any], poll_interval: float, max_interval: float,
                 timeout: float | None, progress: bool | None) -> None:  # fmt: skip
        self.handle, self.interval, self.max_interval = handle, poll_interval, max_interval
        self.timeout = timeout
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.show = sys.stderr.isatty() if progress is None else progress

    def finished(self) -> bool:
        """After a refresh: True at a terminal state; raises on an unknown one."""
        handle = self.handle
        unknown = [s for s in handle.statuses if s not in TERMINAL | _RUNNING]
        if unknown:
            raise RuntimeError(f"Groq batch reported an unknown status {unknown[0]!r}")
        done = all(s in TERMINAL for s in handle.statuses)
        if self.show:
            c = handle.request_counts
            print(f"\r{handle.status}: {c.completed}/{c.total} done, {c.failed} failed",
                  end="\n" if done else "", file=sys.stderr, flush=True)  # fmt: skip
        return done

    def next_sleep(self) -> float:
        """How long to sleep before the next poll; raises `TimeoutError` past the deadline."""
        interval = self.interval
        if self.deadline is not None and time.monotonic() + interval > self.deadline:
            handle = self.handle
            raise TimeoutError(f"batch {handle.id} still {handle.status} after {self.timeout} s")
        self.interval = min(self.max_interval, interval * 1.5)
        return interval


class GroqBatch(Generic[_R_co]):
    """A handle on one or more Groq batches holding one job's inputs; `_R_co` is what each
    result is when it did not fail (the decorated function's return type).

    Every method that talks to Groq has an `_async` twin (`retrieve_async`, `refresh_async`,
    `wait_async`, `cancel_async`, `results_async`); a handle made with a `Groq` client builds
    a matching `AsyncGroq` for the duration of an async call, and the other way round.

    Example:
        ```python
        handle = recommend_book.batch([{"genre": g} for g in genres])
        saved = handle.id  # resume later: GroqBatch.retrieve(saved, fn=recommend_book)
        handle.wait()      # or: await handle.wait_async()
        for result in handle.results():     # in input order
            print(result if isinstance(result, GroqBulkItemError) else result.content)
        ```
    """

    def __init__(
        self,
        batch_ids: list[str],
        *,
        client: Groq | AsyncGroq | None = None,
        bound: BoundCall | None = None,
        calls: dict[int, Any] | None = None,
    ) -> None:
        self.batch_ids = list(batch_ids)
        """The Groq batch ids behind this handle."""
        self._client = client
        self._bound = bound
        self._calls = calls or {}
        self._info: list[Any] = []

    def __repr__(self) -> str:
        return f"GroqBatch(id={self.id!r})"

    @property
    def id(self) -> str:
        """The handle's id (its batch ids joined with commas), for `GroqBatch.retrieve`."""
        return ",".join(self.batch_ids)

    def _sync(self) -> AbstractContextManager[Groq]:
        client = self._client
        if isinstance(client, AsyncGroq):
            return _twin_sync(client)  # closed when the operation ends
        return nullcontext(client or default_client())

    def _async(self) -> AbstractAsyncContextManager[AsyncGroq]:
        client = self._client
        if isinstance(client, Groq):
            return _twin_async(client)
        return nullcontext(client or default_async_client())

    @overload
    @classmethod
    def retrieve(
        cls, batch_id: str, client: Groq | AsyncGroq | None = None, fn: None = None
    ) -> GroqBatch[GroqBatchResponse]: ...
    @overload
    @classmethod
    def retrieve(
        cls, batch_id: str, client: Groq | AsyncGroq | None = None, *, fn: BulkMethods[_T]
    ) -> GroqBatch[_T]: ...
    @classmethod
    def retrieve(
        cls, batch_id: str, client: Groq | AsyncGroq | None = None, fn: Any = None
    ) -> GroqBatch[Any]:
        """Resume a handle from its `id`; with `fn`, results are parsed as `fn`'s calls would be.

        Example:
            ```python
            handle = GroqBatch.retrieve(saved_id, fn=recommend_book)
            ```
        """
        return cls._resumed(batch_id, client, fn).refresh()

    @overload
    @classmethod
    async def retrieve_async(
        cls, batch_id: str, client: Groq | AsyncGroq | None = None, fn: None = None
    ) -> GroqBatch[GroqBatchResponse]: ...
    @overload
    @classmethod
    async def retrieve_async(
        cls, batch_id: str, client: Groq | AsyncGroq | None = None, *, fn: BulkMethods[_T]
    ) -> GroqBatch[_T]: ...
    @classmethod
    async def retrieve_async(
        cls, batch_id: str, client: Groq | AsyncGroq | None = None, fn: Any = None
    ) -> GroqBatch[Any]:
        """`retrieve`, awaited: `handle = await GroqBatch.retrieve_async(saved_id, fn=fn)`."""
        return await cls._resumed(batch_id, client, fn).refresh_async()

    @classmethod
    def _resumed(cls, batch_id: str, client: Groq | AsyncGroq | None, fn: Any) -> GroqBatch[Any]:
        bound = cast(BoundCall | None, getattr(fn, "_groq_bulk", None)) if fn else None
        if fn is not None and bound is None:
            raise TypeError(f"fn must be a @groq.call function, got {fn!r}")
        return cls([i for i in batch_id.split(",") if i], client=client, bound=bound)

    def refresh(self) -> GroqBatch[_R_co]:
        """Fetch the batches' current state; returns `self`."""
        with self._sync() as client:
            self._info = [client.batches.retrieve(i) for i in self.batch_ids]
        return self

    async def refresh_async(self) -> GroqBatch[_R_co]:
        """`refresh`, awaited (the batches are fetched concurrently)."""
        async with self._async() as client:
            found = await asyncio.gather(*(client.batches.retrieve(i) for i in self.batch_ids))
        self._info = list(found)
        return self

    def _current(self) -> list[Any]:
        return self._info or self.refresh()._info

    @property
    def statuses(self) -> list[str]:
        """Each batch's status, as last fetched."""
        return [str(b.status) for b in self._current()]

    @property
    def status(self) -> str:
        """One status for the handle: a running one while any batch runs, else the worst end."""
        statuses = self.statuses
        running = [s for s in statuses if s not in TERMINAL]
        if running:
            return running[0]
        for end in ("failed", "expired", "cancelled"):
            if end in statuses:
                return end
        return "completed"

    @property
    def request_counts(self) -> BatchRequestCounts:
        """Requests so far, summed over the batches."""
        counts = [b.request_counts for b in self._current() if b.request_counts is not None]
        return BatchRequestCounts(
            sum(c.total for c in counts),
            sum(c.completed for c in counts),
            sum(c.failed for c in counts),
        )

    def wait(
        self,
        *,
        poll_interval: float = 2.0,
        max_interval: float = 60.0,
        timeout: float | None = None,
        progress: bool | None = None,
    ) -> GroqBatch[_R_co]:
        """Poll with backoff until every batch reaches a terminal state; returns `self`.

        Raises `TimeoutError` after `timeout` seconds and `RuntimeError` on a status Groq has not
        documented (rather than polling forever). `progress` (default: stderr is a terminal)
        prints a counter line.
        """
        poller = _Poller(self, poll_interval, max_interval, timeout, progress)
        while not poller.finished():
            time.sleep(poller.next_sleep())
            self.refresh()
        return self

    async def wait_async(
        self,
        *,
        poll_interval: float = 2.0,
        max_interval: float = 60.0,
        timeout: float | None = None,
        progress: bool | None = None,
    ) -> GroqBatch[_R_co]:
        """`wait`, awaited: `await handle.wait_async(poll_interval=1.0)`; cancellable."""
        await self.refresh_async()
        poller = _Poller(self, poll_interval, max_interval, timeout, progress)
        while not poller.finished():
            await asyncio.sleep(poller.next_sleep())
            await self.refresh_async()
        return self

    def cancel(self) -> GroqBatch[_R_co]:
        """Ask Groq to cancel every batch that is still running; returns `self`."""
        with self._sync() as client:
            for b in self._current():
                if b.status not in TERMINAL:
                    client.batches.cancel(b.id)
        return self.refresh()

    async def cancel_async(self) -> GroqBatch[_R_co]:
        """`cancel`, awaited."""
        if not self._info:
            await self.refresh_async()
        async with self._async() as client:
            running = [b.id for b in self._info if b.status not in TERMINAL]
            await asyncio.gather(*(client.batches.cancel(i) for i in running))
        return await self.refresh_async()

    def results(self) -> list[_R_co | GroqBulkItemError]:
        """One result per input, in input order: the call's result or a `GroqBulkItemError`."""
        infos = self._current()
        with self._sync() as client:

            def lines(file_id: object) -> list[dict[str, Any]]:
                if not _is_file(file_id):
                    return []
                return _parse(client.files.content(cast(str, file_id)).text())

            return self._assemble(
                [lines(i.input_file_id) for i in infos] if self._needs_calls() else [],
                [lines(i.output_file_id) + lines(i.error_file_id) for i in infos],
            )

    async def results_async(self) -> list[_R_co | GroqBulkItemError]:
        """`results`, awaited (the files are downloaded concurrently)."""
        if not self._info:
            await self.refresh_async()
        infos = self._info
        async with self._async() as client:

            async def lines(file_id: object) -> list[dict[str, Any]]:
                if not _is_file(file_id):
                    return []
                content = await client.files.content(cast(str, file_id))
                return _parse(await content.text())

            inputs = await asyncio.gather(*(lines(i.input_file_id) for i in infos)) if (
                self._needs_calls()
            ) else []  # fmt: skip
            outs = await asyncio.gather(*(lines(i.output_file_id) for i in infos))
            errs = await asyncio.gather(*(lines(i.error_file_id) for i in infos))
        return self._assemble(list(inputs), [o + e for o, e in zip(outs, errs, strict=True)])

    def _needs_calls(self) -> bool:
        return self._bound is not None and not self._calls

    def _assemble(
        self, inputs: list[list[dict[str, Any]]], outputs: list[list[dict[str, Any]]]
    ) -> list[Any]:
        if self._bound is not None and not self._calls:
            self._calls = _calls_from_inputs(self._bound, inputs)
        found: dict[int, Any] = {}
        for lines in outputs:
            for line in lines:
                index = int(line["custom_id"])
                found[index] = self._result(index, line)
        total = self.request_counts.total
        size = max(total, max(found, default=-1) + 1)
        return [found.get(i) or _missing(i, self.status) for i in range(size)]

    def _result(self, index: int, line: dict[str, Any]) -> Any:
        cid = str(line.get("custom_id"))
        response = cast(dict[str, Any], line.get("response") or {})
        error: Any = line.get("error")
        status = cast(int | None, response.get("status_code"))
        body: Any = response.get("body")
        if error or status != 200 or not isinstance(body, dict):
            err = _error_of(error, body)
            code = cast(str | None, err.get("code"))
            cls = GroqBatchExpiredError if code == "batch_expired" else GroqBulkItemError
            message = str(err.get("message") or f"batch line {cid} failed")
            detail: object = body or error
            return cls(message, index=index, custom_id=cid, status_code=status,
                       code=code, body=detail)  # fmt: skip
        completion = ChatCompletion.model_validate(body)
        call = self._calls.get(index)
        if self._bound is not None and call is not None:
            return self._bound.response_of(
                call, completion, 0.0, 0.0, response_type=GroqBatchResponse
            )
        return GroqBatchResponse(
            metadata={}, response=completion, tool_types=None, prompt_template=None,
            fn_args={}, dynamic_config=cast(Any, {}), messages=[], call_params=cast(Any, {}),
            call_kwargs=cast(Any, {"model": completion.model}), user_message_param=None,
            start_time=0.0, end_time=0.0,
        )  # fmt: skip


def _is_file(file_id: object) -> bool:
    return isinstance(file_id, str) and bool(file_id)  # Groq sends {} when there is none


def _parse(text: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in text.splitlines() if x.strip()]


def _calls_from_inputs(bound: BoundCall, inputs: list[list[dict[str, Any]]]) -> dict[int, Any]:
    # Resumed in a new process: rebuild each call from the body it sent (its input line).
    from ._invoke import _Call  # pyright: ignore[reportPrivateUsage]
    from .tool import convert_tools

    spec = bound.spec
    tool_types = convert_tools(spec.tools) if spec.tools else None
    if spec.extraction is not None:
        tool_types = spec.extraction.prepare([], {}, tool_types, spec.model)
    calls: dict[int, Any] = {}
    for lines in inputs:
        for line in lines:
            body = cast(dict[str, Any], line["body"])
            calls[int(line["custom_id"])] = _Call(
                prompt_template=None, fn_args={}, dynamic_config={},
                messages=list(body.get("messages", [])), tool_types=tool_types,
                call_params=dict(spec.call_params or {}), call_kwargs=body, metadata={},
                client=None,
            )  # fmt: skip
    return calls


def _error_of(error: object, body: object) -> dict[str, Any]:
    if isinstance(error, dict):
        return cast(dict[str, Any], error)
    if isinstance(body, dict):
        inner = cast(dict[str, Any], body).get("error")
        if isinstance(inner, dict):
            return cast(dict[str, Any], inner)
    return {}


def _missing(index: int, status: str) -> GroqBulkItemError:
    return GroqBulkItemError(
        f"input {index} has no result (batch {status})", index=index, custom_id=str(index),
        code="not_run",
    )  # fmt: skip
