"""OTel spans and metrics of calls through the real SDK and the emulator, attribute by attribute.

A stream's span ends only once the stream has ended, in each of the four ways: exhausted, `break`,
an error mid-stream, `close()`.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk")

from groq_e2e_helpers import Flavor, chunk_dict, usage_u
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind, StatusCode

from mirascope.core.groq.errors import GroqStreamError
from mirascope.integrations.otel import with_otel

MODEL = "openai/gpt-oss-20b"
SERVED = "llama-3.1-8b-instant-served"
RID = "chatcmpl-otel-1"


class Otel:
    def __init__(self) -> None:
        self.spans = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])

    def decorator(self, **kw: Any) -> Any:
        return with_otel(
            tracer_provider=self.tracer_provider, meter_provider=self.meter_provider, **kw
        )

    def finished(self) -> list[Any]:
        return list(self.spans.get_finished_spans())

    def metrics(self) -> dict[str, list[tuple[dict[str, Any], Any]]]:
        data = self.reader.get_metrics_data()
        out: dict[str, list[tuple[dict[str, Any], Any]]] = {}
        for rm in data.resource_metrics if data else []:
            for sm in rm.scope_metrics:
                for metric in sm.metrics:
                    for point in metric.data.data_points:
                        out.setdefault(metric.name, []).append((dict(point.attributes), point))
        return out


@pytest.fixture
def otel() -> Otel:
    return Otel()


def three_chunks(emu: Any) -> None:
    env = {"id": RID, "model": SERVED}
    emu.enqueue_chunks(
        [
            chunk_dict({"role": "assistant", "content": ""}, **env),
            chunk_dict({"content": "Hello"}, **env),
            chunk_dict({"content": " there"}, **env),
            chunk_dict({}, "stop", x_groq={"id": "req_1", "usage": usage_u(45, 3)}, **env),
        ]
    )


BASE = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "groq",
    "gen_ai.request.model": MODEL,
}


def make_stream(flavor: Flavor, otel: Otel, **kw: Any) -> Any:
    fn = flavor.call(
        lambda: "hi", MODEL, stream=True, call_params={"temperature": 0.5, "max_tokens": 64}
    )
    return otel.decorator(**kw)(fn)


async def test_exhausted_stream_span_and_metrics(flavor: Flavor, otel: Otel) -> None:
    three_chunks(flavor.emu)
    stream = await flavor.invoke(make_stream(flavor, otel))
    assert otel.finished() == []  # the span waits for the stream
    await flavor.drain(stream)
    (span,) = otel.finished()
    assert span.name == f"chat {MODEL}"
    assert span.kind == SpanKind.CLIENT
    attrs = dict(span.attributes)
    ttfc = attrs.pop("gen_ai.response.time_to_first_chunk")
    assert isinstance(ttfc, float) and 0 <= ttfc < 30
    assert attrs == {
        **BASE,
        "gen_ai.request.temperature": 0.5,
        "gen_ai.request.max_tokens": 64,
        "gen_ai.response.model": SERVED,
        "gen_ai.response.id": RID,
        "gen_ai.response.finish_reasons": ("stop",),
        "gen_ai.usage.input_tokens": 45,
        "gen_ai.usage.output_tokens": 3,
        "gen_ai.usage.cache_read.input_tokens": 0,
        "mirascope.stream.end_state": "finished",
    }
    assert span.status.status_code == StatusCode.UNSET
    m = otel.metrics()
    ((dur_attrs, dur),) = m["gen_ai.client.operation.duration"]
    assert dur_attrs == {**BASE, "gen_ai.response.model": SERVED}
    assert dur.count == 1 and dur.sum > 0
    tokens = {a["gen_ai.token.type"]: (a, p) for a, p in m["gen_ai.client.token.usage"]}
    assert tokens["input"][0] == {
        **BASE,
        "gen_ai.response.model": SERVED,
        "gen_ai.token.type": "input",
    }
    assert (tokens["input"][1].sum, tokens["output"][1].sum) == (45, 3)
    ((fc_attrs, fc),) = m["gen_ai.client.operation.time_to_first_chunk"]
    assert fc_attrs == {**BASE, "gen_ai.response.model": SERVED}
    assert fc.count == 1 and fc.sum == pytest.approx(ttfc)


async def test_break_ends_span_without_usage(flavor: Flavor, otel: Otel) -> None:
    three_chunks(flavor.emu)
    stream = await flavor.invoke(make_stream(flavor, otel))
    if flavor.is_async:
        async with stream:
            async for chunk, _ in stream:
                if chunk.content:
                    break
    else:
        for chunk, _ in stream:
            if chunk.content:
                break
    (span,) = otel.finished()
    attrs = dict(span.attributes)
    assert isinstance(attrs.pop("gen_ai.response.time_to_first_chunk"), float)
    assert attrs == {
        **BASE,
        "gen_ai.request.temperature": 0.5,
        "gen_ai.request.max_tokens": 64,
        "gen_ai.response.model": SERVED,
        "gen_ai.response.id": RID,
        "mirascope.stream.end_state": "closed_early",
    }
    assert span.status.status_code == StatusCode.UNSET
    assert list(span.events) == []
    assert_early_end_metrics(otel)


def assert_early_end_metrics(otel: Otel) -> None:
    """A stream left after its first content chunk: duration and time to first chunk, no usage."""
    m = otel.metrics()
    assert "gen_ai.client.token.usage" not in m
    ((dur_attrs, dur),) = m["gen_ai.client.operation.duration"]
    assert dur_attrs == {**BASE, "gen_ai.response.model": SERVED}
    assert dur.count == 1 and dur.sum > 0
    ((fc_attrs, fc),) = m["gen_ai.client.operation.time_to_first_chunk"]
    assert fc_attrs == {**BASE, "gen_ai.response.model": SERVED}
    assert fc.count == 1


async def test_error_mid_stream_sets_error_type(flavor: Flavor, otel: Otel) -> None:
    flavor.emu.enqueue("error_event", text="partial", code="tool_use_failed")
    stream = await flavor.invoke(make_stream(flavor, otel))
    with pytest.raises(GroqStreamError) as info:
        await flavor.drain(stream)
    (span,) = otel.finished()
    error_type = type(info.value).__qualname__
    assert error_type == "GroqStreamError"
    attrs = dict(span.attributes)
    ttfc = attrs.pop("gen_ai.response.time_to_first_chunk")  # "partial" arrived before the error
    assert isinstance(ttfc, float) and 0 <= ttfc < 30
    assert attrs == {
        **BASE,
        "gen_ai.request.temperature": 0.5,
        "gen_ai.request.max_tokens": 64,
        "gen_ai.response.model": stream.model,
        "gen_ai.response.id": stream.id,
        "mirascope.stream.end_state": "error",
        "error.type": error_type,
    }
    assert stream.id and stream.model
    assert span.status.status_code == StatusCode.ERROR
    assert [e.name for e in span.events] == ["exception"]
    assert span.events[0].attributes["exception.type"].endswith("GroqStreamError")
    m = otel.metrics()
    ((dur_attrs, dur),) = m["gen_ai.client.operation.duration"]
    assert dur_attrs == {**BASE, "gen_ai.response.model": stream.model, "error.type": error_type}
    assert dur.count == 1
    assert "gen_ai.client.token.usage" not in m  # no usage arrived
    ((fc_attrs, fc),) = m["gen_ai.client.operation.time_to_first_chunk"]
    assert fc_attrs == {**BASE, "gen_ai.response.model": stream.model}
    assert fc.count == 1 and fc.sum == pytest.approx(ttfc)


async def test_close_mid_stream_ends_span(flavor: Flavor, otel: Otel) -> None:
    three_chunks(flavor.emu)
    stream = await flavor.invoke(make_stream(flavor, otel))
    it, _ = await flavor.first_pair(stream)  # keep the iterator alive: dropping it closes it
    assert otel.finished() == []
    await flavor.close_stream(stream)
    (span,) = otel.finished()
    attrs = dict(span.attributes)
    assert isinstance(attrs.pop("gen_ai.response.time_to_first_chunk", 0.0), float)
    assert attrs == {
        **BASE,
        "gen_ai.request.temperature": 0.5,
        "gen_ai.request.max_tokens": 64,
        "gen_ai.response.model": SERVED,
        "gen_ai.response.id": RID,
        "mirascope.stream.end_state": "closed_early",
    }
    assert span.status.status_code == StatusCode.UNSET
    m = otel.metrics()
    ((dur_attrs, dur),) = m["gen_ai.client.operation.duration"]
    assert dur_attrs == {**BASE, "gen_ai.response.model": SERVED} and dur.count == 1
    assert "gen_ai.client.token.usage" not in m
    await flavor.close_stream(stream)  # idempotent: still one span
    assert len(otel.finished()) == 1
    del it


async def test_content_only_when_opted_in(flavor: Flavor, otel: Otel) -> None:
    three_chunks(flavor.emu)
    three_chunks(flavor.emu)
    plain = await flavor.invoke(make_stream(flavor, otel))
    await flavor.drain(plain)
    opted = await flavor.invoke(make_stream(flavor, otel, capture_content=True))
    await flavor.drain(opted)
    first, second = otel.finished()
    assert not any(
        k.startswith("gen_ai.input") or k.startswith("gen_ai.output") for k in first.attributes
    )
    assert second.attributes["gen_ai.input.messages"] == (
        '[{"role": "user", "parts": [{"type": "text", "content": "hi"}]}]'
    )
    assert second.attributes["gen_ai.output.messages"] == (
        '[{"role": "assistant", "parts": [{"type": "text", "content": "Hello there"}], '
        '"finish_reason": "stop"}]'
    )


async def test_v1_attribute_names_behind_switch(flavor: Flavor, otel: Otel) -> None:
    three_chunks(flavor.emu)
    stream = await flavor.invoke(make_stream(flavor, otel, v1_attributes=True))
    await flavor.drain(stream)
    (span,) = otel.finished()
    a = span.attributes
    assert a["gen_ai.system"] == ""
    assert a["gen_ai.usage.prompt_tokens"] == 45
    assert a["gen_ai.usage.completion_tokens"] == 3
    assert a["gen_ai.request.top_p"] == 0
    assert a["gen_ai.provider.name"] == "groq"  # the semconv names stay


async def test_call_response_span(flavor: Flavor, otel: Otel) -> None:
    flavor.emu.enqueue("text", text="Hi")
    fn = otel.decorator()(flavor.call(lambda: "hi", MODEL))
    response = await flavor.invoke(fn)
    (span,) = otel.finished()
    a = dict(span.attributes)
    assert a["gen_ai.response.id"] == response.id
    assert a["gen_ai.response.model"] == response.model
    assert a["gen_ai.usage.input_tokens"] == response.input_tokens
    assert a["gen_ai.response.finish_reasons"] == tuple(response.finish_reasons)
    assert "gen_ai.response.time_to_first_chunk" not in a
    assert "gen_ai.client.operation.time_to_first_chunk" not in otel.metrics()


async def test_http_error_before_stream_is_error_span(flavor: Flavor, otel: Otel) -> None:
    flavor.emu.enqueue("http_error", status=400)
    fn = otel.decorator()(flavor.call(lambda: "hi", MODEL))
    with pytest.raises(Exception) as info:
        await flavor.invoke(fn)
    (span,) = otel.finished()
    assert span.attributes["error.type"] == type(info.value).__qualname__
    assert dict(span.attributes) == {**BASE, "error.type": type(info.value).__qualname__}


async def test_response_model_and_structured_stream_spans(flavor: Flavor, otel: Otel) -> None:
    from pydantic import BaseModel

    class Book(BaseModel):
        title: str

    flavor.emu.enqueue("tool_calls", calls=[("Book", '{"title": "Dune"}')])
    flavor.emu.enqueue("tool_calls", calls=[("Book", '{"title": "Emma"}')])
    fn = otel.decorator()(flavor.call(lambda: "hi", MODEL, response_model=Book))
    book = await flavor.invoke(fn)
    sfn = otel.decorator()(flavor.call(lambda: "hi", MODEL, response_model=Book, stream=True))
    structured = await flavor.invoke(sfn)
    assert len(otel.finished()) == 1
    await flavor.drain(structured)
    first, second = otel.finished()
    assert first.attributes["gen_ai.response.id"] == book._response.id
    assert first.attributes["gen_ai.response.finish_reasons"] == ("tool_calls",)
    assert second.attributes["mirascope.stream.end_state"] == "finished"
    assert second.attributes["gen_ai.usage.output_tokens"] == structured.stream.output_tokens


async def test_close_before_the_first_next_ends_the_span(flavor: Flavor, otel: Otel) -> None:
    stream = await flavor.invoke(make_stream(flavor, otel))
    await flavor.close_stream(stream)  # no request was sent: nothing about a response is known
    (span,) = otel.finished()
    assert dict(span.attributes) == {
        **BASE,
        "gen_ai.request.temperature": 0.5,
        "gen_ai.request.max_tokens": 64,
        "mirascope.stream.end_state": "closed_early",
    }
    assert span.status.status_code == StatusCode.UNSET
    m = otel.metrics()
    ((dur_attrs, dur),) = m["gen_ai.client.operation.duration"]
    assert dur_attrs == BASE and dur.count == 1
    assert set(m) == {"gen_ai.client.operation.duration"}
    assert flavor.emu.requests == []


async def test_cached_tokens(flavor: Flavor, otel: Otel) -> None:
    """`gen_ai.usage.cache_read.input_tokens` (semconv v1.41.0) from Groq's
    `usage.prompt_tokens_details.cached_tokens`."""
    usage = {**usage_u(45, 3), "prompt_tokens_details": {"cached_tokens": 32}}
    env = {"id": RID, "model": SERVED}
    flavor.emu.enqueue_chunks(
        [
            chunk_dict({"role": "assistant", "content": ""}, **env),
            chunk_dict({"content": "Hi"}, **env),
            chunk_dict({}, "stop", x_groq={"id": "req_1", "usage": usage}, **env),
        ]
    )
    stream = await flavor.invoke(make_stream(flavor, otel))
    await flavor.drain(stream)
    assert stream.cached_tokens == 32
    (span,) = otel.finished()
    assert span.attributes["gen_ai.usage.input_tokens"] == 45  # cached tokens are included
    assert span.attributes["gen_ai.usage.cache_read.input_tokens"] == 32
    tokens = {a["gen_ai.token.type"]: p.sum for a, p in otel.metrics()["gen_ai.client.token.usage"]}
    assert tokens == {"input": 45, "output": 3}
