"""`BaseCallResponseChunk`: one streamed chunk, wrapping the provider's own chunk object."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from .types import CostMetadata, Usage

_ChunkT = TypeVar("_ChunkT")
_FinishReasonT = TypeVar("_FinishReasonT")


class BaseCallResponseChunk(BaseModel, Generic[_ChunkT, _FinishReasonT], ABC):
    """A provider chunk in field `chunk`, with provider-neutral properties.

    `str(chunk)` is its content.
    """

    model_config = ConfigDict(
        extra="allow", arbitrary_types_allowed=True, defer_build=True
    )  # built on first use

    chunk: _ChunkT
    """The provider's own chunk object, untouched."""

    def __str__(self) -> str:
        return self.content

    @property
    @abstractmethod
    def content(self) -> str:
        """The text this chunk adds."""

    @property
    @abstractmethod
    def finish_reasons(self) -> list[_FinishReasonT] | None:
        """The finish reasons this chunk carries."""

    @property
    @abstractmethod
    def model(self) -> str | None:
        """The model that produced the chunk."""

    @property
    @abstractmethod
    def id(self) -> str | None:
        """The completion id."""

    @property
    @abstractmethod
    def usage(self) -> Any:
        """The provider usage object, if this chunk reports usage."""

    @property
    @abstractmethod
    def input_tokens(self) -> int | float | None:
        """Prompt tokens, when this chunk reports usage."""

    @property
    @abstractmethod
    def cached_tokens(self) -> int | float | None:
        """Cached prompt tokens."""

    @property
    @abstractmethod
    def output_tokens(self) -> int | float | None:
        """Completion tokens, when this chunk reports usage."""

    @property
    @abstractmethod
    def cost_metadata(self) -> CostMetadata:
        """Token counts for `calculate_cost`."""

    @property
    @abstractmethod
    def common_finish_reasons(self) -> list[Any] | None:
        """Provider-neutral finish reasons."""

    @property
    @abstractmethod
    def common_usage(self) -> Usage | None:
        """Provider-neutral usage."""


__all__ = ["BaseCallResponseChunk"]
