"""A cohort on a real JupyterHub, the students driven through Debian's Chromium with Playwright.

JupyterHub (from PyPI) runs on 127.0.0.1 behind ``configurable-http-proxy`` (from npm, installed by
``.ci/run``), with the local-process spawner and the dummy authenticator. The instructor and two
students are real Unix accounts, created for the test and removed after it; every account runs this
environment's Python and imports the course from the repository the test runs from. The instructor
builds a graded assignment, enrols the students and releases it into a shared exchange (mode 1777,
as docs/jupyterhub.md sets it up). Each student, in their own plain ``jupyterhub-singleuser`` server
(no course option on its command line), fetches it from nbgrader's *Assignments* tab, writes an
answer to a coding task into its cell (one a correct solution, the other a typical mistake), runs
the task's self-check and reads its verdict, answers a quiz by clicking (one right, one wrong), saves
and submits from the *Assignments* tab. The instructor collects, grades with ``mlcourse grade`` (in
the sandbox, as a normal account), writes and releases feedback; each student fetches it from the
*Assignments* tab. The fetched pages and ``nbgrader export`` must give each student the points their
own work deserves, computed from the answer key and the cells' points.
"""
from __future__ import annotations

import csv
import html
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import _support as S
from test_browser import CHROMIUM, CHROMIUM_ARGS, JS_CELL_DONE, JS_KERNEL_IDLE, JS_SAVED, JS_SOURCE_IS, _free_port

TEACHER = "mlc-teacher"
# What each student does: "right" writes the reference solution and picks the key's answer,
# "wrong" writes the task's typical mistake and picks an answer the key marks wrong.
STUDENTS = {"mlc-ada": "right", "mlc-bo": "wrong"}
PASSWORD = "cohort-" + secrets.token_hex(4)
RUNUSER = shutil.which("runuser")


def _first_name(student: str) -> str:
    return student.removeprefix("mlc-").title()


def _closed_ancestor(path: Path) -> Path | None:
    """The top-most folder above ``path`` that other accounts cannot enter (such as ``/root``), if any."""
    for parent in reversed(path.parents):
        if not os.stat(parent).st_mode & 0o001:
            return parent
    return None


def _needed_paths() -> list[Path]:
    """What the hub's accounts must reach: this environment's Python and packages, and the course."""
    return sorted({Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), S.REPO.resolve()}, key=lambda p: len(p.parts))


def _pick_assignment() -> str | None:
    """The first graded assignment with a coding task."""
    return next((a for a in S.graded_assignments() if S.tasks_of(a)), None)


ASSIGNMENT = _pick_assignment()


def _why_not() -> str | None:
    if ASSIGNMENT is None:
        return "no graded assignment has a coding task yet"
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "the hub test creates Unix users and spawns their servers, so it must run as root (CI does)"
    if RUNUSER is None or shutil.which("useradd") is None:
        return "runuser and useradd (util-linux, passwd) are needed to act as the hub's Unix users"
    if CHROMIUM is None:
        return "Debian's chromium is not installed (apt-get install chromium); the hub test drives it"
    if not (S.SCRIPTS / "jupyterhub").exists():
        return "JupyterHub is not installed: pip install -e '.[test]'"
    if any(_closed_ancestor(p) for p in _needed_paths()) and shutil.which("unshare") is None:
        return "this environment lies in a folder other accounts cannot enter, and unshare (util-linux) is not there to open it"
    if shutil.which("configurable-http-proxy") is None:
        return "configurable-http-proxy is not installed: npm install -g configurable-http-proxy (.ci/run does)"
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (apt-get install bubblewrap); the instructor grades in its sandbox"
    return None


pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")]


