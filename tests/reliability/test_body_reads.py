"""Issue 14: the stream body read straight from httpcore's socket (`_body`), sync and async.

The de-chunker is checked against the framing it must undo (any split of the bytes, chunk
extensions, trailers, bad framing); end to end, raw-socket bodies sent in odd pieces must give
the same pairs, a finished stream must hand its connection back to the pool, and bad framing or
a cut body must raise the documented errors.
"""

from __future__ import annotations

import json
import time

import pytest
from groq_e2e_helpers import MODEL, ask, chunk_dict, usage_u
from hypothesis import given, settings
from hypothesis import strategies as st
from raw_server import SSE_HEADERS, RawServer, chunk, close_abruptly
from reliability_helpers import SECRET_KEY, consume, new_client

from mirascope.core.groq._body import Dechunker
from mirascope.core.groq.errors import GroqStreamConnectionError

# -- the de-chunker ------------------------------------------------------------------------


def _frame(payloads: list[bytes], trailer: bytes = b"", ext: bool = False) -> bytes:
    out = b""
    for payload in payloads:
        size = f"{len(payload):X}" if ext else f"{len(payload):x}"
        out += size.encode() + (b";name=value" if ext else b"") + b"\r\n" + payload + b"\r\n"
    return out + b"0\r\n" + trailer + b"\r\n"


def _feed_in_pieces(data: bytes, cuts: list[int]) -> tuple[bytes, Dechunker]:
    dechunker, out, last = Dechunker(), b"", 0
    for cut in [*sorted(set(cuts)), len(data)]:
        if cut > last:
            out += dechunker.feed(data[last:cut])
            last = cut
        if dechunker.done:
            break
    return out, dechunker


@settings(max_examples=300, deadline=None)
@given(
    payloads=st.lists(st.binary(min_size=1, max_size=40), max_size=12),
    cut_fractions=st.lists(st.floats(0, 1), max_size=30),
    trailer=st.sampled_from([b"", b"x-check: 1\r\n", b"a: b\r\nc: d\r\n"]),
    ext=st.booleans(),
)
def test_any_split_of_the_framing_gives_the_payload(payloads, cut_fractions, trailer, ext):
    body = _frame(payloads, trailer, ext)
    cuts = [int(f * len(body)) for f in cut_fractions]
    out, dechunker = _feed_in_pieces(body, cuts)
    assert out == b"".join(payloads)
    assert dechunker.done
    assert dechunker.terminator.startswith(b"0\r\n") and dechunker.terminator.endswith(b"\r\n\r\n")


def test_bytes_after_the_last_chunk_stay_in_the_terminator():
    dechunker = Dechunker()
    assert dechunker.feed(_frame([b"abc"]) + b"HTTP/1.1") == b"abc"
    assert dechunker.done and dechunker.terminator == b"0\r\n\r\nHTTP/1.1"


@pytest.mark.parametrize(
    "body",
    [b"zz\r\nabc\r\n", b"3\r\nabcXY", b"0x3\r\nabc\r\n", b"-3\r\nabc\r\n", b"\r\n"],
    ids=["not-hex", "bad-footer", "0x-prefix", "negative", "empty-size"],
)
def test_bad_framing_fails_after_the_good_payload(body):
    dechunker = Dechunker()
    assert dechunker.feed(b"2\r\nok\r\n" + body) in (b"ok", b"okabc")  # h11 too yields "abc"
    assert isinstance(dechunker.failure, ValueError)


def test_a_cut_size_line_is_kept_not_guessed():
    dechunker = Dechunker()
    assert dechunker.feed(b"1") == b""
    assert dechunker.feed(b"0\r\n" + b"x" * 16 + b"\r\n") == b"x" * 16
    assert not dechunker.done


# -- end to end ---------------------------------------------------------------------------


def _data(delta: dict, finish: str | None = None, **extra) -> bytes:
    obj = {
        "id": "chatcmpl-raw",
        "object": "chat.completion.chunk",
        "created": 1770770839,
        "model": MODEL,
        **chunk_dict(delta, finish, **extra),
    }
    return b"data: " + json.dumps(obj).encode() + b"\n\n"


WORDS = [f" w{i}" for i in range(40)]


