"""`Requests`: an HTTP request as a tool, with the `requests` library (v1's; the `requests` extra).

Invariants: `requests` is imported when the tool is called, not when `mirascope.tools` is
imported; `call()` never raises, it returns the body or v1's error string. The class docstring
is the model's description: v1's, word for word.

Example:
    ```python
    Requests(url="https://example.com").call()  # the body, or an error message
    ```
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar, Literal

from pydantic import Field

from ..base import ConfigurableTool, _ConfigurableToolConfig


class RequestsConfig(_ConfigurableToolConfig):
    """Configuration for `Requests`."""

    timeout: int = Field(default=5, description="Request timeout in seconds")


class Requests(ConfigurableTool[RequestsConfig]):
    """Tool for making HTTP requests with built-in requests library."""

    __configurable_tool_config__: ClassVar[RequestsConfig] = RequestsConfig()
    __prompt_usage_description__: ClassVar[str] = """
    - `Requests`: Makes HTTP requests to web URLs using requests library
        - Supports common HTTP methods (GET, POST, PUT, DELETE)
        - Returns response text content, or an error message if the request fails
    """

    url: str = Field(..., description="URL to request")
    method: Literal["GET", "POST", "PUT", "DELETE"] = Field("GET", description="HTTP method")
    data: dict[str, Any] | None = Field(None, description="Data to send with POST/PUT requests")
    headers: dict[str, str] | None = Field(None, description="Request headers")

    def call(self) -> str:
        """The response text, or an error message."""
        try:
            requests: Any = importlib.import_module("requests")
            response = requests.request(
                method=self.method,
                url=self.url,
                json=self.data,
                headers=self.headers,
                timeout=self._get_config().timeout,
            )
            response.raise_for_status()
            return str(response.text)
        except Exception as e:
            return f"{type(e)}: Failed to extract content from URL {self.url}"


__all__ = ["Requests", "RequestsConfig"]