def _opened(scratch: Path) -> list[str]:
    """argv prefix that runs a command where the hub's accounts reach :func:`_needed_paths`.

    Where this environment lies in a folder closed to other accounts (pyenv under ``/root``), the
    command runs in a private mount namespace in which that folder is an empty one open to all,
    holding only the needed paths; its children (the hub's single-user servers, the instructor's
    sandboxes) see the same. Elsewhere, nothing is needed.
    """
    closed = {p: _closed_ancestor(p) for p in _needed_paths()}
    closed = {p: c for p, c in closed.items() if c is not None}
    if not closed:
        return []
    q = shlex.quote
    stashes = {p: scratch / f"open-{i}" for i, p in enumerate(closed)}
    steps = []
    for path, stash in stashes.items():
        stash.mkdir()
        steps.append(f"mount --bind {q(str(path))} {q(str(stash))}")
    steps += [f"mount -t tmpfs -o mode=755 tmpfs {q(str(c))}" for c in sorted(set(closed.values()))]
    steps += [f"mkdir -p {q(str(p))} && mount --bind {q(str(s))} {q(str(p))}" for p, s in stashes.items()]
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", " && ".join(steps) + ' && exec "$@"', "sh"]


@dataclass
class Hub:
    """The running hub and its accounts."""

    url: str
    base: Path
    homes: dict
    env: dict           # the accounts' environment variables
    opened: list        # argv prefix of :func:`_opened`

    @property
    def course(self) -> Path:
        return self.homes[TEACHER] / "mlcourse"

    def run(self, user: str, cwd: Path, script: str, *args, timeout: float = 600) -> subprocess.CompletedProcess:
        """This environment's ``script`` (nbgrader, mlcourse) with ``args``, as the Unix account ``user`` in ``cwd``."""
        env = {"HOME": str(self.homes[user]), "USER": user, "LOGNAME": user, **self.env}
        argv = [*self.opened, RUNUSER, "-u", user, "--", str(S.SCRIPTS / script), *map(str, args)]
        return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)

    def instructor(self, script: str, *args, timeout: float = 600) -> str:
        """``script args`` as the instructor in the course folder; its output, or a failure."""
        done = self.run(TEACHER, self.course, script, *args, timeout=timeout)
        _ok(done, f"{script} {' '.join(map(str, args))}")
        return done.stdout + done.stderr


def _ok(proc: subprocess.CompletedProcess, what: str) -> None:
    assert proc.returncode == 0, f"{what} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"


def _remove_user(name: str) -> None:
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)  # this account's processes only
    subprocess.run(["userdel", "--force", name], capture_output=True)


def _account_files(home: Path, exchange: Path) -> None:
    """An account's nbgrader settings (course id, exchange) and JupyterLab settings (no news prompt)."""
    config = home / ".jupyter" / "nbgrader_config.py"
    config.parent.mkdir()
    config.write_text(f'c = get_config()\nc.CourseDirectory.course_id = "mlcourse"\nc.Exchange.root = {str(exchange)!r}\n',
                      encoding="utf-8")
    news = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text('{"fetchNews": "false", "checkForUpdates": false}\n', encoding="utf-8")


