"""Integrations with third-party libraries (v1's `mirascope.integrations`).

`middleware_factory` is always here; `otel`, `logfire` and `langfuse` are imported on first
access, so this package imports none of their dependencies until one is used; `starlette` (web
streaming responses) is imported by its module path.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._middleware_factory import middleware_factory

_LAZY = ("langfuse", "logfire", "otel")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["langfuse", "logfire", "middleware_factory", "otel"]  # pyright: ignore[reportUnsupportedDunderAll]
