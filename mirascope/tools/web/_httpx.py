"""`HTTPX` / `AsyncHTTPX`: HTTP requests as tools (v1's), returning the body or an error string.

Invariants: one client per call, closed on return; errors never raise out of `call()` (a model
reads them); the timeout comes from `HTTPXConfig` (seconds; `None` = no timeout).
`HTTPX` and `AsyncHTTPX` send the model v1's description (the default sentence: v1's classes have no
docstring), not their own docstrings.

Example:
    ```python
    HTTPX(url="https://example.com").call()  # the body, or "HTTP error occurred: ..."
    await AsyncHTTPX(url="https://example.com").call()
    ```
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import httpx
from pydantic import Field

from mirascope.core.base._tool_convert import DEFAULT_TOOL_DOCSTRING

from ..base import ConfigurableTool, _ConfigurableToolConfig


class HTTPXConfig(_ConfigurableToolConfig):
    """Configuration for HTTPX requests."""

    timeout: int | None = Field(
        default=5, description="Request timeout in seconds. When None, no timeout will be applied"
    )


class _BaseHTTPX(ConfigurableTool[HTTPXConfig]):
    """Tool for making HTTP requests using HTTPX with configurable timeout and error handling."""

    __configurable_tool_config__: ClassVar[HTTPXConfig] = HTTPXConfig()
    __prompt_usage_description__: ClassVar[str] = """
    - `HTTPX`: Makes HTTP requests to web URLs with HTTPX client
        - Supports standard HTTP methods (GET, POST, PUT, DELETE, etc.)
        - Returns response text or error message on failure
    """

    url: str = Field(..., description="URL to request")
    method: Literal["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"] = Field(
        "GET", description="HTTP method to use"
    )
    data: dict[str, Any] | None = Field(None, description="Form data to send with POST/PUT")
    json_: dict[str, Any] | None = Field(
        None, description="JSON data to send with POST/PUT requests", alias="json"
    )
    params: dict[str, Any] | None = Field(None, description="URL parameters")
    headers: dict[str, str] | None = Field(None, description="Request headers")
    follow_redirects: bool = Field(True, description="Whether to follow redirects")

    @classmethod
    def _description(cls) -> str:
        # v1's HTTPX/AsyncHTTPX have no docstring, so v1 sends the default description.
        return DEFAULT_TOOL_DOCSTRING

    def _timeout(self) -> httpx.Timeout | None:
        seconds = self._get_config().timeout
        return httpx.Timeout(seconds) if seconds is not None else None

    def _request_kwargs(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "params": self.params,
            "json": self.json_,
            "data": self.data,
            "headers": self.headers,
            "follow_redirects": self.follow_redirects,
        }

    def _describe(self, exc: Exception) -> str:
        if isinstance(exc, httpx.HTTPStatusError):
            return f"HTTP error occurred: {exc.response.status_code} - {exc}"
        if isinstance(exc, httpx.RequestError):
            return f"Request error occurred: {exc}"
        return f"{type(exc).__name__}: Failed to make request to {self.url}"


class HTTPX(_BaseHTTPX):
    """An HTTP request as a tool: the response text, or an error message the model can read.

    The model is sent v1's description (the default sentence, as v1's HTTPX has no docstring),
    not this docstring.

    Example:
        ```python
        HTTPX(url="https://example.com", method="GET").call()
        ```
    """

    def call(self) -> str:
        """The response text, or an error message."""
        try:
            with httpx.Client(timeout=self._timeout()) as client:
                response = client.request(**self._request_kwargs())
                response.raise_for_status()
                return response.text
        except Exception as exc:
            return self._describe(exc)


class AsyncHTTPX(_BaseHTTPX):
    """The async `HTTPX`: `await AsyncHTTPX(url=...).call()`; v1's description, as `HTTPX`.

    Example:
        ```python
        await AsyncHTTPX(url="https://example.com").call()
        ```
    """

    async def call(self) -> str:
        """The response text, or an error message."""
        try:
            async with httpx.AsyncClient(timeout=self._timeout()) as client:
                response = await client.request(**self._request_kwargs())
                response.raise_for_status()
                return response.text
        except Exception as exc:
            return self._describe(exc)


__all__ = ["HTTPX", "AsyncHTTPX", "HTTPXConfig"]
