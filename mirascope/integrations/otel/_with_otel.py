"""`with_otel`: one OpenTelemetry span, and the GenAI client metrics, per Mirascope call.

Built on `middleware_factory`: the span starts when the decorated function is called and ends
when its result is complete — at once for a response, and for a stream only once the stream has
ended (exhausted, `break`, error or close), so a streamed span carries the usage, finish reasons
and time to first chunk. Attributes: see `_semconv.py`.

Invariants:
- Nothing here runs per chunk; all attributes are read from the ended stream's accumulated state.
- Message content is recorded only with `capture_content=True` (or the standard
  `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`).
- The span is not made current: a stream outlives the call's scope, and a context attached at the
  call and detached at the stream's end would break the caller's context stack.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

from opentelemetry import metrics, trace
from opentelemetry.metrics import Histogram, MeterProvider
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, TracerProvider

from .._middleware_factory import middleware_factory, provider_result
from . import _semconv as sc

_P = ParamSpec("_P")
_R = TypeVar("_R")

# Bucket boundaries the GenAI metrics spec recommends.
_DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48,
                     40.96, 81.92]  # fmt: skip
_TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
                  16777216, 67108864]  # fmt: skip
_CONTENT_ENV = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"


class _Instruments:
    def __init__(self, meter_provider: MeterProvider | None) -> None:
        meter = (meter_provider or metrics.get_meter_provider()).get_meter(
            "mirascope.integrations.otel", schema_url=_SCHEMA_URL
        )
        self.duration: Histogram = meter.create_histogram(
            "gen_ai.client.operation.duration",
            unit="s",
            description="GenAI operation duration",
            explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
        )
        self.tokens: Histogram = meter.create_histogram(
            "gen_ai.client.token.usage",
            unit="{token}",
            description="Number of input and output tokens used",
            explicit_bucket_boundaries_advisory=_TOKEN_BUCKETS,
        )
        self.first_chunk: Histogram = meter.create_histogram(
            "gen_ai.client.operation.time_to_first_chunk",
            unit="s",
            description="Time to receive the first chunk of a streaming response",
            explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
        )


_SCHEMA_URL = f"https://opentelemetry.io/schemas/{sc.SEMCONV_VERSION}"


class _CallSpan:
    """The context manager (and the hooks' context) of one call: its span and its metrics."""

    def __init__(self, fn: Callable[..., Any], settings: _Settings) -> None:
        self.settings = settings
        self.model = str(getattr(fn, "_model", "") or "")
        self.metric_attrs = sc.base_attributes(self.model)
        self.span: Span | None = None
        self.started = 0.0

    def __enter__(self) -> _CallSpan:
        name = f"{sc.OPERATION} {self.model}" if self.model else sc.OPERATION
        self.span = self.settings.tracer.start_span(
            name, kind=SpanKind.CLIENT, attributes=self.metric_attrs
        )
        self.started = time.perf_counter()
        return self

    def record(self, result: Any, *, stream: Any = None) -> None:
        """Set the response attributes of `result` (a response or an ended stream)."""
        span = self.span
        if span is None:
            return
        settings = self.settings
        attrs: dict[str, Any] = {}
        if settings.v1_attributes:
            attrs.update(sc.v1_attributes(result))
        attrs.update(sc.base_attributes(self.model or result.call_kwargs.get("model", "")))
        attrs.update(sc.request_attributes(result.call_params))
        attrs.update(sc.response_attributes(result))
        if stream is not None and stream.id is None:  # no chunk arrived: `model` is the request's
            attrs.pop("gen_ai.response.model", None)
        if settings.capture_content:
            attrs.update(sc.content_attributes(result))
        if stream is not None:
            attrs["mirascope.stream.end_state"] = stream.end_state
            ttft = stream.time_to_first_token
            if ttft is not None:
                seconds = max(ttft, 0.0) / 1000
                attrs["gen_ai.response.time_to_first_chunk"] = seconds
                self.settings.instruments.first_chunk.record(seconds, self._metric_attrs(attrs))
        span.set_attributes(attrs)
        if "gen_ai.response.model" in attrs:
            self.metric_attrs["gen_ai.response.model"] = attrs["gen_ai.response.model"]
        for token_type, key in (
            ("input", "gen_ai.usage.input_tokens"),
            ("output", "gen_ai.usage.output_tokens"),
        ):
            if key in attrs:
                self.settings.instruments.tokens.record(
                    attrs[key], {**self._metric_attrs(attrs), "gen_ai.token.type": token_type}
                )

    def _metric_attrs(self, attrs: dict[str, Any]) -> dict[str, Any]:
        out = dict(self.metric_attrs)
        if "gen_ai.response.model" in attrs:
            out["gen_ai.response.model"] = attrs["gen_ai.response.model"]
        return out

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        span = self.span
        if span is None:
            return
        self.span = None
        attrs = dict(self.metric_attrs)
        if exc is not None:
            error_type = type(exc).__qualname__
            attrs["error.type"] = error_type
            span.set_attribute("error.type", error_type)
            span.record_exception(exc)
            span.set_status(Status(StatusCode.ERROR, str(exc)))
        self.settings.instruments.duration.record(time.perf_counter() - self.started, attrs)
        span.end()


class _Settings:
    def __init__(
        self,
        *,
        tracer_provider: TracerProvider | None,
        meter_provider: MeterProvider | None,
        capture_content: bool | None,
        v1_attributes: bool,
    ) -> None:
        self.tracer = (tracer_provider or trace.get_tracer_provider()).get_tracer(
            "mirascope.integrations.otel", schema_url=_SCHEMA_URL
        )
        self.instruments = _Instruments(meter_provider)
        if capture_content is None:
            capture_content = os.environ.get(_CONTENT_ENV, "").lower() == "true"
        self.capture_content = capture_content
        self.v1_attributes = v1_attributes


def _on_response(result: Any, fn: Callable[..., Any], ctx: _CallSpan) -> None:
    ctx.record(provider_result(result))  # an llm.CallResponse: the Groq response it wraps


def _on_stream(stream: Any, fn: Callable[..., Any], ctx: _CallSpan) -> None:
    stream = provider_result(stream)
    ctx.record(stream, stream=stream)


def _on_response_model(model: Any, fn: Callable[..., Any], ctx: _CallSpan) -> None:
    response = getattr(model, "_response", None)
    if response is not None:
        ctx.record(response)


def _on_structured_stream(structured: Any, fn: Callable[..., Any], ctx: _CallSpan) -> None:
    ctx.record(structured.stream, stream=structured.stream)


async def _async(hook: Callable[..., None], *args: Any) -> None:
    hook(*args)


def with_otel(
    *,
    capture_content: bool | None = None,
    v1_attributes: bool = False,
    tracer_provider: TracerProvider | None = None,
    meter_provider: MeterProvider | None = None,
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Trace a Mirascope call with OpenTelemetry (GenAI semantic conventions v1.41.0).

    `with_otel()` as in v1; the keyword arguments are ours: `capture_content` records the
    messages (default: the `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` env var),
    `v1_attributes` also sets v1's attribute names, and the providers default to the global ones.

    Example:
        ```python
        from mirascope.core import groq
        from mirascope.integrations.otel import configure, with_otel

        configure()  # console exporter


        @with_otel()
        @groq.call("openai/gpt-oss-20b", stream=True)
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"
        ```
    """
    settings = _Settings(
        tracer_provider=tracer_provider,
        meter_provider=meter_provider,
        capture_content=capture_content,
        v1_attributes=v1_attributes,
    )
    return middleware_factory(
        custom_context_manager=lambda fn: _CallSpan(fn, settings),
        handle_call_response=_on_response,
        handle_call_response_async=lambda r, fn, ctx: _async(_on_response, r, fn, ctx),
        handle_stream=_on_stream,
        handle_stream_async=lambda s, fn, ctx: _async(_on_stream, s, fn, ctx),
        handle_response_model=_on_response_model,
        handle_response_model_async=lambda m, fn, ctx: _async(_on_response_model, m, fn, ctx),
        handle_structured_stream=_on_structured_stream,
        handle_structured_stream_async=lambda s, fn, ctx: _async(_on_structured_stream, s, fn, ctx),
    )


__all__ = ["with_otel"]
