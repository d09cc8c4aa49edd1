"""`with_hyperdx`: `with_otel` exporting to HyperDX over OTLP/HTTP (v1's `otel.with_hyperdx`).

Needs `opentelemetry-exporter-otlp-proto-http` (the `hyperdx` extra), imported when called.
The key is read from `HYPERDX_API_KEY` and goes only into the exporter's headers.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from ._configure import configure
from ._with_otel import with_otel

_P = ParamSpec("_P")
_R = TypeVar("_R")

HYPERDX_ENDPOINT = "https://in-otel.hyperdx.io/v1/traces"


def with_hyperdx() -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Trace to HyperDX: configures an OTLP exporter unless an SDK provider is already set.

        Example:
            ```python
            import importlib
    import os

            from mirascope.core import groq
            from mirascope.integrations.otel import with_hyperdx

            os.environ["HYPERDX_API_KEY"] = "..."


            @with_hyperdx()
            @groq.call("openai/gpt-oss-20b")
            def recommend_book(genre: str) -> str:
                return f"Recommend a {genre} book"
            ```
    """
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        try:
            otlp: Any = importlib.import_module(
                "opentelemetry.exporter.otlp.proto.http.trace_exporter"
            )
        except ImportError as exc:  # pragma: no cover - depends on the installed extras
            raise ImportError(
                "with_hyperdx needs opentelemetry-exporter-otlp-proto-http: "
                "pip install 'mirascope-groq[hyperdx]'"
            ) from exc
        exporter = otlp.OTLPSpanExporter(
            endpoint=HYPERDX_ENDPOINT,
            headers={"authorization": os.getenv("HYPERDX_API_KEY", "")},
        )
        configure(processors=[BatchSpanProcessor(exporter)])
    return with_otel()


__all__ = ["HYPERDX_ENDPOINT", "with_hyperdx"]
