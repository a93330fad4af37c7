"""Grading through real ``nbgrader autograde``: the reference earns every point, a blank notebook none,
and a typical wrong answer loses exactly the points of what it gets wrong.

Also: what a learner downloads holds no hidden test, no solution and no quiz key.
"""
from __future__ import annotations

import pytest

import _support as S

GRADED = S.graded_assignments()
ALL = S.assignments()


def _failing(cells: dict) -> list[str]:
    return [f"{name}: {score}/{top}" for name, (score, top) in sorted(cells.items()) if score != top]


def _declared_points(assignment: str) -> float:
    from course.quiz import load_bank

    bank = load_bank(assignment)
    qids = [qid for _, qid in S.quiz_cells(S.read(S.source_notebook(assignment)))]
    return sum(t.points for t in S.tasks_of(assignment)) + sum(bank[q].points for q in qids)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", GRADED)
def test_reference_solution_gets_full_marks(grading, assignment):
    score, max_score = grading.total(assignment, "reference")
    assert max_score == _declared_points(assignment), "the gradebook's maximum differs from the declared task and quiz points"
    assert max_score > 0
    assert score == max_score, f"the reference loses points in {_failing(grading.cell_scores(assignment, 'reference'))}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", GRADED)
def test_untouched_release_notebook_gets_zero(grading, assignment):
    score, max_score = grading.total(assignment, "blank")
    assert max_score > 0
    earned = {name: s for name, (s, _) in grading.cell_scores(assignment, "blank").items() if s}
    assert score == 0 and not earned, f"a blank notebook earns points in {earned}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", GRADED)
def test_typical_wrong_answers_lose_their_points(grading, assignment):
    cells = grading.cell_scores(assignment, "wrong")
    earned = {}
    for task in S.tasks_of(assignment):
        score, top = cells[task.test_id]
        assert top == task.points
        if score:
            earned[task.test_id] = score
    assert not earned, f"typical wrong answers still earn points in {earned}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", GRADED)
def test_wrong_quiz_answers_lose_their_points(grading, assignment):
    from autograder.build import quiz_test_id

    cells = grading.cell_scores(assignment, "wrong")
    qids = [qid for _, qid in S.quiz_cells(S.read(S.source_notebook(assignment)))]
    earned = {quiz_test_id(q): cells[quiz_test_id(q)][0] for q in qids if cells[quiz_test_id(q)][0]}
    assert not earned, f"quizzes answered wrongly still earn points in {earned}"
    # ...while the same quizzes answered with the key earn theirs (no quiz is unwinnable)
    ref = grading.cell_scores(assignment, "reference")
    assert all(ref[quiz_test_id(q)][0] == ref[quiz_test_id(q)][1] > 0 for q in qids)


@pytest.mark.parametrize("assignment", GRADED)
def test_every_task_has_a_typical_wrong_answer(assignment):
    wrong = S.load_wrong_answers()
    missing = [t.id for t in S.tasks_of(assignment) if t.id not in wrong]
    assert not missing, f"add WRONG entries for {', '.join(missing)} in tests/wrong_answers/ (see CONTRIBUTING.md)"


def test_wrong_answers_name_declared_tasks():
    from course.tasks import ASSIGNMENT_MODULES

    declared = {t.id for a in ASSIGNMENT_MODULES for t in S.tasks_of(a)}  # also assignments still being written
    unknown = sorted(set(S.load_wrong_answers()) - declared)
    assert not unknown, f"tests/wrong_answers/ names tasks that no assignment declares: {unknown}"


# --- what learners download ---------------------------------------------------------------------------

@pytest.mark.parametrize("assignment", ALL)
def test_release_notebook_has_no_hidden_tests_solutions_or_keys(assignment):
    source = S.read(S.source_notebook(assignment))
    release = S.read(S.release_notebook(assignment))
    released = S.by_grade_id(release)
    text = S.release_notebook(assignment).read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    for cell in source.cells:
        gid = S.grade_id(cell)
        outside = set(S.visible_lines(cell.source))  # given code may repeat a line of the hidden part
        if S.is_graded(cell):
            leaked = [ln for ln in S.hidden_lines(cell.source) if ln not in outside and ln in released[gid].source]
            assert not leaked, f"hidden test lines of {gid} are in the release notebook: {leaked}"
        leaked = [ln for ln in S.solution_lines(cell.source) if ln not in outside and ln in released.get(gid, {}).get("source", "")]
        assert not leaked, f"solution lines of {gid} are in the release notebook: {leaked}"
    for task in S.tasks_of(assignment):
        assert "NotImplementedError" in released[task.id].source, f"{task.id}: the release cell is not the stub"
    for cell, qid in S.quiz_cells(release):
        assert cell.source.strip() == f'quiz("{qid}")', f"quiz {qid} is released with an answer: {cell.source!r}"
    assert [q for _, q in S.quiz_cells(release)] == [q for _, q in S.quiz_cells(source)]


@pytest.mark.parametrize("assignment", ALL)
def test_quiz_key_is_not_released(assignment):
    folder = S.REPO / "release" / assignment
    assert folder.is_dir()
    assert (folder / S.source_notebook(assignment).name).is_file()
    assert not list(folder.rglob("*.yaml")) and not list(folder.rglob("*.yml"))


@pytest.mark.slow
def test_nbgrader_copies_no_quiz_key_to_release(grading):
    # generate_assignment ran in the grading copy; nothing from source/ but the notebook may land in release/
    for assignment in S.graded_assignments(grading.root):
        assert not (grading.root / "release" / assignment / "quizzes.yaml").exists()
        assert not list((grading.root / "release" / assignment).rglob("*.yaml"))


# --- the same submissions through mlcourse grade ------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("assignment", GRADED)
def test_sandboxed_grader_gives_the_reference_full_marks_and_blank_zero(sandboxed_grading, assignment):
    score, max_score = sandboxed_grading.total(assignment, "reference")
    assert max_score == _declared_points(assignment)
    assert score == max_score, f"the reference loses points in {_failing(sandboxed_grading.cell_scores(assignment, 'reference'))}"
    assert sandboxed_grading.total(assignment, "blank")[0] == 0
    messages = sandboxed_grading.messages[assignment, "blank"]
    untouched = {t.id: messages[t.test_id] for t in S.tasks_of(assignment) if "NotImplementedError" not in messages[t.test_id]}
    assert not untouched, f"untouched stubs should read as not attempted: {untouched}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", GRADED)
def test_sandboxed_grader_fails_every_typical_wrong_answer_with_a_message(sandboxed_grading, assignment):
    cells = sandboxed_grading.cell_scores(assignment, "wrong")
    messages = sandboxed_grading.messages[assignment, "wrong"]
    earned = {t.test_id: cells[t.test_id][0] for t in S.tasks_of(assignment) if cells[t.test_id][0]}
    assert not earned, f"typical wrong answers still earn points in {earned}"
    for task in S.tasks_of(assignment):
        message = messages[task.test_id]
        assert message and "\n" not in message and "Traceback" not in message, (task.id, message)
        assert "got dict" not in message and "got a dict" not in message, (task.id, message)
