"""`Messages.System/User/Assistant`: build messages from Python values.

Content is a string, or a sequence of strings, parts, PIL images, pydub segments and `wave` readers.
Pillow and pydub are optional and never imported here: a value is recognised as a PIL image or a
pydub segment only if that library is already loaded (`sys.modules`) and the value is an instance
of its class. A value of that kind cannot exist without its library having been imported.
"""

from __future__ import annotations

import io
import sys
import wave
from collections.abc import Sequence
from typing import Any, TypeAlias, Union

from mirascope.core.base.message_param import (
    CONTENT_PART_TYPES,
    AudioPart,
    BaseMessageParam,
    ContentPart,
    ImagePart,
    TextPart,
)

# PIL formats that every provider (Groq included) accepts; others are re-encoded as PNG.
_WEB_IMAGE_FORMATS = {"JPEG": "jpeg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def _loaded_class(module: str, name: str) -> type[Any] | None:
    """The class `module.name` if that module is already imported, else None (never imports)."""
    loaded = sys.modules.get(module)
    cls = getattr(loaded, name, None) if loaded is not None else None
    return cls if isinstance(cls, type) else None


def is_pil_image(value: object) -> bool:
    """Whether `value` is a `PIL.Image.Image`, without importing Pillow.

    Example:
        ```python
        is_pil_image("not an image")  # False
        ```
    """
    cls = _loaded_class("PIL.Image", "Image")
    return cls is not None and isinstance(value, cls)


def is_audio_segment(value: object) -> bool:
    """Whether `value` is a `pydub.AudioSegment`, without importing pydub.

    Example:
        ```python
        is_audio_segment(b"RIFF")  # False
        ```
    """
    cls = _loaded_class("pydub", "AudioSegment")
    return cls is not None and isinstance(value, cls)


def _image_part_from_pil(image: Any) -> ImagePart:
    pil_format = str(image.format or "").upper()
    subtype = _WEB_IMAGE_FORMATS.get(pil_format)
    if subtype is None:
        # In-memory images have no format, and BMP/TIFF are not accepted by providers.
        pil_format, subtype = "PNG", "png"
    buffer = io.BytesIO()
    image.save(buffer, format=pil_format)
    data = buffer.getvalue()
    return ImagePart(type="image", media_type=f"image/{subtype}", image=data, detail=None)


def _audio_part_from_segment(segment: Any) -> AudioPart:
    data = segment.export(format="wav").read()
    return AudioPart(type="audio", media_type="audio/wav", audio=bytes(data))


def _audio_part_from_wave(reader: wave.Wave_read) -> AudioPart:
    # A Wave_read yields raw frames; wrap them in a RIFF header again so the bytes are a real WAV.
    reader.rewind()
    frames = reader.readframes(reader.getnframes())
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(reader.getnchannels())
        writer.setsampwidth(reader.getsampwidth())
        writer.setframerate(reader.getframerate())
        writer.writeframes(frames)
    return AudioPart(type="audio", media_type="audio/wav", audio=buffer.getvalue())


def to_content_part(value: object) -> ContentPart:
    """Convert one item of message content into a part.

    Strings become `TextPart`s, parts are kept, PIL images become `ImagePart`s (their own format
    when it is jpeg/png/gif/webp, else PNG), pydub segments and `wave` readers become WAV
    `AudioPart`s.

    Raises:
        ValueError: for any other kind of value.

    Example:
        ```python
        to_content_part("hi")  # TextPart(type="text", text="hi")
        ```
    """
    if isinstance(value, str):
        return TextPart(type="text", text=value)
    if isinstance(value, CONTENT_PART_TYPES):
        return value  # pyright: ignore[reportReturnType] - the tuple holds exactly ContentPart's members
    if is_pil_image(value):
        return _image_part_from_pil(value)
    if is_audio_segment(value):
        return _audio_part_from_segment(value)
    if isinstance(value, wave.Wave_read):
        return _audio_part_from_wave(value)
    raise ValueError(
        f"Unsupported message content item of type {type(value).__name__}: expected a str, a "
        "content part, a PIL image, a pydub AudioSegment or a wave.Wave_read."
    )


def to_content(content: object) -> str | list[ContentPart]:
    """Convert message content: a string stays a string, a sequence becomes a list of parts.

    Raises:
        ValueError: if `content` is neither, or holds an unsupported item.

    Example:
        ```python
        to_content(["Describe:", image_part])  # [TextPart(...), image_part]
        ```
    """
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence) and not isinstance(content, (bytes, bytearray)):
        items: Sequence[object] = content  # pyright: ignore[reportUnknownVariableType]
        return [to_content_part(item) for item in items]
    return [to_content_part(content)]


class Messages:
    """Constructors for `BaseMessageParam`s, for shorthand prompts.

    Example:
        ```python
        from mirascope.core import Messages, groq

        @groq.call("llama-3.1-8b-instant")
        def recommend_book(genre: str) -> Messages.Type:
            return [
                Messages.System("You are a librarian."),
                Messages.User(f"Recommend a {genre} book."),
            ]
        ```
    """

    Type: TypeAlias = Union[
        str,
        Sequence[Union[str, ContentPart, Any]],
        list[BaseMessageParam],
        BaseMessageParam,
    ]
    """What a shorthand prompt function may return."""

    @staticmethod
    def System(content: str | Sequence[Any]) -> BaseMessageParam:
        """A system message.

        Example:
            ```python
            Messages.System("You are a librarian.")
            ```
        """
        return BaseMessageParam(role="system", content=to_content(content))

    @staticmethod
    def User(content: str | Sequence[Any]) -> BaseMessageParam:
        """A user message; content may mix text, parts, PIL images and audio.

        Example:
            ```python
            Messages.User(["What is in this picture?", pil_image])
            ```
        """
        return BaseMessageParam(role="user", content=to_content(content))

    @staticmethod
    def Assistant(content: str | Sequence[Any]) -> BaseMessageParam:
        """An assistant message, for example a previous answer kept in history.

        Example:
            ```python
            Messages.Assistant("I recommend The Name of the Wind.")
            ```
        """
        return BaseMessageParam(role="assistant", content=to_content(content))


__all__ = ["Messages", "is_audio_segment", "is_pil_image", "to_content", "to_content_part"]
