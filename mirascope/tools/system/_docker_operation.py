"""`DockerOperationToolKit`: run Python code or shell commands in a Docker container (v1's).

Invariants:
- The `docker` package (the `docker` extra) is imported when a `DockerContainer` is built, never
  when `mirascope.tools` is; without it that raises `ImportError` naming the extra (v1's import of
  `mirascope.tools` lost the toolkit instead).
- One container per `DockerContainer`, started on first use with `docker.from_env()` (so
  `DOCKER_HOST` applies), hardened as v1's: memory limit, no new privileges, every capability
  dropped, network off unless `allow_network`, removed when stopped. It is stopped when the
  `DockerContainer` is closed or garbage-collected (best effort, as v1), and its Docker client
  closed with it.
- Tools return strings and never raise: the output, or `"Error executing code: ..."` /
  `"Error executing command: ..."` (v1's wording), a daemon that cannot be reached included.
  Requirements with the network disabled are refused before any Docker call.
"""

from __future__ import annotations

import importlib
import io
import tarfile
from abc import ABC
from contextlib import suppress
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from mirascope.core.base import BaseTool, BaseToolKit, toolkit_tool

from ..base import ConfigurableTool, ConfigurableToolKit, _ConfigurableToolConfig

_INSTALL_HINT = (
    "DockerOperationToolKit needs the `docker` package: pip install 'mirascope-groq[docker]'"
)


class DockerOperationToolKitConfig(_ConfigurableToolConfig):
    """Configuration for `DockerOperationToolKit` toolkit.

    Example:
        ```python
        config = DockerOperationToolKitConfig(docker_image="python:3.12-slim", allow_network=False)
        ```
    """

    docker_image: str = Field(
        default="python:3.13-slim", description="Docker image for code execution"
    )
    max_memory: str = Field(default="512m", description="Maximum memory allocation")
    allow_network: bool = Field(default=True, description="Allow network access")


class DockerContainer(BaseModel):
    """One long-running container, started on first use.

    Example:
        ```python
        container = DockerContainer(config=DockerOperationToolKitConfig(allow_network=False))
        ```
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    config: DockerOperationToolKitConfig = DockerOperationToolKitConfig()
    _docker: Any = PrivateAttr(default=None)
    _container: Any = PrivateAttr(default=None)
    _client: Any = PrivateAttr(default=None)

    def model_post_init(self, context: Any, /) -> None:
        """Import `docker` now, so a missing extra is reported before any tool runs."""
        try:
            self._docker = importlib.import_module("docker")
        except ImportError as e:
            raise ImportError(_INSTALL_HINT) from e

    @property
    def container(self) -> Any:
        """The running container (a `docker.models.containers.Container`), started if needed."""
        if self._container is None:
            self._container = self._setup_container(self.config)
        return self._container

    def close(self) -> None:
        """Stop the container and close the Docker client's connections (best effort).

        Example:
            ```python
            container = DockerContainer()
            container.close()  # nothing started yet: nothing to stop
            ```
        """
        # A model that failed validation has no private state: nothing to stop.
        private: dict[str, Any] = getattr(self, "__pydantic_private__", None) or {}
        container: Any = private.get("_container")
        client: Any = private.get("_client")
        if private:
            private["_container"] = private["_client"] = None  # a later use starts a new one
        if container is not None:
            with suppress(Exception):
                container.stop()
        if client is not None:
            # Otherwise its pooled sockets are left to the collector (docker-py issue #1293).
            with suppress(Exception):
                client.close()

    def __del__(self) -> None:
        """Stop the container (best effort)."""
        self.close()

    def _setup_container(self, config: DockerOperationToolKitConfig) -> Any:
        client = self._client = self._docker.from_env()
        return client.containers.run(
            config.docker_image,
            "tail -f /dev/null",  # keeps it running between tool calls
            detach=True,
            mem_limit=config.max_memory,
            network_disabled=not config.allow_network,
            remove=True,
            security_opt=["no-new-privileges"],
            cap_drop=["ALL"],
        )


class DockerOperation(ConfigurableTool[DockerOperationToolKitConfig], ABC):
    """Base class for Docker operations."""

    __configurable_tool_config__: ClassVar[DockerOperationToolKitConfig] = (
        DockerOperationToolKitConfig()
    )
    _docker_container: ClassVar[DockerContainer]  # set by DockerOperationToolKit.create_tools()

    @classmethod
    def _create_tar_stream(cls, files: dict[str, str]) -> io.BytesIO:
        """A tar archive of `files` (name -> UTF-8 text), rewound."""
        stream = io.BytesIO()
        with tarfile.open(fileobj=stream, mode="w") as tar:
            for name, content in files.items():
                data = content.encode("utf-8")
                info = tarfile.TarInfo(name=name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        stream.seek(0)
        return stream


class DockerOperationToolKit(ConfigurableToolKit, BaseToolKit):
    """ToolKit for executing Python code and shell commands in a Docker container.

    Example:
        ```python
        from mirascope.core import groq
        from mirascope.tools import DockerOperationToolKit, DockerOperationToolKitConfig
        from mirascope.tools.system._docker_operation import DockerContainer

        config = DockerOperationToolKitConfig(allow_network=False)
        toolkit = DockerOperationToolKit(
            config=config, docker_container=DockerContainer(config=config)
        )


        @groq.call("openai/gpt-oss-120b", tools=toolkit.create_tools())
        def solve(task: str) -> str:
            return task
        ```
    """

    __namespace__ = "docker"
    __prompt_usage_description__: ClassVar[str] = """
    - Tools for code execution:
        - ExecutePython: Executes Python code with optional requirements in a Docker container
        - ExecuteShell: Executes shell commands in a Docker container
    """

    config: DockerOperationToolKitConfig = DockerOperationToolKitConfig()
    docker_container: DockerContainer

    def create_tools(self) -> list[type[BaseTool]]:
        """The toolkit's tools, sharing its container."""
        tools = super().create_tools()
        for tool in tools:
            if issubclass(tool, DockerOperation):
                tool._docker_container = self.docker_container  # pyright: ignore[reportPrivateUsage]
        return tools

    @toolkit_tool
    class ExecutePython(DockerOperation):
        """Tool for executing Python code in a Docker container."""

        code: str
        requirements: list[str] | None = None

        def call(self) -> str:
            """Run the code (after `pip install` of the requirements); its output or an error."""
            try:
                files = {"main.py": self.code}
                if self.requirements:
                    if not self._get_config().allow_network:
                        return (
                            "Error: Network access is disabled. "
                            "Cannot install requirements via pip."
                        )
                    files["requirements.txt"] = "\n".join(self.requirements)
                container = self._docker_container.container
                container.put_archive("/", self._create_tar_stream(files))
                if self.requirements:
                    exit_code, output = container.exec_run(
                        cmd=["pip", "install", "-r", "/requirements.txt"]
                    )
                    if exit_code != 0:
                        return f"Error installing requirements: {output.decode('utf-8')}"
                _, output = container.exec_run(cmd=["python", "/main.py"])
                return output.decode("utf-8")
            except Exception as e:
                return f"Error executing code: {e}"

    @toolkit_tool
    class ExecuteShell(DockerOperation):
        """Tool for executing shell commands in a Docker container."""

        command: str

        def call(self) -> str:
            """Run the command with `sh -c`; its output or an error."""
            try:
                result = self._docker_container.container.exec_run(cmd=["sh", "-c", self.command])
                return result.output.decode("utf-8")
            except Exception as e:
                return f"Error executing command: {e}"


__all__ = ["DockerContainer", "DockerOperationToolKit", "DockerOperationToolKitConfig"]
