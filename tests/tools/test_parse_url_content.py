"""`ParseURLContent` against pages served on 127.0.0.1 (real `requests` and `beautifulsoup4`)."""

from __future__ import annotations

import html
import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from groq_e2e_helpers import TOOL_MODEL, Flavor
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("requests")
pytest.importorskip("bs4")

from mirascope.core.groq import GroqTool
from mirascope.tools import ParseURLConfig, ParseURLContent

CHROME = (
    "<head><title>T</title><style>p {color: red}</style><script>var x = 1;</script></head>"
    "<header>site header</header><nav>menu</nav><aside>ads</aside><footer>footer</footer>"
)
PAGES: dict[str, tuple[int, str, bytes]] = {
    "/main": (
        200,
        "text/html",
        f"<html>{CHROME}<body><p>outside</p><main><h1>Title</h1>\n\n<p> Body  text </p>"
        "<script>hidden()</script></main></body></html>".encode(),
    ),
    "/article": (200, "text/html", b"<html><body><p>x</p><article>In article</article></body>"),
    "/div": (
        200,
        "text/html",
        b'<body><div class="side">no</div><div class="post-content">In div</div></body>',
    ),
    "/whole": (200, "text/html", f"<html>{CHROME}<body><p>one</p><p>two</p></body>".encode()),
    "/empty": (200, "text/html", b"<html><body><nav>menu</nav> <script>x()</script>\n</body>"),
    "/text": (200, "text/plain", b"hello\n\n   world  \n"),
    "/json": (200, "application/json", json.dumps({"a": "b"}).encode()),
    "/latin1": (200, "text/html; charset=iso-8859-1", "<main>café</main>".encode("latin-1")),
    # No charset in Content-Type: v1 decoded these as ISO-8859-1 ("cafÃ©").
    "/utf8-meta": (
        200,
        "text/html",
        '<html><head><meta charset="utf-8"></head><main>café ¡</main></html>'.encode(),
    ),
    "/cp1251-meta": (
        200,
        "text/html",
        '<html><head><meta charset="windows-1251"></head><main>Привет</main>'.encode("cp1251"),
    ),
    "/missing": (404, "text/html", b"<main>not found page</main>"),
    "/broken": (500, "text/plain", b"boom"),
}
BIG_LINES = 20_000  # ~0.4 MB: v1 reads the whole body, there is no size limit


class Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/slow":
            self.server.release.wait(10)  # bounded; the test sets it once the tool gave up
            status, ctype, body = 200, "text/html", b"<main>late</main>"
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        elif self.path == "/big":
            lines = "".join(f"<p>line {i}</p>" for i in range(BIG_LINES))
            status, ctype, body = 200, "text/html", f"<main>{lines}</main>".encode()
        else:
            status, ctype, body = self.server.pages.get(self.path, (404, "text/plain", b"?"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    srv: Any = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.pages = dict(PAGES)
    srv.release = threading.Event()
    srv.base = f"http://127.0.0.1:{srv.server_address[1]}"
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()
        thread.join()


def parse(server: Any, path: str, **config: Any) -> str:
    tool = ParseURLContent.from_config(ParseURLConfig(**config)) if config else ParseURLContent
    return tool(url=server.base + path).call()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/main", "Title\nBody  text"),
        ("/article", "In article"),
        ("/div", "In div"),
        ("/whole", "T\none\ntwo"),
        ("/empty", "No content found on the page"),
        ("/text", "hello\nworld"),
        ("/json", '{"a": "b"}'),
        ("/latin1", "café"),
        ("/utf8-meta", "café ¡"),
        ("/cp1251-meta", "Привет"),
        ("/redirect", "In article"),
    ],
)
def test_main_content(server: Any, path: str, expected: str) -> None:
    assert parse(server, path) == expected


def test_http_errors_return_v1s_message(server: Any) -> None:
    assert parse(server, "/missing") == (
        f"Failed to fetch content from URL: 404 Client Error: Not Found for url: {server.base}"
        "/missing"
    )
    assert parse(server, "/broken").startswith(
        "Failed to fetch content from URL: 500 Server Error: Internal Server Error"
    )
    refused = ParseURLContent(url="http://127.0.0.1:1/").call()
    assert refused.startswith("Failed to fetch content from URL: HTTPConnectionPool(")
    bad = ParseURLContent(url="not a url").call()
    assert bad.startswith("Failed to fetch content from URL: ")


def test_timeout_from_config(server: Any) -> None:
    try:
        text = parse(server, "/slow", timeout=1)
    finally:
        server.release.set()
    port = server.server_address[1]
    assert text == (
        "Failed to fetch content from URL: "
        f"HTTPConnectionPool(host='127.0.0.1', port={port}): Read timed out. (read timeout=1)"
    )


def test_a_large_page_is_read_whole(server: Any) -> None:
    lines = parse(server, "/big").split("\n")
    assert len(lines) == BIG_LINES
    assert lines[-1] == f"line {BIG_LINES - 1}"


def test_parser_from_config(server: Any) -> None:
    pytest.importorskip("lxml")
    assert parse(server, "/main", parser="lxml") == "Title\nBody  text"
    assert parse(server, "/main", parser="no-such-parser") == (
        "FeatureNotFound: Failed to parse content from URL"
    )
    assert ParseURLContent._get_config() == ParseURLConfig(parser="html.parser", timeout=5)


_TEXT = st.text(st.characters(categories=["L", "N", "P", "S"]) | st.sampled_from(" \n\t"))


@settings(max_examples=30, deadline=None)
@given(paragraphs=st.lists(_TEXT, max_size=4))
def test_any_text_comes_back_line_by_line(server: Any, paragraphs: list[str]) -> None:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    server.pages["/gen"] = (200, "text/html", f"<main>{body}</main>".encode())
    expected = [line.strip() for p in paragraphs for line in p.splitlines() if line.strip()]
    assert parse(server, "/gen") == ("\n".join(expected) or "No content found on the page")


def test_schema_is_v1s() -> None:
    assert GroqTool.type_from_base_model_type(ParseURLContent).tool_schema()["function"] == {
        "name": "ParseURLContent",
        "description": (
            "Tool for parsing and extracting main content from URLs.\n\n"
            "Fetches content from URL, removes unnecessary elements like scripts, styles, "
            "navigation, etc.,\nand returns clean text content from the webpage's main body."
        ),
        "parameters": {
            "properties": {"url": {"description": "URL to fetch and parse", "type": "string"}},
            "required": ["url"],
            "type": "object",
        },
    }
    assert ParseURLContent.usage_description().startswith("- `ParseURLContent`: Returns")


def test_missing_extra_raises_import_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "bs4", None)
    with pytest.raises(ImportError, match=r"mirascope-groq\[parse_url\]"):
        ParseURLContent(url="http://127.0.0.1:1/").call()


async def test_as_a_tool_in_a_groq_call(flavor: Flavor, server: Any) -> None:
    args = json.dumps({"url": f"{server.base}/main"})
    flavor.emu.enqueue("tool_calls", calls=[("ParseURLContent", args)])
    fn = flavor.call(lambda: "read it", TOOL_MODEL, tools=[ParseURLContent])
    response = await flavor.invoke(fn)
    assert isinstance(response.tool, ParseURLContent)
    assert response.tool.call() == "Title\nBody  text"
