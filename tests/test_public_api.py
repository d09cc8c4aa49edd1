"""The v1 public surface (API.md §3): import paths, exported names, and a light import."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

V1_MODULES = [
    "mirascope",
    "mirascope.core",
    "mirascope.core.base",
    "mirascope.core.groq",
    "mirascope.core.groq.stream",
    "mirascope.core.groq.call_response",
    "mirascope.core.groq.call_response_chunk",
    "mirascope.core.groq.tool",
    "mirascope.core.groq.call_params",
    "mirascope.core.groq.dynamic_config",
    "mirascope.core.base.stream",
    "mirascope.core.base.tool",
    "mirascope.core.base.toolkit",
    "mirascope.core.base.prompt",
    "mirascope.core.base.message_param",
    "mirascope.core.base.messages",
    "mirascope.core.base.types",
    "mirascope.core.base.call_response",
    "mirascope.core.base.call_response_chunk",
    "mirascope.core.base.call_params",
    "mirascope.core.base.dynamic_config",
    "mirascope.core.base.metadata",
    "mirascope.core.base.merge_decorators",
    "mirascope.core.base.from_call_args",
    "mirascope.core.base.response_model_config_dict",
    "mirascope.core.base.stream_config",
    "mirascope.core.costs",
]


@pytest.mark.parametrize("module", V1_MODULES)
def test_v1_import_path_exists(module: str) -> None:
    importlib.import_module(module)


def test_groq_package_exports_exactly_the_v1_names() -> None:
    groq = importlib.import_module("mirascope.core.groq")
    assert sorted(groq.__all__) == [
        "AsyncGroqDynamicConfig",
        "GroqCallParams",
        "GroqCallResponse",
        "GroqCallResponseChunk",
        "GroqDynamicConfig",
        "GroqMessageParam",
        "GroqStream",
        "GroqTool",
        "call",
        "groq_call",
    ]
    assert groq.call is groq.groq_call
    for name in groq.__all__:
        assert getattr(groq, name) is not None


def test_groq_features_resolve_lazily_at_the_package_root() -> None:
    """Issue 10's `tools=[GetWeather, groq.BrowserSearch()]`: beyond v1, so not in `__all__`."""
    from mirascope.core import groq
    from mirascope.core.groq import builtin_tools

    assert groq.BrowserSearch is builtin_tools.BrowserSearch
    assert groq.CodeInterpreter is builtin_tools.CodeInterpreter
    assert groq.BrowserSearch().tool_param() == {"type": "browser_search"}
    assert groq.CodeInterpreter().tool_param() == {"type": "code_interpreter"}
    assert {"BrowserSearch", "CodeInterpreter"}.isdisjoint(groq.__all__)
    for name in ("BrowserSearch", "CodeInterpreter"):
        assert (getattr(groq, name).__doc__ or "").strip(), name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        groq.Nope  # noqa: B018  # pyright: ignore[reportAttributeAccessIssue]


def test_submodules_export_their_v1_names() -> None:
    from mirascope.core.groq import call_response_chunk, stream

    assert stream.FinishReason is call_response_chunk.FinishReason
    assert stream.GroqStream.__module__ == "mirascope.core.groq.stream"
    assert stream.GroqStream.construct_call_response.__doc__


def test_core_exports_resolve() -> None:
    core = importlib.import_module("mirascope.core")
    for name in core.__all__:
        assert getattr(core, name) is not None, name
    assert core.groq.groq_call is importlib.import_module("mirascope.core.groq").groq_call


OPTIONAL_PACKAGES = (
    "tenacity",
    "PIL",
    "pydub",
    "docstring_parser",
    "opentelemetry",
    "logfire",
    "langfuse",
    "starlette",
    "fastapi",
    "ray",
    "tqdm",
    "rich",
    "playwright",
    "xllamacpp",
    # mirascope.tools extras (issue 11)
    "requests",
    "ddgs",
    "duckduckgo_search",
    "primp",
    "bs4",
    "docker",
)
OWN_MODULES = Path(__file__).parent / "data" / "import_modules.txt"


def _modules_after_import() -> set[str]:
    code = "import sys, mirascope.core.groq; print('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_importing_the_groq_module_loads_nothing_optional() -> None:
    loaded = _modules_after_import()
    optional = {m for m in loaded if m.split(".")[0] in OPTIONAL_PACKAGES}
    assert not optional
    assert "mirascope.core.groq.testing" not in loaded
    assert "mirascope.core.groq.local" not in loaded


