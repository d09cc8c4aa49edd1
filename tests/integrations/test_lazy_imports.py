"""Nothing optional is imported until used."""

from __future__ import annotations

import os
import subprocess
import sys


def test_core_imports_no_integration_or_otel() -> None:
    code = (
        "import sys, mirascope.core.groq, mirascope.integrations, mirascope.tools\n"
        "bad = [m for m in sys.modules if m.startswith(('opentelemetry', 'requests',"
        " 'mirascope.integrations.otel'))]\n"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_integration_without_its_extra_names_the_missing_package() -> None:
    import importlib
    import importlib.util

    import pytest

    for package in ("logfire", "langfuse"):
        if importlib.util.find_spec(package) is not None:
            continue  # installed (the integrations venv): tested in test_<package>.py
        with pytest.raises(ModuleNotFoundError) as info:
            importlib.import_module(f"mirascope.integrations.{package}")
        assert info.value.name == package


def test_a_call_with_middleware_imports_no_otel_logfire_or_langfuse() -> None:
    """With nothing configured, a streamed call through middleware and `llm` imports no tracer."""
    code = """
import sys
from mirascope import llm
from mirascope.core import groq
from mirascope.core.groq.testing import GroqEmulator
from mirascope.integrations import middleware_factory

seen = []
deco = middleware_factory(handle_stream=lambda s, fn, ctx: seen.append(s.end_state))
with GroqEmulator() as emu:
    emu.enqueue("text", text="Hello").enqueue("text", text="Hi")
    client = emu.client()

    @deco
    @groq.call("openai/gpt-oss-20b", stream=True, client=client)
    def a() -> str:
        return "hi"

    @deco
    @llm.call(provider="groq", model="openai/gpt-oss-20b", stream=True, client=client)
    def b() -> str:
        return "hi"

    for fn in (a, b):
        for _ in fn():
            pass
    client.close()
assert seen == ["finished", "finished"], seen
tracers = {"opentelemetry", "logfire", "langfuse", "mirascope.integrations.otel"}
print(sorted(m for m in sys.modules if m in tracers or m.split(".")[0] in tracers))
"""
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"}  # as if logfire were absent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
