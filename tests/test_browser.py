"""A learner's session in a real JupyterLab, driven through Debian's Chromium with Playwright.

The server runs on 127.0.0.1 on a copy of the course, started with the command line ``mlcourse lab``
uses; a quiz is also answered in plain ``jupyter lab``, which writes answers into their cells through
the page setting the package installs, with no course option. The test runs the release notebook cell by
cell with Shift+Enter, answers a quiz by clicking, checks the feedback and the rewritten cell, saves,
and reads the one-line verdict of a task's test cell. Screenshots go to a temporary folder (or to
``$MLCOURSE_SCREENSHOTS``); their paths are printed at the end of the run.
"""
from __future__ import annotations

import contextlib
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


@pytest.fixture(scope="module")
def lab(make_course_copy, tmp_path_factory):
    """JupyterLab serving a copy of the course on 127.0.0.1 with a token, started like ``mlcourse lab``:
    the copy's assignment 1 freshly built from source/, the learner's working copy made from release/,
    learner mode and the course's stylesheet. Yields (url, token, root)."""
    from autograder.build import build
    from autograder.coursedir import CourseDir
    from autograder.lab import lab_command, lab_env, write_lab_config
    from autograder.workcopy import sync

    root = make_course_copy("lab")
    course = CourseDir(root)
    assignment = _pick_assignment()
    if assignment:
        build(course, assignment, check=False)   # the notebook as the next release will be, not as committed
    sync(course)
    home = tmp_path_factory.mktemp("lab-home")
    port, token = _free_port(), secrets.token_hex(16)
    cmd = lab_command(course, None, port, open_browser=False) + [
        "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        *_quiet_settings(home),
    ]
    assert "--LabApp.expose_app_in_browser=True" in cmd
    base = S.course_env(root, JUPYTER_RUNTIME_DIR=home / "runtime", JUPYTER_CONFIG_DIR=home / "config")
    env = lab_env(course, write_lab_config(course, env=base), base=base)
    with _serving(cmd, root, env, home, port, token) as url:
        yield url, token, root


