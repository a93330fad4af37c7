"""Variants: per-learner drills and per-student cohort variants differ across people, are stable for one,
a correct function passes every variant, and answers copied from someone else's variant fail."""
from __future__ import annotations

import json

import pytest

import _support as S
from autograder.build import write_variant_file
from autograder.coursedir import CourseDir
from autograder.errors import CourseError
from course import checks
from course.checks import PASSED, check, run_checks
from course.drills import DrillError, choose, drillable_tasks, learner_seed, make_drill, write_drill
from course.tasks import find_task
from course.variants import VARIANT_FILE, current_seed, student_id, variant_seed

LEARNERS = ["ada", "grace", "alan", "barbara"]
DRILLABLE = [(t.assignment, t) for t in drillable_tasks()]
DRILL_IDS = [t.id for _, t in DRILLABLE]


@pytest.fixture(autouse=True)
def _work_in_a_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever a learner's function writes lands there, not in the repository
    monkeypatch.delenv("MLCOURSE_STUDENT", raising=False)


# --- seeds ----------------------------------------------------------------------------------------------------

def test_seeds_are_stable_and_differ_across_people():
    students = [f"student{i:03d}" for i in range(300)]
    seeds = [variant_seed(s, "01_foundations") for s in students]
    assert seeds == [variant_seed(s, "01_foundations") for s in students]
    assert len(set(seeds)) >= 299 and 0 not in seeds
    assert variant_seed("ada", "01_foundations") != variant_seed("ada", "02_production")
    assert variant_seed("ada", "01_foundations") != variant_seed("ada", "01_foundations", course_id="other-course")
    drill_seeds = {learner_seed(name, "F6") for name in LEARNERS}
    assert len(drill_seeds) == len(LEARNERS) and learner_seed("Ada ", "F6") == learner_seed("ada", "F6")


def test_a_drill_is_the_same_for_one_learner_and_differs_across_learners(tmp_path):
    first, again = make_drill("ada", "F", S.REPO / "release"), make_drill("ada", "F", S.REPO / "release")
    assert first == again
    other = make_drill("grace", "F", S.REPO / "release")
    assert other["metadata"]["mlcourse"]["drill"]["seed"] != first["metadata"]["mlcourse"]["drill"]["seed"]
    seed, tasks = choose("ada", "F6")
    assert [t.id for t in tasks] == ["kfold_cv"] and seed == learner_seed("ada", "F6")


def test_drill_errors_say_what_to_do(tmp_path):
    with pytest.raises(DrillError, match=r"No drill for topic 'Q99': choose one of .*F6"):
        choose("ada", "Q99")
    path = write_drill(make_drill("ada", "F6", S.REPO / "release"), tmp_path / "ada.ipynb")
    path.write_text(path.read_text().replace("# YOUR CODE HERE", "# my work"))
    with pytest.raises(DrillError, match="already exists and may hold your work"):
        write_drill(make_drill("ada", "F6", S.REPO / "release"), path)
    assert "# my work" in path.read_text()


# --- where a notebook finds its variant --------------------------------------------------------------------

def _turn_on(folder, assignment="01_foundations", course_id="mlcourse"):
    (folder / VARIANT_FILE).write_text(json.dumps({"assignment": assignment, "course_id": course_id}))


def test_no_variant_file_means_the_notebooks_example(tmp_path):
    assert current_seed(tmp_path) == 0
    (tmp_path / VARIANT_FILE).write_text("{not json")
    assert current_seed(tmp_path) == 0


