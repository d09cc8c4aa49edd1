"""`BaseDynamicConfig`: what a prompt function may return to configure its own call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeAlias, TypeVar

from typing_extensions import NotRequired, TypedDict

from .metadata import Metadata
from .tool import BaseTool

_MessageParamT = TypeVar("_MessageParamT")
_CallParamsT = TypeVar("_CallParamsT")
_ClientT = TypeVar("_ClientT")


class DynamicConfigBase(TypedDict):
    """Keys every dynamic configuration may carry."""

    metadata: NotRequired[Metadata]
    computed_fields: NotRequired[dict[str, Any]]
    tools: NotRequired[Sequence[type[BaseTool] | Callable[..., Any]]]


class DynamicConfigFull(DynamicConfigBase, Generic[_MessageParamT, _CallParamsT, _ClientT]):
    """Every key: also `messages`, `call_params` and `client` (for this call only)."""

    messages: NotRequired[Sequence[_MessageParamT]]
    call_params: NotRequired[_CallParamsT]
    client: NotRequired[_ClientT | None]


BaseDynamicConfig: TypeAlias = DynamicConfigFull[_MessageParamT, _CallParamsT, _ClientT] | None
"""A provider's dynamic configuration: a `DynamicConfigFull` or `None`.

Example:
    ```python
    @groq.call("openai/gpt-oss-20b")
    def answer(q: str) -> groq.GroqDynamicConfig:
        return {"messages": [Messages.User(q)], "call_params": {"max_tokens": 64}}
    ```
"""

# v1's partial shapes; here every key is optional in `DynamicConfigFull`, so they are aliases.
DynamicConfigMessages: TypeAlias = DynamicConfigFull[_MessageParamT, Any, Any]
DynamicConfigCallParams: TypeAlias = DynamicConfigFull[Any, _CallParamsT, Any]
DynamicConfigClient: TypeAlias = DynamicConfigFull[Any, Any, _ClientT]
DynamicConfigMessagesCallParams: TypeAlias = DynamicConfigFull[_MessageParamT, _CallParamsT, Any]
DynamicConfigMessagesClient: TypeAlias = DynamicConfigFull[_MessageParamT, Any, _ClientT]
DynamicConfigCallParamsClient: TypeAlias = DynamicConfigFull[Any, _CallParamsT, _ClientT]

__all__ = [
    "BaseDynamicConfig",
    "DynamicConfigBase",
    "DynamicConfigCallParams",
    "DynamicConfigCallParamsClient",
    "DynamicConfigClient",
    "DynamicConfigFull",
    "DynamicConfigMessages",
    "DynamicConfigMessagesCallParams",
    "DynamicConfigMessagesClient",
]