@pytest.fixture(scope="module")
def hub():
    """A running hub, the accounts and an instructor's course folder (not built, nothing released)."""
    base = Path(tempfile.mkdtemp(prefix="mlcourse-hub-"))
    base.chmod(0o755)  # the students' accounts must reach their homes and the exchange
    homes = {user: base / "home" / user for user in (TEACHER, *STUDENTS)}
    exchange = base / "exchange"
    exchange.mkdir(parents=True)
    exchange.chmod(0o1777)
    (base / "home").mkdir()
    hub_dir = base / "hub"
    hub_dir.mkdir()
    server = log = None
    try:
        env = {"PATH": f"{S.SCRIPTS}:/usr/bin:/bin", "PYTHONPATH": str(S.REPO), "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
        for user, home in homes.items():
            _remove_user(user)  # left by an interrupted run
            _ok(subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", user],
                               capture_output=True, text=True), f"useradd {user}")
            _account_files(home, exchange)
            _ok(subprocess.run(["chown", "-R", f"{user}:{user}", str(home / ".jupyter")], capture_output=True, text=True), "chown")
        # the instructor's course folder, owned by the instructor's account
        course = homes[TEACHER] / "mlcourse"
        shutil.copytree(S.copy_course(base / "copy" / "course"), course)
        S.pin_hidden_seeds(course, ASSIGNMENT)
        shutil.rmtree(base / "copy")
        _ok(subprocess.run(["chown", "-R", f"{TEACHER}:{TEACHER}", str(course)], capture_output=True, text=True), "chown")

        port, api_port = _free_port(), _free_port()
        (hub_dir / "jupyterhub_config.py").write_text("\n".join([
            "c = get_config()",
            f"c.JupyterHub.bind_url = 'http://127.0.0.1:{port}'",
            f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{api_port}'",
            "c.JupyterHub.authenticator_class = 'dummy'",
            f"c.DummyAuthenticator.password = {PASSWORD!r}",
            f"c.Authenticator.allowed_users = {set(homes)!r}",
            "c.JupyterHub.spawner_class = 'localprocess'",
            f"c.Spawner.cmd = [{str(S.SCRIPTS / 'jupyterhub-singleuser')!r}]",
            "c.Spawner.default_url = '/lab'",
            f"c.Spawner.environment = {env!r}",
            "c.Spawner.start_timeout = 180",
            "c.Spawner.http_timeout = 180",
            f"c.ConfigurableHTTPProxy.command = [{shutil.which('configurable-http-proxy')!r}]",
            f"c.JupyterHub.db_url = 'sqlite:///{hub_dir / 'jupyterhub.sqlite'}'",
            f"c.JupyterHub.cookie_secret_file = {str(hub_dir / 'cookie_secret')!r}",
            f"c.ConfigurableHTTPProxy.pid_file = {str(hub_dir / 'proxy.pid')!r}",
            "c.JupyterHub.cleanup_servers = True",
        ]) + "\n", encoding="utf-8")
        hub = Hub(f"http://127.0.0.1:{port}", base, homes, env, _opened(base))
        student = next(iter(STUDENTS))
        probe = hub.run(student, homes[student], "python", "-c", "import course; print(course.__file__)")
        _ok(probe, "this environment's Python, as a student's account")
        assert Path(probe.stdout.strip()).is_relative_to(S.REPO), f"the accounts import the course from {probe.stdout.strip()}, not from {S.REPO}"
        log = open(hub_dir / "hub.log", "w")
        hub_env = {**os.environ, "PATH": f"{S.SCRIPTS}:{os.environ.get('PATH', '')}"}
        server = subprocess.Popen([*hub.opened, S.SCRIPTS / "jupyterhub", "-f", hub_dir / "jupyterhub_config.py"], cwd=hub_dir,
                                  env=hub_env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        url = hub.url
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/hub/api", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("JupyterHub did not start:\n" + (hub_dir / "hub.log").read_text()[-3000:])
            time.sleep(0.5)
        yield hub
    finally:
        if server is not None:
            server.terminate()  # stops the proxy and the single-user servers it spawned (cleanup_servers)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if log is not None:
            log.close()
        for user in homes:
            _remove_user(user)
        shutil.rmtree(base, ignore_errors=True)


# --- what the students do, and what it is worth -----------------------------------------------------

@dataclass
class Plan:
    """The cells a student works in, in the instructor's release notebook, and their points."""

    notebook: str
    setup: int
    solution: int
    check: int
    quiz: int
    qid: str
    task: object
    task_points: float
    quiz_points: float
    max_score: float
    key: object

    def code(self, work: str) -> str:
        """What a student writes into the task's cell: the reference solution or the typical mistake."""
        if work == "right":
            source = S.by_grade_id(S.read(S.source_notebook(ASSIGNMENT)))[self.task.id].source
            return "\n".join(ln for ln in source.splitlines() if "### BEGIN SOLUTION" not in ln and "### END SOLUTION" not in ln)
        return S.load_wrong_answers()[self.task.id].strip("\n")

    def letters(self, work: str) -> str:
        from course.quiz import load_bank

        answer = self.key if work == "right" else S.wrong_quiz_answer(load_bank(ASSIGNMENT)[self.qid])
        return answer if isinstance(answer, str) else "".join(answer)

    def expected(self, work: str) -> tuple[float, float]:
        """The points of the task and of the quiz for ``work``: the task's if the solution is the
        reference, the quiz's if the letters are the answer key's."""
        quiz_right = sorted(self.letters(work)) == sorted(self.letters("right"))
        return (self.task_points if work == "right" else 0.0), (self.quiz_points if quiz_right else 0.0)


def _plan(course: Path) -> Plan:
    """The setup cell, the first task's solution and check cells, and a choice quiz of the task's section."""
    from autograder.build import quiz_test_id
    from course.notebook import SETUP_ID
    from course.quiz import load_bank

    nb = S.read(S.release_notebook(ASSIGNMENT, course))
    ids = [S.grade_id(c) for c in nb.cells]
    task = S.tasks_of(ASSIGNMENT)[0]
    bank = load_bank(ASSIGNMENT)
    choice = [(nb.cells.index(c), q) for c, q in S.quiz_cells(nb) if bank[q].kind in ("single", "multiple")]
    near = [(i, q) for i, q in choice if f"q:{task.question}" in nb.cells[i].metadata.get("tags", [])]
    quiz, qid = (near or choice)[0]
    points = {S.grade_id(c): float(c.metadata["nbgrader"]["points"]) for c in S.graded_cells(nb)}
    return Plan(S.release_notebook(ASSIGNMENT, course).name, ids.index(SETUP_ID), ids.index(task.id), ids.index(task.test_id),
                quiz, qid, task, points[task.test_id], points[quiz_test_id(qid)], sum(points.values()),
                S.quiz_key(ASSIGNMENT, course)[qid])


def _log_in(browser, url: str, student: str):
    """Submit the hub's login form as ``student`` (the hub then spawns their server); the page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{url}/hub/login")
    page.fill("input[name=username]", student)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    return page


def _assignments_tab(page):
    """Open nbgrader's Assignments tab from the Nbgrader menu (command nbgrader:open-assignment-list)
    with its lists up to date; the tab."""
    tab = page.locator("#nbgrader-assignment-list")
    was_open = tab.count() > 0
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    page.get_by_role("menuitem", name="Assignment List", exact=True).click()
    tab.wait_for(state="visible")
    if was_open:  # a new tab loads its lists itself
        tab.locator("#refresh_assignments_list").click()
    tab.locator("#course_list_dropdown:not([disabled])").wait_for()  # the lists are loaded
    return tab


def _row(tab, section: str):
    """The assignment's row in one list of the Assignments tab: released, fetched or submitted."""
    return tab.locator(f"#{section}_assignments_list > .list_item", has_text=ASSIGNMENT)


def _fetch_and_open(page, student: str, plan: Plan) -> None:
    """Fetch the assignment from the Assignments tab and open its notebook from there (its kernel starts)."""
    page.wait_for_url(re.compile(rf"/user/{student}/lab"), timeout=240_000)
    page.wait_for_selector("#jp-main-dock-panel")
    tab = _assignments_tab(page)
    _row(tab, "released").get_by_role("button", name="Fetch", exact=True).click()
    fetched = _row(tab, "fetched")
    fetched.locator(".assignment-notebooks-link").click()  # shows the assignment's notebooks
    fetched.get_by_role("link", name=Path(plan.notebook).stem, exact=True).click()


def _run(page, index: int) -> str:
    """Select cell ``index`` by its prompt, run it with Shift+Enter; the text of its output."""
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").first.click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(JS_CELL_DONE, arg=index, timeout=180_000)
    return cell.locator(".jp-OutputArea").inner_text()


def _work(page, plan: Plan, work: str) -> dict:
    """In the open notebook: run the setup cell, write the task's code, run it and its self-check,
    answer the quiz by clicking, save. Returns what the student saw and wrote."""
    page.wait_for_function(JS_KERNEL_IDLE, timeout=180_000)
    cells = page.locator(".jp-Notebook .jp-Cell")
    _run(page, plan.setup)
    code = plan.code(work)
    editor = cells.nth(plan.solution).locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)  # as if pasted: the editor does not indent or close brackets
    page.wait_for_function(JS_SOURCE_IS, arg=[plan.solution, code])
    _run(page, plan.solution)
    verdict = _run(page, plan.check)

    _run(page, plan.quiz)
    widget = cells.nth(plan.quiz).locator(".mlcourse-quiz")
    widget.wait_for(state="visible")
    check_button = widget.get_by_role("button", name=re.compile("Check answer"))
    check_button.wait_for()
    letters = plan.letters(work)
    for letter in letters:
        widget.locator("input[type=checkbox]").nth("ABCDEFGH".index(letter)).check()
    check_button.click()
    call = f'quiz("{plan.qid}", answer="{letters}")'
    page.wait_for_function(JS_SOURCE_IS, arg=[plan.quiz, call])
    page.keyboard.press("Control+s")
    page.wait_for_function(JS_SAVED)
    return {"verdict": verdict, "call": call, "code": code}


