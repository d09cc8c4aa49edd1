"""Pre-made tools (v1's `mirascope.tools`).

`FileSystemToolKit` and `HTTPX`/`AsyncHTTPX` (httpx comes with the groq SDK) need nothing extra;
`Requests` needs the `requests` extra, imported when called.
v1's other web tools and its Docker toolkit are not here yet (see docs/integrations.md).
"""

from .system._file_system import FileSystemToolKit, FileSystemToolKitConfig
from .web._httpx import HTTPX, AsyncHTTPX, HTTPXConfig
from .web._requests import Requests, RequestsConfig

__all__ = [
    "HTTPX",
    "AsyncHTTPX",
    "FileSystemToolKit",
    "FileSystemToolKitConfig",
    "HTTPXConfig",
    "Requests",
    "RequestsConfig",
]
