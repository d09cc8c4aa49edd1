"""mirascope-groq: the Mirascope v1 call API for Groq, built around correct, fast streams."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_attributes

if TYPE_CHECKING:
    from . import integrations as integrations
    from . import llm as llm
    from . import retries as retries
    from . import tools as tools
    from .core import (
        AudioPart,
        AudioURLPart,
        BaseDynamicConfig,
        BaseMessageParam,
        BaseTool,
        BaseToolKit,
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

__version__ = "0.1.0"

# Everything on first use (`mirascope._lazy`); `retries`, `integrations`, `llm` and `tools` need
# optional dependencies, so they must not load here anyway.
_LAZY = {
    "AudioPart": ".core",
    "AudioURLPart": ".core",
    "BaseDynamicConfig": ".core",
    "BaseMessageParam": ".core",
    "BaseTool": ".core",
    "BaseToolKit": ".core",
    "CacheControlPart": ".core",
    "DocumentPart": ".core",
    "DocumentURLPart": ".core",
    "ImagePart": ".core",
    "ImageURLPart": ".core",
    "LocalProvider": ".core.base.types",
    "Messages": ".core",
    "Provider": ".core.base.types",
    "TextPart": ".core",
    "ToolCallPart": ".core",
    "ToolResultPart": ".core",
    "integrations": ".integrations:",
    "llm": ".llm:",
    "prompt_template": ".core",
    "retries": ".retries:",
    "tools": ".tools:",
}

__getattr__, __dir__ = lazy_attributes(__name__, globals(), _LAZY)

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