def _submit(page) -> None:
    """Submit from the Assignments tab; waits until it lists the submission."""
    tab = _assignments_tab(page)
    _row(tab, "fetched").get_by_role("button", name="Submit", exact=True).click()
    _row(tab, "submitted").wait_for()


def _fetch_feedback(page) -> None:
    """Fetch the released feedback from the Assignments tab; waits until it offers to show it."""
    tab = _assignments_tab(page)
    submitted = _row(tab, "submitted")
    submitted.get_by_text("(feedback available to fetch)").wait_for()
    submitted.get_by_role("button", name="Fetch Feedback", exact=True).click()
    _row(tab, "submitted").get_by_text("(view feedback)").wait_for()


def _saved_sources(path: Path, want: str, seconds: float = 30) -> list[str]:
    """The cell sources of the notebook at ``path`` once one of them is ``want`` (or after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            sources = [c.source.strip() for c in S.read(path).cells]
        except (OSError, ValueError):  # not written yet, or being written
            sources = []
        if want in sources or time.monotonic() > deadline:
            return sources
        time.sleep(0.3)


def _feedback_rows(page: str) -> dict:
    """``{item title: (result, points)}`` of a feedback page."""
    rows = re.findall(r"<tr><td>(.*?)</td><td class='\w+'>(.*?)</td><td>(.*?)</td>", page)
    return {html.unescape(title): (result, points) for title, result, points in rows}


def test_a_cohort_works_on_a_hub_through_the_assignments_tab(hub, report):
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    times = {}
    seen = {}
    pages = {}
    with ThreadPoolExecutor(1) as pool, sync_playwright() as pw:
        # The instructor builds and releases while the hub starts the students' servers, and enrols
        # the students (by their Unix names) while they work.
        def release():
            hub.instructor("mlcourse", "build", ASSIGNMENT, "--no-check")
            hub.instructor("nbgrader", "release_assignment", ASSIGNMENT)
            return _plan(hub.course)

        def enrol():
            roster = hub.base / "students.csv"
            roster.write_text("id,first_name\n" + "".join(f"{s},{_first_name(s)}\n" for s in STUDENTS), encoding="utf-8")
            hub.instructor("nbgrader", "db", "student", "import", roster)

        released = pool.submit(release)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = {student: _log_in(browser, hub.url, student) for student in STUDENTS}  # both servers start at once
            plan = released.result()
            enrolled = pool.submit(enrol)
            times["released"] = time.monotonic() - started
            for student, page in pages.items():  # both kernels start at once
                _fetch_and_open(page, student, plan)
            for student, page in pages.items():
                seen[student] = _work(page, plan, STUDENTS[student])
                saved = _saved_sources(hub.homes[student] / ASSIGNMENT / plan.notebook, seen[student]["call"])
                assert seen[student]["call"] in saved, f"{student}'s saved notebook should hold {seen[student]['call']}"
                _submit(page)
            times["submitted"] = time.monotonic() - started

            enrolled.result()
            hub.instructor("nbgrader", "collect", ASSIGNMENT)
            graded = hub.instructor("mlcourse", "grade", ASSIGNMENT)
            hub.instructor("mlcourse", "feedback", ASSIGNMENT)
            hub.instructor("nbgrader", "release_feedback", ASSIGNMENT)
            times["graded"] = time.monotonic() - started
            for page in pages.values():
                _fetch_feedback(page)
        except BaseException:
            folder = Path(tempfile.mkdtemp(prefix="mlcourse-hub-screens-"))
            for student, page in pages.items():
                page.screenshot(path=str(folder / f"{student}.png"))
            report(f"hub test failed; the students' screens are in {folder}")
            raise
        finally:
            browser.close()
    grades = hub.course / "grades.csv"
    hub.instructor("nbgrader", "export", "--to", grades)
    times["exported"] = time.monotonic() - started

    task = plan.task
    assert "enforced by" in graded, graded  # graded in the sandbox, as the instructor's account
    with open(grades, newline="", encoding="utf-8") as f:
        exported = {r["student_id"]: r for r in csv.DictReader(f) if r["assignment"] == ASSIGNMENT}
    assert set(exported) == set(STUDENTS), f"nbgrader export should list exactly the enrolled students: {sorted(exported)}"
    for student, work in STUDENTS.items():
        # the self-check in the browser
        verdict = seen[student]["verdict"]
        status = "passed" if work == "right" else "failed"
        assert f"{task.id}: {status}" in verdict and "Traceback" not in verdict, f"{student}'s check said: {verdict}"
        # the collected notebook holds the student's own work, not the other's
        collected = S.read(hub.course / "submitted" / student / ASSIGNMENT / plan.notebook)
        sources = [c.source.strip() for c in collected.cells]
        assert seen[student]["call"] in sources, f"{student}'s collected notebook should hold {seen[student]['call']}"
        assert sources[plan.solution] == seen[student]["code"].strip(), f"{student}'s collected notebook lacks their code"
        others = [s["call"] for name, s in seen.items() if name != student]
        assert not any(o in sources for o in others), f"{student}'s notebook holds another student's answer"
        # the feedback fetched into the student's home
        fetched = sorted((hub.homes[student] / ASSIGNMENT / "feedback").glob(f"*/{Path(plan.notebook).stem}.html"))
        assert len(fetched) == 1, f"{student} should have fetched one feedback page, found {fetched}"
        feedback = fetched[0].read_text(encoding="utf-8")
        task_points, quiz_points = plan.expected(work)
        expected = task_points + quiz_points
        assert f"Score: {expected:g} / {plan.max_score:g}" in feedback, f"{student}'s feedback: {re.findall(r'Score: [^<]*', feedback)}"
        rows = _feedback_rows(feedback)
        assert rows[task.title] == (status, f"{task_points:g} / {plan.task_points:g}"), f"{student}'s feedback on {task.id}: {rows[task.title]}"
        assert rows[f"Quiz {plan.qid}"] == (status, f"{quiz_points:g} / {plan.quiz_points:g}"), \
            f"{student}'s feedback on quiz {plan.qid}: {rows[f'Quiz {plan.qid}']}"
        assert "BEGIN HIDDEN TESTS" not in feedback
        # the exported score
        row = exported[student]
        assert (float(row["score"]), float(row["max_score"])) == (expected, plan.max_score), f"{student} exported {row}"
        assert row["first_name"] == _first_name(student), f"{student}'s grades should be filed under their enrolment: {row}"
    right, wrong = (next(s for s, w in STUDENTS.items() if w == kind) for kind in ("right", "wrong"))
    assert float(exported[right]["score"]) > float(exported[wrong]["score"])
    report(f"hub test: {len(STUDENTS)} students, {times['exported']:.0f} s (released {times['released']:.0f} s, "
           f"worked and submitted {times['submitted'] - times['released']:.0f} s, graded and feedback released "
           f"{times['graded'] - times['submitted']:.0f} s, fetched and exported {times['exported'] - times['graded']:.0f} s)")
