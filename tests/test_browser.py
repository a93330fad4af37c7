"""A learner's session in a real JupyterLab, driven through Debian's Chromium with Playwright.

The server runs on 127.0.0.1 on a copy of the course, started twice: with the command line ``mlcourse lab``
uses, and as plain ``jupyter lab`` with no course option, as a hub's single-user server starts it (the
configuration the package installs in ``<sys.prefix>/etc/jupyter`` lets the quiz widget write answers
into its cell in both). The test runs the release notebook cell by
cell with Shift+Enter, answers a quiz by clicking, checks the feedback and the rewritten cell, saves,
and reads the one-line verdict of a task's test cell. Screenshots go to a temporary folder (or to
``$MLCOURSE_SCREENSHOTS``); their paths are printed at the end of the run.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

import _support as S

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium); the browser test needs it"),
]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def _pick_assignment():
    """The first assignment with a coding task and a quiz (assignment 1), else the first with a quiz."""
    for assignment in S.assignments():
        if S.tasks_of(assignment) and S.quiz_cells(S.read(S.release_notebook(assignment))):
            return assignment
    for assignment in S.assignments():
        if S.quiz_cells(S.read(S.release_notebook(assignment))):
            return assignment
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory, report):
    folder = Path(os.environ["MLCOURSE_SCREENSHOTS"]) if os.environ.get("MLCOURSE_SCREENSHOTS") else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    taken = []

    def shoot(target, name):
        path = folder / f"{len(taken) + 1:02d}-{name}.png"
        target.screenshot(path=str(path))
        taken.append(path)
        return path

    yield shoot
    for path in taken:
        report(f"screenshot: {path}")


def _server_command(how: str, root: Path, port: int) -> list[str]:
    """``mlcourse lab``'s command line, or plain ``jupyter lab`` with none of the course's options."""
    import sys

    from autograder.coursedir import CourseDir
    from autograder.lab import lab_command

    if how == "mlcourse lab":
        cmd = lab_command(CourseDir(root), None, port, open_browser=False)
        assert "--LabApp.expose_app_in_browser=True" in cmd
        return cmd
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.root_dir={root}", f"--ServerApp.port={port}"]
    if os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")
    assert not any("expose" in arg for arg in cmd)
    return cmd


@pytest.fixture(scope="module", params=["mlcourse lab", "jupyter lab"])
def lab(request, make_course_copy, tmp_path_factory):
    """JupyterLab serving a copy of the course on 127.0.0.1 with a token; yields (url, token, root)."""
    root = make_course_copy("lab")
    home = tmp_path_factory.mktemp("lab-home")
    port, token = _free_port(), secrets.token_hex(16)
    cmd = _server_command(request.param, root, port) + [
        "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.workspaces_dir={home / 'workspaces'}", f"--LabApp.user_settings_dir={home / 'settings'}",
    ]
    # No "Would you like to get notified about Jupyter news?" toast over the screenshots, and no calls out.
    notifications = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notifications.parent.mkdir(parents=True)
    notifications.write_text('{"fetchNews": "false", "checkForUpdates": false}\n', encoding="utf-8")
    env = S.course_env(root, JUPYTER_RUNTIME_DIR=home / "runtime", JUPYTER_CONFIG_DIR=home / "config")
    log = open(home / "server.log", "w")
    server = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("JupyterLab did not start:\n" + (home / "server.log").read_text()[-3000:])
            time.sleep(0.5)
        yield url, token, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def page(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        yield page
        context.close()
        browser.close()


# JavaScript helpers, run in the page; they only read JupyterLab's state (the clicks and keys are real).
JS_NOTEBOOK = "window.jupyterapp && window.jupyterapp.shell.currentWidget && window.jupyterapp.shell.currentWidget.content"
JS_KERNEL_IDLE = f"""() => {{
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && !!({JS_NOTEBOOK});
}}"""
JS_CELL_DONE = f"""(i) => {{
  const nb = {JS_NOTEBOOK};
  const cell = nb.widgets[i];
  if (cell.model.type !== 'code') return true;
  const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const prompt = cell.node.querySelector('.jp-InputPrompt');
  return cell.model.executionCount !== null && k.status === 'idle' && !(prompt && prompt.textContent.includes('*'));
}}"""
JS_ACTIVE = f"() => ({JS_NOTEBOOK}).activeCellIndex"
JS_SOURCE = f"(i) => ({JS_NOTEBOOK}).widgets[i].model.sharedModel.getSource()"
JS_SOURCE_IS = f"([i, want]) => ({JS_NOTEBOOK}).widgets[i].model.sharedModel.getSource() === want"
JS_SAVED = "() => !window.jupyterapp.shell.currentWidget.context.model.dirty"


def test_learner_answers_a_quiz_and_runs_a_self_check(lab, page, screenshots):
    from course.quiz import load_bank

    assignment = _pick_assignment()
    if assignment is None:
        pytest.skip("no assignment has a quiz yet")
    url, token, root = lab
    nb_path = S.release_notebook(assignment, root)
    nb = S.read(nb_path)
    ids = [S.grade_id(c) for c in nb.cells]
    quiz_index = next(i for i, c in enumerate(nb.cells) if any(c is qc for qc, _ in S.quiz_cells(nb)))
    qid = S.QUIZ_CALL.search(nb.cells[quiz_index].source).group(1)
    tasks = S.tasks_of(assignment)
    assert not tasks or tasks[0].test_id in ids, f"the release notebook has no cell {tasks[0].test_id}: run mlcourse build"
    test_index = ids.index(tasks[0].test_id) if tasks else None
    last = max(quiz_index, test_index or 0)

    # 1. open the release notebook; its kernel starts
    page.goto(f"{url}/lab/tree/{nb_path.relative_to(root).as_posix()}?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_function(JS_KERNEL_IDLE, timeout=120_000)
    screenshots(page, "notebook-opened")

    # 2. run the cells from the top with Shift+Enter, one at a time (Run All would stop at the first
    #    failing test cell, which is how an untouched notebook should behave)
    page.locator(".jp-Notebook .jp-Cell").nth(0).click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")
    for i in range(last + 1):
        assert page.evaluate(JS_ACTIVE) == i, f"the active cell should be {i} before Shift+Enter"
        page.keyboard.press("Shift+Enter")
        page.wait_for_function(JS_CELL_DONE, arg=i, timeout=180_000)

    cells = page.locator(".jp-Notebook .jp-Cell")

    # 3. the test cell of an untouched task answers in one line: not attempted
    if test_index is not None:
        cells.nth(test_index).scroll_into_view_if_needed()
        output = cells.nth(test_index).locator(".jp-OutputArea-output")
        output.first.wait_for()
        text = output.first.inner_text().strip()
        assert f"{tasks[0].id}: not attempted" in text, text
        assert "Traceback" not in text and len(text.splitlines()) == 1, f"the verdict should be one line, got:\n{text}"
        screenshots(cells.nth(test_index), "task-not-attempted")

    # 4. the quiz widget: choose an option, check it, see the verdict
    quiz_cell = cells.nth(quiz_index)
    quiz_cell.scroll_into_view_if_needed()  # off-screen cells are not rendered (content-visibility)
    widget = quiz_cell.locator(".mlcourse-quiz")
    widget.wait_for(state="visible")
    check_button = widget.get_by_role("button", name=re.compile("Check answer"))
    check_button.wait_for()  # the widget's children render after its box
    question = load_bank(assignment)[qid]
    assert f"Quiz {qid}" in widget.inner_text()
    if question.kind == "numeric":
        choice = "0"
        widget.locator("input[type=text]").fill(choice)
        expected_call = f'quiz("{qid}", answer=0.0)'
    else:
        boxes = widget.locator("input[type=checkbox]")
        assert boxes.count() == len(question.options)
        boxes.nth(0).check()
        choice = "A"
        expected_call = f'quiz("{qid}", answer="A")'
    check_button.click()
    verdict = "Correct." if question.is_correct(choice) else "Incorrect."
    feedback = widget.get_by_text(re.compile(r"(✔ Correct\.|✘ Incorrect\.)"))
    feedback.wait_for()
    assert feedback.inner_text().strip().endswith(verdict), feedback.inner_text()

    # 5. the answer is written into the quiz cell itself, so grading sees it
    page.wait_for_function(JS_SOURCE_IS, arg=[quiz_index, expected_call])
    assert page.evaluate(JS_SOURCE, quiz_index) == expected_call
    assert quiz_cell.locator(".jp-InputArea .cm-content").inner_text().strip() == expected_call
    widget.get_by_text("Answer written into this cell").wait_for()
    screenshots(quiz_cell, "quiz-answered")

    # 6. saving keeps the answer in the file
    page.keyboard.press("Control+s")
    page.wait_for_function(JS_SAVED)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        saved = [c for c, q in S.quiz_cells(S.read(nb_path)) if q == qid]
        if saved and saved[0].source.strip() == expected_call:
            break
        time.sleep(0.5)
    assert saved[0].source.strip() == expected_call, f"the saved notebook has {saved[0].source!r}"
    screenshots(page, "saved")
