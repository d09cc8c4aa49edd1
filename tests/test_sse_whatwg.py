"""The SSE decoder against a direct reading of the WHATWG event-stream algorithm.

Reference: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
(lines end at CRLF, LF or CR; one leading BOM is skipped; `data` appends value + LF; a blank line
dispatches when the data buffer is not empty, with the LF removed; `event` sets the type, an
empty type meaning "message"; comments and other fields are ignored; the end of the stream
discards an unterminated event). Hypothesis builds streams from those pieces, frames each line
with CR, LF or CRLF, and cuts the bytes anywhere.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mirascope.core.groq._sse import SSEDecoder, is_cut_done

BOM = b"\xef\xbb\xbf"


def whatwg(stream: bytes) -> tuple[list[tuple[bytes, bytes | None]], bool]:
    """Events of `stream` as the spec dispatches them, and whether it ended inside an event."""
    if stream.startswith(BOM):
        stream = stream[3:]
    events: list[tuple[bytes, bytes | None]] = []
    data = b""
    has_data = False
    event_type = b""
    line = bytearray()
    after_cr = False

    def process(raw: bytes) -> None:
        nonlocal data, has_data, event_type
        if raw == b"":  # dispatch
            if has_data:
                value = data[:-1] if data.endswith(b"\n") else data
                kind = event_type or b"message"
                events.append((value, None if kind == b"message" else kind))
            data, has_data, event_type = b"", False, b""
            return
        if raw.startswith(b":"):
            return
        if b":" in raw:
            name, value = raw.split(b":", 1)
            if value.startswith(b" "):
                value = value[1:]
        else:
            name, value = raw, b""
        if name == b"data":
            data += value + b"\n"
            has_data = True
        elif name == b"event":
            event_type = value

    for byte in stream:
        if byte == 0x0A and after_cr:  # the LF of a CRLF
            after_cr = False
            continue
        after_cr = False
        if byte in (0x0A, 0x0D):
            process(bytes(line))
            line.clear()
            after_cr = byte == 0x0D
        else:
            line.append(byte)
    pending = bool(line) or has_data or bool(event_type)
    return events, pending


VALUES = st.text(alphabet=' ab:é{}"[]DONE', max_size=6).map(lambda s: s.encode())
LINES = st.one_of(
    st.builds(lambda v: b"data: " + v, VALUES),
    st.builds(lambda v: b"data:" + v, VALUES),
    st.just(b"data"),
    st.sampled_from([b"event: message", b"event:", b"event: error", b"event: ping", b"event"]),
    st.builds(lambda v: b": " + v, VALUES),
    st.sampled_from([b"id: 7", b"retry: 1000", b"foo: bar", b"", b"", b"", BOM + b"data: x"]),
)


@st.composite
def streams(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(LINES, max_size=14))
    ends = draw(
        st.lists(st.sampled_from([b"\n", b"\r", b"\r\n"]), min_size=len(lines), max_size=len(lines))
    )
    body = b"".join(line + end for line, end in zip(lines, ends, strict=True))
    if draw(st.booleans()):
        body += draw(LINES)  # an unterminated last line
    if draw(st.booleans()):
        body = BOM + body
    return body


def decode(stream: bytes, cuts: list[int]) -> tuple[list[tuple[bytes, bytes | None]], bool]:
    points = sorted({min(c, len(stream)) for c in cuts})
    decoder = SSEDecoder()
    events = []
    for a, b in zip([0, *points], [*points, len(stream)], strict=True):
        events += decoder.decode(stream[a:b])
    events += decoder.flush()
    return events, decoder.tail != b""


@given(streams(), st.lists(st.integers(min_value=0, max_value=200), max_size=10))
def test_any_stream_cut_anywhere_decodes_as_whatwg_says(stream: bytes, cuts: list[int]) -> None:
    assert decode(stream, cuts) == whatwg(stream)


@given(streams())
def test_byte_at_a_time_decodes_as_whatwg_says(stream: bytes) -> None:
    assert decode(stream, list(range(len(stream)))) == whatwg(stream)


def test_examples_from_the_issue() -> None:
    assert whatwg(b"event: message\ndata: a\n\n") == ([(b"a", None)], False)
    assert decode(b"event: message\ndata: a\n\n", []) == ([(b"a", None)], False)
    assert decode(b"event:\ndata: a\n\n", []) == ([(b"a", None)], False)
    assert decode(BOM + b"data: a\n\n", [1, 2]) == ([(b"a", None)], False)
    assert decode(BOM + BOM + b"data: a\n\n", []) == ([], False)  # only one BOM is skipped
    decoder = SSEDecoder()
    assert decoder.decode(b"data: a\r\r") == [(b"a", None)]  # at once, not at the next byte
    assert decoder.decode(b"\ndata: b\r\n\r\n") == [(b"b", None)]  # that LF closed the CR
    assert decode(b"data: a\n\ndata: b", []) == ([(b"a", None)], True)


def test_a_cut_inside_done_is_recognised() -> None:
    for tail in (b"d", b"data: [DO", b"data: [DONE]", b"data: [DONE]\n"):
        assert is_cut_done(tail)
    for tail in (b"", b"data: {", b"data: [DONE]x", b": comment"):
        assert not is_cut_done(tail)


def test_one_event_fed_in_many_pieces_is_joined_once() -> None:
    payload = b"x" * 100_000
    decoder = SSEDecoder()
    body = b"data: " + payload + b"\n\n"
    events = [e for i in range(0, len(body), 4096) for e in decoder.decode(body[i : i + 4096])]
    assert events == [(payload, None)]
