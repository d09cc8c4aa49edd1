"""`BaseCallResponse`: the stored fields every non-stream response carries."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar, Generic, TypeVar, cast

from pydantic import BaseModel, ConfigDict, SkipValidation, field_serializer

from .metadata import Metadata
from .types import CostMetadata, Usage

_ResponseT = TypeVar("_ResponseT")
_ToolT = TypeVar("_ToolT")
_ToolSchemaT = TypeVar("_ToolSchemaT")
_DynamicConfigT = TypeVar("_DynamicConfigT")
_MessageParamT = TypeVar("_MessageParamT")
_CallParamsT = TypeVar("_CallParamsT")
_UserMessageParamT = TypeVar("_UserMessageParamT")
_FinishReasonT = TypeVar("_FinishReasonT")


class BaseCallResponse(
    BaseModel,
    Generic[
        _ResponseT,
        _ToolT,
        _ToolSchemaT,
        _DynamicConfigT,
        _MessageParamT,
        _CallParamsT,
        _UserMessageParamT,
        _FinishReasonT,
    ],
    ABC,
):
    """A provider response plus everything about the call that produced it.

    `str(response)` is its content. Fields that hold caller data (`messages`, `call_params`,
    `dynamic_config`, …) are stored as given, without validation.
    """

    model_config = ConfigDict(
        extra="allow", arbitrary_types_allowed=True, defer_build=True
    )  # built on first use

    metadata: SkipValidation[Metadata]
    response: _ResponseT
    tool_types: SkipValidation[list[type[_ToolT]] | None] = None
    prompt_template: str | None
    fn_args: SkipValidation[dict[str, Any]]
    dynamic_config: SkipValidation[_DynamicConfigT]
    messages: SkipValidation[list[Any]]
    call_params: SkipValidation[_CallParamsT]
    call_kwargs: SkipValidation[dict[str, Any]]
    user_message_param: SkipValidation[_UserMessageParamT | None] = None
    start_time: float
    end_time: float

    _provider: ClassVar[str] = "NO PROVIDER"

    @field_serializer("tool_types", when_used="json")
    def _serialize_tool_types(self, tool_types: list[type[Any]] | None) -> list[dict[str, str]]:
        return [{"type": "function", "name": t._name()} for t in tool_types or []]

    @field_serializer("dynamic_config", when_used="json")
    def _serialize_dynamic_config(self, dynamic_config: Any) -> Any:
        # A client is not data (and holds the API key); tools are shown by name.
        if not isinstance(dynamic_config, dict):
            return dynamic_config
        config = {k: v for k, v in cast("dict[str, Any]", dynamic_config).items() if k != "client"}
        tools: list[object] = list(config.get("tools") or [])
        if "tools" in config:
            config["tools"] = [getattr(t, "__name__", repr(t)) for t in tools]
        return config

    def __str__(self) -> str:
        return self.content

    @property
    @abstractmethod
    def content(self) -> str:
        """The text of the response."""

    @property
    @abstractmethod
    def finish_reasons(self) -> list[str] | None:
        """Why generation stopped."""

    @property
    @abstractmethod
    def cost_metadata(self) -> CostMetadata:
        """What `calculate_cost` needs."""

    @property
    @abstractmethod
    def common_usage(self) -> Usage | None:
        """Provider-neutral usage."""


from .tool import transform_tool_outputs  # noqa: E402  (v1 defines it in this module)

__all__ = ["BaseCallResponse", "transform_tool_outputs"]
