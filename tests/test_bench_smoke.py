"""Smoke test for the benchmark harness: `bench/run.py --quick` produces a well-formed report.

Runs the real harness (server, fresh workers, report) for the floor and SDK clients with tiny N
and no callgrind. Timings are never asserted, only the report's shape: every section present,
ratio columns to the SDK and the floor, reference rows at exactly 1.00x, no failed clients.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMES = "\u00d7"  # the report's multiplication sign


def _tables(report: str) -> list[list[list[str]]]:
    """Markdown tables in ``report``, each as rows of cells (header first, separator dropped)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*report.splitlines(), ""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(set(c) <= set("-:") for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    return tables


def test_quick_report_is_well_formed(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    cmd = [
        sys.executable,
        str(ROOT / "bench" / "run.py"),
        "--quick",
        "--no-callgrind",
        "--clients",
        "floor,sdk",
        "--only",
        "per_chunk,per_call,async",
        "--n",
        "60",
    ]
    proc = subprocess.run(
        [*cmd, "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert proc.stdout == report
    charted = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert charted["async_chunks_per_cpu_s"][0] > 0  # the floor's, from this run
    assert charted["per_chunk_instr"]["plain text"] == [None, None, None]  # callgrind off

    for heading in (
        "# mirascope-groq benchmark results",
        "## Per chunk",
        "## Per call",
        "## Concurrent async",
        "## Peak RSS",
        "## Figures to beat",
        "### Bar",
        "**Command:** `python bench/run.py --quick",
        "**Python:**",
        "**Load average at start",
    ):
        assert heading in report, heading

    tables = _tables(report)
    assert len(tables) == 4  # per chunk, per call, async, RSS
    for table in tables:
        header, rows = table[0], table[1:]
        assert any(f"{TIMES}SDK" in cell for cell in header), header
        assert any(f"{TIMES}floor" in cell for cell in header), header
        assert all(len(row) == len(header) for row in rows), table
        labels = [row[0] for row in rows]
        assert labels == ["floor (httpx + json.loads)", "groq SDK"], labels
        sdk_col = next(i for i, cell in enumerate(header) if f"{TIMES}SDK" in cell)
        floor_col = next(i for i, cell in enumerate(header) if f"{TIMES}floor" in cell)
        assert rows[1][sdk_col] == f"1.00{TIMES}"
        assert rows[0][floor_col] == f"1.00{TIMES}"
        assert all(row[sdk_col].endswith(TIMES) for row in rows)
    assert "failed" not in report


def test_quick_toolheavy_report(tmp_path: Path) -> None:
    """The tool-heavy group runs, verifies its reassembled tool calls, and gets its own table."""
    out = tmp_path / "RESULTS.md"
    cmd = [
        sys.executable,
        str(ROOT / "bench" / "run.py"),
        "--quick",
        "--no-callgrind",
        "--clients",
        "floor_toolheavy,sdk_toolheavy,mirascope_toolheavy",
        "--only",
        "per_chunk",
        "--n",
        "60",
        "--out",
        str(out),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert "Tool-heavy streams:" in report
    bar = f"- Tool-heavy per chunk, instructions ≤ 2{TIMES} floor: **n/a** (callgrind off)"
    assert bar in report
    table = _tables(report)[0]  # per chunk; the second is RSS
    header, rows = table[0], table[1:]
    labels = [row[0] for row in rows]
    assert labels == [
        "floor, tool-heavy",
        "groq SDK, tool-heavy",
        "**mirascope-groq, tool-heavy**",
    ], labels
    sdk_col = next(i for i, cell in enumerate(header) if f"{TIMES}SDK" in cell)
    floor_col = next(i for i, cell in enumerate(header) if f"{TIMES}floor" in cell)
    assert rows[0][floor_col] == f"1.00{TIMES}"
    assert rows[1][sdk_col] == f"1.00{TIMES}"
    assert "failed" not in report


def test_chart_renders_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    sys.path.insert(0, str(ROOT))
    from bench import chart

    data = {
        "date": "2026-12-02 00:00 UTC",
        "command": "python bench/run.py",
        "per_chunk_instr": {
            "plain text": [118_000.0, 826_000.0, 84_000.0],
            "tool-heavy": [127_000.0, 857_000.0, None],
            "reasoning": [None, None, None],
        },
        "per_call_instr": [2.3e6, 6.7e6, 5.4e6],
        "async_chunks_per_cpu_s": [None, None, None],
    }
    out = tmp_path / "run.png"
    chart.render(data, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