def test_importing_the_groq_module_loads_only_the_committed_list_of_our_modules() -> None:
    """Import cost (issue 14): a new eager import of ours must be a deliberate choice.

    Regenerate the list only when a module really belongs on the import path of a plain call.
    """
    ours = {m for m in _modules_after_import() if m.split(".")[0] == "mirascope"}
    allowed = set(OWN_MODULES.read_text().split())
    assert sorted(ours - allowed) == []


def test_the_response_layer_loads_on_the_first_call_not_at_import_or_decoration() -> None:
    """Issue 14: as `import groq` defers `groq.resources.chat` to the first `client.chat`, the
    SDK's chat types and our response and stream layer load on the first call."""
    code = (
        "import sys\n"
        "from mirascope.core import groq\n"
        "@groq.call('openai/gpt-oss-20b')\n"
        "def hi() -> str:\n"
        "    return 'hi'\n"
        "@groq.call('openai/gpt-oss-20b', stream=True)\n"
        "def hi_stream() -> str:\n"
        "    return 'hi'\n"
        "late = ['groq.types.chat', 'mirascope.core.groq.call_response',"
        " 'mirascope.core.groq.stream', 'mirascope.core.groq._stream_source',"
        " 'mirascope.core.base.message_param', 'mirascope.core.base.tool', 'jiter']\n"
        "early = [m for m in late if m in sys.modules]\n"
        "assert not early, early\n"
        "from mirascope.core.groq.testing import GroqEmulator\n"
        "with GroqEmulator() as emu:\n"
        "    emu.enqueue('text', text='hello')\n"
        "    emu.enqueue('text', text='hello')\n"
        "    client = emu.client()\n"
        "    r = groq.call('openai/gpt-oss-20b', client=client)(lambda: 'hi')()\n"
        "    assert r.content == 'hello', r.content\n"
        "    s = groq.call('openai/gpt-oss-20b', stream=True, client=client)(lambda: 'hi')()\n"
        "    assert ''.join(c.content for c, _ in s) == 'hello'\n"
        "assert isinstance(r, groq.GroqCallResponse) and isinstance(s, groq.GroqStream)\n"
        "assert [m for m in late if m not in sys.modules] == []\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_public_names_have_docstrings() -> None:
    groq = importlib.import_module("mirascope.core.groq")
    for name in groq.__all__:
        obj = getattr(groq, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):  # aliases carry no __doc__
            assert (obj.__doc__ or "").strip(), name


def test_names_loaded_on_first_use_still_import_from_v1_paths() -> None:
    """Issue 14: toolkits, structured streams and built-in tools are lazy, not gone."""
    code = (
        "import sys\n"
        "import mirascope.core.groq\n"
        "lazy = ['mirascope.core.base.toolkit', 'mirascope.core.base.structured_stream',"
        " 'mirascope.core.groq._extract', 'mirascope.core.groq.builtin_tools',"
        " 'mirascope.core.groq.rate_limits', 'mirascope.core.groq.timings']\n"
        "assert not [m for m in lazy if m in sys.modules], [m for m in lazy if m in sys.modules]\n"
        "from mirascope import BaseToolKit\n"
        "from mirascope.core import BaseToolKit as K2, toolkit_tool\n"
        "from mirascope.core.base import BaseStructuredStream, BaseToolKit as K3\n"
        "from mirascope.core.base import *\n"
        "from mirascope.core.groq.builtin_tools import BuiltinTool\n"
        "assert BaseToolKit is K2 is K3 and callable(toolkit_tool)\n"
        "assert BaseStructuredStream.__name__ == 'BaseStructuredStream'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)


def test_lazy_packages_list_their_names_and_refuse_unknown_ones() -> None:
    code = (
        "import sys, mirascope, mirascope.core, mirascope.core.base, mirascope.core.groq\n"
        "for pkg in (mirascope, mirascope.core, mirascope.core.base, mirascope.core.groq):\n"
        "    missing = sorted(set(pkg.__all__) - set(dir(pkg)))\n"
        "    assert not missing, (pkg.__name__, missing)\n"
        "    try:\n"
        "        pkg.NoSuchName\n"
        "    except AttributeError as e:\n"
        "        assert pkg.__name__ in str(e) and 'NoSuchName' in str(e), e\n"
        "    else:\n"
        "        raise AssertionError(pkg.__name__)\n"
        "assert 'mirascope.core.groq.stream' not in sys.modules  # dir() imports nothing\n"
        "stream = mirascope.core.groq.GroqStream\n"
        "assert mirascope.core.groq.__dict__['GroqStream'] is stream  # cached after first use\n"
        "assert mirascope.core.base.metadata.__name__ == 'metadata'  # the function, not module\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
