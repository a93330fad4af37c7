"""The report as one self-contained HTML page (plots inlined), readable on screen and on paper."""
from __future__ import annotations

import base64
import html
import math

import pandas as pd

from . import flags as F
from .answers import CSS as ANSWERS_CSS
from .stats import ScoreStatistics

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1f2328;line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0}
td,th{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.flagged td{background:#fff8c5}
figure{margin:1em 0}img{max-width:100%;height:auto;display:block}
figcaption{font-size:0.85em;color:#57606a}
.note{background:#ddf4ff;border-left:4px solid #0969da;padding:0.4em 0.8em}
dl.defs dt{font-weight:600}dl.defs dd{margin:0 0 0.4em 1.2em}
@page{size:A4;margin:12mm}
@media print{
 body{max-width:none;margin:0;padding:0;font-size:9.5pt}
 h2{break-after:avoid}
 figure,img,.keep{break-inside:avoid}
 thead{display:table-header-group}
 tr{break-inside:avoid}
 table{font-size:7.5pt}table.wide{width:100%}
 td,th{padding:2px 3px}
}
"""


def _e(text) -> str:
    return html.escape(str(text))


def _pct(value, digits: int = 1) -> str:
    return "n/a" if value is None or (isinstance(value, float) and not math.isfinite(value)) else f"{100 * value:.{digits}f}\u00a0%"


def _num(value, digits: int = 2) -> str:
    return "n/a" if value is None or (isinstance(value, float) and not math.isfinite(value)) else f"{value:.{digits}f}"


def _img(title: str, data: bytes, caption: str = "") -> str:
    b64 = base64.b64encode(data).decode("ascii")
    cap = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    return f"<figure><img alt='{_e(title)}' src='data:image/png;base64,{b64}'>{cap}</figure>"


def _table(header: list[tuple[str, bool]], rows: list[tuple[list[str], bool]], wide: bool = False) -> str:
    """``header``: (title, numeric); ``rows``: (escaped cells, highlighted); a wide table spans the printed page."""
    head = "".join(f"<th class='num'>{_e(h)}</th>" if num else f"<th>{_e(h)}</th>" for h, num in header)
    body = []
    for cells, highlighted in rows:
        tds = "".join(f"<td class='num'>{c}</td>" if num else f"<td>{c}</td>" for c, (_, num) in zip(cells, header))
        body.append(f"<tr class='flagged'>{tds}</tr>" if highlighted else f"<tr>{tds}</tr>")
    return f"<table{' class=wide' if wide else ''}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def cohort_notes(test: ScoreStatistics) -> list[str]:
    """One sentence for each reason the statistics are limited (few students, no spread)."""
    notes = []
    if test.n == 1:
        notes.append("Only one student's submission is graded, so nothing that compares students (SD, skewness, "
                     "kurtosis, α, discrimination) can be computed: grade more submissions and run the report again.")
    elif test.n < F.MIN_STUDENTS:
        notes.append(f"Only {test.n} students are graded: the statistics are shown, but items are flagged only from "
                     f"{F.MIN_STUDENTS} students on, and α needs at least 3.")
    if test.n > 1 and not (test.sd > 0):
        notes.append(f"All {test.n} students have the same total score ({_pct(test.mean / test.max_score if test.max_score else float('nan'))}): "
                     "with no spread, the SD is 0 and skewness, kurtosis, α and the discrimination indices are undefined (n/a).")
    return notes


def _test_table(test: ScoreStatistics) -> str:
    share = (lambda v: v / test.max_score) if test.max_score else (lambda v: float("nan"))
    alpha_ci = (f" (95 % CI {_num(test.alpha_low)} to {_num(test.alpha_high)})"
                if math.isfinite(test.alpha_low) else "")
    rows = [
        ("Students (graded submissions)", f"{test.n}", ""),
        ("Items (tasks and quizzes)", f"{test.n_items}, {test.max_score:g} points", ""),
        ("Mean score", _pct(share(test.mean)), "Moodle: 50–75 % for a test that should tell students apart"),
        ("Median score", _pct(share(test.median)), "half the students scored less"),
        ("Standard deviation", _pct(share(test.sd)), "Moodle: 12–18 %; smaller means scores bunched together"),
        ("Skewness", _num(test.skewness), "0 is symmetric; negative: a tail of low scores (Moodle aims near −1)"),
        ("Kurtosis (excess)", _num(test.kurtosis), "0 for a normal distribution; Moodle aims for 0–1"),
        ("Cronbach's α (KR-20 for right/wrong items)", _num(test.alpha) + alpha_ci,
         "Moodle: above 0.75 satisfactory, below 0.64 unsatisfactory"),
        ("Error ratio √(1 − α)", _pct(test.error_ratio), "share of the SD that is measurement error"),
        ("Standard error of a score, ER × SD", _pct(share(test.standard_error)),
         "a student's score is uncertain by about this much"),
    ]
    return _table([("statistic", False), ("value", True), ("what to look for", False)],
                  [([_e(a), _e(b), _e(c)], False) for a, b, c in rows])


_DEFINITIONS = [
    ("Facility", "the mean mark on the item as a share of its points (for a right/wrong item, the share of students right)."),
    ("Full marks", "the share of students with all of the item's points."),
    ("Discrimination index", "the correlation between the item's marks and each student's score on the rest of the "
                             "test (not counting the item itself): do students who do well elsewhere do well here?"),
    ("Discriminative efficiency", "the discrimination as a share of the largest this item's difficulty allows "
                                  "(the covariance with both marks sorted): an easy or hard item can only discriminate so much."),
    ("Cronbach's α", "how consistently the items rank students; computed on each student's graded submission (nbgrader "
                     "keeps one per student, as Moodle uses the first attempt)."),
]


def render(assignment: str, test: ScoreStatistics, items: pd.DataFrame, questions: pd.DataFrame,
           figures: dict, variants: dict | None, files: list[str]) -> str:
    """The HTML page.

    Parameters
    ----------
    figures : dict
        ``scores`` and ``items`` PNG bytes (either may be missing), ``answers`` the quiz charts' HTML.
    variants : dict, optional
        ``{"breakdown": DataFrame, "note": str}`` when per-student variants are on.
    files : list of str
        Names of the CSV files written beside the page.
    """
    notes = "".join(f"<p class='note'>{_e(n)}</p>" for n in cohort_notes(test))
    flagged = items[items["flag"] != ""]
    flag_list = "".join(f"<li><b>{_e(r.item)}</b> ({_e(r.kind)}, {_e(r.question) or 'no question'}): {_e(r.flag)}</li>"
                        for r in flagged.itertuples())
    if not flag_list:
        flag_list = ("<li>none</li>" if test.n >= F.MIN_STUDENTS
                     else f"<li>none: flags need at least {F.MIN_STUDENTS} students.</li>")
    distract = items[items["distractors_above_key"] != ""]
    distract_html = "".join(f"<li><b>{_e(r.item)}</b>: option(s) {_e(r.distractors_above_key)} chosen more often than "
                            f"{'the key' if len(r.key) == 1 else 'an option of the key'} {_e(r.key)}</li>"
                            for r in distract.itertuples()) or "<li>none</li>"
    parts = [f"<h1>Item analysis: {_e(assignment)}</h1>", notes, "<h2>The test as a whole</h2>", _test_table(test)]
    if "scores" in figures:
        parts.append(_img("Score distribution", figures["scores"]))
    parts += ["<h2>Items to look at</h2>", "<ul>" + "".join(f"<li>{_e(r)}</li>" for r in F.rules()) + "</ul>",
              f"<h3>Flagged items</h3><ul>{flag_list}</ul>",
              "<h3>Distractors chosen more often than the key</h3><p>Wrong options that more students chose (or, in a "
              "select-all quiz, ticked) than the key's least chosen option.</p>"
              f"<ul>{distract_html}</ul>"]
    if "items" in figures:
        undefined = items.loc[~items["discrimination_index"].astype(float).map(math.isfinite), "item"].tolist()
        caption = ("Shaded: weak discrimination (below the dashed line) and facility below "
                   f"{F.FACILITY_LOW:.0%} or above {F.FACILITY_HIGH:.0%}. Unlabelled points are in the table below.")
        if undefined:
            caption += f" Not plotted (no spread, so no discrimination index): {', '.join(undefined)}."
        parts.append(_img("Facility and discrimination", figures["items"], caption))
    if variants is not None:
        parts.append("<h2>Per variant</h2>" + _variant_section(variants))
    if not questions.empty:
        parts.append("<h2>Per syllabus question</h2>" + _question_table(questions))
    if figures.get("answers"):
        parts.append("<h2>Quiz answers chosen</h2><p>Green: the key, or the accepted range of a numeric answer.</p>"
                     + figures["answers"])
    parts += ["<h2>All items, in syllabus order</h2>", _items_table(items),
              "<h2>Definitions</h2><dl class='defs'>" + "".join(f"<dt>{_e(t)}</dt><dd>{_e(d)}</dd>" for t, d in _DEFINITIONS)
              + "</dl>",
              f"<p>Written with this page: {', '.join(_e(f) for f in files)} (fractions, not per cent).</p>"]
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Item analysis: {_e(assignment)}</title>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><style>{_CSS}{ANSWERS_CSS}</style></head><body>"
            + "".join(parts) + "</body></html>")


def _items_table(items: pd.DataFrame) -> str:
    header = [("#", True), ("item", False), ("kind", False), ("question", False), ("points", True), ("facility", True),
              ("SD", True), ("full marks", True), ("discrimination index", True), ("discriminative efficiency", True),
              ("key", False), ("flags", False)]
    rows = []
    for i, r in enumerate(items.itertuples(), 1):
        rows.append(([str(i), _e(r.item), _e(r.kind), _e(r.question), f"{r.points:g}", _pct(r.facility), _pct(r.sd),
                      _pct(r.pass_rate), _num(r.discrimination_index), _pct(r.discriminative_efficiency),
                      _e(r.key).replace(" ", "&nbsp;"), _e(r.flag)], bool(r.flag)))
    return _table(header, rows, wide=True)


def _question_table(questions: pd.DataFrame) -> str:
    header = [("question", False), ("mean", True), ("students below 50 %", True)]
    rows = [([_e(q), _pct(float(questions[q].mean())), str(int((questions[q] < 0.5).sum()))], False) for q in questions.columns]
    return ("<p>Each student's share of the points of each question is in <code>students.csv</code>.</p>"
            + _table(header, rows))


def _variant_section(variants: dict) -> str:
    breakdown = variants["breakdown"]
    text = f"<p>{_e(variants['note'])}</p>"
    if breakdown.empty:
        return text
    header = [("task", False), ("parameter", False), ("value", False), ("students", True), ("facility", True),
              ("full marks", True), ("discrimination index", True), ("p (Fisher)", True), ("flag", False)]
    rows = [([_e(r.item), _e(r.parameter), _e(r.value), str(r.n), _pct(r.facility), _pct(r.pass_rate),
              _num(r.discrimination_index), _num(r.p_value, 3), _e(r.flag)], bool(r.flag)) for r in breakdown.itertuples()]
    return text + _table(header, rows, wide=True)
