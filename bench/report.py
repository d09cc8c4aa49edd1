"""Markdown report: every table gives ratios to the groq SDK and to the floor of the same run.

Absolute CPU and wall figures depend on the machine and its load; ratios within one run, and
instruction counts, are what compare across runs and with PERFORMANCE.md's reference figures.
"""

# The report is Markdown for people: its multiplication signs and dashes are meant.
# ruff: noqa: RUF001

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.measure import Outcome, Results

# PERFORMANCE.md §3/§6 reference figures for Mirascope v1.25.7 (groq 0.37.1, same method).
V1_INSTR_PER_CHUNK = 908_505
V1_FLOOR_INSTR_PER_CHUNK = 122_248
V1_SDK_INSTR_PER_CHUNK = 869_785
V1_INSTR_PER_CALL = 7_090_141
V1_SDK_INSTR_PER_CALL = 6_789_289
V1_FLOOR_INSTR_PER_CALL = 2_356_002
V1_IMPORT_WALL_MS = 738.5
V1_IMPORTTIME_MS = 703.7
BAR_CHUNK_X_FLOOR = 2.0
TEXT_KINDS = ("floor", "sdk", "sdk_strict", "mirascope")
TOOL_KINDS = ("floor_tools", "sdk_tools", "mirascope_tools")
TOOLHEAVY_KINDS = ("floor_toolheavy", "sdk_toolheavy", "mirascope_toolheavy")
REASONING_KINDS = ("floor_reasoning", "sdk_reasoning", "mirascope_reasoning")


@dataclass
class RunData:
    """Everything one invocation of `bench/run.py` measured, plus its context."""

    date: str
    command: str
    machine: dict[str, str]
    config: dict[str, Any]
    duration_s: float = 0.0
    per_chunk: Results | None = None
    cg_chunk: Results | None = None
    per_call: Results | None = None
    cg_call: Results | None = None
    concurrent: Results | None = None
    imports: Results | None = None
    imports_uncached: Results | None = None
    first_call: Results | None = None
    notes: list[str] = field(default_factory=list)


LABELS = {
    "floor": "floor (httpx + json.loads)",
    "sdk": "groq SDK",
    "sdk_strict": "groq SDK strict",
    "mirascope": "**mirascope-groq**",
    "floor_tools": "floor, tools",
    "sdk_tools": "groq SDK, tools",
    "mirascope_tools": "**mirascope-groq, tools**",
    "floor_toolheavy": "floor, tool-heavy",
    "sdk_toolheavy": "groq SDK, tool-heavy",
    "mirascope_toolheavy": "**mirascope-groq, tool-heavy**",
    "floor_reasoning": "floor, reasoning",
    "sdk_reasoning": "groq SDK, reasoning",
    "mirascope_reasoning": "**mirascope-groq, reasoning**",
}


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _ratio(value: float | None, ref: float | None) -> str:
    if value is None or ref is None or ref == 0:
        return "–"
    return f"{value / ref:.2f}×"


def _range(outcome: Outcome, key: str) -> str:
    samples = outcome.values.get(key) if outcome.ok else None
    if not samples or len(samples) < 2:
        return "–"
    return f"{min(samples):,.1f}–{max(samples):,.1f}"


def _med(results: Results | None, kind: str, key: str) -> float | None:
    if results is None or kind not in results:
        return None
    return results[kind].median(key)


def _status_cell(outcome: Outcome | None) -> str | None:
    """None for an ok outcome, else the text to show in place of its numbers."""
    if outcome is None:
        return "not run"
    if outcome.ok:
        return None
    error = outcome.error.replace("|", "\\|").replace("\n", " ")
    return f"{outcome.status}: {error[:160]}"


def _table(header: Sequence[str], rows: list[list[str]]) -> list[str]:
    align = ["---"] + ["---:"] * (len(header) - 1)
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _row_or_status(label: str, outcome: Outcome | None, width: int) -> list[str] | None:
    status = _status_cell(outcome)
    if status is None:
        return None
    return [label, status] + ["–"] * (width - 2)


