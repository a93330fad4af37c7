"""The report's two plots, as PNG bytes: the score distribution, and facility against discrimination.

The quizzes' answer charts are HTML (:mod:`autograder.report.answers`): fifty small plots render
faster and print sharper as markup than as images.
"""
from __future__ import annotations

import io
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .flags import DISCRIMINATION_WEAK, FACILITY_HIGH, FACILITY_LOW  # noqa: E402

KIND_COLOURS = {"task": "#cf222e", "quiz": "#0969da", "cell": "#57606a"}


def png(fig) -> bytes:
    """Render ``fig`` to PNG and close it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()


def score_histogram(totals: pd.Series) -> bytes:
    """Histogram of the students' total scores (% of the maximum), with mean and median marked."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    fig.subplots_adjust(left=0.1, right=0.97, top=0.9, bottom=0.15)
    values = 100 * totals.to_numpy()
    ax.hist(values, bins=min(20, max(5, len(values) // 5)), range=(0, 100), color="#0969da", edgecolor="white")
    if len(values):
        ax.axvline(values.mean(), color="#1f2328", lw=1.2, label=f"mean {values.mean():.1f} %")
        ax.axvline(float(np.median(values)), color="#9a6700", lw=1.2, ls="--", label=f"median {np.median(values):.1f} %")
        ax.legend(fontsize=8, loc="upper left")
    ax.set(title=f"Score distribution ({len(values)} students)", xlabel="total score (% of the maximum)",
           ylabel="students", xlim=(0, 100))
    return png(fig)


def _spread_labels(targets: np.ndarray, gap: float) -> np.ndarray:
    """Positions in [0, 1] as close as possible to ``targets`` (sorted high to low), ``gap`` apart."""
    pos = np.clip(targets.astype(float).copy(), 0.0, 1.0)
    for i in range(1, len(pos)):
        pos[i] = min(pos[i], pos[i - 1] - gap)
    if len(pos) and pos[-1] < 0:
        pos[-1] = 0.0
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = max(pos[i], pos[i + 1] + gap)
    return pos


def facility_discrimination(items: pd.DataFrame) -> bytes:
    """Facility (x) against discrimination index (y); only flagged items are labelled, in the margin.

    Labels sit in a column right of the axes, at least one line apart, each joined to its point,
    so they cannot overlap whatever the data. Items without a discrimination index are left out.
    """
    shown = items[np.isfinite(items["discrimination_index"].astype(float))]
    flagged = shown[shown["flag"] != ""].sort_values("discrimination_index", ascending=False)
    height = max(4.8, 0.19 * (len(flagged) + 5))
    fig, ax = plt.subplots(figsize=(8.2, height))
    fig.subplots_adjust(left=0.09, right=0.80, top=1 - 0.4 / height, bottom=0.95 / height)
    di = shown["discrimination_index"].astype(float)
    low = min(-0.1, float(di.min()) - 0.05) if len(di) else -0.1
    high = max(0.6, float(di.max()) + 0.05) if len(di) else 0.6
    ax.axhspan(low, DISCRIMINATION_WEAK, color="#fff8c5", zorder=0)
    ax.axhline(0, color="#1f2328", lw=0.6)
    ax.axhline(DISCRIMINATION_WEAK, color="#9a6700", lw=0.8, ls="--")
    ax.axvspan(-2, 100 * FACILITY_LOW, color="#eaeef2", zorder=0)
    ax.axvspan(100 * FACILITY_HIGH, 102, color="#eaeef2", zorder=0)
    for kind, group in shown.groupby("kind"):
        ax.scatter(100 * group["facility"], group["discrimination_index"], s=22, c=KIND_COLOURS.get(kind, "#57606a"),
                   label=f"{kind}s ({len(group)})", zorder=3, edgecolors="white", linewidths=0.5)
    ax.set(title="Items: facility and discrimination (flagged items labelled)", xlabel="facility (% of the points, mean)",
           ylabel="discrimination index (item vs rest of test)", xlim=(-2, 102), ylim=(low, high))
    if len(shown):   # below the axes, where no point or label can be
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=3, frameon=False)
    if len(flagged):
        targets = (flagged["discrimination_index"].to_numpy(dtype=float) - low) / (high - low)
        gap = min(0.06, 1.0 / (len(flagged) + 1))
        for (_, row), pos in zip(flagged.iterrows(), _spread_labels(targets, gap)):
            ax.annotate(row["item"], xy=(100 * row["facility"], row["discrimination_index"]), xycoords="data",
                        xytext=(1.03, pos), textcoords="axes fraction", fontsize=7.5, va="center", annotation_clip=False,
                        arrowprops={"arrowstyle": "-", "lw": 0.5, "color": "#8c959f", "shrinkA": 0, "shrinkB": 3})
    return png(fig)
