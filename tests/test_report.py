"""Item analysis: statistics on known data, and `mlcourse report` on a simulated cohort."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from autograder.report.items import analyse_items, item_of


def _scores(rows):
    return pd.DataFrame(rows, columns=["student", "cell", "max_score", "score"])


def test_item_names_map_to_tasks_and_quizzes():
    assert item_of("kfold_cv_tests") == ("task", "kfold_cv")
    assert item_of("quiz_F7a_test") == ("quiz", "F7a")
    assert item_of("setup") == ("cell", "setup")


def test_difficulty_discrimination_and_flags():
    rows = []
    # Four students of rising ability: the task separates them, the quiz is a giveaway,
    # and "hard" is passed by nobody.
    for i, student in enumerate(["s1", "s2", "s3", "s4"]):
        rows.append((student, "easy_quiz_like_tests", 1, 1))
        rows.append((student, "kfold_cv_tests", 3, 3 if i >= 2 else 0))
        rows.append((student, "other_tests", 2, 2 if i >= 1 else 0))
        rows.append((student, "hard_tests", 2, 0))
        rows.append((student, "quiz_F7a_test", 1, 1 if i % 2 else 0))
    choices = pd.DataFrame({"student": ["s1", "s2", "s3", "s4"], "quiz": ["F7a"] * 4, "answer": ["C", "B", "C", "B"]})
    items, totals = analyse_items(_scores(rows), choices, keys={"F7a": "B"}, topics={"kfold_cv": "F6"})
    by = items.set_index("item")
    assert by.loc["kfold_cv", "pass_rate"] == 0.5
    assert by.loc["kfold_cv", "question"] == "F6"
    assert by.loc["kfold_cv", "discrimination"] > 0.3  # separates strong from weak students
    assert "everybody passes" in by.loc["easy_quiz_like", "flag"]
    assert "nobody passes" in by.loc["hard", "flag"]
    assert by.loc["F7a", "options"] == "B:2;C:2"
    assert by.loc["F7a", "distractors_above_key"] == ""
    assert totals.between(0, 1).all()


def test_distractor_chosen_more_often_than_key_is_reported():
    rows = [(s, "quiz_F7a_test", 1, 0) for s in "abc"] + [("d", "quiz_F7a_test", 1, 1)]
    choices = pd.DataFrame({"student": list("abcd"), "quiz": ["F7a"] * 4, "answer": ["A", "A", "C", "B"]})
    items, _ = analyse_items(_scores(rows), choices, keys={"F7a": "B"})
    assert items.loc[0, "distractors_above_key"] == "A"


def test_one_student_gives_no_discrimination_and_no_flags():
    items, totals = analyse_items(_scores([("only", "kfold_cv_tests", 3, 3)]))
    assert np.isnan(items.loc[0, "discrimination"])
    assert items.loc[0, "flag"] == ""
    assert totals.iloc[0] == 1.0


@pytest.mark.slow
def test_report_on_a_simulated_cohort(make_course_copy, run_mlcourse):
    from autograder.build import build
    from autograder.coursedir import CourseDir
    from autograder.quizbank import load_quiz_source
    from autograder.report.simulate import simulate_cohort

    root = make_course_copy("report")
    course = CourseDir(root)
    assignment = "01_foundations"
    build(course, assignment, check=False)
    missing = run_mlcourse(root, "report", assignment)
    assert missing.returncode == 2 and "No graded submissions" in missing.stderr
    quizzes = load_quiz_source(course.quiz_file(assignment))
    options = {q: len(v["options"]) for q, v in quizzes.items() if v["kind"] != "numeric"}
    keys = {q: str(v["answer"]) for q, v in quizzes.items() if v["kind"] != "numeric"}
    simulate_cohort(f"sqlite:///{root / 'gradebook.db'}", root / "submitted", assignment,
                    course.source_notebook(assignment).stem, options, keys, n_students=40)
    result = run_mlcourse(root, "report", assignment)
    assert result.returncode == 0, result.stderr
    items = pd.read_csv(root / "reports" / assignment / "items.csv")
    assert len(items) == sum(1 for _ in items.itertuples()) > 0
    assert set(items["kind"]) >= {"task", "quiz"}
    assert items["n"].eq(40).all()
    assert items["pass_rate"].between(0, 1).all()
    page = (root / "reports" / assignment / "report.html").read_text()
    assert page.count("data:image/png;base64,") >= 2 and "Score distribution" in page
