"""`BaseCallKwargs`: the keyword arguments finally given to the provider's create call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from typing_extensions import NotRequired, TypedDict

_ToolSchemaT = TypeVar("_ToolSchemaT")


class BaseCallKwargs(TypedDict, Generic[_ToolSchemaT]):
    """The call parameters plus `tools` (the tool schemas sent)."""

    tools: NotRequired[Sequence[_ToolSchemaT]]


__all__ = ["BaseCallKwargs"]