def _quiet_settings(home: Path) -> list[str]:
    """Options that keep a test server's JupyterLab settings in ``home`` and its news toast away (no calls out)."""
    notifications = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notifications.parent.mkdir(parents=True)
    notifications.write_text('{"fetchNews": "false", "checkForUpdates": false}\n', encoding="utf-8")
    return ["--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            f"--LabApp.workspaces_dir={home / 'workspaces'}", f"--LabApp.user_settings_dir={home / 'settings'}"]


@contextlib.contextmanager
def _serving(cmd: list, root: Path, env: dict, home: Path, port: int, token: str):
    """Run the Jupyter server ``cmd`` until the block ends; yields its address once it answers."""
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
                pytest.fail(f"{' '.join(map(str, cmd[:3]))} did not start:\n" + (home / "server.log").read_text()[-3000:])
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module", params=["lab", "notebook"])
def plain_lab(request, make_course_copy, tmp_path_factory):
    """Plain ``jupyter lab`` or ``jupyter notebook`` (Notebook 7) from this environment on a copy of the
    course: no course option on its command line and no course settings folder, only what installing
    the package put into the environment (``etc/jupyter/labconfig/page_config.d/mlcourse.json``). Its
    kernels import the copy's ``course`` (``PYTHONPATH``), as every test's do. Yields (app, url, token, root)."""
    app = request.param
    root = make_course_copy(f"plain-{app}")
    home = tmp_path_factory.mktemp(f"plain-{app}-home")
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [str(S.SCRIPTS / "jupyter"), app, "--no-browser", f"--port={port}", f"--IdentityProvider.token={token}",
           f"--notebook-dir={root}", "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0", *_quiet_settings(home)]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    env = S.course_env(root, JUPYTER_RUNTIME_DIR=home / "runtime", JUPYTER_CONFIG_DIR=home / "config",
                       JUPYTER_DATA_DIR=home / "data")
    env.pop("JUPYTER_CONFIG_PATH", None)
    with _serving(cmd, root, env, home, port, token) as url:
        yield app, url, token, root


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(lab, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


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


JS_PATH = "() => window.jupyterapp.shell.currentWidget && window.jupyterapp.shell.currentWidget.context && window.jupyterapp.shell.currentWidget.context.path"
# Words split across lines in an element: for every word, do its characters sit on more than one line?
JS_BROKEN_WORDS = """(el) => {
  const text = el.firstChild && el.innerText;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const broken = []; let lines = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(/\\S+/g)) {
      const r = document.createRange(); r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
      tops.forEach(t => lines.add(t));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return {broken, lines: lines.size, wordBreak: getComputedStyle(el).wordBreak};
}"""
# WCAG contrast ratio between an element's text colour and the notebook's background.
JS_CONTRAST = """(el) => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = getComputedStyle(document.querySelector('.jp-Notebook')).backgroundColor;
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(bg))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def _run(page, cells, index):
    """Select cell ``index`` with a click on its prompt and run it with Shift+Enter."""
    cell = cells.nth(index)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").first.click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(JS_CELL_DONE, arg=index, timeout=180_000)


def _quiz_widget(cells, index):
    cell = cells.nth(index)
    cell.scroll_into_view_if_needed()  # off-screen cells are not rendered (content-visibility)
    widget = cell.locator(".mlcourse-quiz")
    widget.wait_for(state="visible")
    widget.get_by_role("button", name=re.compile("Check answer")).wait_for()  # children render after the box
    return widget


def _verdict(widget) -> str:
    feedback = widget.get_by_text(re.compile(r"(✔ Correct\.|✘ Incorrect\.)"))
    feedback.wait_for()
    return widget.inner_text()


def _first_quiz_of_each_kind(nb, bank) -> dict:
    found = {}
    for index, cell in enumerate(nb.cells):
        match = S.QUIZ_CALL.search(cell.source) if cell.cell_type == "code" and "quiz" in cell.metadata.get("tags", []) and not S.is_graded(cell) else None
        if match and bank[match.group(1)].kind not in found:
            found[bank[match.group(1)].kind] = (index, match.group(1))
    return found


def test_learner_session_in_jupyterlab(lab, page, screenshots, report):
    """One learner's session: the first screen, a section opened out of order, a wrong and a right answer
    to each kind of quiz (by mouse and by keyboard), the answer written into the cell and saved, a check
    message that wraps between words, and the dark theme."""
    from course.quiz import load_bank

    started = time.monotonic()
    assignment = _pick_assignment()
    if assignment is None:
        pytest.skip("no assignment has a quiz yet")
    url, token, root = lab

    # 1. the first screen is the orientation notebook of the learner's own copy, in learner mode
    page.goto(f"{url}/?token={token}")  # the address `mlcourse lab` prints or opens redirects here
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_function(f"() => ({JS_PATH})() && ({JS_PATH})().endsWith('orientation.ipynb')")
    assert page.evaluate(JS_PATH).startswith("my-work/")
    config = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)")
    assert "@jupyter/nbgrader:formgrader" in config["disabledExtensions"]
    assert not page.evaluate("() => window.jupyterapp.hasPlugin('@jupyter/nbgrader:create-assignment')")
    screenshots(page, "first-screen")

    # 2. the assignment notebook in my-work/, its setup cell, then a later section first (out of order)
    nb_path = root / "my-work" / assignment / S.release_notebook(assignment, root).name
    nb = S.read(nb_path)
    bank = load_bank(assignment)
    page.goto(f"{url}/lab/tree/{nb_path.relative_to(root).as_posix()}?token={token}&reset")  # this notebook alone
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_function(JS_KERNEL_IDLE, timeout=120_000)
    cells = page.locator(".jp-Notebook .jp-Cell")
    ids = [S.grade_id(c) for c in nb.cells]
    _run(page, cells, ids.index("setup"))
    tasks = S.tasks_of(assignment)
    task = tasks[0]
    question = task.question
    section = [i for i, c in enumerate(nb.cells) if f"q:{question}" in c.metadata.get("tags", []) and c.cell_type == "code"]
    test_index = ids.index(task.test_id)
    for index in [i for i in section if i <= test_index and "quiz" not in nb.cells[i].metadata.get("tags", [])]:
        _run(page, cells, index)
        out = cells.nth(index).locator(".jp-OutputArea-output")
        errors = [out.nth(k).inner_text() for k in range(out.count()) if "Error" in out.nth(k).inner_text()[:200]]
        assert index == test_index or not errors, f"section {question} run on its own fails in cell {index}: {errors}"

    # 3. the untouched task answers in one line, and the line wraps between words when it is narrow
    verdict = cells.nth(test_index).locator(".jp-OutputArea-output pre").first
    verdict.wait_for()
    text = verdict.inner_text().strip()
    assert f"{task.id}: not attempted" in text and "Traceback" not in text and len(text.splitlines()) == 1, text
    verdict.evaluate("el => { el.style.width = '240px'; }")
    layout = verdict.evaluate(JS_BROKEN_WORDS)
    assert layout["lines"] > 1 and layout["broken"] == [], f"the message should wrap between words: {layout}"
    screenshots(cells.nth(test_index), "check-message-wrapped")
    verdict.evaluate("el => { el.style.width = ''; }")

    # 4. each kind of quiz: a wrong answer that says why, then the right one
    quizzes = _first_quiz_of_each_kind(nb, bank)
    assert set(quizzes) == {"single", "multiple", "numeric"}, f"assignment {assignment} lacks a kind of quiz: {quizzes}"
    key = S.quiz_key(assignment, root)
    for kind, (index, qid) in sorted(quizzes.items()):
        _run(page, cells, index)
        widget = _quiz_widget(cells, index)
        check = widget.get_by_role("button", name=re.compile("Check answer"))
        question_ = bank[qid]
        right = key[qid]
        if kind == "numeric":
            field = widget.locator("input[type=text]")
            field.fill(str(right * 3 + 1))
            field.press("Enter")                                          # Enter in the field checks
            shown = _verdict(widget)
            assert "Incorrect" in shown and "Too high" in shown, shown
            assert question_.explain()[:40] in shown, "the working is shown after an attempt"
            field.fill(str(right))
            check.click()
            expected_call = f'quiz("{qid}", answer={float(right)!r})'
        else:
            boxes = widget.locator("input[type=checkbox]")
            labels = widget.locator(".widget-checkbox label.widget-label-basic")
            right_letters = right if isinstance(right, str) else "".join(right)
            wrong_letter = next(letter for letter in "ABCDEFGH"[:boxes.count()] if letter not in right_letters)
            labels.nth("ABCDEFGH".index(wrong_letter)).click(position={"x": 60, "y": 8})  # the option's text ticks its box
            assert boxes.nth("ABCDEFGH".index(wrong_letter)).is_checked()
            check.click()
            shown = _verdict(widget)
            assert "Incorrect" in shown and "should not be ticked" in shown, shown
            if kind == "multiple":
                assert f"{len(right_letters)} right option" in shown and "missing" in shown, shown
            # by keyboard: Space unticks the wrong option and ticks the right ones, Enter on the button checks
            boxes.nth("ABCDEFGH".index(wrong_letter)).focus()
            page.keyboard.press("Space")
            for letter in right_letters:
                boxes.nth("ABCDEFGH".index(letter)).focus()
                page.keyboard.press("Space")
            check.focus()
            page.keyboard.press("Enter")
            expected_call = f'quiz("{qid}", answer="{right_letters}")'
        widget.get_by_text("✔ Correct.").wait_for()
        shown = widget.inner_text()
        if question_.explain():
            assert shown.count(question_.explain()[:60]) == 1, "the explanation is shown once"
        page.wait_for_function(JS_SOURCE_IS, arg=[index, expected_call])
        widget.get_by_text("Answer written into this cell").wait_for()
        screenshots(cells.nth(index), f"quiz-{kind}-answered")

    # 5. the graded cell under a quiz is collapsed and labelled, not an empty-looking cell
    graded = cells.nth(quizzes["single"][0] + 1)
    graded.scroll_into_view_if_needed()
    assert "Graded" in graded.locator(".jp-InputPlaceholder").inner_text()

    # 6. saving keeps the answers in the learner's file; release/ is untouched
    page.keyboard.press("Control+s")
    page.wait_for_function(JS_SAVED)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        saved = dict((q, c.source.strip()) for c, q in S.quiz_cells(S.read(nb_path)))
        if all(saved[q].startswith(f'quiz("{q}", answer=') for _, q in quizzes.values()):
            break
        time.sleep(0.5)
    assert all(saved[q].startswith(f'quiz("{q}", answer=') for _, q in quizzes.values()), saved
    assert not any("answer=" in c.source for c, _ in S.quiz_cells(S.read(S.release_notebook(assignment, root))))

    # 7. the dark theme: quiz text readable, progress bars and plots on the theme's colours
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
    page.wait_for_timeout(500)
    widget = _quiz_widget(cells, quizzes["multiple"][0])
    for part in (".mlcourse-quiz-meta", ".mlcourse-quiz-prompt"):
        contrast = widget.locator(part).evaluate(JS_CONTRAST)
        assert contrast >= 4.5, f"{part} has contrast {contrast:.1f} in the dark theme"
    images = page.locator(".jp-RenderedImage img")
    if images.count():
        images.first.scroll_into_view_if_needed()
        assert images.first.evaluate("el => getComputedStyle(el).borderRadius") == "8px", "plots sit on a card"
    screenshots(cells.nth(quizzes["multiple"][0]), "dark-theme-quiz")
    screenshots(page, "dark-theme")
    report(f"browser test: the learner's session took {time.monotonic() - started:.0f} s")


def test_terminal_of_mlcourse_lab_finds_mlcourse(lab):
    """JupyterLab's Terminal (a login shell) has the course's environment on PATH."""
    import json

    import websocket

    url, token, root = lab
    request = urllib.request.Request(f"{url}/api/terminals?token={token}", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=30) as r:
        name = json.loads(r.read())["name"]
    ws = websocket.create_connection(f"ws://127.0.0.1:{url.rsplit(':', 1)[1]}/terminals/websocket/{name}?token={token}", timeout=30)
    try:
        ws.send(json.dumps(["stdin", "command -v mlcourse; echo END-OF-CHECK\r"]))
        seen, deadline = "", time.monotonic() + 30
        while "END-OF-CHECK\r\n" not in seen.replace("echo END-OF-CHECK", "") and time.monotonic() < deadline:
            message = json.loads(ws.recv())
            if message[0] == "stdout":
                seen += message[1]
    finally:
        ws.close()
    assert str(S.SCRIPTS / "mlcourse") in seen, seen


def test_plain_jupyter_writes_the_quiz_answer_into_its_cell(plain_lab, browser, screenshots, report):
    """A quiz answered by clicking in plain ``jupyter lab`` or ``jupyter notebook`` (no course option) is
    written into its cell and saved: the page setting the package installs is all it takes. The learner
    session above shows the same under ``mlcourse lab``."""
    from course.quiz import load_bank

    started = time.monotonic()
    assignment = _pick_assignment()
    if assignment is None:
        pytest.skip("no assignment has a quiz yet")
    app, url, token, root = plain_lab
    nb_path = S.release_notebook(assignment, root)
    nb = S.read(nb_path)
    index, qid = _first_quiz_of_each_kind(nb, load_bank(assignment))["single"]
    right = S.quiz_key(assignment, root)[qid]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        where = "lab/tree" if app == "lab" else "notebooks"
        page.goto(f"{url}/{where}/{nb_path.relative_to(root).as_posix()}?token={token}" + ("&reset" if app == "lab" else ""))
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        config = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)")
        assert config.get("exposeAppInBrowser") in (True, "true"), "the installed page setting was not read"
        page.wait_for_function(JS_KERNEL_IDLE, timeout=120_000)
        cells = page.locator(".jp-Notebook .jp-Cell")
        _run(page, cells, [S.grade_id(c) for c in nb.cells].index("setup"))
        _run(page, cells, index)
        widget = _quiz_widget(cells, index)
        labels = widget.locator(".widget-checkbox label.widget-label-basic")
        labels.nth("ABCDEFGH".index(right)).click(position={"x": 60, "y": 8})
        widget.get_by_role("button", name=re.compile("Check answer")).click()
        widget.get_by_text("✔ Correct.").wait_for()
        page.wait_for_function(JS_SOURCE_IS, arg=[index, f'quiz("{qid}", answer="{right}")'])
        widget.get_by_text("Answer written into this cell").wait_for()
        screenshots(cells.nth(index), f"plain-jupyter-{app}-quiz-answered")
        page.keyboard.press("Control+s")
        page.wait_for_function(JS_SAVED)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            saved = dict((q, c.source.strip()) for c, q in S.quiz_cells(S.read(nb_path)))
            if saved[qid] == f'quiz("{qid}", answer="{right}")':
                break
            time.sleep(0.5)
        assert saved[qid] == f'quiz("{qid}", answer="{right}")', saved[qid]
    finally:
        context.close()
    report(f"browser test: a quiz answered in plain jupyter {app} in {time.monotonic() - started:.0f} s")
