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

import json
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast, overload

from groq import Groq, PermissionDeniedError
from groq.types.chat import ChatCompletion
from pydantic import computed_field

from ..costs._groq_prices import calculate_groq_cost
from ._bulk import MAX_BYTES, MAX_LINES, BoundCall, BulkMethods
from ._client import default_client
from .call_response import GroqCallResponse
from .errors import GroqBatchExpiredError, GroqBatchNotAvailableError, GroqBulkItemError

__all__ = ["BatchRequestCounts", "GroqBatch", "GroqBatchResponse", "batch_cost", "submit_batch"]

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


def submit_batch(
    bound: BoundCall,
    inputs: Iterable[Mapping[str, Any]],
    *,
    completion_window: str = "24h",
    client: Groq | None = None,
    metadata: dict[str, str] | None = None,
    max_lines: int = MAX_LINES,
    max_bytes: int = MAX_BYTES,
) -> GroqBatch[Any]:
    """Build, upload and create the batches for `inputs` (what `fn.batch(...)` does)."""
    spec = bound.spec
    name = getattr(bound.fn, "__qualname__", repr(bound.fn))
    if spec.stream:
        raise ValueError(
            f"{name} is a stream=True function; the Batch API does not stream. "
            "Decorate a function without stream=True to batch it."
        )
    if client is None:
        client = spec.client if isinstance(spec.client, Groq) else default_client()
    calls: dict[int, Any] = {}
    lines: list[bytes] = []
    for index, args in enumerate(inputs):
        call = bound.prepare(args)
        calls[index] = call
        line = {"custom_id": str(index), "method": "POST", "url": _ENDPOINT,
                "body": call.call_kwargs}  # fmt: skip
        lines.append(json.dumps(line, separators=(",", ":")).encode())
    if not lines:
        raise ValueError(f"{name}.batch() was given no inputs.")
    ids: list[str] = []
    for k, data in enumerate(_split(lines, max_lines, max_bytes)):
        uploaded = client.files.create(file=(f"mirascope-{k}.jsonl", data), purpose="batch")
        try:
            created = client.batches.create(
                input_file_id=str(uploaded.id), endpoint=_ENDPOINT,
                completion_window=completion_window, metadata=metadata,
            )  # fmt: skip
        except PermissionDeniedError as exc:
            if "not_available_for_plan" in str(exc):
                raise GroqBatchNotAvailableError(
                    "Groq refused the batch (403 not_available_for_plan): the Batch API needs a "
                    "paid plan (Developer tier or above) for this API key's organization."
                ) from exc
            raise
        ids.append(created.id)
    return GroqBatch(ids, client=client, bound=bound, calls=calls)


