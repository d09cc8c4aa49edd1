"""The picture of a bench run: floor, groq SDK and mirascope-groq side by side (matplotlib).

`bench/run.py` writes the figures it charts to `<out>.json` (next to the Markdown report) and,
when matplotlib is installed (`pip install -e ".[bench]"`), renders them to `<out>.png`;
`python bench/chart.py bench/RESULTS.json` re-renders a saved run. Three panels, each from the
same run: instructions per chunk (plain, tool-heavy and reasoning streams), instructions per
call (a one-chunk stream), and async throughput (chunks per CPU-second, 200 concurrent streams).
A figure the run did not measure is left out of its panel. matplotlib is imported here only,
never by the package or the tests.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

SIDES = ("floor", "groq SDK", "mirascope-groq")
COLORS = ("#9e9e9e", "#e07b39", "#2f6db5")
#: per-chunk stream group → the three client kinds (floor, SDK, us) whose instr/chunk it shows.
CHUNK_GROUPS = {
    "plain text": ("floor", "sdk", "mirascope"),
    "tool-heavy": ("floor_toolheavy", "sdk_toolheavy", "mirascope_toolheavy"),
    "reasoning": ("floor_reasoning", "sdk_reasoning", "mirascope_reasoning"),
}
TRIO = ("floor", "sdk", "mirascope")


def figures(run: Any) -> dict[str, Any]:
    """The charted medians of a `report.RunData` (JSON-ready; None where not measured)."""

    def med(results: Any, kind: str, key: str) -> float | None:
        outcome = (results or {}).get(kind)
        return outcome.median(key) if outcome is not None and outcome.ok else None

    return {
        "date": run.date,
        "command": run.command,
        "per_chunk_instr": {
            group: [med(run.cg_chunk, k, "instr") for k in kinds]
            for group, kinds in CHUNK_GROUPS.items()
        },
        "per_call_instr": [med(run.cg_call, k, "instr") for k in TRIO],
        "async_chunks_per_cpu_s": [med(run.concurrent, k, "chunks_per_cpu_s") for k in TRIO],
    }


def _bars(
    ax: Any, groups: dict[str, list[float | None]], scale: float, unit: str, fmt: str
) -> None:
    shown = {g: v for g, v in groups.items() if any(x is not None for x in v)}
    if not shown:
        ax.text(0.5, 0.5, "not measured in this run", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    width = 0.26
    for i, (side, color) in enumerate(zip(SIDES, COLORS, strict=True)):
        xs, ys = [], []
        for j, values in enumerate(shown.values()):
            if values[i] is not None:
                xs.append(j + (i - 1) * width)
                ys.append(values[i] / scale)
        bars = ax.bar(xs, ys, width, label=side, color=color)
        ax.bar_label(bars, fmt=fmt, fontsize=7, padding=2)
    for j, values in enumerate(shown.values()):
        floor, us = values[0], values[2]
        if floor and us:
            ax.annotate(
                f"{us / floor:.2f}x floor",
                (j + width, us / scale),
                xytext=(0, 14),
                textcoords="offset points",
                ha="center",
                fontsize=7,
                color=COLORS[2],
            )
    ax.set_xticks(range(len(shown)), list(shown))
    ax.set_ylabel(unit)
    ax.margins(y=0.2)
    ax.spines[["top", "right"]].set_visible(False)


def render(data: dict[str, Any], path: Path) -> None:
    """Write the PNG of `figures()` output to `path`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2), gridspec_kw={"width_ratios": [3, 1.2, 1.2]})
    _bars(axes[0], data["per_chunk_instr"], 1e3, "thousand instructions per chunk", "%.0f")
    axes[0].set_title("Per chunk (callgrind, lower is better)", fontsize=10)
    _bars(
        axes[1], {"one-chunk stream": data["per_call_instr"]}, 1e6, "million instructions", "%.2f"
    )
    axes[1].set_title("Per call (lower is better)", fontsize=10)
    throughput = {"200 streams": data["async_chunks_per_cpu_s"]}
    _bars(axes[2], throughput, 1, "chunks per CPU-second", "%.0f")
    axes[2].set_title("Async throughput (higher is better)", fontsize=10)
    fig.legend(
        *axes[2].get_legend_handles_labels(), fontsize=8, frameon=False, loc="lower center", ncol=3
    )
    title = textwrap.fill(f"mirascope-groq bench, {data['date']}: {data['command']}", width=150)
    fig.suptitle(title, fontsize=8)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else Path(__file__).parent / "RESULTS.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    out = source.with_suffix(".png")
    render(data, out)
    print(f"chart written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
