"""`FileSystemToolKit`: the sandbox holds against `..`, absolute paths and symlinks; e2e too."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from groq_e2e_helpers import TOOL_MODEL, Flavor
from hypothesis import given, settings
from hypothesis import strategies as st

from mirascope.tools import FileSystemToolKit, FileSystemToolKitConfig

TRAVERSAL = "Error: Invalid path (attempted path traversal)"


@pytest.fixture
def layout(tmp_path: Path) -> dict[str, Path]:
    base = tmp_path / "base"
    outside = tmp_path / "outside"
    base.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("TOP SECRET")
    (base / "notes.txt").write_text("hello")
    (base / "sub").mkdir()
    return {"base": base, "outside": outside}


def tools(base: Path, **config: Any) -> dict[str, Any]:
    kit = FileSystemToolKit(
        base_directory=base, **({"config": FileSystemToolKitConfig(**config)} if config else {})
    )
    return {t.__name__.removeprefix("file_system_"): t for t in kit.create_tools()}


def test_names_and_round_trip(layout: dict[str, Path]) -> None:
    t = tools(layout["base"])
    assert sorted(t) == ["CreateDirectory", "DeleteFile", "ListDirectory", "ReadFile", "WriteFile"]
    assert (
        t["WriteFile"](path="sub/new.md", content="# hi").call()
        == "Successfully wrote to sub/new.md"
    )
    assert t["ReadFile"](path="sub/new.md").call() == "# hi"
    assert t["ListDirectory"](path="sub").call() == "Contents of sub :\n- new.md [file] (4 bytes)\n"
    assert t["CreateDirectory"](path="a/b").call() == "Successfully created directory a/b"
    assert (layout["base"] / "a" / "b").is_dir()
    assert t["DeleteFile"](path="sub/new.md").call() == "Successfully deleted sub/new.md"
    assert t["ReadFile"](path="missing.txt").call() == "Error: File missing.txt not found"
    assert t["ReadFile"](path="x.exe").call().startswith("Error: Invalid file extension")


@pytest.mark.parametrize(
    "path",
    ["../outside/secret.txt", "sub/../../outside/secret.txt", "..", "/etc/passwd", "nul\x00.txt"],
)
def test_traversal_and_absolute_paths_refused(layout: dict[str, Path], path: str) -> None:
    t = tools(layout["base"])
    for name in ("ReadFile", "DeleteFile", "CreateDirectory", "ListDirectory"):
        assert t[name](path=path).call() == TRAVERSAL
    assert t["WriteFile"](path=path, content="x").call() == TRAVERSAL
    assert (layout["outside"] / "secret.txt").read_text() == "TOP SECRET"


def test_absolute_path_inside_base_is_allowed(layout: dict[str, Path]) -> None:
    t = tools(layout["base"])
    assert t["ReadFile"](path=str(layout["base"] / "notes.txt")).call() == "hello"


def test_symlink_escapes_refused(layout: dict[str, Path]) -> None:
    base, outside = layout["base"], layout["outside"]
    os.symlink(outside / "secret.txt", base / "link.txt")
    os.symlink(outside, base / "dirlink")
    t = tools(base)
    assert t["ReadFile"](path="link.txt").call() == TRAVERSAL
    assert t["ReadFile"](path="dirlink/secret.txt").call() == TRAVERSAL
    assert t["WriteFile"](path="dirlink/new.txt", content="x").call() == TRAVERSAL
    assert t["WriteFile"](path="link.txt", content="x").call() == TRAVERSAL
    assert t["DeleteFile"](path="link.txt").call() == TRAVERSAL
    assert t["ListDirectory"](path="dirlink").call() == TRAVERSAL
    assert t["CreateDirectory"](path="dirlink/x").call() == TRAVERSAL
    assert not (outside / "new.txt").exists() and not (outside / "x").exists()
    assert (outside / "secret.txt").read_text() == "TOP SECRET"


def test_symlink_inside_base_allowed(layout: dict[str, Path]) -> None:
    os.symlink(layout["base"] / "notes.txt", layout["base"] / "alias.txt")
    assert tools(layout["base"])["ReadFile"](path="alias.txt").call() == "hello"


def test_base_directory_itself_a_symlink(layout: dict[str, Path], tmp_path: Path) -> None:
    os.symlink(layout["base"], tmp_path / "baselink")
    t = tools(tmp_path / "baselink")
    assert t["ReadFile"](path="notes.txt").call() == "hello"
    assert t["ReadFile"](path="../outside/secret.txt").call() == TRAVERSAL


def test_size_limit_and_bad_base(layout: dict[str, Path]) -> None:
    t = tools(layout["base"], max_file_size=3)
    assert t["ReadFile"](path="notes.txt").call() == "Error: File exceeds maximum size of 3 bytes"
    assert t["WriteFile"](path="n.txt", content="long").call() == (
        "Error: Content exceeds maximum size of 3 bytes"
    )
    with pytest.raises(ValueError, match="does not exist"):
        FileSystemToolKit(base_directory=layout["base"] / "nope")
    with pytest.raises(ValueError, match="is not a directory"):
        FileSystemToolKit(base_directory=layout["base"] / "notes.txt")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["..", ".", "sub", "outside", "secret.txt", "/", "x.txt"]),
        min_size=1,
        max_size=6,
    )
)
def test_no_generated_path_leaves_the_sandbox(
    tmp_path_factory: pytest.TempPathFactory, parts: list[str]
) -> None:
    root = tmp_path_factory.mktemp("h")
    base = root / "base"
    (base / "sub").mkdir(parents=True)
    (root / "outside").mkdir()
    path = "/".join(parts)
    result = tools(base)["WriteFile"](path=path, content="x").call()
    written = [p for p in root.rglob("*") if p.is_file()]
    assert all(base.resolve() in p.resolve().parents for p in written), (path, result)


async def test_as_tools_in_a_groq_call(flavor: Flavor, layout: dict[str, Path]) -> None:
    kit = FileSystemToolKit(base_directory=layout["base"])
    flavor.emu.enqueue("tool_calls", calls=[("file_system_ReadFile", '{"path": "notes.txt"}')])
    fn = flavor.call(lambda: "read my notes", TOOL_MODEL, tools=kit.create_tools())
    response = await flavor.invoke(fn)
    assert response.tool is not None
    assert response.tool.call() == "hello"
    sent = flavor.emu.requests[-1].json["tools"]
    assert sent[0]["function"]["name"] == "file_system_ReadFile"
