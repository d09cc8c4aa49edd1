"""The SSE decoder: how the bytes are cut must not change the events."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mirascope.core.groq._sse import SSEDecoder

BODY = (
    b'data: {"a":1}\n\n'
    b": keep-alive comment\n\n"
    b'data: {"b":"x\\ny"}\n\n'
    b'event: error\ndata: {"error":{}}\n\n'
    b"data: first\ndata: second\n\n"
    b"data: [DONE]\n\n"
)
EVENTS = [
    (b'{"a":1}', None),
    (b'{"b":"x\\ny"}', None),
    (b'{"error":{}}', b"error"),
    (b"first\nsecond", None),
    (b"[DONE]", None),
]


def _decode(reads: list[bytes]) -> list[tuple[bytes, bytes | None]]:
    decoder = SSEDecoder()
    events = [event for data in reads for event in decoder.decode(data)]
    return events + decoder.flush()


def test_one_read_gives_every_event() -> None:
    assert _decode([BODY]) == EVENTS


def test_crlf_and_cr_framing() -> None:
    assert _decode([BODY.replace(b"\n", b"\r\n")]) == EVENTS
    assert _decode([BODY.replace(b"\n", b"\r")]) == EVENTS


def test_an_unterminated_last_event_is_not_dispatched() -> None:
    # WHATWG: an event the body ends inside is discarded; `tail` keeps it for the caller.
    decoder = SSEDecoder()
    assert decoder.decode(b'data: {"a":1}\n\ndata: {"b":2}') == [(b'{"a":1}', None)]
    assert decoder.tail == b'data: {"b":2}'
    assert _decode([b"data: x\n"]) == []


def test_data_without_space_after_colon() -> None:
    assert _decode([b"data:{}\n\n"]) == [(b"{}", None)]


@given(st.lists(st.integers(min_value=0, max_value=len(BODY)), max_size=12), st.booleans())
def test_any_cut_of_the_bytes_gives_the_same_events(cuts: list[int], crlf: bool) -> None:
    body = BODY.replace(b"\n", b"\r\n") if crlf else BODY
    points = sorted({min(c, len(body)) for c in cuts})
    reads = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
    assert _decode(reads) == EVENTS
