"""``mlcourse doctor`` on a cohort's set-up, and ``mlcourse grade`` on ids the gradebook does not know:
each problem is one sentence that says what to run, and a good set-up gets one line.

Every case is a temporary copy of the course with its own exchange folder (``c.Exchange.root``) laid
out with the modes nbgrader gives it, and a gradebook made with nbgrader's API.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

import _support as S

ASSIGNMENT = "00_orientation"
SUBMITTED_AT = "2026-01-05 10:00:00.000000 UTC"


@pytest.fixture(scope="module")
def course_with_gradebook(tmp_path_factory):
    """One copy of the course with ``ada`` enrolled, copied again for each case."""
    root = S.copy_course(tmp_path_factory.mktemp("doctor") / "course")
    enrol(root, "ada")
    return root


@pytest.fixture
def cohort(course_with_gradebook, tmp_path):
    """A course copy whose exchange is as nbgrader and the docs set it up, with ``ada`` enrolled and her
    submission collected: nothing is wrong."""
    root = tmp_path / "course"
    shutil.copytree(course_with_gradebook, root, symlinks=True)
    exchange = tmp_path / "exchange"
    for folder, mode in ((exchange, 0o1777), (exchange / "mlcourse", 0o755), (exchange / "mlcourse" / "outbound", 0o755),
                         (exchange / "mlcourse" / "inbound", 0o2733)):
        folder.mkdir()
        os.chmod(folder, mode)
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    (root / "submitted" / "ada" / ASSIGNMENT).mkdir(parents=True)
    return root, exchange


def enrol(root: Path, *students: str, submitted: str | None = None) -> None:
    """Add ``students`` to the gradebook (and a graded submission of ``submitted``), as nbgrader does."""
    import warnings

    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning, module=r"nbgrader\.")   # nbgrader's own autoflush notices
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "mlcourse") as gb:
        for student in students:
            gb.update_or_create_student(student)
        if submitted:
            gb.update_or_create_assignment(ASSIGNMENT)
            gb.update_or_create_student(submitted)
            gb.add_submission(ASSIGNMENT, submitted)


@pytest.fixture
def doctor(capsys, monkeypatch):
    """``doctor(root, *args) -> (exit status, printed lines)``: ``mlcourse doctor`` in this process."""
    from autograder.cli import main

    def run(root, *args):
        monkeypatch.chdir(root)
        monkeypatch.setenv("PATH", os.environ.get("PATH", ""))
        capsys.readouterr()
        code = main(["doctor", *map(str, args)])
        out, err = capsys.readouterr()
        assert not err and "Traceback" not in out, out + err
        lines = out.strip().splitlines()
        for line in lines:
            assert line.endswith(".") and not re.search(r"[.!?]\s+[A-Z]", line), f"not one sentence: {line}"
        assert code == (1 if lines and not lines[0].startswith("mlcourse doctor: no problems") else 0), (code, lines)
        return code, lines

    return run


def test_a_good_setup_gets_one_line(cohort, doctor):
    root, exchange = cohort
    code, lines = doctor(root)
    assert code == 0 and len(lines) == 1, lines
    assert lines[0].startswith("mlcourse doctor: no problems found") and str(exchange) in lines[0], lines


def test_an_exchange_only_its_owner_may_write_to_gets_the_chmod(cohort, doctor):
    root, exchange = cohort
    os.chmod(exchange, 0o755)
    code, lines = doctor(root)
    assert lines == [f"The exchange folder {exchange} has mode 0755, but every student must be able to write into it and "
                     f"nobody may delete another's files (mode 1777): run `sudo chmod 1777 {exchange}`."], lines


def test_an_exchange_without_the_sticky_bit_gets_the_chmod(cohort, doctor):
    root, exchange = cohort
    os.chmod(exchange, 0o777)
    code, lines = doctor(root)
    assert len(lines) == 1 and "mode 0777" in lines[0] and f"`sudo chmod 1777 {exchange}`" in lines[0], lines


def test_a_missing_exchange_gets_the_commands_that_make_it(cohort, doctor):
    root, exchange = cohort
    for folder in ("inbound", "outbound", ""):
        (exchange / "mlcourse" / folder).rmdir()
    exchange.rmdir()
    code, lines = doctor(root)
    assert lines == [f"The exchange folder {exchange} does not exist: create it with `sudo mkdir -p {exchange} && "
                     f"sudo chmod 1777 {exchange}`, or set c.Exchange.root in nbgrader_config.py to the folder every "
                     "server shares."], lines


def test_an_inbound_folder_students_cannot_write_to_gets_nbgraders_mode(cohort, doctor):
    root, exchange = cohort
    inbound = exchange / "mlcourse" / "inbound"
    os.chmod(inbound, 0o755)
    code, lines = doctor(root)
    assert lines == [f"{inbound} has mode 0755, so students cannot submit (they must be able to write into it): "
                     f"run `sudo chmod 2733 {inbound}`."], lines


def test_a_python_without_the_course_package_gets_what_to_install_where(cohort, doctor, tmp_path):
    root, _ = cohort
    python = S.python_without_course(tmp_path / "no-course")
    code, lines = doctor(root, "--python", python)
    assert lines == [f"The course package is not installed for {python}, so students' notebooks stop at their first cell: "
                     f"install it there with `sudo {python} -m pip install {root}` (on Z2JH, in the single-user image), "
                     "then have each student restart their server from File > Hub Control Panel."], lines


def test_a_python_that_does_not_run_is_named(cohort, doctor, tmp_path):
    root, _ = cohort
    code, lines = doctor(root, "--python", tmp_path / "no-such-python")
    assert len(lines) == 1 and lines[0].startswith(f"{tmp_path / 'no-such-python'} cannot be run"), lines


def test_a_submission_from_an_unknown_id_names_the_enrolment_command(cohort, doctor):
    root, exchange = cohort
    (root / "submitted" / "bo" / ASSIGNMENT).mkdir(parents=True)
    (exchange / "mlcourse" / "inbound" / f"cy+{ASSIGNMENT}+{SUBMITTED_AT}+Xy3").mkdir()
    code, lines = doctor(root)
    assert lines == [
        "submitted/bo/ is from bo, who is not a student in the gradebook: enrol them with `nbgrader db student add bo` "
        "(the id nbgrader records is the Unix name on the hub).",
        f"A submission in {exchange / 'mlcourse' / 'inbound'} is from cy, who is not a student in the gradebook: enrol "
        "them with `nbgrader db student add cy` (the id nbgrader records is the Unix name on the hub)."], lines


def test_a_hub_users_unix_name_beside_the_enrolled_id_says_which_to_keep(cohort, doctor):
    root, _ = cohort
    enrol(root, "bo")
    (root / "submitted" / "jupyter-bo" / ASSIGNMENT).mkdir(parents=True)
    code, lines = doctor(root)
    assert lines == ["submitted/jupyter-bo/ is from jupyter-bo, who is not a student in the gradebook while bo is: nbgrader "
                     "records hub user bo by the Unix name jupyter-bo, so enrol that name (`nbgrader db student add "
                     "jupyter-bo`) and remove the unused id (`nbgrader db student remove bo`)."], lines


def test_after_grading_the_unused_enrolled_id_is_named(cohort, doctor):
    root, _ = cohort
    enrol(root, "bo", submitted="jupyter-bo")     # what grading jupyter-bo's submission leaves
    (root / "submitted" / "jupyter-bo" / ASSIGNMENT).mkdir(parents=True)
    code, lines = doctor(root)
    assert lines == ["The gradebook has bo with no submissions and jupyter-bo with some: nbgrader records hub user bo by "
                     "the Unix name jupyter-bo, so keep that id and remove the unused one with `nbgrader db student remove bo`."]


def test_hub_users_missing_from_the_gradebook_are_named_with_their_nbgrader_id(cohort, doctor):
    root, _ = cohort
    enrol(root, "jupyter-ada", "bo")
    code, lines = doctor(root, "--hub-users", "ada, bo,cy", "--id-template", "jupyter-{username}")
    assert lines == [
        "Hub user bo is enrolled as bo, but nbgrader records them as jupyter-bo: enrol that id (`nbgrader db student add "
        "jupyter-bo`) and remove the unused one (`nbgrader db student remove bo`).",
        "Hub user cy is not in the gradebook as jupyter-cy, the id nbgrader records for them: enrol it with "
        "`nbgrader db student add jupyter-cy`."], lines


def test_a_course_without_a_gradebook_is_told_to_build(cohort, doctor):
    root, _ = cohort
    (root / "gradebook.db").unlink()
    code, lines = doctor(root)
    assert len(lines) == 1 and lines[0].startswith("There is no gradebook (gradebook.db)") and "mlcourse build" in lines[0]
    assert not (root / "gradebook.db").exists(), "the check must not create a gradebook"


def test_grading_an_id_the_gradebook_does_not_know_says_so_after_the_scores(cohort, doctor):
    """The submission is graded (nbgrader's gradebook adds the id, as ``nbgrader autograde`` does), and
    the summary says which enrolled id it probably belongs to; the doctor then names the unused one."""
    root, _ = cohort
    enrol(root, "bo")
    built = S.mlcourse(root, "build", ASSIGNMENT, "--no-check", timeout=300)
    assert built.returncode == 0, S.explain(built)
    shutil.rmtree(root / "submitted" / "ada")
    shutil.copytree(root / "release" / ASSIGNMENT, root / "submitted" / "jupyter-bo" / ASSIGNMENT)
    shutil.copytree(root / "release" / ASSIGNMENT, root / "submitted" / "cy" / ASSIGNMENT)
    done = S.mlcourse(root, "grade", ASSIGNMENT, timeout=600)
    assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr, S.explain(done)
    notes = done.stdout.strip().splitlines()[-2:]
    assert notes == [
        "submitted/jupyter-bo was not a student in the gradebook and was added to it: if it is hub user bo's Unix account, "
        "remove the unused id with `nbgrader db student remove bo`.",
        "1 submitted id was not a student in the gradebook and was added to it (cy): if it is a student you enrolled "
        "under another id, remove that id with `nbgrader db student remove ID` (nbgrader records hub users by their Unix names)."
    ], done.stdout
    code, lines = doctor(root)
    assert len(lines) == 1 and lines[0].startswith("The gradebook has bo with no submissions and jupyter-bo"), lines
