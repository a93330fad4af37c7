"""Students of a cohort on a real JupyterHub, driven through Debian's Chromium with Playwright.

JupyterHub (from PyPI) runs on 127.0.0.1 behind ``configurable-http-proxy`` (from npm, installed by
``.ci/run``), with the local-process spawner and the dummy authenticator. The instructor and two
students are real Unix accounts, created for the test and removed after it. The instructor releases
an assignment into a shared exchange (mode 1777, as docs/jupyterhub.md sets it up); each student
fetches it, logs in to the hub, answers a quiz by clicking in their own plain
``jupyterhub-singleuser`` server (no course option on its command line), saves and submits; the
instructor collects. Each collected notebook must hold that student's own recorded answer.
When this environment's interpreter sits where other accounts cannot reach it (pyenv under /root),
the accounts run Debian's Python of the same version on this environment's packages and Jupyter files.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

import _support as S
from test_browser import CHROMIUM, CHROMIUM_ARGS, JS_CELL_DONE, JS_KERNEL_IDLE, JS_SAVED, JS_SOURCE_IS, _free_port

ASSIGNMENT = "00_orientation"
TEACHER = "mlc-teacher"
STUDENTS = ("mlc-ada", "mlc-bo")
PASSWORD = "cohort-" + secrets.token_hex(4)


RUNUSER = shutil.which("runuser")
SITE_PACKAGES = next(Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_relative_to(sys.prefix))
# The hub's Unix accounts need an interpreter they may execute; this environment's may sit in a private
# home (pyenv under /root). Debian's Python of the same version, pointed at this environment's packages,
# serves as their environment (the course is installed there, page setting included).
SYSTEM_PYTHON = Path("/usr/bin/python3")


def _system_python_fits() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    out = subprocess.run([SYSTEM_PYTHON, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True)
    return out.stdout.strip() == str(tuple(sys.version_info[:2]))


def _others_can_run_this_python() -> bool:
    """Can another account execute this environment's interpreter and read its standard library?"""
    paths = [Path(sys.executable).resolve(), Path(sys.base_prefix).resolve()]
    return all(os.stat(p).st_mode & 0o005 == 0o005 for path in paths for p in [path, *path.parents])


def _proxy() -> str | None:
    return shutil.which("configurable-http-proxy")


def _why_not() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "the hub test creates Unix users and spawns their servers, so it must run as root (CI does)"
    if RUNUSER is None or shutil.which("useradd") is None:
        return "runuser and useradd (util-linux, passwd) are needed to act as the hub's Unix users"
    if CHROMIUM is None:
        return "Debian's chromium is not installed (apt-get install chromium); the hub test drives it"
    if shutil.which("jupyterhub") is None and not (S.SCRIPTS / "jupyterhub").exists():
        return "JupyterHub is not installed: pip install -e '.[test]'"
    if not _others_can_run_this_python() and not _system_python_fits():
        return f"the hub's Unix accounts cannot run this environment's Python ({sys.executable}) and /usr/bin/python3 is another version"
    if _proxy() is None:
        return "configurable-http-proxy is not installed: npm install -g configurable-http-proxy (.ci/run does)"
    return None


pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")]


def _users_env(base: Path) -> tuple[Path, dict]:
    """The Python the hub's accounts run, and the environment variables their processes get."""
    if _others_can_run_this_python():
        return Path(sys.executable), {"PATH": f"{S.SCRIPTS}:/usr/bin:/bin"}
    env_dir = base / "env"
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--without-pip", env_dir], check=True)
    site_dir = next((env_dir / "lib").glob("python3*/site-packages"))
    (site_dir / "_course_environment.pth").write_text(f"import site; site.addsitedir({str(SITE_PACKAGES)!r})\n")
    for script in S.SCRIPTS.iterdir():  # this environment's commands (alembic, jupyter-*, nbgrader...), on that Python
        target = env_dir / "bin" / script.name
        if target.exists() or not script.is_file():
            continue
        head, _, body = script.read_bytes().partition(b"\n")
        if head.startswith(b"#!") and b"python" in head:
            target.write_bytes(b"#!" + str(env_dir / "bin" / "python").encode() + b"\n" + body)
            target.chmod(0o755)
    prefix = Path(sys.prefix)
    return env_dir / "bin" / "python", {
        "PATH": f"{env_dir / 'bin'}:/usr/bin:/bin",
        # where this environment's Jupyter files are (the course's page setting among them)
        "JUPYTER_PATH": str(prefix / "share" / "jupyter"),
        "JUPYTER_CONFIG_PATH": str(prefix / "etc" / "jupyter"),
        "JUPYTERLAB_DIR": str(prefix / "share" / "jupyter" / "lab"),
    }


