"""One PNG per bench for docs/performance.md: the path against its baseline, and the target.

A reader sees at a glance where each path stands: two bars (the subject and its baseline, in the
bench's unit) and, for a ratio target, the line the subject must reach (target × baseline).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: no screen here or in CI

import matplotlib.pyplot as plt

MET, MISSED, BASELINE = "#2e7d32", "#c62828", "#9e9e9e"
LOWER_IS_BETTER = ("ms", "s")


def chart(name: str, entry: dict[str, Any], met: bool, folder: Path) -> Path:
    """Writes `<folder>/<name>.png` and returns its path."""
    unit = entry["unit"]
    labels, values, colours = [name], [entry["value"]], [MET if met else MISSED]
    if entry.get("baseline") is not None:
        labels.append("baseline")
        values.append(entry["baseline"])
        colours.append(BASELINE)
    figure, axes = plt.subplots(figsize=(6, 2.2), dpi=100)
    bars = axes.barh(labels, values, color=colours)
    axes.invert_yaxis()
    axes.bar_label(bars, labels=[f"{v:,.1f} {unit}" for v in values], padding=4, fontsize=8)
    goal = _goal(entry)
    if goal is not None:
        axes.axvline(goal, color="black", linestyle="--", linewidth=1)
        axes.annotate(
            f"target {_target_text(entry)}",
            (goal, 1.02),
            xycoords=("data", "axes fraction"),
            fontsize=8,
            ha="center",
        )
    axes.set_xlim(0, max([*values, goal or 0]) * 1.35)
    axes.set_xlabel(unit + (" (lower is better)" if unit in LOWER_IS_BETTER else ""))
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    figure.savefig(path)
    plt.close(figure)
    return path


def _goal(entry: dict[str, Any]) -> float | None:
    """Where the subject's bar must reach (or stay under) to meet the target."""
    if entry.get("ratio") is not None and entry.get("baseline"):
        if entry["unit"] in LOWER_IS_BETTER:  # ratio = baseline / value ≥ target
            return float(entry["baseline"]) / float(entry["target"])
        return float(entry["baseline"]) * float(entry["target"])
    return float(entry["target"]) if entry.get("target") is not None else None


def _target_text(entry: dict[str, Any]) -> str:
    if entry.get("ratio") is not None:
        return f"ratio ≥ {entry['target']}"
    sign = "≤" if entry["unit"] in LOWER_IS_BETTER else "≥"
    return f"{sign} {entry['target']} {entry['unit']}"
