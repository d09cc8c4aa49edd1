"""Pre-made tools (v1's `mirascope.tools`).

`FileSystemToolKit` and `HTTPX`/`AsyncHTTPX` (httpx comes with the groq SDK) need nothing extra.
The others import their library when used, never here: `Requests` (the `requests` extra),
`DuckDuckGoSearch` (`duckduckgo`: `ddgs`), `ParseURLContent` (`parse_url`: `requests` and
`beautifulsoup4`), `DockerOperationToolKit` (`docker`). Every name is importable without them
(v1 dropped a name whose library was missing).
"""

from .system._docker_operation import DockerOperationToolKit, DockerOperationToolKitConfig
from .system._file_system import FileSystemToolKit, FileSystemToolKitConfig
from .web._duckduckgo import DuckDuckGoSearch, DuckDuckGoSearchConfig
from .web._httpx import HTTPX, AsyncHTTPX, HTTPXConfig
from .web._parse_url_content import ParseURLConfig, ParseURLContent
from .web._requests import Requests, RequestsConfig

__all__ = [
    "HTTPX",
    "AsyncHTTPX",
    "DockerOperationToolKit",
    "DockerOperationToolKitConfig",
    "DuckDuckGoSearch",
    "DuckDuckGoSearchConfig",
    "FileSystemToolKit",
    "FileSystemToolKitConfig",
    "HTTPXConfig",
    "ParseURLConfig",
    "ParseURLContent",
    "Requests",
    "RequestsConfig",
]
