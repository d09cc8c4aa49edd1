"""`Messages.*`, the part models, and duck-typed PIL / pydub / wave content (pure logic)."""

from __future__ import annotations

import io
import subprocess
import sys
import types
import wave
from typing import Any

import pytest

from mirascope.core.base._template import render_messages
from mirascope.core.base.message_param import (
    AudioPart,
    BaseMessageParam,
    CacheControlPart,
    ImagePart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from mirascope.core.base.messages import Messages, is_audio_segment, is_pil_image, to_content_part

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8


class FakeImage:
    """Stands in for `PIL.Image.Image`: `format` and `save(fp, format=...)`."""

    def __init__(self, fmt: str | None) -> None:
        self.format = fmt
        self.saved_as: str | None = None

    def save(self, fp: io.BytesIO, format: str) -> None:
        self.saved_as = format
        fp.write(f"<{format}>".encode())


class FakeSegment:
    """Stands in for `pydub.AudioSegment`: `export(format=...)` returns a readable file."""

    def export(self, format: str) -> io.BytesIO:
        return io.BytesIO(f"<{format}>".encode())


@pytest.fixture
def fake_pil(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("PIL.Image")
    module.Image = FakeImage  # pyright: ignore[reportAttributeAccessIssue]
    monkeypatch.setitem(sys.modules, "PIL.Image", module)


@pytest.fixture
def fake_pydub(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("pydub")
    module.AudioSegment = FakeSegment  # pyright: ignore[reportAttributeAccessIssue]
    monkeypatch.setitem(sys.modules, "pydub", module)


def wav_reader() -> wave.Wave_read:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(b"\x01\x00\x02\x00")
    buffer.seek(0)
    return wave.open(buffer, "rb")


def test_messages_from_strings() -> None:
    assert Messages.System("s") == BaseMessageParam(role="system", content="s")
    assert Messages.User("u") == BaseMessageParam(role="user", content="u")
    assert Messages.Assistant("a") == BaseMessageParam(role="assistant", content="a")


def test_messages_from_a_sequence_of_strings_and_parts() -> None:
    part = ImagePart(media_type="image/png", image=PNG, detail="high")
    message = Messages.User(["What is this?", part, CacheControlPart()])
    assert message == BaseMessageParam(
        role="user",
        content=[TextPart(text="What is this?"), part, CacheControlPart(cache_type="ephemeral")],
    )
    assert message.content[1] is part  # parts are kept, not copied


def test_pil_images_become_image_parts(fake_pil: None) -> None:
    jpeg, unknown = FakeImage("JPEG"), FakeImage(None)
    message = Messages.User([jpeg, unknown])
    assert message.content == [
        ImagePart(media_type="image/jpeg", image=b"<JPEG>", detail=None),
        ImagePart(media_type="image/png", image=b"<PNG>", detail=None),
    ]
    assert unknown.saved_as == "PNG"  # formats providers reject are re-encoded


def test_pil_image_in_a_template_takes_the_detail_option(fake_pil: None) -> None:
    assert render_messages("{img:image(detail=low)}", {"img": FakeImage("GIF")}) == [
        BaseMessageParam(
            role="user", content=[ImagePart(media_type="image/gif", image=b"<GIF>", detail="low")]
        )
    ]


def test_pydub_segments_become_wav_parts(fake_pydub: None) -> None:
    assert Messages.User([FakeSegment()]).content == [
        AudioPart(media_type="audio/wav", audio=b"<wav>")
    ]


def test_wave_reader_becomes_a_complete_wav_file() -> None:
    part = to_content_part(wav_reader())
    assert isinstance(part, AudioPart)
    assert part.media_type == "audio/wav"
    assert isinstance(part.audio, bytes)
    with wave.open(io.BytesIO(part.audio), "rb") as reread:
        assert (reread.getnchannels(), reread.getsampwidth(), reread.getframerate()) == (1, 2, 8000)
        assert reread.readframes(10) == b"\x01\x00\x02\x00"


def test_wave_reader_in_an_audio_template_spec() -> None:
    (message,) = render_messages("{a:audio}", {"a": wav_reader()})
    assert isinstance(message, BaseMessageParam)
    assert [type(p) for p in message.content] == [AudioPart]


def test_lookalikes_are_not_detected_without_the_library() -> None:
    # Without PIL/pydub loaded (or with unrelated classes), nothing is duck-typed by name alone.
    assert not is_pil_image(FakeImage("PNG"))
    assert not is_audio_segment(FakeSegment())
    with pytest.raises(ValueError, match="Unsupported message content item of type FakeImage"):
        Messages.User([FakeImage("PNG")])


@pytest.mark.parametrize("item", [1, b"bytes", None, {"type": "text"}])
def test_unsupported_items_raise(item: Any) -> None:
    with pytest.raises(ValueError, match="Unsupported message content item"):
        Messages.User(["ok", item])


def test_real_pillow_image_if_installed() -> None:
    image_module: Any = pytest.importorskip("PIL.Image")
    image = image_module.new("RGB", (2, 2))
    (part,) = Messages.User([image]).content
    assert isinstance(part, ImagePart)
    assert part.media_type == "image/png"
    assert part.image.startswith(b"\x89PNG")


def test_importing_messages_does_not_import_optional_packages() -> None:
    code = (
        "import sys, mirascope.core.base.messages, mirascope.core.base._template, "
        "mirascope.core.base.prompt\n"
        "print(sorted(m for m in ('PIL', 'pydub', 'tenacity') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_part_models_keep_v1_fields_and_discriminate_dicts() -> None:
    message = BaseMessageParam.model_validate(
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "calling"},
                {"type": "tool_call", "name": "f", "args": {"a": 1}, "id": "c1"},
                {"type": "tool_result", "content": "ok"},
            ],
        }
    )
    assert message.content == [
        TextPart(type="text", text="calling"),
        ToolCallPart(type="tool_call", name="f", args={"a": 1}, id="c1"),
        ToolResultPart(type="tool_result", name="", content="ok", id=None, is_error=False),
    ]
    assert ToolCallPart(name="f").args is None
    with pytest.raises(ValueError, match="detail"):
        ImagePart(media_type="image/png", image=PNG)  # pyright: ignore[reportCallIssue]
