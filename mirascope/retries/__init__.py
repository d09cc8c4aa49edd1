"""Retry helpers: `fallback` (other models when a call fails) and `tenacity` (needs the
`tenacity` extra). Importing this package imports neither tenacity nor `mirascope.llm`.

Example:
    ```python
    from mirascope.retries import FallbackError, fallback
    ```
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .fallback import FallbackError, fallback

if TYPE_CHECKING:
    from . import tenacity


def __getattr__(name: str) -> Any:
    if name == "tenacity":  # v1 exposes it when tenacity is installed
        try:
            return importlib.import_module(".tenacity", __name__)
        except ImportError as e:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from e
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FallbackError", "fallback", "tenacity"]
