"""`configure`: install a global `TracerProvider` (v1's `otel.configure`).

Invariant: OpenTelemetry allows one global provider per process; later calls are ignored by it.
"""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry import trace
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor


def configure(processors: Sequence[SpanProcessor] | None = None) -> trace.Tracer:
    """Set the global tracer provider with `processors` (default: print spans to the console).

    Example:
        ```python
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

        from mirascope.integrations.otel import configure

        configure(processors=[BatchSpanProcessor(ConsoleSpanExporter())])
        ```
    """
    provider = TracerProvider()
    for processor in (
        processors if processors is not None else [SimpleSpanProcessor(ConsoleSpanExporter())]
    ):
        provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    return trace.get_tracer("otel")


__all__ = ["configure"]
