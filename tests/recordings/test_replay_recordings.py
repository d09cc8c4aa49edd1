"""Replay every real recording in ../shared/groq_cassettes/recordings through a byte-exact local
server (issue 10) and check what we return against the recording itself: content, reasoning, tool
calls, usage, executed_tools, request-id header and error status. Skips cleanly without ../shared.

The server sends the recorded status, content type and body bytes unchanged; the expectations are
computed from the recorded body here, independently of the library's parsing.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from pathlib import Path
from typing import Any

import groq as groq_sdk
import pytest

from mirascope.core import groq

# `<repo>/../shared` (as in /work/main); GROQ_CASSETTES overrides it (e.g. from a worktree).
ROOT = (
    Path(
        os.environ.get("GROQ_CASSETTES")
        or Path(__file__).resolve().parents[2] / ".." / "shared" / "groq_cassettes"
    )
    / "recordings"
)
FILES = sorted(p for p in ROOT.glob("*.json") if p.name != "index.json") if ROOT.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/groq_cassettes not present")


class _ByteServer:
    """One-response-per-connection HTTP/1.1 server on 127.0.0.1 replaying exact bytes."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.reply = b""
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, rest = data.partition(b"\r\n\r\n")
                length = next(
                    (int(line.split(b":")[1]) for line in head.split(b"\r\n")
                     if line.lower().startswith(b"content-length")), 0)  # fmt: skip
                while len(rest) < length:
                    rest += conn.recv(65536)
                conn.sendall(self.reply)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def server():
    s = _ByteServer()
    yield s
    s.close()


def _reply(rec: dict[str, Any]) -> bytes:
    resp = rec["response"]
    body = resp.get("body") or ""
    raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    headers = {k.lower(): v for k, v in (resp.get("headers") or {}).items()}
    keep = {k: v for k, v in headers.items() if k.startswith(("x-", "retry-after", "content-type"))}
    keep.setdefault("content-type", "application/json")
    lines = [f"HTTP/1.1 {resp['status']} X", *(f"{k}: {v}" for k, v in keep.items()),
             f"content-length: {len(raw)}", "connection: close", "", ""]  # fmt: skip
    return "\r\n".join(lines).encode() + raw


def _expected_stream(body: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "content": "",
        "reasoning": "",
        "tools": {},
        "usage": None,
        "exec": set(),
    }
    for line in body.split("\n"):
        if not line.startswith("data: ") or line.strip() == "data: [DONE]":
            continue
        try:
            chunk = json.loads(line[6:])
        except ValueError:
            return {}
        if not isinstance(chunk, dict) or "choices" not in chunk:
            return {}
        for choice in chunk["choices"]:
            if choice.get("index") != 0:
                continue
            delta = choice.get("delta") or {}
            out["content"] += delta.get("content") or ""
            out["reasoning"] += delta.get("reasoning") or ""
            for call in delta.get("tool_calls") or []:
                name = (call.get("function") or {}).get("name")
                if name:
                    out["tools"][call["index"]] = name
            for tool in delta.get("executed_tools") or []:
                out["exec"].add(int(tool["index"]))
        usage = (chunk.get("x_groq") or {}).get("usage") or chunk.get("usage")
        if usage:
            out["usage"] = usage
    return out


@pytest.mark.filterwarnings("ignore:The model called tool:UserWarning")  # no tools offered here
@pytest.mark.parametrize("path", FILES, ids=[p.stem[:60] for p in FILES])
def test_replay(path: Path, server: _ByteServer) -> None:
    rec = json.loads(path.read_text())
    req = rec.get("request") or {}
    body = req.get("body") if isinstance(req.get("body"), dict) else {}
    if not str(req.get("uri", "")).endswith("/chat/completions"):
        pytest.skip("not a chat completion")
    raw_body = rec["response"].get("body") or ""
    headers = {k.lower(): v for k, v in (rec["response"].get("headers") or {}).items()}
    is_sse = isinstance(raw_body, str) and raw_body.lstrip().startswith("data:")
    stream = is_sse or "event-stream" in headers.get("content-type", "")
    status = int(rec["response"]["status"])
    if not stream and status < 400:
        try:
            json.loads(raw_body)
        except (TypeError, ValueError):
            pytest.skip("recorded body is neither SSE nor JSON")
    server.reply = _reply(rec)
    client = groq_sdk.Groq(api_key="test", base_url=f"http://127.0.0.1:{server.port}",
                           max_retries=0)  # fmt: skip
    model = str(body.get("model") or "llama-3.1-8b-instant")

    @groq.call(model, stream=stream, client=client)
    def ask() -> str:
        return "replay"

    try:
        if status >= 400:
            with pytest.raises(groq_sdk.APIError) as info:
                result = ask()
                if stream:
                    list(result)
            if isinstance(info.value, groq_sdk.APIStatusError):
                assert info.value.status_code == status
            return
        if stream:
            expected = _expected_stream(raw_body)
            if not expected:
                pytest.skip("recorded stream body is not SSE JSON")
            s = ask()
            # Recorded truncated streams raise; what arrived must still match.
            with contextlib.suppress(groq_sdk.APIError):
                list(s)
            assert s.content == expected["content"]
            assert s.reasoning == expected["reasoning"]
            names = [c["function"]["name"] for c in s.message_param.get("tool_calls", [])]
            assert names == [expected["tools"][i] for i in sorted(expected["tools"])]
            assert {t.index for t in s.executed_tools} == expected["exec"]
            if expected["usage"]:
                assert s.input_tokens == expected["usage"]["prompt_tokens"]
                assert s.output_tokens == expected["usage"]["completion_tokens"]
            if "x-request-id" in headers:
                assert s.request_id == headers["x-request-id"]
            return
        data = json.loads(raw_body)
        response = ask()
        message = data["choices"][0]["message"]
        assert response.content == (message.get("content") or "")
        assert response.reasoning == (message.get("reasoning") or "")
        names = [c["function"]["name"] for c in response.message_param.get("tool_calls", [])]
        assert names == [c["function"]["name"] for c in message.get("tool_calls") or []]
        assert len(response.executed_tools) == len(message.get("executed_tools") or [])
        if data.get("usage"):
            assert response.input_tokens == data["usage"]["prompt_tokens"]
        if "x-request-id" in headers:
            assert response.request_id == headers["x-request-id"]
        if "x-groq-region" in headers:
            assert response.groq_region == headers["x-groq-region"]
    finally:
        client.close()
