"""Conversion between `BaseMessageParam`s and Groq message dicts (pure logic)."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
from groq.types.chat import ChatCompletionMessage
from hypothesis import given
from hypothesis import strategies as st

from mirascope.core.base.message_param import (
    AudioPart,
    AudioURLPart,
    BaseMessageParam,
    CacheControlPart,
    ContentPart,
    DocumentPart,
    DocumentURLPart,
    ImagePart,
    ImageURLPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from mirascope.core.groq._convert import (
    convert_message_params,
    count_images,
    to_base_message_params,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
PNG_URL = "data:image/png;base64," + base64.b64encode(PNG).decode()


def msg(role: str, content: Any) -> BaseMessageParam:
    return BaseMessageParam(role=role, content=content)


# --- to Groq ---------------------------------------------------------------------------------


def test_text_messages() -> None:
    assert convert_message_params(
        [msg("system", "s"), msg("user", "u"), msg("assistant", "a")]
    ) == [
        {"role": "system", "content": "s"},
        {"role": "user", "content": "u"},
        {"role": "assistant", "content": "a"},
    ]


def test_user_parts_with_images() -> None:
    message = msg(
        "user",
        [
            TextPart(text="What are these?"),
            ImagePart(media_type="image/png", image=PNG, detail=None),
            ImagePart(media_type="image/webp", image=b"x", detail="low"),
            ImageURLPart(url="https://example.com/cat.jpg", detail="high"),
        ],
    )
    webp_url = "data:image/webp;base64," + base64.b64encode(b"x").decode()
    assert convert_message_params([message]) == [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What are these?"},
                {"type": "image_url", "image_url": {"url": PNG_URL, "detail": "auto"}},
                {"type": "image_url", "image_url": {"url": webp_url, "detail": "low"}},
                {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}},
            ],
        }
    ]


def test_unsupported_image_media_type() -> None:
    with pytest.raises(ValueError, match=re.escape("unsupported image media type 'image/heic'")):
        convert_message_params(
            [msg("user", [ImagePart(media_type="image/heic", image=b"", detail=None)])]
        )


def test_assistant_tool_calls_take_the_text_as_content() -> None:
    message = msg(
        "assistant",
        [
            TextPart(text="Let me check."),
            ToolCallPart(name="get_weather", args={"city": "Paris"}, id="c1"),
            ToolCallPart(name="get_time", id="c2"),
        ],
    )
    assert convert_message_params([message]) == [
        {
            "role": "assistant",
            "content": "Let me check.",
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                },
                {
                    "id": "c2",
                    "type": "function",
                    "function": {"name": "get_time", "arguments": "{}"},
                },
            ],
        }
    ]


def test_tool_call_only_assistant_message_has_empty_string_content_and_no_nulls() -> None:
    (converted,) = convert_message_params(
        [msg("assistant", [ToolCallPart(name="f", args={}, id="c")])]
    )
    assert converted == {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}
        ],
    }


def test_tool_results_become_tool_messages_before_the_rest() -> None:
    message = msg(
        "user",
        [
            TextPart(text="And now?"),
            ToolResultPart(name="get_weather", content="22C", id="c1"),
            ToolResultPart(content="ok", id="c2"),
        ],
    )
    assert convert_message_params([message]) == [
        {"role": "tool", "content": "22C", "tool_call_id": "c1", "name": "get_weather"},
        {"role": "tool", "content": "ok", "tool_call_id": "c2"},
        {"role": "user", "content": [{"type": "text", "text": "And now?"}]},
    ]


def test_tool_role_message_with_only_results_emits_only_tool_messages() -> None:
    message = msg("tool", [ToolResultPart(name="f", content="1", id="c")])
    assert convert_message_params([message]) == [
        {"role": "tool", "content": "1", "tool_call_id": "c", "name": "f"}
    ]


def test_system_and_assistant_text_parts_are_joined() -> None:
    parts = [TextPart(text="one"), TextPart(text="two")]
    assert convert_message_params([msg("system", parts), msg("assistant", parts)]) == [
        {"role": "system", "content": "one\ntwo"},
        {"role": "assistant", "content": "one\ntwo"},
    ]


def test_native_dicts_pass_through_untouched() -> None:
    native = {"role": "assistant", "content": None, "weird": 1}
    (converted,) = convert_message_params([native])
    assert converted is native


@pytest.mark.parametrize(
    "part",
    [
        AudioPart(media_type="audio/wav", audio=b""),
        AudioURLPart(url="https://a/b.mp3"),
        DocumentPart(media_type="application/pdf", document=b""),
        DocumentURLPart(url="https://a/b.pdf"),
        CacheControlPart(),
    ],
)
def test_parts_groq_cannot_take_raise(part: ContentPart) -> None:
    expected = (
        f"Groq supports text and images only: a {part.type!r} part ({type(part).__name__}) "
        "cannot be sent in a 'user' message"
    )
    with pytest.raises(ValueError, match="^" + re.escape(expected) + "$"):
        convert_message_params([msg("user", [TextPart(text="hi"), part])])


@pytest.mark.parametrize("role", ["system", "assistant"])
def test_images_outside_user_messages_raise(role: str) -> None:
    with pytest.raises(ValueError, match=f"cannot be sent in a '{role}' message"):
        convert_message_params([msg(role, [ImageURLPart(url="u", detail=None)])])


def test_tool_calls_outside_assistant_messages_raise() -> None:
    with pytest.raises(ValueError, match="only be sent in an assistant message, not 'user'"):
        convert_message_params([msg("user", [ToolCallPart(name="f", id="c")])])


def test_tool_parts_without_ids_raise() -> None:
    with pytest.raises(ValueError, match="ToolCallPart 'f' has no id"):
        convert_message_params([msg("assistant", [ToolCallPart(name="f")])])
    with pytest.raises(ValueError, match="ToolResultPart 'f' has no id"):
        convert_message_params([msg("user", [ToolResultPart(name="f", content="x")])])


def test_empty_parts_message_is_dropped_as_in_v1() -> None:
    assert convert_message_params([msg("user", [])]) == []


def test_count_images() -> None:
    converted = convert_message_params(
        [
            msg("user", [TextPart(text="a"), ImageURLPart(url="u", detail=None)]),
            msg("user", "plain"),
            msg("user", [ImagePart(media_type="image/png", image=PNG, detail=None)] * 2),
        ]
    )
    assert count_images(converted) == 3
    assert count_images([{"role": "assistant", "content": None}]) == 0


# --- back to BaseMessageParam ----------------------------------------------------------------


def test_to_base_from_dicts() -> None:
    messages = [
        {"role": "system", "content": "s"},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "look"},
                {"type": "image_url", "image_url": {"url": "https://a/b.png", "detail": "low"}},
                {"type": "image_url", "image_url": {"url": PNG_URL}},
            ],
        },
        {
            "role": "assistant",
            "content": "checking",
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "f", "arguments": '{"a": 1}'},
                },
                {"id": "c2", "type": "function", "function": {"name": "g", "arguments": ""}},
            ],
        },
        {"role": "tool", "content": "42", "tool_call_id": "c1", "name": "f"},
        {"role": "assistant", "content": None},
    ]
    assert to_base_message_params(messages) == [
        msg("system", "s"),
        msg(
            "user",
            [
                TextPart(text="look"),
                ImageURLPart(url="https://a/b.png", detail="low"),
                ImagePart(media_type="image/png", image=PNG, detail=None),
            ],
        ),
        msg(
            "assistant",
            [
                TextPart(text="checking"),
                ToolCallPart(name="f", args={"a": 1}, id="c1"),
                ToolCallPart(name="g", args={}, id="c2"),
            ],
        ),
        msg("tool", [ToolResultPart(name="f", content="42", id="c1")]),
        msg("assistant", ""),
    ]


def test_to_base_from_sdk_models() -> None:
    sdk = ChatCompletionMessage.model_validate(
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "f", "arguments": '{"x": [1]}'},
                }
            ],
        }
    )
    assert to_base_message_params([sdk]) == [
        msg("assistant", [ToolCallPart(name="f", args={"x": [1]}, id="c1")])
    ]


def test_to_base_rejects_bad_arguments_and_unknown_parts() -> None:
    bad_args = {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": "f", "arguments": "[1]"}}
        ],
    }
    with pytest.raises(ValueError, match="not a JSON object"):
        to_base_message_params([bad_args])
    bad_json = {
        "role": "assistant",
        "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{"}}
        ],
    }
    with pytest.raises(ValueError, match="not JSON"):
        to_base_message_params([bad_json])
    with pytest.raises(ValueError, match="unsupported Groq content part type 'input_audio'"):
        to_base_message_params([{"role": "user", "content": [{"type": "input_audio"}]}])


# --- round trip ------------------------------------------------------------------------------

_text = st.text(max_size=20)
_ids = st.text(alphabet="abc123", min_size=1, max_size=6)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
_user_parts = st.lists(
    st.one_of(
        st.builds(TextPart, text=_text),
        st.builds(ImageURLPart, url=st.just("https://a/b.png"), detail=st.none()),
        st.builds(
            ImagePart,
            media_type=st.just("image/png"),
            image=st.binary(max_size=8).map(lambda b: PNG + b),
            detail=st.sampled_from(["auto", "low", "high"]),
        ),
    ),
    min_size=1,
    max_size=4,
)
_messages = st.lists(
    st.one_of(
        st.builds(msg, st.sampled_from(["system", "user", "assistant"]), _text),
        st.builds(msg, st.just("user"), _user_parts),
        st.builds(
            msg,
            st.just("assistant"),
            st.lists(
                st.builds(
                    ToolCallPart,
                    name=_ids,
                    args=st.dictionaries(st.text(max_size=4), _json_values, max_size=3),
                    id=_ids,
                ),
                min_size=1,
                max_size=3,
            ),
        ),
        st.builds(
            msg,
            st.just("tool"),
            st.builds(ToolResultPart, name=_ids, content=_text, id=_ids).map(lambda p: [p]),
        ),
    ),
    max_size=5,
)


@given(_messages)
def test_round_trip_is_stable(messages: list[BaseMessageParam]) -> None:
    converted = convert_message_params(messages)
    json.dumps(converted)  # plain JSON-able dicts, no SDK objects
    assert convert_message_params(to_base_message_params(converted)) == converted
    for message in converted:
        assert None not in message.values()
