"""OpenTelemetry for Mirascope calls: `configure`, `with_otel`, `with_hyperdx` (v1's names).

Needs the `otel` extra (`opentelemetry-api`, `opentelemetry-sdk`); `import mirascope.core.groq`
never imports this package or OpenTelemetry.
"""

from ._configure import configure
from ._semconv import SEMCONV_VERSION
from ._with_hyperdx import with_hyperdx
from ._with_otel import with_otel

__all__ = ["SEMCONV_VERSION", "configure", "with_hyperdx", "with_otel"]
