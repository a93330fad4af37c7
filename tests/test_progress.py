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


def test_summary_counts_in_words_and_suggests_the_section_after_the_furthest(learner_folder):
    release, assignment, expected = learner_folder
    scores = progress.summarise(progress.collect(release))
    mine = [s for s in scores if s.assignment == assignment]
    done = sum(v in ("correct", "passed") for v in expected.values())
    assert sum(s.correct + s.passed for s in mine) == done
    assert sum(s.answered for s in mine) == sum(v in ("correct", "incorrect") for v in expected.values())
    count = next(c for c in progress.by_assignment(scores) if c.assignment == assignment)
    total = sum(s.quizzes + s.tasks for s in mine)
    assert count.words() == f"{done} of {total} graded items done: 1 task, 1 quiz"
    task_questions = {t.id: t.question for t in S.tasks_of(assignment)}
    furthest = max((s for s in mine if s.started), key=mine.index)
    assert furthest.question == task_questions[S.tasks_of(assignment)[1].id]
    nxt, why = progress.suggestion(scores)
    assert nxt.assignment == assignment and mine.index(nxt) == mine.index(furthest) + 1
    assert f"after {furthest.question}" in why
    assert progress.next_line(scores).startswith(f"Next: {nxt.question} · ")


def test_an_ungraded_notebook_is_never_suggested():
    orientation = progress.NotebookProgress("00_orientation", "x", [progress.Item("quiz", "Q1a", "Q1", "unanswered")], graded=False)
    graded = progress.NotebookProgress("01_foundations", "y", [progress.Item("quiz", "F1a", "F1", "correct"),
                                                               progress.Item("quiz", "F2a", "F2", "unanswered")])
    scores = progress.summarise([orientation, graded])
    assert progress.suggest(scores).question == "F2"
    assert progress.by_assignment(scores)[0].words() == "ungraded: 0 of 1 quiz answered"
    graded.items[1].state = "correct"
    assert progress.suggest(progress.summarise([orientation, graded])) is None, "the orientation is not homework"


def test_a_learner_who_skipped_ahead_is_sent_on_then_back():
    items = [progress.Item("quiz", f"F{n}a", f"F{n}", "unanswered") for n in range(1, 5)]
    nb = progress.NotebookProgress("01_foundations", "x", items)
    items[2].state = "correct"                      # F3 done, F1 and F2 skipped
    assert progress.suggest(progress.summarise([nb])).question == "F4"
    items[3].state = "incorrect"                     # F4 tried, wrong
    assert progress.suggest(progress.summarise([nb])).question == "F4"
    items[3].state = "correct"
    assert progress.suggest(progress.summarise([nb])).question == "F1"


def test_compact_summary_is_short_and_all_lists_every_question(learner_folder):
    release, assignment, expected = learner_folder
    scores = progress.summarise(progress.collect(release))
    compact = progress.render_compact(scores).splitlines()
    assert len(compact) <= 2 * len({s.assignment for s in scores}) + 3, compact
    assert any("worked in" in line for line in compact) and compact[-2].startswith("Next: ")
    full = progress.render(scores).splitlines()
    assert len(full) == len(scores) + len({s.assignment for s in scores}) + 1


def test_a_course_update_next_to_the_notebook_is_not_counted(learner_folder):
    release, assignment, expected = learner_folder
    (path,) = sorted((release / assignment).glob("*.ipynb"))
    update = path.with_name(path.stem + ".course-update-2030-01-01.ipynb")
    shutil.copy(S.REPO / "release" / assignment / path.name, update)
    notebooks = [nb for nb in progress.collect(release) if nb.assignment == assignment]
    assert [nb.path for nb in notebooks] == [str(path)]


def test_progress_cell_uses_theme_colours(learner_folder):
    release, assignment, expected = learner_folder
    text = progress.progress_html(progress.summarise(progress.collect(release)))
    assert "graded items done" in text and "var(--jp-layout-color3" in text
    assert "#eaeef2;" not in text.replace("var(--jp-layout-color3, #eaeef2)", ""), "no fixed colour without a theme variable"


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
    assert assignment in result.stdout and "Next:" in result.stdout and "--all" in result.stdout
    assert (env_home / "progress.json").is_file()
    every = S.run([str(S.SCRIPTS / "mlcourse"), "progress", str(release), "--all"], root=S.REPO, cwd=tmp_path,
                  env={**S.course_env(S.REPO), "MLCOURSE_HOME": str(env_home)})
    assert every.returncode == 0 and len(every.stdout.splitlines()) > len(result.stdout.splitlines()), every.stdout
