"""Every ```python block of README.md and docs/*.md runs against the Groq emulator and type-checks.

Each block runs in a fresh namespace (a fresh module), with `GROQ_BASE_URL` / `GROQ_API_KEY`
pointing at a `GroqEmulator`, so `@groq.call(...)` without `client=` talks to the emulator. After
the block ran, every `test_*` function it defined is called, with the emulator for a parameter
named `groq_emulator` (so a block showing a pytest test is run as that test). The same blocks,
each prefixed by the blocks it continues, are written to files and checked by basedpyright
(standard mode, Python 3.10).

Convention: HTML comment lines directly above the opening fence (nothing else between them and
the fence) steer one block; several may be stacked. Each is `<!-- docs-block: DIRECTIVE -->`:

- `name=NAME`: names the block (unique per file), so a later block can continue it.
- `continue`: run after the previous block of the same file, in its namespace (it sees the
  earlier imports and definitions). `continue=NAME` continues the named block instead. A block
  that continues another is type-checked together with it.
- `enqueue SCENARIO {json knobs}`: script one emulator answer before the block runs, as
  `emulator.enqueue(SCENARIO, **knobs)` (scenarios and knobs: docs/emulator.md). Answers not
  scripted are the emulator's default canned text.
- `no-run REASON`: type-check only (for example a block that needs the local model).
- `skip REASON`: neither run nor type-checked (only for what is not Python an app would run).

Example (in a .md file):

    <!-- docs-block: name=tools -->
    <!-- docs-block: enqueue tool_calls {"calls": [["GetWeather", "{\\"city\\": \\"Paris\\"}"]]} -->
    ```python
    ...
    ```

Blocks with no directive run on their own. A `GroqEmulator` or `groq.Groq` a block leaves in
its namespace is stopped or closed after it ran. Invariants: blocks never reach the network (the
emulator is on 127.0.0.1 and the API key is a dummy); a block's failure names the file and the
line of its fence.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import groq as groq_sdk
import pytest

from mirascope.core.groq import _client
from mirascope.core.groq.testing import DUMMY_API_KEY, GroqEmulator

ROOT = Path(__file__).resolve().parent.parent
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_DIRECTIVE = re.compile(r"^\s*<!--\s*docs-block:\s*(.*?)\s*-->\s*$")
_FENCE = re.compile(r"^```python\s*$")


@dataclass
class Block:
    """One ```python block and its directives."""

    path: Path
    line: int
    """1-based line of the opening fence."""
    code: str
    name: str | None = None
    parent: Block | None = None
    enqueues: list[tuple[str, dict[str, Any]]] = field(
        default_factory=list[tuple[str, dict[str, Any]]]
    )
    run: bool = True
    check: bool = True

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    def chain(self) -> list[Block]:
        """The blocks this one continues, oldest first, then itself."""
        chain: list[Block] = []
        block: Block | None = self
        while block is not None:
            chain.append(block)
            block = block.parent
        return chain[::-1]


def _parse(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    named: dict[str, Block] = {}
    i = 0
    while i < len(lines):
        if not _FENCE.match(lines[i]):
            i += 1
            continue
        start = i
        directives: list[str] = []
        j = i - 1
        while j >= 0 and (m := _DIRECTIVE.match(lines[j])):
            directives.insert(0, m.group(1))
            j -= 1
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i])
            i += 1
        block = Block(path, start + 1, "\n".join(body) + "\n")
        where = f"{path.name}:{start + 1}"
        for directive in directives:
            word, _, rest = directive.partition(" ")
            key, _, value = word.partition("=")
            if key == "name":
                block.name = value
                named[value] = block
            elif key == "continue":
                if value and value not in named:
                    raise ValueError(f"{where}: continue={value}: no earlier block of that name")
                if not value and not blocks:
                    raise ValueError(f"{where}: continue: there is no earlier block")
                block.parent = named[value] if value else blocks[-1]
            elif key == "enqueue":
                scenario, _, knobs = rest.partition(" ")
                block.enqueues.append((scenario, json.loads(knobs) if knobs.strip() else {}))
            elif key == "no-run":
                block.run = False
            elif key == "skip":
                block.run = block.check = False
            else:
                raise ValueError(f"{where}: unknown docs-block directive {directive!r}")
        blocks.append(block)
        i += 1
    return blocks


BLOCKS = [block for path in DOC_FILES for block in _parse(path)]


@pytest.fixture(scope="module")
def docs_emulator() -> Any:
    with GroqEmulator() as emu:
        yield emu


def _run(block: Block, namespace: dict[str, Any], emu: GroqEmulator) -> None:
    for scenario, knobs in block.enqueues:
        emu.enqueue(scenario, **knobs)
    code = compile("\n" * (block.line) + block.code, str(block.path), "exec")
    exec(code, namespace)


def _call_tests(namespace: dict[str, Any], emu: GroqEmulator) -> None:
    for name, fn in list(namespace.items()):
        if name.startswith("test_") and inspect.isfunction(fn):
            params = inspect.signature(fn).parameters
            fn(**({"groq_emulator": emu} if "groq_emulator" in params else {}))


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.run], ids=lambda b: b.id)
def test_block_runs_against_the_emulator(
    block: Block, docs_emulator: GroqEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GROQ_BASE_URL", docs_emulator.base_url)
    monkeypatch.setenv("GROQ_API_KEY", DUMMY_API_KEY)
    docs_emulator.reset()
    module = types.ModuleType(f"docs_block_{block.line}")
    namespace = module.__dict__
    sys.modules[module.__name__] = module  # pydantic and dataclasses look classes up here
    try:
        for earlier in block.chain():
            _run(earlier, namespace, docs_emulator)
        _call_tests(namespace, docs_emulator)
    finally:
        del sys.modules[module.__name__]
        _clean_up(namespace)


def _clean_up(namespace: dict[str, Any]) -> None:
    # Blocks may leave a started emulator or an open client behind (as an app would).
    for value in namespace.values():
        if isinstance(value, GroqEmulator):
            value.stop()
        elif isinstance(value, groq_sdk.Groq):
            value.close()
    # and the shared default clients (`client=None` calls): their pooled sockets to this
    # block's emulator must not outlive it (a ResourceWarning once collected).
    for client in _client._sync_clients.values():
        client.close()
    _client._sync_clients.clear()


def test_blocks_type_check(tmp_path: Path) -> None:
    basedpyright = shutil.which("basedpyright", path=str(Path(sys.executable).parent))
    if basedpyright is None:
        pytest.skip("basedpyright is not installed (pip install -e '.[dev]')")
    for block in BLOCKS:
        if block.check:
            name = re.sub(r"\W", "_", block.id) + ".py"
            text = "".join(b.code + "\n\n" for b in block.chain())
            (tmp_path / name).write_text(text, encoding="utf-8")
    config = {
        "typeCheckingMode": "standard",
        "pythonVersion": "3.10",
        "reportMissingModuleSource": False,
    }
    (tmp_path / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    result = subprocess.run(
        [basedpyright, "--pythonpath", sys.executable, "--outputjson"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_OPTIONS": "--max-old-space-size=1024"},
        timeout=300,
    )
    report = json.loads(result.stdout)
    errors = [
        f"{Path(d['file']).name}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    assert errors == [], "\n".join(errors)
