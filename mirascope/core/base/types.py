"""Shared vocabulary: providers, finish reasons, usage and cost metadata.

These are the v1 names from `mirascope.core.base.types`. Groq fills only the token counts and
`images` of `CostMetadata`; the other fields exist for other providers and keep their defaults.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal, Protocol, TypeAlias, Union

from pydantic import BaseModel, ConfigDict, Field

Provider: TypeAlias = Literal[
    "anthropic",
    "azure",
    "bedrock",
    "cohere",
    "gemini",
    "google",
    "groq",
    "litellm",
    "mistral",
    "openai",
    "vertex",
    "xai",
]
"""Every provider name v1 knows. mirascope-groq implements only `"groq"`."""

LocalProvider: TypeAlias = Literal["ollama", "vllm"]
"""Local providers reached through an OpenAI-compatible server (v1 name, kept for imports)."""

FinishReason: TypeAlias = Literal["stop", "length", "tool_calls", "content_filter"]
"""The provider-neutral finish reasons."""

JsonableType: TypeAlias = Union[
    str,
    int,
    float,
    bool,
    bytes,
    list["JsonableType"],
    set["JsonableType"],
    tuple["JsonableType", ...],
    dict[str, "JsonableType"],
    BaseModel,
]
"""A value `transform_tool_outputs` can serialise for a tool message."""

BaseType: TypeAlias = Union[
    type[str],
    type[int],
    type[float],
    type[bool],
    type[bytes],
    type[list[Any]],
    type[set[Any]],
    type[tuple[Any, ...]],
    type[dict[str, Any]],
    type[Enum],
]
"""Built-in types accepted as a `response_model` or a tool (wrapped in a `value` field)."""


class AudioSegment(Protocol):
    """The part of `pydub.AudioSegment` that message conversion reads (pydub stays optional)."""

    def set_frame_rate(self, rate: int) -> AudioSegment: ...
    def set_channels(self, channels: int) -> AudioSegment: ...
    def set_sample_width(self, sample_width: int) -> AudioSegment: ...
    def export(self, format: str) -> Any: ...
    def read(self) -> bytes: ...


class ImageMetadata(BaseModel):
    """One image sent to the model, as counted for cost.

    Example:
        ```python
        ImageMetadata(width=0, height=0)  # Groq counts images without measuring them
        ```
    """

    model_config = ConfigDict(defer_build=True)  # schema built on first use, not at import

    width: int
    height: int
    tokens: int | None = None
    detail: str | None = None


class VideoMetadata(BaseModel):
    """One video sent to the model (v1's field set; Groq takes no video)."""

    model_config = ConfigDict(defer_build=True)

    duration_seconds: float
    with_audio: bool | None = False
    tokens: int | None = None


class AudioMetadata(BaseModel):
    """One audio clip sent to the model (v1's field set)."""

    model_config = ConfigDict(defer_build=True)

    duration_seconds: float
    with_timestamps: bool | None = False
    tokens: int | None = None


class GoogleMetadata(BaseModel):
    """Google-only pricing inputs (v1's field set; unused on Groq)."""

    model_config = ConfigDict(defer_build=True)

    use_vertex_ai: bool | None = False
    grounding_requests: int | None = None


class PDFImageMetadata(BaseModel):
    """One image inside a PDF (v1's field set)."""

    model_config = ConfigDict(defer_build=True)

    width: int
    height: int
    tokens: int | None = None


class PDFMetadata(BaseModel):
    """A PDF sent to the model (v1's field set; Groq takes no PDFs)."""

    model_config = ConfigDict(defer_build=True)

    page_count: int | None = None
    text_tokens: int | None = None
    images: list[PDFImageMetadata] | None = None
    cached: bool | None = None


class CostMetadata(BaseModel):
    """What `calculate_cost` needs to price one call.

    Example:
        ```python
        from mirascope.core import CostMetadata, calculate_cost

        metadata = CostMetadata(input_tokens=13, output_tokens=8)
        calculate_cost("groq", "llama-3.1-8b-instant", metadata)
        ```
    """

    model_config = ConfigDict(defer_build=True)

    input_tokens: int | float | None = None
    output_tokens: int | float | None = None
    cached_tokens: int | float | None = None
    streaming_mode: bool | None = None
    cached_response: bool | None = None
    context_length: int | None = None
    realtime_mode: bool | None = None
    region: str | None = None
    tier: str | None = None
    batch_mode: bool | None = False
    images: list[ImageMetadata] | None = Field(default=None)
    videos: list[VideoMetadata] | None = None
    audio: list[AudioMetadata] | None = None
    audio_output: list[AudioMetadata] | None = None
    pdf: PDFMetadata | None = None
    context_cache_tokens: int | None = None
    context_cache_hours: float | None = None
    google: GoogleMetadata | None = None
    realtime_tokens: int | None = None
    cache_write: bool | None = None
    tool_use_tokens: int | None = None
    cost: float | None = None


class Usage(BaseModel):
    """Provider-neutral token usage (`common_usage`).

    Example:
        ```python
        Usage(input_tokens=45, cached_tokens=0, output_tokens=3, total_tokens=48)
        ```
    """

    model_config = ConfigDict(defer_build=True)

    input_tokens: int
    cached_tokens: int
    output_tokens: int
    total_tokens: int


__all__ = [
    "AudioMetadata",
    "AudioSegment",
    "BaseType",
    "CostMetadata",
    "FinishReason",
    "GoogleMetadata",
    "ImageMetadata",
    "JsonableType",
    "LocalProvider",
    "PDFImageMetadata",
    "PDFMetadata",
    "Provider",
    "Usage",
    "VideoMetadata",
]
