"""Provider-neutral messages and their content parts (the v1 `message_param` module).

A `BaseMessageParam` is a role plus either a plain string or a sequence of parts. Every part is a
pydantic model whose `type` literal is the discriminator, so a list of part dicts validates into the
right classes. Field names and types are v1's; the only relaxation is that `type` defaults to its
literal, so `TextPart(text="hi")` works as well as v1's `TextPart(type="text", text="hi")`.

Providers decide which parts they can send: Groq takes text and images (see
`mirascope.core.groq._convert`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal, TypeAlias, Union

from pydantic import BaseModel, ConfigDict, Field


class TextPart(BaseModel):
    """A piece of text.

    Example:
        ```python
        TextPart(type="text", text="Recommend a fantasy book.")
        ```
    """

    model_config = ConfigDict(defer_build=True)  # schema built on first use, not at import

    type: Literal["text"] = "text"
    text: str


class ImagePart(BaseModel):
    """Image bytes with their media type.

    Example:
        ```python
        ImagePart(type="image", media_type="image/png", image=png_bytes, detail=None)
        ```
    """

    model_config = ConfigDict(defer_build=True)

    type: Literal["image"] = "image"
    media_type: str
    """For example `"image/png"`; Groq accepts jpeg, png, gif and webp."""
    image: bytes
    detail: str | None
    """`"auto"`, `"low"` or `"high"`; `None` lets the provider choose (Groq sends `"auto"`)."""


class ImageURLPart(BaseModel):
    """An image the provider fetches itself.

    Example:
        ```python
        ImageURLPart(type="image_url", url="https://example.com/cat.png", detail=None)
        ```
    """

    model_config = ConfigDict(defer_build=True)

    type: Literal["image_url"] = "image_url"
    url: str
    detail: str | None
    """Kept for other providers; Groq drops it for URL images, as v1 does."""


class AudioPart(BaseModel):
    """Audio data with its media type. Groq does not accept audio in chat messages.

    Example:
        ```python
        AudioPart(type="audio", media_type="audio/wav", audio=wav_bytes)
        ```
    """

    model_config = ConfigDict(defer_build=True)

    type: Literal["audio"] = "audio"
    media_type: str
    audio: bytes | str
    """Raw bytes, or base64 text."""


class AudioURLPart(BaseModel):
    """Audio the provider fetches itself. Groq does not accept audio in chat messages.

    Example:
        ```python
        AudioURLPart(type="audio_url", url="https://example.com/speech.mp3")
        ```
    """

    model_config = ConfigDict(defer_build=True)

    type: Literal["audio_url"] = "audio_url"
    url: str


class CacheControlPart(BaseModel):
    """A prompt-caching breakpoint (Anthropic-style). Groq rejects it.

    Example:
        ```python
        CacheControlPart(type="cache_control", cache_type="ephemeral")
        ```
    """

    model_config = ConfigDict(defer_build=True)

    type: Literal["cache_control"] = "cache_control"
    cache_type: str = "ephemeral"


class DocumentPart(BaseModel):
    """Document bytes (PDF) with their media type. Groq rejects documents.

    Example:
        ```python
        DocumentPart(type="document", media_type="application/pdf", document=pdf_bytes)
        ```
    """

    model_config = ConfigDict(defer_build=True)

    type: Literal["document"] = "document"
    media_type: str
    document: bytes


class DocumentURLPart(BaseModel):
    """A document the provider fetches itself. Groq rejects documents.

    Example:
        ```python
        DocumentURLPart(type="document_url", url="https://example.com/paper.pdf")
        ```
    """

    model_config = ConfigDict(defer_build=True)

    type: Literal["document_url"] = "document_url"
    url: str


class ToolCallPart(BaseModel):
    """A tool call the assistant made.

    Example:
        ```python
        ToolCallPart(type="tool_call", name="get_weather", args={"city": "Paris"}, id="call_1")
        ```
    """

    model_config = ConfigDict(defer_build=True)

    type: Literal["tool_call"] = "tool_call"
    name: str
    args: dict[str, Any] | None = None
    """The parsed arguments; `None` means none were given."""
    id: str | None = None


class ToolResultPart(BaseModel):
    """The output of a tool call, sent back to the model.

    Example:
        ```python
        ToolResultPart(type="tool_result", name="get_weather", content="22°C", id="call_1")
        ```
    """

    model_config = ConfigDict(defer_build=True)

    type: Literal["tool_result"] = "tool_result"
    name: str = ""
    content: str
    id: str | None = None
    """The id of the tool call this answers."""
    is_error: bool = False


ContentPart: TypeAlias = Union[
    TextPart,
    ImagePart,
    ImageURLPart,
    AudioPart,
    AudioURLPart,
    CacheControlPart,
    DocumentPart,
    DocumentURLPart,
    ToolCallPart,
    ToolResultPart,
]
"""Any part a `BaseMessageParam` may hold."""

CONTENT_PART_TYPES: tuple[type[BaseModel], ...] = (
    TextPart,
    ImagePart,
    ImageURLPart,
    AudioPart,
    AudioURLPart,
    CacheControlPart,
    DocumentPart,
    DocumentURLPart,
    ToolCallPart,
    ToolResultPart,
)
"""The part classes, for `isinstance` checks."""


class BaseMessageParam(BaseModel):
    """One message, independent of any provider.

    Example:
        ```python
        BaseMessageParam(role="user", content="Recommend a fantasy book.")
        BaseMessageParam(role="user", content=[TextPart(text="What is this?"), image_part])
        ```
    """

    model_config = ConfigDict(defer_build=True)

    role: str
    """`"system"`, `"user"`, `"assistant"` or `"tool"`."""
    content: str | Sequence[Annotated[ContentPart, Field(discriminator="type")]]


__all__ = [
    "CONTENT_PART_TYPES",
    "AudioPart",
    "AudioURLPart",
    "BaseMessageParam",
    "CacheControlPart",
    "ContentPart",
    "DocumentPart",
    "DocumentURLPart",
    "ImagePart",
    "ImageURLPart",
    "TextPart",
    "ToolCallPart",
    "ToolResultPart",
]