def _chunk_table(run: RunData, kinds: Sequence[str], sdk: str, floor: str) -> list[str]:
    header = [
        "client",
        "CPU µs/chunk",
        "CPU range",
        "wall µs/chunk",
        "CPU ×SDK",
        "CPU ×floor",
        "instr/chunk",
        "instr ×SDK",
        "instr ×floor",
    ]
    pc, cg = run.per_chunk or {}, run.cg_chunk
    ref_cpu = (_med(run.per_chunk, sdk, "cpu_us"), _med(run.per_chunk, floor, "cpu_us"))
    ref_ir = (_med(cg, sdk, "instr"), _med(cg, floor, "instr"))
    rows: list[list[str]] = []
    for kind in kinds:
        if kind not in pc:
            continue
        status_row = _row_or_status(LABELS[kind], pc[kind], len(header))
        if status_row is not None:
            rows.append(status_row)
            continue
        cpu, ir = _med(run.per_chunk, kind, "cpu_us"), _med(cg, kind, "instr")
        ir_cell = _num(ir, 0) if ir is not None else (_status_cell(cg.get(kind)) if cg else "–")
        rows.append(
            [
                LABELS[kind],
                _num(cpu),
                _range(pc[kind], "cpu_us"),
                _num(_med(run.per_chunk, kind, "wall_us")),
                _ratio(cpu, ref_cpu[0]),
                _ratio(cpu, ref_cpu[1]),
                ir_cell or "–",
                _ratio(ir, ref_ir[0]),
                _ratio(ir, ref_ir[1]),
            ]
        )
    return _table(header, rows)


def _call_table(run: RunData) -> list[str]:
    header = [
        "client",
        "CPU µs/call",
        "wall µs/call",
        "wall p90",
        "CPU ×SDK",
        "CPU ×floor",
        "instr/call",
        "instr ×SDK",
        "instr ×floor",
        "instr above floor",
    ]
    pc, cg = run.per_call or {}, run.cg_call
    ref_cpu = (_med(run.per_call, "sdk", "cpu_us"), _med(run.per_call, "floor", "cpu_us"))
    ref_ir = (_med(cg, "sdk", "instr"), _med(cg, "floor", "instr"))
    rows: list[list[str]] = []
    for kind, outcome in pc.items():
        status_row = _row_or_status(LABELS[kind], outcome, len(header))
        if status_row is not None:
            rows.append(status_row)
            continue
        cpu, ir = _med(run.per_call, kind, "cpu_us"), _med(cg, kind, "instr")
        above = None if ir is None or ref_ir[1] is None else ir - ref_ir[1]
        ir_cell = _num(ir, 0) if ir is not None else (_status_cell(cg.get(kind)) if cg else "–")
        rows.append(
            [
                LABELS[kind],
                _num(cpu),
                _num(_med(run.per_call, kind, "wall_us")),
                _num(_med(run.per_call, kind, "wall_p90_us")),
                _ratio(cpu, ref_cpu[0]),
                _ratio(cpu, ref_cpu[1]),
                ir_cell or "–",
                _ratio(ir, ref_ir[0]),
                _ratio(ir, ref_ir[1]),
                _num(above, 0),
            ]
        )
    return _table(header, rows)


def _async_table(results: Results) -> list[str]:
    header = [
        "client",
        "chunks/CPU-s",
        "CPU µs/chunk",
        "CPU ×SDK",
        "CPU ×floor",
        "chunks/wall-s",
        "wall s",
        "wall ×SDK",
        "peak RSS MB",
    ]
    ref_cpu = (_med(results, "sdk", "cpu_us"), _med(results, "floor", "cpu_us"))
    ref_wall = _med(results, "sdk", "wall_s")
    rows: list[list[str]] = []
    for kind, outcome in results.items():
        status_row = _row_or_status(LABELS[kind], outcome, len(header))
        if status_row is not None:
            rows.append(status_row)
            continue
        cpu, wall = _med(results, kind, "cpu_us"), _med(results, kind, "wall_s")
        rows.append(
            [
                LABELS[kind],
                _num(_med(results, kind, "chunks_per_cpu_s"), 0),
                _num(cpu),
                _ratio(cpu, ref_cpu[0]),
                _ratio(cpu, ref_cpu[1]),
                _num(_med(results, kind, "chunks_per_wall_s"), 0),
                _num(wall, 2),
                _ratio(wall, ref_wall),
                _num(_med(results, kind, "rss_peak_mb")),
            ]
        )
    return _table(header, rows)


