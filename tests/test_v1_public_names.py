"""Every public name of Mirascope v1.25.7 that a Groq user can use resolves here, at v1's path.

The list is tests/data/v1_public_names.txt, generated once from v1.25.7's released wheel
(`pip download mirascope==1.25.7 --no-deps`) and committed, so this test needs no download.
The rule that produced it:

- modules: every module of the wheel whose dotted path has no component starting with `_`,
  except other providers' modules (`mirascope.core.<provider>` for every provider but groq), the
  legacy `mirascope.v0` (v0's OpenAI/Anthropic API), `mirascope.beta` (OpenAI realtime, RAG
  embedders/vector stores of other vendors) and `mirascope.mcp` / `mirascope.experimental`
  (outside the issue's scope: none of the issue's corpus programs use them);
- names: a module's `__all__` when it defines one, otherwise its top-level classes, functions
  and assignments; names starting with `_` (bar `__version__`) and other providers' module names
  (e.g. `mirascope.core.openai`) are left out.

Entries in the `[absent]` section are deliberate differences (v1's internal provider-writing
factories): each must be named in the README's compatibility section, and must not resolve.
A `[required]` name whose module needs the `logfire` or `langfuse` extra (as in v1) is skipped
where that extra is not installed; scripts/ci-integrations.sh runs this test with both.
Entries in the `[pending]` section are v1 names not built yet (issue 11 is open for them): each
xfails while it does not resolve, and fails once it does, so it is moved to `[required]`.
"""

from __future__ import annotations

import importlib
import warnings
from pathlib import Path

import pytest

LIST = Path(__file__).parent / "data" / "v1_public_names.txt"
README = Path(__file__).parent.parent / "README.md"


# v1 needs these packages for these names too; they are extras outside `dev` (see pyproject.toml).
_EXTRAS_OUTSIDE_DEV = {"logfire", "langfuse"}


def _entries() -> list[tuple[str, str]]:
    section, out = "", []
    for raw in LIST.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        out.append((section, line))
    return out


ENTRIES = _entries()


def test_list_is_complete_enough():
    sections = {s for s, _ in ENTRIES}
    assert {"required", "absent"} <= sections <= {"required", "absent", "pending"}
    assert len(ENTRIES) > 250  # a truncated list would pass vacuously


@pytest.mark.parametrize(("section", "entry"), ENTRIES, ids=[e for _, e in ENTRIES])
def test_v1_public_name_resolves(section: str, entry: str):
    module, _, name = entry.partition(":")
    if section == "pending":
        try:
            mod = importlib.import_module(module)
        except ImportError:
            pytest.xfail(f"{module} is not built yet")
        if name and not hasattr(mod, name):
            pytest.xfail(f"{entry} is not built yet")
        pytest.fail(f"{entry} resolves now: move it to [required]")
    try:
        with warnings.catch_warnings():  # v1 warns on some deprecated paths (integrations.tenacity)
            warnings.simplefilter("ignore")
            mod = importlib.import_module(module)
            if name:
                getattr(mod, name, None)  # a lazy attribute (integrations.logfire) imports here
    except ModuleNotFoundError as exc:
        if exc.name not in _EXTRAS_OUTSIDE_DEV:
            raise
        pytest.skip(f"needs the {exc.name!r} extra (run by scripts/ci-integrations.sh)")
    if section == "absent":
        compat = README.read_text().split("## Compatibility with Mirascope v1", 1)[1]
        assert f"`{name}`" in compat.split("\n## ", 1)[0], f"{entry} not in the README"
        assert not hasattr(mod, name)
        return
    if name:
        assert hasattr(mod, name), f"{module}.{name} is missing"
