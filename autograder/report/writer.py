"""Write the item analysis as CSV and as a self-contained HTML page with plots."""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..coursedir import CourseDir  # noqa: E402
from .items import analyse_items  # noqa: E402
from .results import load_quiz_choices, load_scores  # noqa: E402


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _figures(items: pd.DataFrame, totals: pd.Series) -> list[tuple[str, str]]:
    figs = []
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(100 * totals, bins=min(20, max(5, len(totals) // 5)), range=(0, 100), color="#0969da")
    ax.set(title=f"Score distribution ({len(totals)} students)", xlabel="total score (% of maximum)", ylabel="students")
    figs.append(("Score distribution", _png(fig)))

    fig, ax = plt.subplots(figsize=(6.5, 4))
    colours = items["kind"].map({"task": "#cf222e", "quiz": "#0969da"}).fillna("#57606a")
    ax.scatter(items["pass_rate"], items["discrimination"].fillna(0), c=colours)
    for _, row in items.iterrows():
        ax.annotate(row["item"], (row["pass_rate"], 0 if pd.isna(row["discrimination"]) else row["discrimination"]), fontsize=7)
    ax.axhline(0.2, color="#9a6700", lw=0.8, ls="--")
    ax.set(title="Items: difficulty vs discrimination (red: tasks, blue: quizzes)",
           xlabel="pass rate (share of students with full points)", ylabel="point-biserial discrimination", xlim=(-0.05, 1.05))
    figs.append(("Difficulty and discrimination", _png(fig)))

    quizzes = items[(items["kind"] == "quiz") & (items["options"] != "")]
    if len(quizzes):
        cols = 4
        rows = -(-len(quizzes) // cols)
        fig, axes = plt.subplots(rows, cols, figsize=(3 * cols, 2.2 * rows), squeeze=False)
        for ax, (_, row) in zip(axes.flat, quizzes.iterrows()):
            counts = dict(part.split(":") for part in row["options"].split(";"))
            labels = sorted(counts)
            ax.bar(labels, [int(counts[k]) for k in labels], color=["#2da44e" if k == row["key"] else "#8c959f" for k in labels])
            ax.set_title(f"{row['item']} (key {row['key'] or '?'})", fontsize=9)
            ax.set_ylabel("students", fontsize=8)
            ax.tick_params(labelsize=7)
        for ax in list(axes.flat)[len(quizzes):]:
            ax.axis("off")
        fig.suptitle("Quiz answers chosen (green: the key)")
        fig.tight_layout()
        figs.append(("Quiz options", _png(fig)))
    return figs


def write_report(course: CourseDir, assignment: str, out_dir: Path | None = None) -> tuple[Path, Path]:
    """Analyse ``assignment`` from the gradebook and submissions; write ``items.csv`` and ``report.html``.

    Returns
    -------
    (Path, Path)
        The CSV and HTML files written (in ``reports/<assignment>/`` by default).
    """
    from course.quiz._key import canonical
    from course.tasks import assignment_tasks

    from ..quizbank import load_quiz_source

    course.require_assignment(assignment)
    db_url = course.config().CourseDirectory.get("db_url", "sqlite:///gradebook.db")
    if db_url.startswith("sqlite:///") and not Path(db_url[10:]).is_absolute():
        db_url = f"sqlite:///{course.root / db_url[10:]}"
    scores = load_scores(db_url, assignment)
    source = load_quiz_source(course.quiz_file(assignment)) if course.quiz_file(assignment).is_file() else {}
    keys = {q: canonical(v["kind"], v["answer"], len(v.get("options", [])), v.get("tolerance")) for q, v in source.items()
            if v["kind"] != "numeric"}
    choices = load_quiz_choices(course.root / "submitted", assignment)
    if not choices.empty:
        def canon(row):
            spec = source.get(row["quiz"])
            if not spec or spec["kind"] == "numeric":
                return str(row["answer"])
            try:
                return canonical(spec["kind"], row["answer"], len(spec.get("options", [])))
            except ValueError:
                return "invalid"
        choices["answer"] = choices.apply(canon, axis=1)
    topics = {t.id: t.question for t in assignment_tasks(assignment)}
    items, totals = analyse_items(scores, choices, keys, topics)

    out_dir = out_dir or course.root / "reports" / assignment
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = out_dir / "items.csv", out_dir / "report.html"
    items.to_csv(csv_path, index=False, float_format="%.4f")
    table = items.assign(pass_rate=(100 * items["pass_rate"]).round(1), discrimination=items["discrimination"].round(2))
    figures = "".join(f"<h2>{html.escape(t)}</h2><img alt='{html.escape(t)}' src='data:image/png;base64,{b64}'>" for t, b64 in _figures(items, totals))
    flagged = items[items["flag"] != ""]
    flags = "".join(f"<li><b>{html.escape(r.item)}</b>: {html.escape(r.flag)}</li>" for r in flagged.itertuples()) or "<li>none</li>"
    distract = items[items["distractors_above_key"] != ""]
    distract_html = "".join(f"<li><b>{html.escape(r.item)}</b>: option(s) {html.escape(r.distractors_above_key)} chosen more often than the key {html.escape(r.key)}</li>"
                            for r in distract.itertuples()) or "<li>none</li>"
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Item analysis: {html.escape(assignment)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#1f2328}}
table{{border-collapse:collapse;font-size:0.85em}}td,th{{border:1px solid #d0d7de;padding:3px 6px}}</style></head><body>
<h1>Item analysis: {html.escape(assignment)}</h1>
<p>{len(totals)} students; mean score {100 * totals.mean():.1f}% (median {100 * totals.median():.1f}%).
Pass rate is the share of students with full points on an item; discrimination is the point-biserial
correlation between passing the item and the rest of the score (below 0.2 is weak; negative is suspect).</p>
<h2>Flags</h2><ul>{flags}</ul><h2>Distractors chosen more often than the key</h2><ul>{distract_html}</ul>
{figures}<h2>All items</h2>{table.to_html(index=False, na_rep="n/a", escape=True)}</body></html>"""
    html_path.write_text(page, encoding="utf-8")
    return csv_path, html_path
