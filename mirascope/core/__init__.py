"""The Mirascope v1 core API, for Groq.

Every name is imported on first use (module `__getattr__`, `mirascope._lazy`): `from mirascope.core
import groq` loads the Groq provider, and only when the `groq` SDK is installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes

if TYPE_CHECKING:
    from . import base, costs, groq
    from .base import (
        AudioPart,
        AudioURLPart,
        BaseCallResponse,
        BaseDynamicConfig,
        BaseMessageParam,
        BasePrompt,
        BaseStream,
        BaseTool,
        BaseToolKit,
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
        toolkit_tool,
    )
    from .base.types import LocalProvider, Provider
    from .costs import calculate_cost

_LAZY = {
    "AudioPart": ".base",
    "AudioURLPart": ".base",
    "BaseCallResponse": ".base",
    "BaseDynamicConfig": ".base",
    "BaseMessageParam": ".base",
    "BasePrompt": ".base",
    "BaseStream": ".base",
    "BaseTool": ".base",
    "BaseToolKit": ".base",
    "CacheControlPart": ".base",
    "CostMetadata": ".base",
    "DocumentPart": ".base",
    "DocumentURLPart": ".base",
    "FromCallArgs": ".base",
    "ImagePart": ".base",
    "ImageURLPart": ".base",
    "LocalProvider": ".base.types",
    "Messages": ".base",
    "Metadata": ".base",
    "Provider": ".base.types",
    "ResponseModelConfigDict": ".base",
    "TextPart": ".base",
    "ToolCallPart": ".base",
    "ToolResultPart": ".base",
    "base": ".base:",
    "calculate_cost": ".costs",
    "costs": ".costs:",
    "groq": ".groq:",
    "merge_decorators": ".base",
    "metadata": ".base",
    "prompt_template": ".base",
    "toolkit_tool": ".base",
}

__getattr__, __dir__ = lazy_attributes(__name__, globals(), _LAZY)

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
