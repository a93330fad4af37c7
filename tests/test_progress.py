"""Learner progress computed from notebooks in known states; the progress file lives outside the repo."""
from __future__ import annotations

import json
import shutil

import nbformat
import pytest

import _support as S
from course import progress
from course.quiz import load_bank
from course.quiz._key import LETTERS


def _right_and_wrong(question):
    right = wrong = None
    for n in range(1, 2 ** len(question.options)):
        letters = "".join(LETTERS[i] for i in range(len(question.options)) if n >> i & 1)
        if question.kind == "single" and len(letters) != 1:
            continue
        if question.is_correct(letters):
            right = right or letters
        else:
            wrong = wrong or letters
    return right, wrong


@pytest.fixture()
def learner_folder(tmp_path):
    """A learner's copy of the release folder: in a graded assignment, two quizzes answered (one right,
    one wrong) and the test cells of two tasks with saved outputs (one passed, one failed)."""
    release = tmp_path / "release"
    shutil.copytree(S.REPO / "release", release)
    assignment = S.graded_assignments()[0]
    (path,) = sorted((release / assignment).glob("*.ipynb"))
    nb = S.read(path)
    bank = load_bank(assignment)
    choice_quizzes = [(cell, qid) for cell, qid in S.quiz_cells(nb) if bank[qid].kind != "numeric"][:2]
    expected = {}
    for (cell, qid), want_right in zip(choice_quizzes, (True, False)):
        right, wrong = _right_and_wrong(bank[qid])
        answer = right if want_right else wrong
        cell.source = f'quiz("{qid}", answer="{answer}")'
        expected[qid] = "correct" if want_right else "incorrect"
    tasks = S.tasks_of(assignment)[:2]
    cells = S.by_grade_id(nb)
    cells[tasks[0].test_id].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": f"{tasks[0].id}: passed"}, execution_count=1)]
    cells[tasks[1].test_id].outputs = [nbformat.v4.new_output("error", ename="TaskNotPassed", evalue=f"{tasks[1].id}: failed: wrong shape", traceback=[])]
    expected[tasks[0].id] = "passed"
    expected[tasks[1].id] = "failed"
    S.write(nb, path)
    return release, assignment, expected


def test_states_are_read_from_saved_notebooks(learner_folder):
    release, assignment, expected = learner_folder
    notebooks = {nb.assignment: nb for nb in progress.collect(release)}
    states = {item.id: item.state for item in notebooks[assignment].items}
    for item_id, state in expected.items():
        assert states[item_id] == state, item_id
    others = [s for i, s in states.items() if i not in expected]
    assert set(others) <= {"unanswered", "not attempted"}


def test_summary_counts_and_suggests_the_weakest_topic(learner_folder):
    release, assignment, expected = learner_folder
    scores = progress.summarise(progress.collect(release))
    mine = [s for s in scores if s.assignment == assignment]
    assert sum(s.correct + s.passed for s in mine) == sum(v in ("correct", "passed") for v in expected.values())
    assert sum(s.answered for s in mine) == sum(v in ("correct", "incorrect") for v in expected.values())
    weakest = progress.suggest(scores)
    assert weakest is not None and weakest.score == min(s.score for s in scores)
    text = progress.render(scores)
    assert f"Next: {weakest.question}" in text


def test_progress_file_is_outside_the_repo_and_survives(learner_folder, tmp_path, monkeypatch):
    release, assignment, expected = learner_folder
    monkeypatch.setenv("MLCOURSE_HOME", str(tmp_path / "home"))
    path = progress.save(progress.collect(release))
    assert path == tmp_path / "home" / "progress.json"
    assert S.REPO not in path.parents
    again = {nb.assignment: nb for nb in progress.from_file()}
    assert {i.id: i.state for i in again[assignment].items}.items() >= expected.items()
    data = json.loads(path.read_text())
    assert assignment in data["notebooks"]


def test_cli_progress_reports_and_saves(learner_folder, tmp_path, run_mlcourse):
    release, assignment, expected = learner_folder
    env_home = tmp_path / "cli-home"
    result = S.run([str(S.SCRIPTS / "mlcourse"), "progress", str(release)], root=S.REPO, cwd=tmp_path,
                   env={**S.course_env(S.REPO), "MLCOURSE_HOME": str(env_home)})
    assert result.returncode == 0, result.stderr
    assert assignment in result.stdout and "Next:" in result.stdout
    assert (env_home / "progress.json").is_file()
