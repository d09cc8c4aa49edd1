"""`DuckDuckGoSearch` through the real `ddgs` library, offline.

`ddgs` hard-codes `https://html.duckduckgo.com/html/`, so the test points it, the ordinary way, at a
local TLS-intercepting proxy (tls_proxy.py: `DDGS_PROXY`, and its CA via `PRIMP_CA_BUNDLE`) that
serves DuckDuckGo-shaped result pages. Covered: our call of the library, its real HTTP request and
HTML parsing, our formatting and errors, and that only DuckDuckGo is asked. Not covered: that the
live DuckDuckGo page still has this shape (ddgs's own concern).
"""

from __future__ import annotations

import functools
import html
import json
import re
import sys
import types
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from groq_e2e_helpers import TOOL_MODEL, Flavor
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

pytest.importorskip("ddgs")
pytest.importorskip("trustme")

from tls_proxy import Proxy, tls_proxy

from mirascope.core.groq import GroqTool
from mirascope.tools import DuckDuckGoSearch, DuckDuckGoSearchConfig
from mirascope.tools.web._duckduckgo import AsyncDuckDuckGoSearch

HOST = "html.duckduckgo.com"


def _result(title: str, href: str, snippet: str) -> str:
    t, h, s = html.escape(title), html.escape(href), html.escape(snippet)
    return (
        '<div class="result results_links web-result"><div class="links_main result__body">'
        f'<h2 class="result__title"><a class="result__a" href="{h}">{t}</a></h2>'
        f'<a class="result__snippet" href="{h}">{s}</a></div></div>'
    )


def site(host: str, method: str, path: str, body: bytes) -> tuple[int, str, bytes]:
    """DuckDuckGo's html endpoint: `q=cats` has 3 results, `q=ratelimit` gets DDG's 202."""
    query = parse_qs(body.decode())["q"][0]
    if query == "ratelimit":
        return 202, "text/html", b"<html><body>Ratelimit</body></html>"
    count = 3 if query == "cats" else 1
    results = "".join(
        _result(f"{query} page {i}", f"https://example.org/{i}", f"all about {query} {i}")
        for i in range(1, count + 1)
    )
    return 200, "text/html", f"<html><body>{results}</body></html>".encode()


@pytest.fixture
def ddg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Proxy]:
    with tls_proxy([HOST], site, tmp_path) as proxy:
        monkeypatch.setenv("DDGS_PROXY", proxy.url)
        monkeypatch.setenv("PRIMP_CA_BUNDLE", str(proxy.ca_file))
        yield proxy


def block(query: str, i: int) -> str:
    return f"Title: {query} page {i}\nURL: https://example.org/{i}\nSnippet: all about {query} {i}"


def test_results_per_query_in_order_and_only_duckduckgo_asked(ddg: Proxy) -> None:
    text = DuckDuckGoSearch(queries=["cats", "dogs"]).call()
    assert text == "\n\n".join([block("cats", 1), block("cats", 2), block("dogs", 1)])
    assert [(s.host, s.method, s.path) for s in ddg.seen] == [(HOST, "POST", "/html/")] * 2
    assert [parse_qs(s.body.decode())["q"] for s in ddg.seen] == [["cats"], ["dogs"]]
    assert ddg.refused == []


def test_from_config_max_results(ddg: Proxy) -> None:
    One = DuckDuckGoSearch.from_config(DuckDuckGoSearchConfig(max_results_per_query=1))
    assert One(queries=["cats"]).call() == block("cats", 1)
    Three = DuckDuckGoSearch.from_config(DuckDuckGoSearchConfig(max_results_per_query=3))
    assert Three(queries=["cats"]).call().count("Title: ") == 3
    assert DuckDuckGoSearch._get_config().max_results_per_query == 2


def test_rate_limited_search_returns_v1s_error_string(ddg: Proxy) -> None:
    assert DuckDuckGoSearch(queries=["ratelimit"]).call() == (
        "<class 'ddgs.exceptions.DDGSException'>: Failed to search the web for text"
    )


