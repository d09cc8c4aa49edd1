"""Smoke test for the benchmark harness: `bench/run.py --quick` produces a well-formed report.

Runs the real harness (server, fresh workers, report) for the floor and SDK clients with tiny N
and no callgrind. Timings are never asserted, only the report's shape: every section present,
ratio columns to the SDK and the floor, reference rows at exactly 1.00x, no failed clients.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
