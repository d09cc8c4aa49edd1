"""Provider-neutral machinery: messages, templates, tools, responses and streams.

Structured streams and toolkits are imported on first use (module `__getattr__`), so importing
the package for a plain call does not load them; every v1 name still imports from here.
"""

import importlib
from typing import TYPE_CHECKING, Any

from .call_kwargs import BaseCallKwargs
from .call_params import BaseCallParams, CommonCallParams
from .call_response import BaseCallResponse
from .call_response_chunk import BaseCallResponseChunk
from .dynamic_config import BaseDynamicConfig
from .from_call_args import FromCallArgs
from .merge_decorators import merge_decorators
from .message_param import (
    AudioPart,
    AudioURLPart,
    BaseMessageParam,
    CacheControlPart,
    DocumentPart,
    DocumentURLPart,
    ImagePart,
    ImageURLPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from .messages import Messages
from .metadata import Metadata, metadata
from .prompt import BasePrompt, prompt_template
from .response_model_config_dict import ResponseModelConfigDict
from .stream import BaseStream
from .tool import BaseTool, GenerateJsonSchemaNoTitles, ToolConfig, transform_tool_outputs
from .types import (
    AudioSegment,
    BaseType,
    CostMetadata,
    ImageMetadata,
    JsonableType,
    LocalProvider,
    Usage,
)

if TYPE_CHECKING:
    from .structured_stream import BaseStructuredStream
    from .toolkit import BaseToolKit, toolkit_tool

_LAZY = {
    "BaseStructuredStream": ".structured_stream",
    "BaseToolKit": ".toolkit",
    "toolkit_tool": ".toolkit",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "AudioPart",
    "AudioSegment",
    "AudioURLPart",
    "BaseCallKwargs",
    "BaseCallParams",
    "BaseCallResponse",
    "BaseCallResponseChunk",
    "BaseDynamicConfig",
    "BaseMessageParam",
    "BasePrompt",
    "BaseStream",
    "BaseStructuredStream",
    "BaseTool",
    "BaseToolKit",
    "BaseType",
    "CacheControlPart",
    "CommonCallParams",
    "CostMetadata",
    "DocumentPart",
    "DocumentURLPart",
    "FromCallArgs",
    "GenerateJsonSchemaNoTitles",
    "ImageMetadata",
    "ImagePart",
    "ImageURLPart",
    "JsonableType",
    "LocalProvider",
    "Messages",
    "Metadata",
    "ResponseModelConfigDict",
    "TextPart",
    "ToolCallPart",
    "ToolConfig",
    "ToolResultPart",
    "Usage",
    "merge_decorators",
    "metadata",
    "prompt_template",
    "toolkit_tool",
    "transform_tool_outputs",
]
