"""`ParseURLContent`: a page's main text as a tool (v1's; the `parse_url` extra).

Invariants:
- `requests` and `beautifulsoup4` are imported when the tool is called, not when
  `mirascope.tools` is.
- As v1: one GET with the configured timeout (seconds), the whole body read (no size limit);
  script/style/nav/header/footer/aside removed; the text of `<main>`, else `<article>`, else a
  `<div>` whose class matches `content|main`, else the whole document; blank lines dropped.
  A non-HTML body (plain text, JSON) is parsed the same way, so its text comes back.
- Beyond v1: a body whose Content-Type names no charset is read as UTF-8 when it is valid UTF-8,
  else by bs4 (`<meta charset>` or detection), never blindly as ISO-8859-1; a labelled body is
  decoded as labelled, as in v1.
- A missing extra raises `ImportError` naming it (the program's error, not the model's; v1's
  import failed). Otherwise `call()` never raises: a failed fetch returns
  `"Failed to fetch content from URL: ..."`, a failed parse
  `"<Type>: Failed to parse content from URL"`, an empty page `"No content found on the page"`
  (v1's strings).
- The tool's docstring is its description to the model: v1's, word for word (example here).

Example:
    ```python
    from mirascope.core import groq
    from mirascope.tools import ParseURLContent


    @groq.call("openai/gpt-oss-120b", tools=[ParseURLContent])
    def summarise(url: str) -> str:
        return f"Summarise {url}"


    if tool := summarise("https://example.com").tool:
        print(tool.call())  # the page's main text, or "Failed to fetch content from URL: ..."
    ```
"""

from __future__ import annotations

import importlib
import re
from typing import Any, ClassVar

from pydantic import Field

from ..base import ConfigurableTool, _ConfigurableToolConfig

_UNWANTED_TAGS = ("script", "style", "nav", "header", "footer", "aside")
_INSTALL_HINT = (
    "ParseURLContent needs `requests` and `beautifulsoup4`: pip install 'mirascope-groq[parse_url]'"
)


class ParseURLConfig(_ConfigurableToolConfig):
    """Configuration for URL content parsing.

    Example:
        ```python
        Parse = ParseURLContent.from_config(ParseURLConfig(parser="lxml", timeout=10))
        ```
    """

    parser: str = Field(
        default="html.parser",
        description="parser to use for parsing HTML content in BeautifulSoup",
        examples=["html.parser", "lxml", "lxml-xml", "html5lib"],
    )
    timeout: int = Field(default=5, description="Timeout in seconds for URL request")


def _markup(response: Any) -> str | bytes:
    """The body as the server labelled it; unlabelled, UTF-8 if it decodes, else bytes for bs4.

    `response.text` would decode an unlabelled page as ISO-8859-1 (requests' HTTP/1.1 default),
    garbling UTF-8, as v1 did. Valid UTF-8 is tried first because detection guesses wrong on
    short texts; other bytes go to bs4, which reads `<meta charset>` or detects.
    """
    if "charset=" in response.headers.get("Content-Type", "").lower():
        return str(response.text)
    body = bytes(response.content)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body


def _main_text(soup: Any) -> str:
    for tag in _UNWANTED_TAGS:
        for element in soup.find_all(tag):
            element.decompose()
    main = (
        soup.find("main")
        or soup.find("article")
        or soup.find("div", class_=re.compile("content|main"))
    )
    text: str = (main or soup).get_text(separator="\n", strip=True)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


class ParseURLContent(ConfigurableTool[ParseURLConfig]):
    """Tool for parsing and extracting main content from URLs.

    Fetches content from URL, removes unnecessary elements like scripts, styles, navigation, etc.,
    and returns clean text content from the webpage's main body.
    """

    __configurable_tool_config__: ClassVar[ParseURLConfig] = ParseURLConfig()
    __prompt_usage_description__: ClassVar[str] = """
    - `ParseURLContent`: Returns the given URL's main content as clean text
        - Fetches the raw HTML content for the given URL
        - Removes all unwanted elements (scripts, styles, navigation, etc.)
        - Attempts to find the main content section
        - If no main content section is found, extracts all text content
        - Returns cleaned and formatted text content
        - If any errors occur during fetching or parsing, and error message is returned.
    """

    url: str = Field(..., description="URL to fetch and parse")

    def call(self) -> str:
        """The page's main text, or an error message."""
        try:
            requests: Any = importlib.import_module("requests")
            bs4: Any = importlib.import_module("bs4")
        except ImportError as e:
            raise ImportError(_INSTALL_HINT) from e
        config = self._get_config()
        try:
            response = requests.get(self.url, timeout=config.timeout)
            response.raise_for_status()
            content = _main_text(bs4.BeautifulSoup(_markup(response), config.parser))
        except requests.RequestException as e:
            return f"Failed to fetch content from URL: {e}"
        except Exception as e:
            return f"{type(e).__name__}: Failed to parse content from URL"
        return content or "No content found on the page"


__all__ = ["ParseURLConfig", "ParseURLContent"]