def _import_table(results: Results) -> list[str]:
    header = [
        "module",
        "-X importtime ms",
        "modules added",
        "wall − `pass` ms",
        "wall ×groq",
        "wall ×httpx",
    ]
    ref = (_med(results, "groq", "wall_ms"), _med(results, "httpx", "wall_ms"))
    rows: list[list[str]] = []
    for module, outcome in results.items():
        label = f"`{module}`"
        status_row = _row_or_status(label, outcome, len(header))
        if status_row is not None:
            rows.append(status_row)
            continue
        wall = _med(results, module, "wall_ms")
        rows.append(
            [
                label,
                _num(_med(results, module, "importtime_ms")),
                _num(_med(results, module, "modules"), 0),
                _num(wall),
                _ratio(wall, ref[0]),
                _ratio(wall, ref[1]),
            ]
        )
    return _table(header, rows)


def _first_call_table(results: Results) -> list[str]:
    header = ["library", "wall − `pass` ms", "×groq"]
    ref = _med(results, "groq", "wall_ms")
    rows: list[list[str]] = []
    for module, outcome in results.items():
        label = f"`{module}`"
        status_row = _row_or_status(label, outcome, len(header))
        if status_row is not None:
            rows.append(status_row)
            continue
        wall = _med(results, module, "wall_ms")
        rows.append([label, _num(wall), _ratio(wall, ref)])
    return _table(header, rows)


def _rss_table(results: Results) -> list[str]:
    header = ["client", "after set-up MB", "peak MB", "growth MB", "peak ×SDK", "peak ×floor"]
    ref = (_med(results, "sdk", "rss_peak_mb"), _med(results, "floor", "rss_peak_mb"))
    rows: list[list[str]] = []
    for kind, outcome in results.items():
        status_row = _row_or_status(LABELS[kind], outcome, len(header))
        if status_row is not None:
            rows.append(status_row)
            continue
        peak = _med(results, kind, "rss_peak_mb")
        rows.append(
            [
                LABELS[kind],
                _num(_med(results, kind, "rss_setup_mb")),
                _num(peak),
                _num(_med(results, kind, "rss_growth_mb")),
                _ratio(peak, ref[0]),
                _ratio(peak, ref[1]),
            ]
        )
    return _table(header, rows)


def bar_lines(run: RunData) -> list[str]:
    """PASS/MISS against the project's bar, or n/a with the reason."""

    def verdict(ok: bool) -> str:
        return "**PASS**" if ok else "**MISS**"

    lines: list[str] = []
    mira_ir, floor_ir = (
        _med(run.cg_chunk, "mirascope", "instr"),
        _med(run.cg_chunk, "floor", "instr"),
    )
    if mira_ir is not None and floor_ir is not None:
        x = mira_ir / floor_ir
        lines.append(
            f"- Per chunk, instructions ≤ {BAR_CHUNK_X_FLOOR:g}× floor: "
            f"{verdict(x <= BAR_CHUNK_X_FLOOR)} — mirascope-groq {mira_ir:,.0f} = {x:.2f}× floor"
            f" ({floor_ir:,.0f}); v1 was {V1_INSTR_PER_CHUNK:,}"
            f" ≈ {V1_INSTR_PER_CHUNK / V1_FLOOR_INSTR_PER_CHUNK:.1f}×."
        )
    else:
        lines.append(f"- Per chunk, instructions ≤ 2× floor: **n/a** ({_why(run, run.cg_chunk)})")
    heavy_ir, heavy_floor_ir = (
        _med(run.cg_chunk, "mirascope_toolheavy", "instr"),
        _med(run.cg_chunk, "floor_toolheavy", "instr"),
    )
    if heavy_ir is not None and heavy_floor_ir is not None:
        x = heavy_ir / heavy_floor_ir
        lines.append(
            f"- Tool-heavy per chunk, instructions ≤ {BAR_CHUNK_X_FLOOR:g}× floor: "
            f"{verdict(x <= BAR_CHUNK_X_FLOOR)} — mirascope-groq {heavy_ir:,.0f} = {x:.2f}×"
            f" floor ({heavy_floor_ir:,.0f}), every chunk a tool-call fragment."
        )
    elif run.per_chunk is not None and any(k in run.per_chunk for k in TOOLHEAVY_KINDS):
        why = _why(run, run.cg_chunk, "mirascope_toolheavy")
        if heavy_ir is not None:
            why = _why(run, run.cg_chunk, "floor_toolheavy")
        lines.append(f"- Tool-heavy per chunk, instructions ≤ 2× floor: **n/a** ({why})")
    reason_ir, reason_floor_ir = (
        _med(run.cg_chunk, "mirascope_reasoning", "instr"),
        _med(run.cg_chunk, "floor_reasoning", "instr"),
    )
    if reason_ir is not None and reason_floor_ir is not None:
        x = reason_ir / reason_floor_ir
        lines.append(
            f"- Reasoning per chunk, instructions ≤ {BAR_CHUNK_X_FLOOR:g}× floor: "
            f"{verdict(x <= BAR_CHUNK_X_FLOOR)} — mirascope-groq {reason_ir:,.0f} = {x:.2f}×"
            f" floor ({reason_floor_ir:,.0f})."
        )
    call_ir = _med(run.cg_call, "mirascope", "instr")
    if call_ir is not None:
        lines.append(
            f"- Per call, instructions ≤ {V1_INSTR_PER_CALL:,} (v1): "
            f"{verdict(call_ir <= V1_INSTR_PER_CALL)} — mirascope-groq {call_ir:,.0f}"
            f" ({call_ir / V1_INSTR_PER_CALL:.2f}× v1)."
        )
    else:
        lines.append(f"- Per call, instructions ≤ 7.09M: **n/a** ({_why(run, run.cg_call)})")
    wall = _med(run.imports, "mirascope.core.groq", "wall_ms")
    if wall is not None:
        groq_wall = _med(run.imports, "groq", "wall_ms")
        rel = f"; {wall / groq_wall:.2f}× `import groq` here (v1: 1.86×)" if groq_wall else ""
        lines.append(
            f"- Import of `mirascope.core.groq` ≤ v1's {V1_IMPORT_WALL_MS:g} ms (wall − pass): "
            f"{verdict(wall <= V1_IMPORT_WALL_MS)} — {wall:,.1f} ms{rel}."
        )
    else:
        why = _why(run, run.imports, "mirascope.core.groq", "import section not run")
        lines.append(f"- Import time ≤ v1's: **n/a** ({why})")
    return lines


