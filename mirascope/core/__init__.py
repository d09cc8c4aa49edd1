"""The Mirascope v1 core API, for Groq.

`mirascope.core.groq` is imported on first use (`from mirascope.core import groq` or
`mirascope.core.groq`), and only when the `groq` SDK is installed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import base, costs
from .base import (
    AudioPart,
    AudioURLPart,
    BaseCallResponse,
    BaseDynamicConfig,
    BaseMessageParam,
    BasePrompt,
    BaseStream,
    BaseTool,
    CacheControlPart,
    CostMetadata,
    DocumentPart,
    DocumentURLPart,
    FromCallArgs,
    ImagePart,
    ImageURLPart,
    Messages,
    Metadata,
    ResponseModelConfigDict,
    TextPart,
    ToolCallPart,
    ToolResultPart,
    merge_decorators,
    metadata,
    prompt_template,
)
from .base.types import LocalProvider, Provider
from .costs import calculate_cost

if TYPE_CHECKING:
    from . import groq
    from .base import BaseToolKit, toolkit_tool


def __getattr__(name: str) -> Any:
    if name == "groq":
        return importlib.import_module(".groq", __name__)
    if name in ("BaseToolKit", "toolkit_tool"):  # toolkits load on first use (base.toolkit)
        value = getattr(base, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AudioPart",
    "AudioURLPart",
    "BaseCallResponse",
    "BaseDynamicConfig",
    "BaseMessageParam",
    "BasePrompt",
    "BaseStream",
    "BaseTool",
    "BaseToolKit",
    "CacheControlPart",
    "CostMetadata",
    "DocumentPart",
    "DocumentURLPart",
    "FromCallArgs",
    "ImagePart",
    "ImageURLPart",
    "LocalProvider",
    "Messages",
    "Metadata",
    "Provider",
    "ResponseModelConfigDict",
    "TextPart",
    "ToolCallPart",
    "ToolResultPart",
    "base",
    "calculate_cost",
    "costs",
    "groq",
    "merge_decorators",
    "metadata",
    "prompt_template",
    "toolkit_tool",
]
