"""Provider-neutral machinery: messages, templates, tools, responses and streams.

Every name is imported from its module on first use (module `__getattr__`, `mirascope._lazy`),
so `import mirascope.core.groq` loads only what a plain call needs; every v1 name still imports
from here.
"""

from typing import TYPE_CHECKING

from ..._lazy import lazy_attributes

# Eager: these names are also their modules' names, which a submodule import would bind here.
from .merge_decorators import merge_decorators
from .metadata import Metadata, metadata

if TYPE_CHECKING:
    from .call_kwargs import BaseCallKwargs
    from .call_params import BaseCallParams, CommonCallParams
    from .call_response import BaseCallResponse
    from .call_response_chunk import BaseCallResponseChunk
    from .dynamic_config import BaseDynamicConfig
    from .from_call_args import FromCallArgs
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
    from .prompt import BasePrompt, prompt_template
    from .response_model_config_dict import ResponseModelConfigDict
    from .stream import BaseStream
    from .structured_stream import BaseStructuredStream
    from .tool import BaseTool, GenerateJsonSchemaNoTitles, ToolConfig, transform_tool_outputs
    from .toolkit import BaseToolKit, toolkit_tool
    from .types import (
        AudioSegment,
        BaseType,
        CostMetadata,
        ImageMetadata,
        JsonableType,
        LocalProvider,
        Usage,
    )

_LAZY = {
    "AudioPart": ".message_param",
    "AudioSegment": ".types",
    "AudioURLPart": ".message_param",
    "BaseCallKwargs": ".call_kwargs",
    "BaseCallParams": ".call_params",
    "BaseCallResponse": ".call_response",
    "BaseCallResponseChunk": ".call_response_chunk",
    "BaseDynamicConfig": ".dynamic_config",
    "BaseMessageParam": ".message_param",
    "BasePrompt": ".prompt",
    "BaseStream": ".stream",
    "BaseStructuredStream": ".structured_stream",
    "BaseTool": ".tool",
    "BaseToolKit": ".toolkit",
    "BaseType": ".types",
    "CacheControlPart": ".message_param",
    "CommonCallParams": ".call_params",
    "CostMetadata": ".types",
    "DocumentPart": ".message_param",
    "DocumentURLPart": ".message_param",
    "FromCallArgs": ".from_call_args",
    "GenerateJsonSchemaNoTitles": ".tool",
    "ImageMetadata": ".types",
    "ImagePart": ".message_param",
    "ImageURLPart": ".message_param",
    "JsonableType": ".types",
    "LocalProvider": ".types",
    "Messages": ".messages",
    "ResponseModelConfigDict": ".response_model_config_dict",
    "TextPart": ".message_param",
    "ToolCallPart": ".message_param",
    "ToolConfig": ".tool",
    "ToolResultPart": ".message_param",
    "Usage": ".types",
    "prompt_template": ".prompt",
    "toolkit_tool": ".toolkit",
    "transform_tool_outputs": ".tool",
}

__getattr__, __dir__ = lazy_attributes(__name__, globals(), _LAZY)

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
