"""`GroqEmulator`: the public handle that starts, scripts, inspects and stops the server.

The server runs an asyncio loop in one daemon thread; the test thread talks to it through `State`
(under its lock) and `run_coroutine_threadsafe`. Start and stop take milliseconds, and `stop()`
aborts every connection, so a stalled stream can never keep it alive.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._app import State, handle
from ._catalog import RETIRED_MODEL_IDS, ModelInfo
from ._http import Connection
from ._records import ConnectionRecord, RecordedRequest, StreamRecord
from ._script import ScriptEntry, coerce_entry

if TYPE_CHECKING:
    import groq

__all__ = ["GroqEmulator"]

DUMMY_API_KEY = "gsk_emulator_dummy_key"
"""The key `client()` and `async_client()` use; the emulator only checks that one is present.

Example:
    ```python
    client = groq.Groq(base_url=emu.base_url, api_key=DUMMY_API_KEY)
    ```
"""


class GroqEmulator:
    """A Groq-compatible HTTP/1.1 server on 127.0.0.1 for offline tests.

    Responses come from a FIFO script (one entry per chat-completions request), a per-request
    `x-emulator-scenario` header, or a deterministic default answer. Every request is recorded
    with its API key redacted.

    Example:
        ```python
        with GroqEmulator() as emu:
            emu.enqueue("text", text="Hello there!")
            client = emu.client()
            reply = client.chat.completions.create(
                model="openai/gpt-oss-20b", messages=[{"role": "user", "content": "Hi"}]
            )
            assert reply.choices[0].message.content == "Hello there!"
            client.close()
        ```
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        models: Iterable[str | ModelInfo] = (),
        decommissioned: Iterable[str] = (),
        max_body_bytes: int = 20 * 1024 * 1024,
        accept_retired_models: bool = False,
    ) -> None:
        """Configure (but do not start) an emulator.

        Args:
            host: Interface to bind; keep the default 127.0.0.1 for tests.
            port: TCP port; 0 picks a free ephemeral port.
            models: Extra model ids (or `ModelInfo`s) to accept besides the built-in catalog.
            decommissioned: Ids that answer 400 `model_decommissioned` (§4.2 row 7).
            max_body_bytes: Larger request bodies get 413 `request_too_large`.
            accept_retired_models: Serve the ids Groq retired (`RETIRED_MODEL_IDS`, e.g.
                `llama-3.1-8b-instant`) instead of answering 400 `model_decommissioned`.

        Example:
            ```python
            emu = GroqEmulator(models=["my-finetune"], decommissioned=["llama3-8b-8192"])
            ```
        """
        self._host = host
        self._port = port
        self._extra = [m if isinstance(m, ModelInfo) else ModelInfo(m) for m in models]
        retired: frozenset[str] = frozenset() if accept_retired_models else RETIRED_MODEL_IDS
        self._decommissioned = set(decommissioned) | retired
        self._state = State(max_body_bytes=max_body_bytes)
        self._state.configure(self._extra, self._decommissioned)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> GroqEmulator:
        """Bind and start serving in a background thread; returns `self`.

        Example:
            ```python
            emu = GroqEmulator().start()
            try:
                print(emu.base_url)
            finally:
                emu.stop()
            ```
        """
        if self._loop is not None:
            raise RuntimeError("GroqEmulator is already running; call stop() first.")
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="groq-emulator", daemon=True)
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(self._listen(), loop).result(10)
        return self

    async def _listen(self) -> asyncio.Server:
        state = self._state

        def factory() -> Connection:
            return Connection(
                lambda conn, req: handle(state, conn, req),
                state.open,
                state.close,
                state.max_body_bytes,
            )

        loop = asyncio.get_running_loop()
        return await loop.create_server(factory, self._host, self._port, backlog=1024)

    def stop(self) -> None:
        """Close every connection and the listening socket, then end the thread. Idempotent.

        Example:
            ```python
            emu.stop()
            emu.stop()  # no-op
            ```
        """
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            loop.close()
            self._loop = self._thread = self._server = None

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        tasks = self._drop_connections()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        if self._server is not None:
            await self._server.wait_closed()

    def _drop_connections(self) -> list[asyncio.Task[None]]:
        with self._state.lock:
            conns = list(self._state.live)
        tasks: list[asyncio.Task[None]] = []
        for conn in conns:
            conn.abort()
            if conn.task is not None and not conn.task.done():
                conn.task.cancel()
                tasks.append(conn.task)
        return tasks

    def __enter__(self) -> GroqEmulator:
        """Start on entering a `with` block."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop on leaving the `with` block."""
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the server is serving.

        Example:
            ```python
            assert GroqEmulator().start().running
            ```
        """
        return self._server is not None

    @property
    def port(self) -> int:
        """The bound TCP port (raises if not started).

        Example:
            ```python
            assert emu.port > 0
            ```
        """
        if self._server is None:
            raise RuntimeError("GroqEmulator is not running; call start() or use `with`.")
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`, the value for `Groq(base_url=...)` or `GROQ_BASE_URL`.

        Example:
            ```python
            client = groq.Groq(base_url=emu.base_url, api_key="anything")
            ```
        """
        return f"http://{self._host}:{self.port}"

    # -- clients ---------------------------------------------------------------------------------

    def client(self, **kwargs: Any) -> groq.Groq:
        """A `groq.Groq` pointed at the emulator (dummy key, `max_retries=0` unless given).

        Example:
            ```python
            with emu.client(max_retries=2) as client:
                client.models.list()
            ```
        """
        import groq

        kwargs.setdefault("api_key", DUMMY_API_KEY)
        kwargs.setdefault("max_retries", 0)
        return groq.Groq(base_url=self.base_url, **kwargs)

    def async_client(self, **kwargs: Any) -> groq.AsyncGroq:
        """A `groq.AsyncGroq` pointed at the emulator (dummy key, `max_retries=0` unless given).

        Example:
            ```python
            client = emu.async_client()
            await client.chat.completions.create(model="openai/gpt-oss-20b", messages=msgs)
            await client.close()
            ```
        """
        import groq

        kwargs.setdefault("api_key", DUMMY_API_KEY)
        kwargs.setdefault("max_retries", 0)
        return groq.AsyncGroq(base_url=self.base_url, **kwargs)

    # -- scripting -------------------------------------------------------------------------------

    def enqueue(self, scenario: str = "text", /, **params: object) -> GroqEmulator:
        """Queue one response for the next chat-completions request; returns `self` for chaining.

        Raises `ValueError` at once for an unknown scenario or knob. See docs/emulator.md for
        every scenario and knob.

        Example:
            ```python
            emu.enqueue("tool_calls", calls=[("get_weather", '{"city":"Paris"}')], style="whole")
            emu.enqueue("text", text="Hello there!", usage_mode="x_groq_only", delay=0.01)
            ```
        """
        return self._push([ScriptEntry.make(scenario, dict(params))])

    def enqueue_chunks(
        self, chunks: Sequence[Mapping[str, object]], *, done: bool = True, **params: object
    ) -> GroqEmulator:
        """Queue a stream of literal chunk dicts; missing envelope keys are filled in.

        The envelope is `id`, `object`, `created`, `model`, `system_fingerprint`. For a
        `stream: false` request the chunks are folded into one `chat.completion` (choice 0).

        Example:
            ```python
            emu.enqueue_chunks([
                {"choices": [{"index": 0, "delta": {"content": "A"}, "finish_reason": None}]},
                {"choices": [{"index": 1, "delta": {"content": "B"}, "finish_reason": None}]},
            ])
            ```
        """
        entry = {"chunks": [dict(c) for c in chunks], "done": done, **params}
        return self._push([ScriptEntry.make("chunks", entry)])

    def enqueue_raw(
        self, data: bytes | str | Sequence[bytes | str], *, terminate: bool = True, **params: object
    ) -> GroqEmulator:
        """Queue raw bytes, one HTTP chunk per item, as a 200 `text/event-stream` body.

        `terminate=False` closes the socket without the chunked terminator (a drop).

        Example:
            ```python
            emu.enqueue_raw([b"data: {not json}\\n\\n"])
            ```
        """
        items: list[object] = [data] if isinstance(data, (bytes, str)) else list(data)
        return self._push(
            [ScriptEntry.make("raw", {"data": items, "terminate": terminate, **params})]
        )

    def enqueue_error(
        self,
        status: int,
        *,
        message: str | None = None,
        type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        body: object = None,
        retry_after: str | float | datetime | None = "auto",
        retry_after_ms: float | None = None,
        should_retry: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> GroqEmulator:
        """Queue an HTTP error with a §4.2 JSON body (defaults per status), even for streams.

        Args:
            status: HTTP status, e.g. 400, 401, 413, 429, 498, 500, 503.
            message: Overrides the default `error.message`.
            type: Overrides `error.type`.
            code: Overrides `error.code` (e.g. `tool_use_failed`).
            param: Sets `error.param`.
            body: Replaces the whole body (dict, str or bytes).
            retry_after: `retry-after` header: seconds or an HTTP date (a `datetime`). `"auto"`
                sends `0.1` on 429 (fast SDK retries) and nothing otherwise; `None` sends nothing.
            retry_after_ms: `retry-after-ms` header.
            should_retry: `x-should-retry: true|false`, which overrides the SDK's retry rules.
            headers: Extra response headers.

        Example:
            ```python
            emu.enqueue_error(429, retry_after="0").enqueue_error(503).enqueue("text")
            ```
        """
        given = {
            "message": message, "type": type, "code": code, "param": param, "body": body,
            "retry_after_ms": retry_after_ms, "should_retry": should_retry,
            "headers": dict(headers) if headers else None,
        }  # fmt: skip
        params: dict[str, object] = {k: v for k, v in given.items() if v is not None}
        params.update(status=status, retry_after=retry_after)
        return self._push([ScriptEntry.make("http_error", params)])

    def script(self, entries: Iterable[object]) -> GroqEmulator:
        """Queue several entries at once: names, statuses, `(name, params)` pairs or dicts.

        Example:
            ```python
            emu.script([429, 429, "text"])  # Groq(max_retries=2) recovers on the third try
            emu.script([("json", {"obj": {"ok": True}}), {"scenario": "drop", "after": 1}])
            ```
        """
        return self._push([coerce_entry(e) for e in entries])

    def _push(self, entries: list[ScriptEntry]) -> GroqEmulator:
        with self._state.lock:
            self._state.queue.extend(entries)
        return self

    @property
    def pending(self) -> list[ScriptEntry]:
        """Entries still queued, in order.

        Example:
            ```python
            assert emu.pending == []  # the script was fully consumed
            ```
        """
        with self._state.lock:
            return list(self._state.queue)

    def add_model(self, model: str | ModelInfo, **info: Any) -> GroqEmulator:
        """Make a model id known (accepted by chat completions and listed by `/models`).

        Example:
            ```python
            emu.add_model("my-org/tiny", context_window=32)
            ```
        """
        model_info = model if isinstance(model, ModelInfo) else ModelInfo(model, **info)
        with self._state.lock:
            self._state.models[model_info.id] = model_info
        return self

    def decommission(self, *model_ids: str) -> GroqEmulator:
        """Make model ids answer 400 `model_decommissioned` (§4.2 row 7).

        Example:
            ```python
            emu.decommission("llama-3.1-8b-instant")
            ```
        """
        with self._state.lock:
            self._state.decommissioned.update(model_ids)
        return self

    @property
    def models(self) -> list[ModelInfo]:
        """The catalog: built-in models plus those added.

        Example:
            ```python
            assert "openai/gpt-oss-120b" in {m.id for m in emu.models}
            ```
        """
        with self._state.lock:
            return list(self._state.models.values())

    # -- recordings ------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every API request received since start/reset (credentials redacted).

        Example:
            ```python
            assert emu.requests[-1].body["stream"] is True
            ```
        """
        with self._state.lock:
            return list(self._state.requests)

    @property
    def streams(self) -> list[StreamRecord]:
        """One record per streamed response since start/reset.

        Example:
            ```python
            assert emu.streams[-1].completed
            ```
        """
        with self._state.lock:
            return list(self._state.streams)

    @property
    def connections(self) -> list[ConnectionRecord]:
        """Every TCP connection accepted since start/reset.

        Example:
            ```python
            assert [c.requests for c in emu.connections] == [2]  # keep-alive reuse
            ```
        """
        with self._state.lock:
            return list(self._state.connections)

    @property
    def connections_opened(self) -> int:
        """How many TCP connections were accepted since start/reset.

        Example:
            ```python
            assert emu.connections_opened == 1
            ```
        """
        with self._state.lock:
            return len(self._state.connections)

    @property
    def open_connections(self) -> int:
        """How many TCP connections are open right now.

        Example:
            ```python
            assert emu.wait_for(lambda: emu.open_connections == 0)
            ```
        """
        with self._state.lock:
            return len(self._state.live)

    def wait_for(
        self, predicate: Callable[[], object], timeout: float = 2.0, interval: float = 0.005
    ) -> bool:
        """Poll `predicate` until it is truthy or `timeout` passes; return the last result as bool.

        Example:
            ```python
            assert emu.wait_for(lambda: emu.streams[-1].client_closed_early, timeout=1)
            ```
        """
        deadline = time.monotonic() + timeout
        while True:
            if predicate():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)

    def set_rate_limits(
        self,
        *,
        requests_per_day: int | None = None,
        tokens_per_minute: int | None = None,
        day_seconds: float = 86_400.0,
        minute_seconds: float = 60.0,
    ) -> GroqEmulator:
        """Enforce per-key limits on chat requests: honest `x-ratelimit-*` headers and 429s.

        The windows are shortened by `day_seconds`/`minute_seconds` so a test can hit a limit
        and see it reset. `None` for both limits turns enforcement off again.

        Example:
            ```python
            emu.set_rate_limits(tokens_per_minute=500, minute_seconds=1.0)
            ```
        """
        from ._limits import LimitConfig

        with self._state.lock:
            self._state.limits = LimitConfig(
                requests_per_day, tokens_per_minute, day_seconds, minute_seconds
            )
        return self

    @property
    def rate_limited(self) -> int:
        """How many chat requests the enforced limits refused with 429."""
        with self._state.lock:
            return self._state.limits.rejected

    def configure_batches(
        self,
        *,
        step_seconds: float = 0.0,
        failed: Iterable[str] = (),
        expired: Iterable[str] = (),
        final_status: str = "completed",
        plan_available: bool = True,
        page_size: int = 20,
        cached_tokens: int | None = None,
    ) -> GroqEmulator:
        """Script the batches created from now on (see `_batches` for the lifecycle).

        Example:
            ```python
            emu.configure_batches(step_seconds=0.05, failed={"row-3"}, expired={"row-7"})
            ```

        `cached_tokens` is reported on every answered line (to check the batch price).
        """
        from ._batches import BatchConfig

        if final_status not in ("completed", "expired", "failed"):
            raise ValueError(f"final_status must be completed, expired or failed: {final_status!r}")
        with self._state.lock:
            self._state.batches.config = BatchConfig(
                step_seconds, set(failed), set(expired), final_status, plan_available, page_size,
                cached_tokens,
            )  # fmt: skip
        return self

    def reset(self, *, close_connections: bool = False) -> GroqEmulator:
        """Clear the queue, the recordings and the counters, and restore the model catalog.

        `close_connections=True` also closes every open connection (the pytest fixture does, so
        no pooled connection crosses from one test to the next).

        Example:
            ```python
            emu.reset()
            assert emu.requests == [] and emu.connections_opened == 0
            ```
        """
        if close_connections and self._loop is not None:
            loop = self._loop

            async def drop() -> None:
                tasks = self._drop_connections()
                if tasks:
                    await asyncio.wait(tasks, timeout=5)

            asyncio.run_coroutine_threadsafe(drop(), loop).result(10)
        state = self._state
        state.configure(self._extra, self._decommissioned)
        with state.lock:
            state.queue.clear()
            state.requests.clear()
            state.streams.clear()
            state.connections.clear()
            state.requests_seen = 0
            state.files.files.clear()
            state.batches.batches.clear()
            state.batches.config = type(state.batches.config)()
            state.limits = type(state.limits)()
        return self
