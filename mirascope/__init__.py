"""mirascope-groq: the Mirascope v1 call API for Groq, built around correct, fast streams."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .core import (
    AudioPart,
    AudioURLPart,
    BaseDynamicConfig,
    BaseMessageParam,
    BaseTool,
    CacheControlPart,
    DocumentPart,
    DocumentURLPart,
    ImagePart,
    ImageURLPart,
    Messages,
    TextPart,
    ToolCallPart,
    ToolResultPart,
    prompt_template,
)
from .core.base.types import LocalProvider, Provider

if TYPE_CHECKING:
    from . import integrations as integrations
    from . import llm as llm
    from . import retries
    from . import tools as tools
    from .core import BaseToolKit

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in ("retries", "integrations", "llm", "tools"):  # optional deps: on first use
        return importlib.import_module(f".{name}", __name__)
    if name == "BaseToolKit":  # toolkits load on first use
        from .core import BaseToolKit

        return BaseToolKit
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AudioPart",
    "AudioURLPart",
    "BaseDynamicConfig",
    "BaseMessageParam",
    "BaseTool",
    "BaseToolKit",
    "CacheControlPart",
    "DocumentPart",
    "DocumentURLPart",
    "ImagePart",
    "ImageURLPart",
    "LocalProvider",
    "Messages",
    "Provider",
    "TextPart",
    "ToolCallPart",
    "ToolResultPart",
    "__version__",
    "prompt_template",
    "retries",
]
