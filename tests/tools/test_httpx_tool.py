"""`HTTPX` / `AsyncHTTPX` against a local HTTP server on 127.0.0.1 (no internet)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from groq_e2e_helpers import TOOL_MODEL, Flavor

from mirascope.core.base.tool import DEFAULT_TOOL_DOCSTRING
from mirascope.core.groq import GroqTool
from mirascope.tools import HTTPX, AsyncHTTPX, HTTPXConfig, Requests


class Handler(BaseHTTPRequestHandler):
    def _reply(self, status: int, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.startswith("/missing"):
            self._reply(404, "nope")
        else:
            self._reply(200, f"GET {self.path} {self.headers.get('X-Test', '')}")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self._reply(200, f"POST {json.loads(body)['a']}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


def test_get_post_and_errors(server: str) -> None:
    assert HTTPX(url=f"{server}/a", params={"q": "1"}, headers={"X-Test": "yes"}).call() == (
        "GET /a?q=1 yes"
    )
    assert HTTPX(url=f"{server}/p", method="POST", json={"a": 7}).call() == "POST 7"
    assert HTTPX(url=f"{server}/missing").call().startswith("HTTP error occurred: 404")
    assert HTTPX(url="http://127.0.0.1:1/").call().startswith("Request error occurred:")


async def test_async(server: str) -> None:
    assert await AsyncHTTPX(url=f"{server}/b").call() == "GET /b "
    assert (await AsyncHTTPX(url=f"{server}/missing").call()).startswith("HTTP error occurred")


def test_from_config_and_schema() -> None:
    tool = HTTPX.from_config(HTTPXConfig(timeout=1))
    assert tool._get_config().timeout == 1
    assert HTTPX._get_config().timeout == 5
    assert HTTPX._name() == "HTTPX"


async def test_as_a_tool_in_a_groq_call(flavor: Flavor, server: str) -> None:
    args = json.dumps({"url": f"{server}/from-model"})
    flavor.emu.enqueue("tool_calls", calls=[("HTTPX", args)])
    fn = flavor.call(lambda: "fetch it", TOOL_MODEL, tools=[HTTPX])
    response = await flavor.invoke(fn)
    assert isinstance(response.tool, HTTPX)
    assert response.tool.call() == "GET /from-model "


def test_requests_tool(server: str) -> None:
    pytest.importorskip("requests")
    assert Requests(url=f"{server}/r", headers={"X-Test": "r"}).call() == "GET /r r"
    assert Requests(url=f"{server}/p", method="POST", data={"a": 3}).call() == "POST 3"
    assert Requests(url=f"{server}/missing").call() == (
        "<class 'requests.exceptions.HTTPError'>: "
        f"Failed to extract content from URL {server}/missing"
    )


@pytest.mark.parametrize(
    ("tool", "description"),
    [
        (HTTPX, DEFAULT_TOOL_DOCSTRING),
        (AsyncHTTPX, DEFAULT_TOOL_DOCSTRING),
        (Requests, "Tool for making HTTP requests with built-in requests library."),
    ],
)
def test_description_sent_to_the_model_is_v1s(tool: type[Any], description: str) -> None:
    """v1's HTTPX/AsyncHTTPX have no docstring, so v1 sends the default description; ours have
    one (for people) and still send v1's."""
    for t in (tool, tool.from_config(tool._get_config())):
        schema = GroqTool.type_from_base_model_type(t).tool_schema()["function"]
        assert schema["description"] == description
