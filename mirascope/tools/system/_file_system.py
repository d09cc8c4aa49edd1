"""`FileSystemToolKit`: read, write, list, create and delete files inside one base directory.

Invariants (the sandbox):
- Every path is resolved (following symlinks) and must stay inside the resolved base directory;
  `..`, absolute paths and symlinks that lead out are refused with an error string, never
  followed. A symlink inside the base pointing inside the base is allowed.
- Files must have an allowed extension and respect `max_file_size`, both before any I/O.
- Tools return strings (errors start with "Error"), as v1's do, so a model can read them.
Known limit: the check-then-open is not atomic; a process that can swap symlinks inside the base
directory concurrently is outside this threat model.
"""

from __future__ import annotations

from abc import ABC
from pathlib import Path
from typing import ClassVar

from pydantic import Field, field_validator

from mirascope.core.base import BaseToolKit, toolkit_tool

from ..base import ConfigurableTool, ConfigurableToolKit, _ConfigurableToolConfig

_TRAVERSAL = "Error: Invalid path (attempted path traversal)"


class FileSystemToolKitConfig(_ConfigurableToolConfig):
    """Configuration for the file-system toolkit."""

    max_file_size: int = Field(default=10 * 1024 * 1024, description="Maximum file size in bytes")
    allowed_extensions: list[str] = Field(
        default=["txt", "md", "csv", "json", "yml", "yaml", "html"],
        description="List of allowed file extensions",
    )


class FileOperation(ConfigurableTool[FileSystemToolKitConfig], ABC):
    """Base class for file system operations."""

    __configurable_tool_config__: ClassVar[FileSystemToolKitConfig] = FileSystemToolKitConfig()
    base_directory: ClassVar[Path] = Path.cwd()  # replaced by the toolkit in create_tools()

    def _resolve(self, path: str) -> Path | str:
        """The resolved target inside the sandbox, or an error string."""
        try:
            base = Path(self.base_directory).resolve(strict=True)
            target = (base / path).resolve()
        except (OSError, ValueError, RuntimeError):  # NUL byte, symlink loop, ...
            return _TRAVERSAL
        if target != base and base not in target.parents:
            return _TRAVERSAL
        return target

    def _validate_extension(self, path: str) -> str | None:
        allowed = self._get_config().allowed_extensions
        if Path(path).suffix.lstrip(".").lower() not in [e.lower() for e in allowed]:
            return f"Error: Invalid file extension. Allowed: {allowed}"
        return None

    def _file(self, path: str) -> Path | str:
        """`_resolve`, then the extension check (v1's order), for tools that touch a file."""
        target = self._resolve(path)
        if isinstance(target, str):
            return target
        return self._validate_extension(path) or target


class FileSystemToolKit(ConfigurableToolKit, BaseToolKit):
    """File-system tools sandboxed to `base_directory`.

    Example:
        ```python
        from pathlib import Path

        from mirascope.core import groq
        from mirascope.tools import FileSystemToolKit

        toolkit = FileSystemToolKit(base_directory=Path("notes"))


        @groq.call("openai/gpt-oss-120b", tools=toolkit.create_tools())
        def organise(task: str) -> str:
            return task
        ```
    """

    __namespace__ = "file_system"
    __prompt_usage_description__: ClassVar[str] = """
    - Tools for file system operations:
        - ReadFile: Reads content from a file
        - WriteFile: Writes content to a file
        - ListDirectory: Lists directory contents
        - CreateDirectory: Creates a new directory
        - DeleteFile: Deletes a file
    """

    config: FileSystemToolKitConfig = FileSystemToolKitConfig()
    base_directory: Path = Field(
        default_factory=Path.cwd, description="Base directory for file operations"
    )

    @field_validator("base_directory")
    @classmethod
    def validate_base_directory(cls, v: Path) -> Path:
        """The base directory must exist and be a directory."""
        if not v.exists():
            raise ValueError(f"Base directory {v} does not exist")
        if not v.is_dir():
            raise ValueError(f"{v} is not a directory")
        return v

    @toolkit_tool
    class ReadFile(FileOperation):
        """Tool for reading file contents."""

        path: str

        def call(self) -> str:
            """Read and return the file's contents, or an error."""
            target = self._file(self.path)
            if isinstance(target, str):
                return target
            if not target.is_file():
                return f"Error: File {self.path} not found"
            try:
                if target.stat().st_size > self._get_config().max_file_size:
                    return (
                        "Error: File exceeds maximum size of "
                        f"{self._get_config().max_file_size} bytes"
                    )
                return target.read_text()
            except Exception as e:
                return f"Error reading file: {e}"

    @toolkit_tool
    class WriteFile(FileOperation):
        """Tool for writing content to a file."""

        path: str
        content: str

        def call(self) -> str:
            """Write the content and return a status."""
            target = self._file(self.path)
            if isinstance(target, str):
                return target
            if len(self.content.encode()) > self._get_config().max_file_size:
                return (
                    "Error: Content exceeds maximum size of "
                    f"{self._get_config().max_file_size} bytes"
                )
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(self.content)
            except Exception as e:
                return f"Error writing file: {e}"
            return f"Successfully wrote to {self.path}"

    @toolkit_tool
    class ListDirectory(FileOperation):
        """Tool for listing directory contents."""

        path: str = Field(default="")

        def call(self) -> str:
            """List the directory's entries."""
            target = self._resolve(self.path)
            if isinstance(target, str):
                return target
            if not target.is_dir():
                return f"Error: Directory {self.path} not found"
            lines = [f"Contents of {self.path or '.'} :"]
            for item in sorted(target.iterdir()):
                if item.is_file():
                    lines.append(f"- {item.name} [file] ({item.stat().st_size} bytes)")
                else:
                    lines.append(f"- {item.name} [directory]")
            return "\n".join(lines) + "\n"

    @toolkit_tool
    class CreateDirectory(FileOperation):
        """Tool for creating directories."""

        path: str

        def call(self) -> str:
            """Create the directory (and parents)."""
            target = self._resolve(self.path)
            if isinstance(target, str):
                return target
            try:
                target.mkdir(parents=True, exist_ok=True)
            except Exception as e:
                return f"Error creating directory: {e}"
            return f"Successfully created directory {self.path}"

    @toolkit_tool
    class DeleteFile(FileOperation):
        """Tool for deleting files."""

        path: str

        def call(self) -> str:
            """Delete the file."""
            target = self._file(self.path)
            if isinstance(target, str):
                return target
            if not target.exists():
                return f"Error: File {self.path} not found"
            if not target.is_file():
                return f"Error: {self.path} is not a file"
            try:
                target.unlink()
            except Exception as e:
                return f"Error deleting file: {e}"
            return f"Successfully deleted {self.path}"


__all__ = ["FileSystemToolKit", "FileSystemToolKitConfig"]