def test_the_student_id_comes_from_nbgrader_rules(tmp_path, monkeypatch):
    _turn_on(tmp_path)
    monkeypatch.setenv("MLCOURSE_STUDENT", "ada")
    assert current_seed(tmp_path) == variant_seed("ada", "01_foundations")
    monkeypatch.delenv("MLCOURSE_STUDENT")
    graded = tmp_path / "autograded" / "grace" / "01_foundations"
    graded.mkdir(parents=True)
    _turn_on(graded)
    assert student_id(graded) == "grace" and current_seed(graded) == variant_seed("grace", "01_foundations")
    monkeypatch.setattr("getpass.getuser", lambda: "jovyan")
    monkeypatch.setenv("JUPYTERHUB_USER", "alan")
    assert student_id(tmp_path) == "alan"


def _reference(assignment, task, task_namespace):
    cell = S.cell_of(S.source_notebook(assignment), task.id)
    return S.function_from(cell.source, task.function, task_namespace(assignment, task.id))


def _copy_of(fn, task, seed, probe=None):
    """A function that returns, call after call, what ``fn`` returned on variant ``seed``: an answer copied
    (hard-coded) from the learner who has that variant. ``probe`` replays the grader's calls instead of the
    visible checks'."""
    returned = []

    def recorder(*args, **kwargs):
        returned.append(fn(*args, **kwargs))
        return returned[-1]

    recorder.__name__ = task.function
    if probe is None:
        assert run_checks(task, recorder, seed).status == PASSED
    else:
        probe(task, recorder, [seed])
    pending = []

    def copied(*args, **kwargs):
        if not pending:
            pending.extend(returned)
        return pending.pop(0)

    copied.__name__ = task.function
    return copied


def test_check_uses_the_students_own_variant(tmp_path, monkeypatch, task_namespace):
    task = next(t for _, t in DRILLABLE if t.id == "kfold_cv")
    fn = _reference(task.assignment, task, task_namespace)
    copied_from_example = _copy_of(fn, task, 0)
    assert check(task.id, copied_from_example).status == PASSED          # no variants: everyone has seed 0
    _turn_on(tmp_path)
    monkeypatch.setenv("MLCOURSE_STUDENT", "ada")
    verdict = check(task.id, copied_from_example)
    assert verdict.status == "failed" and verdict.variant == variant_seed("ada", "01_foundations")
    assert check(task.id, fn).status == PASSED
    assert "your own variant" in check(task.id, fn)._repr_html_()
    assert check(task.id, fn, seed=0).variant == 0                     # an explicit seed (a drill's) wins


HIDDEN = [1234567, 7654321]


@pytest.mark.parametrize("assignment, task", DRILLABLE, ids=DRILL_IDS)
def test_a_correct_answer_passes_every_learners_variant(assignment, task, task_namespace, probe):
    from autograder.grading.plaindata import task_report
    from autograder.grading.verdict import PASSED as GRADED, judge_task

    fn = _reference(assignment, task, task_namespace)
    seeds = [learner_seed(name, task.question) for name in LEARNERS[:2]] + [variant_seed("ada", assignment)]
    for seed in seeds:
        verdict = run_checks(task, fn, seed)
        assert verdict.status == PASSED, f"variant {seed}: {verdict}"
    # As the grader sees it: another run of the same function matches the reference on each variant.
    expected = task_report(probe(task, fn, seeds + HIDDEN), task.id, len(seeds) + 2)["seeds"]
    again = probe(task, _reference(assignment, task, task_namespace), seeds + HIDDEN)
    assert judge_task(task, again, expected, len(seeds) + 1, seeds[0], seeds=seeds + HIDDEN).status == GRADED


