"""Pre-made tools (v1's `mirascope.tools`).

`FileSystemToolKit` needs nothing extra. The web tools and Docker toolkit of v1 are not here yet
(see the README's compatibility section).
"""

from .system._file_system import FileSystemToolKit, FileSystemToolKitConfig

__all__ = ["FileSystemToolKit", "FileSystemToolKitConfig"]
