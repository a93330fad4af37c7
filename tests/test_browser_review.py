"""Review and mock interview in a real JupyterLab (Playwright and Debian's Chromium, as in test_browser.py).

A learner opens today's review notebook, answers its quiz by clicking (the answer becomes a review
event in the history), runs a task's check cell on the new variant, then opens a mock interview and
sees its clock counting down.
"""
from __future__ import annotations

import json
import os
import re
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from test_browser import (  # noqa: F401  (the fixtures and the browser mark of test_browser.py)
    JS_ACTIVE, JS_CELL_DONE, JS_KERNEL_IDLE, browser, lab, page, pytestmark, screenshots,
)

TASK = "kfold_cv"
CELLS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell"   # of the notebook in the current tab


def _run_cells(page, count):
    page.locator(CELLS).nth(0).click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")
    for i in range(count):
        assert page.evaluate(JS_ACTIVE) == i
        page.keyboard.press("Shift+Enter")
        page.wait_for_function(JS_CELL_DONE, arg=i, timeout=180_000)


def _open(page, url, token, root, path):
    relative = path.relative_to(root).as_posix()
    page.goto(f"{url}/lab/tree/{relative}?token={token}")
    page.wait_for_selector(CELLS)
    # The workspace may bring back the previous notebook first: wait until this one is the current tab.
    page.wait_for_function("(p) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                           " return !!w && !!w.context && w.context.path === p; }", arg=relative, timeout=60_000)
    page.wait_for_function(JS_KERNEL_IDLE, timeout=120_000)


def test_review_quiz_task_check_and_interview_timer(lab, page, screenshots):
    from course import history, interview, review
    from course.drills import write_drill
    from course.quiz import load_bank

    url, token, root = lab
    home = Path(os.environ["MLCOURSE_HOME"])
    qid = sorted(q for q in load_bank("01_foundations") if q.startswith("F6"))[0]
    past = datetime.now(timezone.utc) - timedelta(days=3)
    events = [history.quiz_event(qid, False, "quiz", past), history.task_event(TASK, "F6", "failed", "drill", past)]
    nb = review.make_review("ada", root / "release", events)
    info = nb["metadata"]["mlcourse"]["review"]
    assert (info["quizzes"], info["tasks"]) == ([qid], [TASK])
    path = write_drill(nb, root / "drills" / "ada-review.ipynb")
    kinds = ["quiz" if c["source"].startswith("quiz(") else c.get("metadata", {}).get("mlcourse", {}) for c in nb["cells"]]
    quiz_index = kinds.index("quiz")
    check_index = next(i for i, k in enumerate(kinds) if isinstance(k, dict) and k.get("check") == TASK)

    _open(page, url, token, root, path)
    _run_cells(page, check_index + 1)
    cells = page.locator(CELLS)

    # The quiz: click an option, check it; the checked answer is a review event.
    widget = cells.nth(quiz_index).locator(".mlcourse-quiz")
    widget.scroll_into_view_if_needed()
    button = widget.get_by_role("button", name=re.compile("Check answer"))
    button.wait_for()
    question = load_bank("01_foundations")[qid]
    if question.kind == "numeric":
        widget.locator("input[type=text]").fill("0")
        choice = "0"
    else:
        widget.locator("input[type=checkbox]").nth(0).check()
        choice = "A"
    button.click()
    widget.get_by_text(re.compile(r"(✔ Correct\.|✘ Incorrect\.)")).wait_for()
    screenshots(cells.nth(quiz_index), "review-quiz")
    deadline = time.monotonic() + 20
    recorded = []
    while time.monotonic() < deadline and not recorded:
        recorded = [e for e in history.load(home / "review-history.json") if e.item == f"quiz:{qid}"]
        time.sleep(0.3)
    assert [e.outcome for e in recorded] == ["correct" if question.is_correct(choice) else "incorrect"]

    # The task's check cell on the new variant: the untouched stub is not attempted, in one line.
    output = cells.nth(check_index).locator(".jp-OutputArea-output")
    cells.nth(check_index).scroll_into_view_if_needed()
    output.first.wait_for()
    text = output.first.inner_text().strip()
    assert f"{TASK}: not attempted" in text and "Traceback" not in text, text
    screenshots(cells.nth(check_index), "review-task-check")

    # The mock interview: its first code cell starts the clock and shows the time left, counting down.
    iv = interview.make_interview("ada", root / "release", topics="F6", minutes=15)
    iv_path = write_drill(iv, root / "drills" / "ada-interview.ipynb")
    _open(page, url, token, root, iv_path)
    _run_cells(page, 2)
    timer = page.locator(".mlcourse-timer")
    timer.wait_for()
    first = timer.inner_text()
    assert re.fullmatch(r"Time left 1[45]:\d\d", first), first
    page.wait_for_function("(t) => document.querySelector('.mlcourse-timer').textContent !== t", arg=first, timeout=5000)
    screenshots(page, "interview-timer")
    clock = json.loads(interview.clock_path(iv["metadata"]["mlcourse"]["interview"]["id"]).read_text())
    assert clock["minutes"] == 15