@pytest.mark.parametrize("assignment, task", DRILLABLE, ids=DRILL_IDS)
def test_an_answer_copied_from_another_learners_variant_fails(assignment, task, task_namespace, probe):
    """Grace hard-codes what ada's correct function returned on ada's variant; graded on grace's own
    variant (and hidden ones) against the reference, as ``mlcourse grade`` and ``drill --grade`` do, it fails."""
    from autograder.grading.compare import unsupported
    from autograder.grading.plaindata import task_report
    from autograder.grading.verdict import FAILED as GRADED_FAILED, judge_task

    fn = _reference(assignment, task, task_namespace)
    ada, grace = (learner_seed(name, task.question) for name in ("ada", "grace"))
    seeds = [grace, *HIDDEN]
    expected = task_report(probe(task, fn, seeds), task.id, len(seeds))["seeds"]
    odd = [unsupported(c["value"]) for calls in expected for c in calls if unsupported(c.get("value"))]
    assert not odd, f"{task.id} returns a {odd[0]}: the grader cannot compare it until the task declares Task.call"
    copied = _copy_of(fn, task, ada, probe)
    verdict = judge_task(task, probe(task, copied, seeds), expected, len(HIDDEN), grace, seeds=seeds)
    assert verdict.status == GRADED_FAILED, f"{task.id}: ada's hard-coded answers pass grace's variant"
    assert str(grace) not in verdict.message and all(str(s) not in verdict.message for s in HIDDEN)


# --- the instructor's switch --------------------------------------------------------------------------------

def test_build_puts_the_variant_file_in_release_only_when_turned_on(scratch_copy):
    course = CourseDir(scratch_copy)
    target = scratch_copy / "release" / "01_foundations" / VARIANT_FILE
    write_variant_file(course, "01_foundations")
    assert not target.exists()
    with open(scratch_copy / "nbgrader_config.py", "a") as config:
        config.write('\nc.MLCourse.variants = ["01_foundations"]\n')
    write_variant_file(course, "01_foundations")
    assert json.loads(target.read_text()) == {"assignment": "01_foundations", "course_id": "mlcourse"}
    assert course.variant_seeds("01_foundations")("ada") == variant_seed("ada", "01_foundations")
    assert course.variant_seeds("02_production") is None
    with open(scratch_copy / "nbgrader_config.py", "a") as config:
        config.write('\nc.MLCourse.variants = "yes"\n')
    with pytest.raises(CourseError, match=r"set it to True or to a list of assignment names"):
        course.variant_seeds("01_foundations")
    with open(scratch_copy / "nbgrader_config.py", "a") as config:
        config.write('\nc.MLCourse.variants = False\n')
    write_variant_file(course, "01_foundations")
    assert not target.exists()


def test_the_progress_cell_says_the_notebook_has_the_students_own_variant(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, *a, **k: shown.append(obj.data))
    from course.progress import show_progress

    folder = tmp_path / "01_foundations"
    folder.mkdir()
    monkeypatch.chdir(folder)
    show_progress()
    assert not any("your own variant" in text for text in shown)
    _turn_on(folder)
    monkeypatch.setenv("MLCOURSE_STUDENT", "ada")
    show_progress()
    assert any("your own variant" in text and "ada" in text and str(variant_seed("ada", "01_foundations")) in text for text in shown)


@pytest.mark.parametrize("assignment, task", DRILLABLE, ids=DRILL_IDS)
def test_a_drill_gives_the_reference_solution_everything_it_needs(assignment, task):
    """The drill's first code cell imports what the assignment's notebook has at hand for the task, and the
    drill holds the tasks it needs, so the reference solutions pasted into the drill pass the learner's variant."""
    import matplotlib

    matplotlib.use("Agg")
    nb = make_drill("ada", task.question, S.REPO / "release")
    assert task.id in nb["metadata"]["mlcourse"]["drill"]["tasks"]
    namespace: dict = {}
    exec(compile(nb["cells"][1]["source"], "<drill setup>", "exec"), namespace)  # noqa: S102 - our own drill
    for other in nb["metadata"]["mlcourse"]["drill"]["tasks"]:   # the tasks it needs come first
        other = find_task(other)
        namespace[other.function] = S.function_from(S.cell_of(S.source_notebook(other.assignment), other.id).source,
                                                    other.function, namespace)
    verdict = run_checks(task, namespace[task.function], nb["metadata"]["mlcourse"]["drill"]["seed"])
    assert verdict.status == PASSED, str(verdict)
