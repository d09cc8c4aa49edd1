"""Nothing optional is imported until used."""

from __future__ import annotations

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