def test_unreachable_proxy_returns_v1s_error_string(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DDGS_PROXY", "http://127.0.0.1:1")
    text = DuckDuckGoSearch(queries=["cats"]).call()
    assert text.endswith(": Failed to search the web for text"), text


async def test_async_tool(ddg: Proxy) -> None:
    text = await AsyncDuckDuckGoSearch(queries=["cats", "owls"]).call()
    assert text == "\n\n".join([block("cats", 1), block("cats", 2), block("owls", 1)])
    assert (await AsyncDuckDuckGoSearch(queries=["ratelimit"]).call()).endswith(
        "Failed to search the web for text"
    )


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(st.characters(codec="utf-8", exclude_categories=["C", "Z"]), min_size=1))
def test_any_query_reaches_duckduckgo_and_comes_back(ddg: Proxy, query: str) -> None:
    assume(query not in ("cats", "ratelimit"))
    ddg.seen.clear()
    text = DuckDuckGoSearch(queries=[query]).call()
    assert [parse_qs(s.body.decode())["q"] for s in ddg.seen] == [[query]]
    # ddgs normalises result text (NFC, and it strips anything tag-like): compare on that.
    assume(not re.search(r"<[^>]*>", query))
    nfc = functools.partial(unicodedata.normalize, "NFC")
    assert text == (
        f"Title: {nfc(f'{query} page 1')}\nURL: https://example.org/1\n"
        f"Snippet: {nfc(f'all about {query} 1')}"
    )


V1_DESCRIPTION = (
    "Tool for performing web searches using DuckDuckGo.\n\n"
    "Takes search queries and returns relevant search results(Title, URL, Snippet)."
)


@pytest.mark.parametrize("tool", [DuckDuckGoSearch, AsyncDuckDuckGoSearch])
def test_schema_is_v1s(tool: type[Any]) -> None:
    """What the model sees: v1's name, description and parameters, word for word."""
    assert GroqTool.type_from_base_model_type(tool).tool_schema()["function"] == {
        "name": tool.__name__,
        "description": V1_DESCRIPTION,
        "parameters": {
            "properties": {
                "queries": {
                    "description": "List of search queries",
                    "items": {"type": "string"},
                    "type": "array",
                }
            },
            "required": ["queries"],
            "type": "object",
        },
    }
    assert tool.usage_description().startswith("- `DuckDuckGoSearch`: Performs web searches")


def test_falls_back_to_duckduckgo_search_when_only_it_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A v1 environment has `duckduckgo_search`, not `ddgs` (this stands in for that library)."""
    asked: list[tuple[str, int]] = []

    class DDGS:
        def text(self, query: str, max_results: int) -> list[dict[str, Any]]:
            asked.append((query, max_results))
            return [{"title": "T", "href": "https://h", "body": "B"}]

    legacy = types.ModuleType("duckduckgo_search")
    legacy.DDGS = DDGS  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ddgs", None)  # makes `import ddgs` raise ImportError
    monkeypatch.setitem(sys.modules, "duckduckgo_search", legacy)
    assert DuckDuckGoSearch(queries=["q"]).call() == "Title: T\nURL: https://h\nSnippet: B"
    assert asked == [("q", 2)]


async def test_missing_library_raises_import_error_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "ddgs", None)
    monkeypatch.setitem(sys.modules, "duckduckgo_search", None)
    with pytest.raises(ImportError, match=r"mirascope-groq\[duckduckgo\]"):
        DuckDuckGoSearch(queries=["q"]).call()
    with pytest.raises(ImportError, match="ddgs"):
        await AsyncDuckDuckGoSearch(queries=["q"]).call()


async def test_as_a_tool_in_a_groq_call(flavor: Flavor, ddg: Proxy) -> None:
    tool_type = AsyncDuckDuckGoSearch if flavor.is_async else DuckDuckGoSearch
    args = json.dumps({"queries": ["dogs"]})
    flavor.emu.enqueue("tool_calls", calls=[(tool_type.__name__, args)])
    fn = flavor.call(lambda: "search for dogs", TOOL_MODEL, tools=[tool_type])
    response = await flavor.invoke(fn)
    assert isinstance(response.tool, tool_type)
    assert await flavor.invoke(response.tool.call) == block("dogs", 1)


async def test_as_a_tool_in_a_groq_stream(flavor: Flavor, ddg: Proxy) -> None:
    flavor.emu.enqueue("tool_calls", calls=[("DuckDuckGoSearch", '{"queries": ["cats"]}')])
    _, pairs = await flavor.stream(lambda: "search", model=TOOL_MODEL, tools=[DuckDuckGoSearch])
    tools = [tool for _, tool in pairs if tool is not None]
    assert [t.queries for t in tools] == [["cats"]]
    assert tools[0].call() == "\n\n".join([block("cats", 1), block("cats", 2)])
