"""The answers given to each quiz, as small HTML bar charts (no image: quick to draw, sharp in print).

An option quiz shows one horizontal bar per option: how many students chose it (for a select-all
quiz, ticked it), the key's options in green. A numeric quiz shows a histogram of the numbers
given, the bins inside the accepted range (key ± tolerance) in green, with the numbers far outside
counted rather than drawn.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd

from course.quiz._key import LETTERS

#: Bins of a numeric quiz's histogram.
BINS = 20

CSS = """
.quizzes{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:0.8em 1.2em;margin:0.6em 0}
.quiz{break-inside:avoid;border:1px solid #d0d7de;border-radius:4px;padding:0.4em 0.6em;font-size:0.8em}
.quiz h3{font-size:1em;margin:0 0 0.3em}
.quiz .axis{color:#57606a;font-size:0.9em;margin:0.2em 0 0}
.hbars{border-collapse:collapse;width:100%;margin:0}.hbars td{border:0;padding:1px 3px}
.hbars td.bar{width:70%}.hbars td.bar div{height:0.9em;background:#8c959f}.hbars td.bar div.key{background:#2da44e}
.hist{display:flex;align-items:flex-end;height:70px;gap:1px;border-bottom:1px solid #57606a}
.hist div{flex:1;background:#8c959f;min-height:1px}.hist div.key{background:#2da44e}
.ticks{position:relative;height:1.2em;color:#57606a;font-size:0.85em}.ticks span{position:absolute;top:0;white-space:nowrap}
@media print{.quizzes{grid-template-columns:repeat(3,1fr)}.hbars td.bar div,.hist div{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
"""


def _e(text) -> str:
    return html.escape(str(text))


def panels(items: pd.DataFrame, source: dict, options: pd.DataFrame, numbers: dict) -> list[dict]:
    """One chart's data per quiz item, in the items' (syllabus) order.

    Parameters
    ----------
    items : DataFrame
        :func:`items.analyse_items`.
    source : dict
        The quiz declarations.
    options : DataFrame
        ``student, quiz, answer`` with canonical letters (``invalid`` for an unreadable answer).
    numbers : dict
        Numeric quiz id → array of the numbers given.
    """
    answers = {q: g["answer"] for q, g in options.groupby("quiz")}
    out = []
    for row in items[items["kind"] == "quiz"].itertuples():
        spec = source.get(row.item)
        if spec is None:
            continue
        if spec["kind"] == "numeric":
            values = np.asarray(numbers.get(row.item, []), dtype=float)
            out.append({"item": row.item, "kind": "numeric", "key": row.key, "values": values,
                        "answer": float(spec["answer"]), "tolerance": float(spec["tolerance"])})
            continue
        given = answers.get(row.item, pd.Series([], dtype=object))
        letters = LETTERS[:len(spec.get("options", []))]
        if spec["kind"] == "multiple":
            counts = {letter: int(given.str.contains(letter, regex=False).sum()) for letter in letters}
        else:
            counts = {letter: int((given == letter).sum()) for letter in letters}
        invalid = int((given == "invalid").sum())
        if invalid:
            counts["unreadable"] = invalid
        out.append({"item": row.item, "kind": spec["kind"], "key": row.key, "counts": counts,
                    "answered": len(given), "exact": int((given == row.key).sum())})
    return out


def render(charts: list[dict]) -> str:
    """The HTML of every chart, in a grid."""
    return "<div class='quizzes'>" + "".join(_numeric(c) if c["kind"] == "numeric" else _options(c) for c in charts) + "</div>"


def _options(chart: dict) -> str:
    counts, answered = chart["counts"], chart["answered"]
    key = set(chart["key"]) if chart["kind"] == "multiple" else {chart["key"]}
    most = max(counts.values(), default=0) or 1
    rows = "".join(
        f"<tr><td>{_e(option)}</td><td class='bar'><div class='{'key' if option in key else ''}' "
        f"style='width:{100 * n / most:.1f}%'></div></td><td class='num'>{n}</td></tr>"
        for option, n in counts.items())
    if chart["kind"] == "multiple":
        title = f"{chart['item']}: key {chart['key']}; {chart['exact']} of {answered} exactly right"
        axis = "students who ticked each option (select all that apply)"
    else:
        title = f"{chart['item']}: key {chart['key'] or 'unknown'}; {answered} answers"
        axis = "students who chose each option"
    return (f"<section class='quiz'><h3>{_e(title)}</h3><table class='hbars'>{rows}</table>"
            f"<p class='axis'>{_e(axis)}</p></section>")


def _numeric(chart: dict) -> str:
    values, answer, tolerance = chart["values"], chart["answer"], chart["tolerance"]
    # A window centred on the key, ten tolerances wide or more when most answers are further off; answers
    # far outside (a percentage typed as a proportion) are counted, else they would squeeze the rest into one bar.
    half = 10 * tolerance
    if len(values):
        half = max(half, 1.5 * float(np.median(np.abs(values - answer))))
    low, high = answer - half, answer + half
    inside = values[(values >= low) & (values <= high)]
    counts, edges = np.histogram(inside, bins=BINS, range=(low, high))
    most = int(counts.max()) if len(counts) and counts.max() else 1
    bars = "".join(
        f"<div class='{'key' if edges[i + 1] > answer - tolerance and edges[i] < answer + tolerance else ''}' "
        f"style='height:{100 * c / most:.1f}%' title='{edges[i]:.4g} to {edges[i + 1]:.4g}: {c}'></div>"
        for i, c in enumerate(counts))
    outside = len(values) - len(inside)
    accepted = int(np.sum(np.abs(values - answer) <= tolerance))
    title = f"{chart['item']}: key {chart['key']}; {accepted} of {len(values)} answers within it"
    axis = f"number given (bar height: students, tallest {most})" + (f"; {outside} far outside, not drawn" if outside else "")
    return (f"<section class='quiz'><h3>{_e(title)}</h3><div class='hist'>{bars}</div>"
            f"<div class='ticks'><span style='left:0'>{low:.3g}</span>"
            f"<span style='left:50%;transform:translateX(-50%)'>{answer:.4g}</span>"
            f"<span style='right:0'>{high:.3g}</span></div>"
            f"<p class='axis'>{_e(axis)}</p></section>")
