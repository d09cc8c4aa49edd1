"""`DuckDuckGoSearch` / `AsyncDuckDuckGoSearch`: web search as a tool (v1's; `duckduckgo` extra).

Invariants:
- The search library is imported when the tool is called, never when `mirascope.tools` is: `ddgs`
  (the maintained successor of `duckduckgo_search`), else `duckduckgo_search` if only that is
  installed (what a v1 environment has).
- With `ddgs`, only DuckDuckGo is asked (`backend="duckduckgo"`), as v1's library did; `ddgs`'s
  default would query other engines too. Its proxy setting (`DDGS_PROXY`) applies as usual.
- A missing library raises `ImportError` naming the extra (the program's error, not the model's;
  v1's import failed). Otherwise `call()` never raises: it returns the results, one block per
  result, or v1's error string `"<class '...'>: Failed to search the web for text"`.
- The async tool runs the (blocking) search in a worker thread; neither library is async any more
  (`duckduckgo_search` removed `AsyncDDGS` in 7.0, which v1 imported: v1's tool could not be
  imported with a current `duckduckgo_search`).
- A tool's docstring is its description to the model: v1's, word for word (examples live here).

Example:
    ```python
    from mirascope.core import groq
    from mirascope.tools import DuckDuckGoSearch


    @groq.call("openai/gpt-oss-120b", tools=[DuckDuckGoSearch])
    def research(topic: str) -> str:
        return f"Search the web for {topic}"


    if tool := research("llamas").tool:
        print(tool.call())  # "Title: ...\nURL: ...\nSnippet: ..."; AsyncDuckDuckGoSearch: await
    ```
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import Field

from ..base import ConfigurableTool, _ConfigurableToolConfig

_INSTALL_HINT = (
    "DuckDuckGoSearch needs the `ddgs` package: pip install 'mirascope-groq[duckduckgo]'"
)


class DuckDuckGoSearchConfig(_ConfigurableToolConfig):
    """Configuration for DuckDuckGo search.

    Example:
        ```python
        Search = DuckDuckGoSearch.from_config(DuckDuckGoSearchConfig(max_results_per_query=5))
        ```
    """

    max_results_per_query: int = Field(default=2, description="Maximum number of results per query")


def _text_search() -> Callable[[str, int], list[dict[str, Any]]]:
    """One query's results as `{"title", "href", "body"}` dicts (both libraries' shape)."""
    try:
        ddgs: Any = importlib.import_module("ddgs")
    except ImportError:
        try:
            legacy: Any = importlib.import_module("duckduckgo_search")
        except ImportError:
            raise ImportError(_INSTALL_HINT) from None
        return lambda query, n: list(legacy.DDGS().text(query, max_results=n))
    return lambda query, n: list(ddgs.DDGS().text(query, max_results=n, backend="duckduckgo"))


class _BaseDuckDuckGoSearch(ConfigurableTool[DuckDuckGoSearchConfig]):
    """Tool for performing web searches using DuckDuckGo.

    Takes search queries and returns relevant search results(Title, URL, Snippet).
    """

    __configurable_tool_config__: ClassVar[DuckDuckGoSearchConfig] = DuckDuckGoSearchConfig()
    __prompt_usage_description__: ClassVar[str] = """
    - `DuckDuckGoSearch`: Performs web searches and returns formatted results
        - Returns:
          - Title: The title of the search result
          - Link: The URL of the result page
          - Snippet: A brief excerpt from the page content
        - Results are automatically filtered and ranked by relevance
        - Multiple results returned per query based on configuration
    """

    queries: list[str] = Field(..., description="List of search queries")

    def _search_all(self, search: Callable[[str, int], list[dict[str, Any]]]) -> str:
        limit = self._get_config().max_results_per_query
        blocks = [
            f"Title: {r['title']}\nURL: {r['href']}\nSnippet: {r['body']}"
            for query in self.queries
            for r in search(query, limit)
        ]
        return "\n\n".join(blocks)


class DuckDuckGoSearch(_BaseDuckDuckGoSearch):
    """Tool for performing web searches using DuckDuckGo.

    Takes search queries and returns relevant search results(Title, URL, Snippet).
    """

    def call(self) -> str:
        """The formatted results of every query, or an error message."""
        search = _text_search()
        try:
            return self._search_all(search)
        except Exception as e:
            return f"{type(e)}: Failed to search the web for text"


class AsyncDuckDuckGoSearch(_BaseDuckDuckGoSearch):
    """Tool for performing web searches using DuckDuckGo.

    Takes search queries and returns relevant search results(Title, URL, Snippet).
    """

    async def call(self) -> str:
        """The formatted results of every query, or an error message."""
        search = _text_search()
        try:
            return await asyncio.to_thread(self._search_all, search)
        except Exception as e:
            return f"{type(e)}: Failed to search the web for text"


__all__ = ["AsyncDuckDuckGoSearch", "DuckDuckGoSearch", "DuckDuckGoSearchConfig"]
