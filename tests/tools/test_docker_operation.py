"""`DockerOperationToolKit`: schema, config and errors without a daemon; the real `docker` SDK
against a fake Engine API on 127.0.0.1 (docker_daemon.py); a real daemon only where one runs.

Covered without Docker: what the toolkit asks of the daemon (image, command, v1's hardening
options, the uploaded files, each exec's command) and what it makes of the answers (output,
exit codes, errors, v1's wording). Not covered without Docker: that a real container runs them.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from groq_e2e_helpers import TOOL_MODEL, Flavor

from mirascope.core.groq import GroqTool
from mirascope.tools import DockerOperationToolKit, DockerOperationToolKitConfig

docker = pytest.importorskip("docker")

from docker_daemon import Daemon, fake_docker_daemon  # noqa: E402

from mirascope.tools.system._docker_operation import DockerContainer  # noqa: E402

_CONTAINERS: list[DockerContainer] = []


def tools(**config: Any) -> dict[str, Any]:
    cfg = DockerOperationToolKitConfig(**config)
    container = DockerContainer(config=cfg)
    _CONTAINERS.append(container)
    kit = DockerOperationToolKit(config=cfg, docker_container=container)
    return {t.__name__.removeprefix("docker_"): t for t in kit.create_tools()}


@pytest.fixture(autouse=True)
def _close_containers() -> Iterator[None]:
    # The toolkit's tool classes hold the container in a reference cycle, so it would be
    # stopped and closed by a later `gc` pass, in whatever test runs then. Close it here.
    yield
    while _CONTAINERS:
        _CONTAINERS.pop().close()


@pytest.fixture
def daemon(monkeypatch: pytest.MonkeyPatch) -> Iterator[Daemon]:
    with fake_docker_daemon() as d:
        monkeypatch.setenv("DOCKER_HOST", d.url)
        monkeypatch.delenv("DOCKER_TLS_VERIFY", raising=False)
        monkeypatch.delenv("DOCKER_CERT_PATH", raising=False)
        yield d


def test_config_defaults_and_toolkit_shape() -> None:
    assert DockerOperationToolKitConfig().model_dump() == {
        "docker_image": "python:3.13-slim",
        "max_memory": "512m",
        "allow_network": True,
    }
    assert DockerOperationToolKit.__namespace__ == "docker"
    assert DockerOperationToolKit.usage_description().startswith("- Tools for code execution:")
    t = tools()
    assert sorted(t) == ["ExecutePython", "ExecuteShell"]
    schemas = {
        name: GroqTool.type_from_base_model_type(tool).tool_schema()["function"]
        for name, tool in t.items()
    }
    assert schemas["ExecutePython"] == {
        "name": "docker_ExecutePython",
        "description": "Tool for executing Python code in a Docker container.",
        "parameters": {
            "properties": {
                "code": {"type": "string"},
                "requirements": {
                    "anyOf": [{"items": {"type": "string"}, "type": "array"}, {"type": "null"}],
                    "default": None,
                    "title": "Requirements",
                },
            },
            "required": ["code"],
            "type": "object",
        },
    }
    assert schemas["ExecuteShell"]["description"] == (
        "Tool for executing shell commands in a Docker container."
    )
    assert schemas["ExecuteShell"]["parameters"]["required"] == ["command"]


def test_docker_container_is_required_as_in_v1() -> None:
    with pytest.raises(ValueError, match="docker_container"):
        DockerOperationToolKit()  # type: ignore[call-arg]


def test_missing_docker_package_raises_import_error_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "docker", None)
    with pytest.raises(ImportError, match=r"mirascope-groq\[docker\]"):
        DockerContainer()


def test_no_daemon_returns_v1s_error_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:1")
    t = tools()
    assert (
        t["ExecutePython"](code="print(1)")
        .call()
        .startswith("Error executing code: Error while fetching server API version")
    )
    assert (
        t["ExecuteShell"](command="ls")
        .call()
        .startswith("Error executing command: Error while fetching server API version")
    )


def test_requirements_refused_without_network_before_any_docker_call(daemon: Daemon) -> None:
    t = tools(allow_network=False)
    assert t["ExecutePython"](code="import x", requirements=["x"]).call() == (
        "Error: Network access is disabled. Cannot install requirements via pip."
    )
    assert daemon.calls == []


def test_execute_python_through_the_sdk(daemon: Daemon) -> None:
    daemon.results[("python", "/main.py")] = (0, [(1, b"4\n"), (2, b"warning\n"), (1, b"ok\n")])
    t = tools(docker_image="python:3.12-slim", max_memory="256m", allow_network=False)
    assert t["ExecutePython"](code="print(2 + 2)").call() == "4\nwarning\nok\n"
    assert daemon.files == {"main.py": "print(2 + 2)"}
    assert daemon.execs == [["python", "/main.py"]]
    [created] = daemon.created
    assert created["Image"] == "python:3.12-slim"
    assert created["Cmd"] == ["tail", "-f", "/dev/null"]
    assert created["NetworkDisabled"] is True
    host = created["HostConfig"]
    assert host["Memory"] == 256 * 1024 * 1024
    assert host["SecurityOpt"] == ["no-new-privileges"]
    assert host["CapDrop"] == ["ALL"]
    assert host["AutoRemove"] is True
    # The container is started once and reused by every tool of the toolkit.
    assert t["ExecuteShell"](command="echo hi").call() == ""
    assert daemon.calls.count("POST /containers/create") == 1
    assert daemon.execs[-1] == ["sh", "-c", "echo hi"]


def test_requirements_installed_first_and_their_failure_reported(daemon: Daemon) -> None:
    pip = ("pip", "install", "-r", "/requirements.txt")
    daemon.results[pip] = (0, [(1, b"Successfully installed\n")])
    daemon.results[("python", "/main.py")] = (0, [(1, b"ran\n")])
    t = tools()
    assert t["ExecutePython"](code="import a", requirements=["a==1", "b"]).call() == "ran\n"
    assert daemon.files == {"main.py": "import a", "requirements.txt": "a==1\nb"}
    assert daemon.execs == [list(pip), ["python", "/main.py"]]
    daemon.results[pip] = (1, [(2, b"ERROR: No matching distribution found for a==1\n")])
    assert t["ExecutePython"](code="import a", requirements=["a==1"]).call() == (
        "Error installing requirements: ERROR: No matching distribution found for a==1\n"
    )


def test_shell_output_and_daemon_errors(daemon: Daemon) -> None:
    daemon.results[("sh", "-c", "ls /")] = (0, [(1, b"bin\netc\n")])
    t = tools()
    assert t["ExecuteShell"](command="ls /").call() == "bin\netc\n"
    daemon.results[("sh", "-c", "false")] = (1, [])
    assert t["ExecuteShell"](command="false").call() == ""


def test_container_stopped_when_collected(daemon: Daemon) -> None:
    # Earlier tests' garbage is finalised first, so what this test records is its own.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    container = DockerContainer()
    assert container.container.id == "c0ffee"
    assert container.container.exec_run(cmd=["sh", "-c", "true"]).exit_code == 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del container
        gc.collect()
    assert daemon.calls[-1] == "POST /containers/c0ffee/stop"
    # The Docker client is closed too: its pooled socket must not be left to the collector.
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_close_stops_the_container_and_a_later_use_starts_another(daemon: Daemon) -> None:
    container = DockerContainer()
    container.close()
    assert daemon.calls == []  # nothing was started: nothing to stop
    assert container.container.id == "c0ffee"
    container.close()
    assert daemon.calls[-1] == "POST /containers/c0ffee/stop"
    assert container.container.id == "c0ffee"
    assert daemon.calls.count("POST /containers/create") == 2
    container.close()


async def test_as_tools_in_a_groq_call(flavor: Flavor, daemon: Daemon) -> None:
    daemon.results[("python", "/main.py")] = (0, [(1, b"42\n")])
    toolkit_tools = list(tools().values())
    args = json.dumps({"code": "print(6 * 7)"})
    flavor.emu.enqueue("tool_calls", calls=[("docker_ExecutePython", args)])
    fn = flavor.call(lambda: "compute", TOOL_MODEL, tools=toolkit_tools)
    response = await flavor.invoke(fn)
    assert type(response.tool).__name__ == "docker_ExecutePython"
    assert response.tool.call() == "42\n"
    assert daemon.files == {"main.py": "print(6 * 7)"}


def _real_daemon() -> bool:
    """A daemon answers and has the default image (no pulling: there is no network)."""
    if not os.environ.get("DOCKER_HOST") and not os.path.exists("/var/run/docker.sock"):
        return False  # (asking anyway leaks the SDK's failed unix socket: a ResourceWarning)
    try:
        client = docker.from_env()
    except Exception:
        return False
    try:
        client.ping()
        client.images.get(DockerOperationToolKitConfig().docker_image)
    except Exception:
        return False
    finally:
        client.close()
    return True


@pytest.mark.skipif(not _real_daemon(), reason="no Docker daemon with python:3.13-slim")
def test_real_docker() -> None:
    t = tools(allow_network=False)
    assert t["ExecutePython"](code="print(6 * 7)").call() == "42\n"
    assert t["ExecuteShell"](command="echo hi").call() == "hi\n"