def _why(run: RunData, results: Results | None, key: str = "mirascope", absent: str = "") -> str:
    if results is None:
        if absent:
            return absent
        return "callgrind off" if not run.config.get("callgrind") else "section not run"
    outcome = results.get(key)
    if outcome is None:
        return f"{key} not selected"
    return _status_cell(outcome) or "no data"


def render(run: RunData) -> str:
    """The whole Markdown report."""
    cfg = run.config
    out: list[str] = ["# mirascope-groq benchmark results", ""]
    out += [
        f"- **Date:** {run.date} (run took {run.duration_s:,.0f} s)",
        f"- **Command:** `{run.command}`",
    ]
    out += [f"- **{k}:** {v}" for k, v in run.machine.items()]
    out += [f"- **Settings:** {', '.join(f'{k}={v}' for k, v in cfg.items())}", ""]
    out += [
        "Client CPU time (`time.process_time`) is the primary timing metric, instruction counts",
        "(callgrind, client process only) the stable one; wall clock is noisy on a shared machine.",
        "Ratios are to the groq SDK (`×SDK`) and to the httpx + `json.loads` floor (`×floor`)",
        "measured in this same run. Method: PERFORMANCE.md §2; what each figure means:",
        "bench/README.md.",
        "",
    ]
    text_kinds = [k for k in TEXT_KINDS if k in (run.per_chunk or {})]
    tool_kinds = [k for k in TOOL_KINDS if k in (run.per_chunk or {})]
    heavy_kinds = [k for k in TOOLHEAVY_KINDS if k in (run.per_chunk or {})]
    reasoning_kinds = [k for k in REASONING_KINDS if k in (run.per_chunk or {})]
    if run.per_chunk is not None:
        out += [
            f"## Per chunk (one stream of N = {cfg['n']:,}, median of {cfg['rounds']} rounds)",
            "",
        ]
        if run.cg_chunk is None:
            out += ["Instruction counts: not measured (callgrind off or unavailable).", ""]
        else:
            lo, hi = cfg["cg_sizes"]
            out += [
                f"instr/chunk = (Ir(N = {hi:,}) − Ir(N = {lo:,})) / {hi - lo:,}: two phases of one"
                " callgrind process per client, after a warm-up stream.",
                "",
            ]
        if text_kinds:
            out += [*_chunk_table(run, text_kinds, "sdk", "floor"), ""]
        if tool_kinds:
            out += [
                "Tool-call streams: N text chunks, then one delta with two complete tool calls;"
                " ratios here are to `sdk_tools` and `floor_tools`.",
                "",
            ]
            out += [*_chunk_table(run, tool_kinds, "sdk_tools", "floor_tools"), ""]
        if heavy_kinds:
            out += [
                "Tool-heavy streams: every one of the N chunks carries tool-call data (two calls,"
                " arguments in ~6-character fragments, reassembled by the client); ratios here are"
                " to `sdk_toolheavy` and `floor_toolheavy`.",
                "",
            ]
            out += [*_chunk_table(run, heavy_kinds, "sdk_toolheavy", "floor_toolheavy"), ""]
        if reasoning_kinds:
            out += [
                'Reasoning streams (`reasoning_format="parsed"`): the N chunks carry'
                " `delta.reasoning` instead of `content`; ratios here are to `sdk_reasoning` and"
                " `floor_reasoning`.",
                "",
            ]
            out += [*_chunk_table(run, reasoning_kinds, "sdk_reasoning", "floor_reasoning"), ""]
    if run.per_call is not None:
        out += [
            f"## Per call (N = 1 streams; {cfg['call_rounds']} rounds × {cfg['call_calls']} calls"
            f" after {cfg['call_warmup']} warm-up, one keep-alive client)",
            "",
        ]
        if run.cg_call is not None:
            lo, hi = cfg["cg_call_sizes"]
            out += [
                f"instr/call = (Ir({hi} calls) − Ir({lo} calls)) / {hi - lo} after warm-up.",
                "",
            ]
        out += [*_call_table(run), ""]
    if run.concurrent is not None:
        out += [
            f"## Concurrent async ({cfg['async_concurrency']} streams × N = {cfg['async_n']:,}"
            " on one event loop)",
            "",
        ]
        out += [*_async_table(run.concurrent), ""]
    if run.imports is not None:
        out += [
            f"## Import time (fresh interpreters, median of {cfg['import_reps']}, cached bytecode)",
            "",
        ]
        out += [*_import_table(run.imports), ""]
    if run.imports_uncached is not None:
        out += [
            f"Uncached (median of {cfg['import_reps']}): `PYTHONDONTWRITEBYTECODE=1` and"
            " `mirascope/`'s `__pycache__` removed before each run, so our modules compile every"
            " time (an editable install where bytecode writing is off); site-packages keep theirs.",
            "",
            *_import_table(run.imports_uncached),
            "",
        ]
    if run.first_call is not None:
        out += [
            f"Import and first call (median of {cfg['import_reps']}, cached bytecode): a fresh"
            " process imports, builds a client and streams one one-chunk reply from the bench"
            " server; wall − `pass`. Each library defers part of its import to the first call"
            " (`groq.resources.chat`; our response layer, `_invoke`), which this row includes.",
            "",
            *_first_call_table(run.first_call),
            "",
        ]
    if run.per_chunk is not None:
        out += [f"## Peak RSS (`ru_maxrss`, after a stream of N = {cfg['n']:,})", ""]
        out += [*_rss_table(run.per_chunk), ""]
    out += ["## Figures to beat (PERFORMANCE.md §3, §6: Mirascope v1.25.7 on groq 0.37.1)", ""]
    out += [
        f"- Per chunk: v1 ~{V1_INSTR_PER_CHUNK:,} instructions ≈ "
        f"{V1_INSTR_PER_CHUNK / V1_FLOOR_INSTR_PER_CHUNK:.1f}× floor"
        f" ({V1_FLOOR_INSTR_PER_CHUNK:,}); SDK {V1_SDK_INSTR_PER_CHUNK:,};"
        " CPU v1 ≈ 205–235 µs, SDK ≈ 200–236 µs, floor ≈ 24–35 µs.",
        f"- Per call: v1 ~{V1_INSTR_PER_CALL:,} instructions (7.09M);"
        f" SDK {V1_SDK_INSTR_PER_CALL:,}; floor {V1_FLOOR_INSTR_PER_CALL:,}.",
        f"- Import of `mirascope.core.groq`: 0.70–0.74 s ({V1_IMPORTTIME_MS:g} ms -X importtime,"
        f" {V1_IMPORT_WALL_MS:g} ms wall − pass), about twice `import groq` (0.36–0.40 s).",
        "- Peak RSS for 20,000 chunks: v1 49 MB, SDK 43 MB, floor 30 MB.",
        "",
        "### Bar",
        "",
    ]
    out += bar_lines(run)
    if run.notes:
        out += ["", "## Notes", ""] + [f"- {note}" for note in run.notes]
    return "\n".join(out) + "\n"
