"""Integrations with third-party libraries (v1's `mirascope.integrations`).

`middleware_factory` is always here; `otel`, `logfire` and `langfuse` are imported on first
access, so this package imports none of their dependencies until one is used; `starlette` (web
streaming responses) is imported by its module path.
"""

from __future__ import annotations

from .._lazy import lazy_attributes
from ._middleware_factory import middleware_factory

_LAZY = {"langfuse": ".langfuse:", "logfire": ".logfire:", "otel": ".otel:"}

__getattr__, __dir__ = lazy_attributes(__name__, globals(), _LAZY)


__all__ = ["langfuse", "logfire", "middleware_factory", "otel"]  # pyright: ignore[reportUnsupportedDunderAll]
