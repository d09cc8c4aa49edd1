"""`import mirascope.tools` loads none of the tools' optional libraries (they load when used)."""

from __future__ import annotations

import subprocess
import sys

EXTRAS = ("requests", "ddgs", "duckduckgo_search", "primp", "lxml", "bs4", "docker")


def test_importing_the_tools_loads_no_optional_library() -> None:
    code = "import sys, mirascope.tools; print('\\n'.join(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "mirascope.tools" in loaded
    assert sorted(m for m in loaded if m.split(".")[0] in EXTRAS) == []