def _body() -> bytes:
    events = [_data({"role": "assistant", "content": ""})]
    events += [_data({"content": w}) for w in WORDS]
    events.append(_data({}, "stop", x_groq={"id": "req_raw", "usage": usage_u()}))
    events.append(b"data: [DONE]\n\n")
    return b"".join(chunk(e) for e in events) + b"0\r\n\r\n"


def _pieces(step: int):
    """Send the response in `step`-byte writes (1 = byte by byte), pausing now and then."""

    def handler(conn, server: RawServer) -> None:
        data = SSE_HEADERS + _body()
        for i in range(0, len(data), step):
            conn.sendall(data[i : i + step])
            if i % (step * 50) == 0:
                time.sleep(0.001)

    return handler


async def _stream_text(flavor, client) -> tuple[str, Exception | None]:
    stream = await flavor.invoke(flavor.call(ask, client=client, stream=True), "Hi")
    pairs, error = await consume(flavor, stream)
    return "".join(c.content for c, _ in pairs), error


@pytest.mark.parametrize("step", [1, 7, 100, 100_000])
async def test_any_split_of_the_body_gives_every_chunk_and_reuses_the_connection(flavor, step):
    with RawServer(_pieces(step)) as server:
        client = new_client(flavor, base_url=server.url, api_key=SECRET_KEY)
        for _ in range(2):
            text, error = await _stream_text(flavor, client)
            assert error is None
            assert text == "".join(WORDS)
        assert server.requests == 2
        assert len(server._threads) == 1, "the finished stream gave its connection back"
        assert not server.errors


def _framing(bad: bytes):
    def handler(conn, server: RawServer) -> None:
        conn.sendall(SSE_HEADERS + chunk(_data({"role": "assistant", "content": "Hi"})) + bad)
        time.sleep(0.05)
        close_abruptly(conn)

    return handler


@pytest.mark.parametrize(
    "bad", [b"zz\r\ndata\r\n", b"5\r\nabcdeXX", b""], ids=["bad-size", "bad-footer", "cut"]
)
async def test_bad_framing_or_a_cut_keeps_the_first_chunk_and_raises(flavor, bad):
    with RawServer(_framing(bad)) as server:
        client = new_client(flavor, base_url=server.url, api_key=SECRET_KEY)
        text, error = await _stream_text(flavor, client)
        assert text == "Hi"
        assert isinstance(error, GroqStreamConnectionError), error


def test_httpx_http11_transport_takes_the_socket_path_others_fall_back():
    import httpx

    from mirascope.core.groq._body import body_reads

    with (
        RawServer(_pieces(100_000)) as server,
        httpx.Client(base_url=server.url) as client,
        client.stream("POST", "/openai/v1/chat/completions", json={}) as response,
    ):
        reads = body_reads(response)
        assert getattr(reads, "__name__", "") == "_socket_reads"
        payloads = _body().split(b"\r\n")[1::2]  # size, payload, size, ...
        assert b"".join(reads) == b"".join(payloads)
    mock = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=b"x")))
    with mock, mock.stream("GET", "http://t/") as response:
        assert b"".join(body_reads(response)) == b"x"


async def test_async_httpx_http11_transport_takes_the_socket_path():
    import httpx

    from mirascope.core.groq._body import abody_reads

    with RawServer(_pieces(100_000)) as server:
        async with (
            httpx.AsyncClient(base_url=server.url) as client,
            client.stream("POST", "/openai/v1/chat/completions", json={}) as response,
        ):
            reads = abody_reads(response)
            assert getattr(reads, "__name__", "") == "_asocket_reads"
            got = [block async for block in reads]
            assert b"".join(got) == b"".join(_body().split(b"\r\n")[1::2])


def _big_event(size: int):
    def handler(conn, server: RawServer) -> None:
        big = _data({"role": "assistant", "content": "x" * size})
        done = _data({}, "stop", x_groq={"id": "req_raw", "usage": usage_u()})
        body = chunk(big) + chunk(done) + chunk(b"data: [DONE]\n\n") + b"0\r\n\r\n"
        conn.sendall(SSE_HEADERS + body)

    return handler


async def test_a_multi_megabyte_event_in_one_http_chunk_arrives_whole(flavor):
    # Many socket reads inside one HTTP chunk: the payload is handed on read by read.
    with RawServer(_big_event(3_000_000)) as server:
        client = new_client(flavor, base_url=server.url, api_key=SECRET_KEY)
        text, error = await _stream_text(flavor, client)
        assert error is None
        assert text == "x" * 3_000_000