class GroqBatch(Generic[_R_co]):
    """A handle on one or more Groq batches holding one job's inputs; `_R_co` is what each
    result is when it did not fail (the decorated function's return type).

    Example:
        ```python
        handle = recommend_book.batch([{"genre": g} for g in genres])
        saved = handle.id  # resume later: GroqBatch.retrieve(saved, fn=recommend_book)
        handle.wait()
        for result in handle.results():     # in input order
            print(result if isinstance(result, GroqBulkItemError) else result.content)
        ```
    """

    def __init__(
        self,
        batch_ids: list[str],
        *,
        client: Groq,
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

    @overload
    @classmethod
    def retrieve(
        cls, batch_id: str, client: Groq | None = None, fn: None = None
    ) -> GroqBatch[GroqBatchResponse]: ...
    @overload
    @classmethod
    def retrieve(
        cls, batch_id: str, client: Groq | None = None, *, fn: BulkMethods[_T]
    ) -> GroqBatch[_T]: ...
    @classmethod
    def retrieve(cls, batch_id: str, client: Groq | None = None, fn: Any = None) -> GroqBatch[Any]:
        """Resume a handle from its `id`; with `fn`, results are parsed as `fn`'s calls would be.

        Example:
            ```python
            handle = GroqBatch.retrieve(saved_id, fn=recommend_book)
            ```
        """
        bound = cast(BoundCall | None, getattr(fn, "_groq_bulk", None)) if fn else None
        if fn is not None and bound is None:
            raise TypeError(f"fn must be a @groq.call function, got {fn!r}")
        handle = cls([i for i in batch_id.split(",") if i], client=client or default_client(),
                     bound=bound)  # fmt: skip
        handle.refresh()
        return handle

    def refresh(self) -> GroqBatch[_R_co]:
        """Fetch the batches' current state; returns `self`."""
        self._info = [self._client.batches.retrieve(i) for i in self.batch_ids]
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
        show = sys.stderr.isatty() if progress is None else progress
        deadline = None if timeout is None else time.monotonic() + timeout
        interval = poll_interval
        while True:
            self.refresh()
            unknown = [s for s in self.statuses if s not in TERMINAL | _RUNNING]
            if unknown:
                raise RuntimeError(f"Groq batch reported an unknown status {unknown[0]!r}")
            if show:
                c = self.request_counts
                print(f"\r{self.status}: {c.completed}/{c.total} done, {c.failed} failed",
                      end="", file=sys.stderr, flush=True)  # fmt: skip
            if all(s in TERMINAL for s in self.statuses):
                if show:
                    print(file=sys.stderr)
                return self
            if deadline is not None and time.monotonic() + interval > deadline:
                raise TimeoutError(f"batch {self.id} still {self.status} after {timeout} s")
            time.sleep(interval)
            interval = min(max_interval, interval * 1.5)

    def cancel(self) -> GroqBatch[_R_co]:
        """Ask Groq to cancel every batch that is still running; returns `self`."""
        for b in self._current():
            if b.status not in TERMINAL:
                self._client.batches.cancel(b.id)
        return self.refresh()

    def _lines(self, file_id: object) -> list[dict[str, Any]]:
        if not isinstance(file_id, str) or not file_id:  # Groq sends {} when there is none
            return []
        text = self._client.files.content(file_id).text()
        return [json.loads(x) for x in text.splitlines() if x.strip()]

    def results(self) -> list[_R_co | GroqBulkItemError]:
        """One result per input, in input order: the call's result or a `GroqBulkItemError`."""
        found: dict[int, Any] = {}
        if self._bound is not None and not self._calls:
            self._calls = self._calls_from_inputs(self._bound)
        for info in self._current():
            for line in self._lines(info.output_file_id) + self._lines(info.error_file_id):
                index = int(line["custom_id"])
                found[index] = self._result(index, line)
        total = self.request_counts.total
        size = max(total, max(found, default=-1) + 1)
        return [found.get(i) or _missing(i, self.status) for i in range(size)]

    def _calls_from_inputs(self, bound: BoundCall) -> dict[int, Any]:
        # Resumed in a new process: rebuild each call from the body it sent (its input line).
        from ._call import _Call  # pyright: ignore[reportPrivateUsage]
        from .tool import convert_tools

        spec = bound.spec
        tool_types = convert_tools(spec.tools) if spec.tools else None
        if spec.extraction is not None:
            tool_types = spec.extraction.prepare([], {}, tool_types, spec.model)
        calls: dict[int, Any] = {}
        for info in self._current():
            for line in self._lines(info.input_file_id):
                body = cast(dict[str, Any], line["body"])
                calls[int(line["custom_id"])] = _Call(
                    prompt_template=None, fn_args={}, dynamic_config={},
                    messages=list(body.get("messages", [])), tool_types=tool_types,
                    call_params=dict(spec.call_params or {}), call_kwargs=body, metadata={},
                    client=None,
                )  # fmt: skip
        return calls

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
            return _response_of(self._bound.spec, call, completion)
        return GroqBatchResponse(
            metadata={}, response=completion, tool_types=None, prompt_template=None,
            fn_args={}, dynamic_config=cast(Any, {}), messages=[], call_params=cast(Any, {}),
            call_kwargs=cast(Any, {"model": completion.model}), user_message_param=None,
            start_time=0.0, end_time=0.0,
        )  # fmt: skip


def _response_of(spec: Any, call: Any, completion: ChatCompletion) -> Any:
    # `_CallSpec.response_of`, on a `GroqBatchResponse` so that `.cost` is the batch price.
    from .stream import GroqStream

    response = GroqBatchResponse(
        metadata=call.metadata, response=completion, tool_types=call.tool_types,
        prompt_template=call.prompt_template, fn_args=call.fn_args,
        dynamic_config=call.dynamic_config, messages=call.messages,
        call_params=call.call_params, call_kwargs=call.call_kwargs,
        user_message_param=GroqStream._user_message_param_of(call.messages),  # pyright: ignore[reportPrivateUsage]
        start_time=0.0, end_time=0.0,
    )  # fmt: skip
    result: Any = response
    if spec.extraction is not None:
        result = spec.extraction.extract(response)
        if result is response:  # response_model + tools: a tool was called
            return response
    return spec.output_parser(result) if spec.output_parser else result


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