def _as(user: str, home: Path, python: Path, env: dict, *cmd, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m cmd...`` as the Unix account ``user`` in its home."""
    env = {"HOME": str(home), "USER": user, "LOGNAME": user, "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", **env}
    return subprocess.run([RUNUSER, "-u", user, "--", str(python), "-m", *map(str, cmd)], cwd=home, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _ok(proc: subprocess.CompletedProcess, what: str) -> None:
    assert proc.returncode == 0, f"{what} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"


def _remove_user(name: str) -> None:
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)  # this account's processes only
    subprocess.run(["userdel", "--force", name], capture_output=True)


@pytest.fixture(scope="module")
def hub():
    """A hub with the instructor's course released to the exchange; yields (url, base, homes)."""
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
        python, users_env = _users_env(base)
        for user, home in homes.items():
            _remove_user(user)  # left by an interrupted run
            _ok(subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", user],
                               capture_output=True, text=True), f"useradd {user}")
            config = home / ".jupyter" / "nbgrader_config.py"
            config.parent.mkdir()
            config.write_text(f'c = get_config()\nc.CourseDirectory.course_id = "mlcourse"\n'
                              f'c.Exchange.root = {str(exchange)!r}\n', encoding="utf-8")
            shutil.chown(config.parent, user, user)
            shutil.chown(config, user, user)

        # the instructor's course folder, owned by the instructor's account, released to the exchange
        course = homes[TEACHER] / "mlcourse"
        shutil.copytree(S.copy_course(base / "copy" / "course"), course)
        shutil.rmtree(base / "copy")
        _ok(subprocess.run(["chown", "-R", f"{TEACHER}:{TEACHER}", str(course)], capture_output=True, text=True), "chown")
        _ok(_as(TEACHER, course, python, users_env, "nbgrader", "release_assignment", ASSIGNMENT), "nbgrader release_assignment")

        port, api_port = _free_port(), _free_port()
        (hub_dir / "jupyterhub_config.py").write_text("\n".join([
            "c = get_config()",
            f"c.JupyterHub.bind_url = 'http://127.0.0.1:{port}'",
            f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{api_port}'",
            "c.JupyterHub.authenticator_class = 'dummy'",
            f"c.DummyAuthenticator.password = {PASSWORD!r}",
            f"c.Authenticator.allowed_users = {set(homes)!r}",
            "c.JupyterHub.spawner_class = 'localprocess'",
            f"c.Spawner.cmd = [{str(python)!r}, '-m', 'jupyterhub.singleuser']",
            "c.Spawner.default_url = '/lab'",
            f"c.Spawner.environment = {dict(users_env, PYTHONDONTWRITEBYTECODE='1')!r}",
            "c.Spawner.start_timeout = 180",
            "c.Spawner.http_timeout = 180",
            f"c.ConfigurableHTTPProxy.command = [{_proxy()!r}]",
            f"c.JupyterHub.db_url = 'sqlite:///{hub_dir / 'jupyterhub.sqlite'}'",
            f"c.JupyterHub.cookie_secret_file = {str(hub_dir / 'cookie_secret')!r}",
            f"c.ConfigurableHTTPProxy.pid_file = {str(hub_dir / 'proxy.pid')!r}",
            "c.JupyterHub.cleanup_servers = True",
        ]) + "\n", encoding="utf-8")
        log = open(hub_dir / "hub.log", "w")
        env = {**os.environ, "PATH": f"{S.SCRIPTS}:{os.environ.get('PATH', '')}"}
        server = subprocess.Popen([S.SCRIPTS / "jupyterhub", "-f", hub_dir / "jupyterhub_config.py"], cwd=hub_dir,
                                  env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
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
        yield url, base, homes, python, users_env
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


def _answer_first_quiz(page, url: str, student: str, option: int) -> str:
    """In the student's JupyterLab: open the fetched notebook, run it to its first quiz, answer with
    option ``option`` by clicking, save; returns the call written into the cell."""
    nb = S.read(S.release_notebook(ASSIGNMENT))
    quiz_index = next(i for i, c in enumerate(nb.cells) if any(c is qc for qc, _ in S.quiz_cells(nb)))
    qid = S.QUIZ_CALL.search(nb.cells[quiz_index].source).group(1)
    page.wait_for_url(re.compile(rf"/user/{student}/lab"), timeout=240_000)
    page.goto(f"{url}/user/{student}/lab/tree/{ASSIGNMENT}/{S.release_notebook(ASSIGNMENT).name}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_function(JS_KERNEL_IDLE, timeout=180_000)
    page.locator(".jp-Notebook .jp-Cell").nth(0).click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")
    for i in range(quiz_index + 1):
        page.keyboard.press("Shift+Enter")
        page.wait_for_function(JS_CELL_DONE, arg=i, timeout=180_000)
    quiz_cell = page.locator(".jp-Notebook .jp-Cell").nth(quiz_index)
    quiz_cell.scroll_into_view_if_needed()
    widget = quiz_cell.locator(".mlcourse-quiz")
    widget.wait_for(state="visible")
    check_button = widget.get_by_role("button", name=re.compile("Check answer"))
    check_button.wait_for()
    widget.locator("input[type=checkbox]").nth(option).check()
    check_button.click()
    call = f'quiz("{qid}", answer="{"ABCDEFGH"[option]}")'
    page.wait_for_function(JS_SOURCE_IS, arg=[quiz_index, call])
    page.keyboard.press("Control+s")
    page.wait_for_function(JS_SAVED)
    return call


def test_students_answer_quizzes_on_a_hub_and_the_instructor_collects_them(hub, report):
    from playwright.sync_api import sync_playwright

    url, base, homes, python, users_env = hub
    started = time.monotonic()
    nb_name = S.release_notebook(ASSIGNMENT).name
    written = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for student in STUDENTS:
                _ok(_as(student, homes[student], python, users_env, "nbgrader", "fetch_assignment", ASSIGNMENT), f"{student}: fetch_assignment")
            pages = {student: _log_in(browser, url, student) for student in STUDENTS}  # both servers start at once
            for option, student in enumerate(STUDENTS):
                written[student] = _answer_first_quiz(pages[student], url, student, option)
                saved = homes[student] / ASSIGNMENT / nb_name
                deadline = time.monotonic() + 30
                while written[student] not in saved.read_text(encoding="utf-8") and time.monotonic() < deadline:
                    time.sleep(0.5)
                _ok(_as(student, homes[student], python, users_env, "nbgrader", "submit", ASSIGNMENT), f"{student}: submit")
        finally:
            browser.close()

    course = homes[TEACHER] / "mlcourse"
    _ok(_as(TEACHER, course, python, users_env, "nbgrader", "collect", ASSIGNMENT), "nbgrader collect")
    for student, call in written.items():
        collected = S.read(course / "submitted" / student / ASSIGNMENT / nb_name)
        sources = [c.source.strip() for c in collected.cells]
        assert call in sources, f"{student}'s collected notebook should hold {call}"
        others = [c for s, c in written.items() if s != student]
        assert not any(o in sources for o in others), f"{student}'s notebook holds another student's answer"
    report(f"hub test: {len(STUDENTS)} students, {time.monotonic() - started:.0f} s from first login to collect")
