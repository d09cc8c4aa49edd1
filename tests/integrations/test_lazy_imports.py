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


def test_missing_integrations_raise_import_error() -> None:
    import importlib

    import pytest

    for name in ("mirascope.integrations.logfire", "mirascope.integrations.langfuse"):
        with pytest.raises(ImportError):
            importlib.import_module(name)
