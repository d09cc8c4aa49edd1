"""Module attributes imported on first use (PEP 562), so a package imports only what is used.

Invariants:
- A name in the table is imported from its module on first access and then cached in the
  package's globals: every later access is a plain dict lookup.
- A name not in the table raises `AttributeError` naming the package, as a missing attribute does.
- `dir()` lists the eager names and the lazy ones.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(
    package: str, namespace: dict[str, Any], table: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`, importing `table[name]` (relative) on first use.

    A module path ending in `:` names the module itself (`"groq": ".groq:"`), not an attribute.

    Example:
        ```python
        __getattr__, __dir__ = lazy_attributes(__name__, globals(), {"BaseStream": ".stream"})
        ```
    """

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        if module.endswith(":"):
            value = importlib.import_module(module[:-1], package)
        else:
            value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *table})

    return __getattr__, __dir__
