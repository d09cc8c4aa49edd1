"""Deprecated path of `mirascope.retries.tenacity` (as in v1, importing it warns)."""

import inspect
import warnings

from ..retries.tenacity import collect_errors

warnings.warn(
    inspect.cleandoc("""
    The import `mirascope.integrations.tenacity` is deprecated in versions `>=1.3`.
    Please instead use the `mirascope.retries.tenacity` import.
    """),
    stacklevel=2,
)

__all__ = ["collect_errors"]
