"""Item analysis: Moodle's statistics on hand-worked data, flags, order, bad input, and `mlcourse report`."""
from __future__ import annotations

import math
import re
import warnings
from html import escape

import numpy as np
import pandas as pd
import pytest

from autograder.report import flags
from autograder.report.items import analyse_items, distractors_above_key, item_of, marks_table, question_scores
from autograder.report.stats import alpha_interval, cronbach_alpha, item_statistics, score_statistics

# Five students, three right/wrong items, worked by hand below.
#            item1 item2 item3   total
HAND = np.array([[1, 1, 1],   # 3
                 [1, 1, 0],   # 2
                 [1, 0, 1],   # 2
                 [0, 1, 0],   # 1
                 [0, 0, 0]])  # 0


def _scores(rows):
    return pd.DataFrame(rows, columns=["student", "cell", "max_score", "score"])


def _cohort(marks: np.ndarray, cells: list[str], points=None) -> pd.DataFrame:
    points = points or [1] * len(cells)
    return _scores([(f"s{i:02d}", cell, p, float(marks[i, j] * p))
                    for i in range(len(marks)) for j, (cell, p) in enumerate(zip(cells, points))])


def test_item_names_map_to_tasks_and_quizzes():
    assert item_of("kfold_cv_tests") == ("task", "kfold_cv")
    assert item_of("quiz_F7a_test") == ("quiz", "F7a")
    assert item_of("setup") == ("cell", "setup")


def test_cronbach_alpha_matches_the_hand_worked_example():
    # Each item is right for 3, 3 and 2 of 5 students: V(x_i) = 5·p(1-p)/4 = 0.3 for all three.
    # Totals 3,2,2,1,0: mean 1.6, squared deviations 1.96+.16+.16+.36+2.56 = 5.2, V(T) = 5.2/4 = 1.3.
    # alpha = 3/2 · (1 - 0.9/1.3) = 6/13 (KR-20 with population variances gives the same: 1.5·(1 - 0.72/1.04)).
    assert cronbach_alpha(HAND) == pytest.approx(6 / 13)
    test = score_statistics(HAND, np.ones(3))
    assert test.alpha == pytest.approx(6 / 13)
    assert test.sd == pytest.approx(math.sqrt(1.3))
    assert test.error_ratio == pytest.approx(math.sqrt(1 - 6 / 13))
    assert test.standard_error == pytest.approx(math.sqrt(1 - 6 / 13) * math.sqrt(1.3))
    assert (test.mean, test.median, test.n, test.max_score) == (1.6, 2.0, 5, 3.0)


def test_item_rest_correlation_and_efficiency_match_the_hand_worked_example():
    stats = item_statistics(HAND, np.ones(3))
    # Item 1: x = 1,1,1,0,0 against the rest 2,1,1,1,0: cov = 1.0/4, V(x) = 0.3, V(rest) = 2/4,
    # so D = 0.25 / sqrt(0.3 · 0.5); sorted, both columns give the same products: DE = 1.
    assert stats["discrimination_index"][0] == pytest.approx(0.25 / math.sqrt(0.15))
    assert stats["discriminative_efficiency"][0] == pytest.approx(1.0)
    # Item 3: x = 1,0,1,0,0 against the rest 2,2,1,1,0: cov = 0.6/4, V(rest) = 2.8/4, D = 0.15 / sqrt(0.21);
    # sorted (0,0,0,1,1 against 0,1,1,2,2) the covariance is 1.6/4, so DE = 0.15 / 0.4.
    assert stats["discrimination_index"][2] == pytest.approx(0.15 / math.sqrt(0.21))
    assert stats["discriminative_efficiency"][2] == pytest.approx(0.375)
    assert stats["facility"] == pytest.approx([0.6, 0.6, 0.4])
    # The item-rest correlation is lower than the item-total one, which counts the item twice.
    total = HAND.sum(axis=1)
    assert stats["discrimination_index"][2] < np.corrcoef(HAND[:, 2], total)[0, 1]


def test_skewness_and_kurtosis_are_moodles_k_statistics():
    rng = np.random.default_rng(3)
    marks = (rng.random((40, 12)) < rng.random(12)).astype(float)
    total = marks.sum(axis=1)
    s = len(total)
    d = total - total.mean()
    m2, m3, m4 = (np.sum(d ** k) / s for k in (2, 3, 4))
    k2 = s * m2 / (s - 1)
    k3 = s * s * m3 / ((s - 1) * (s - 2))
    k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
    test = score_statistics(marks, np.ones(12))
    assert test.skewness == pytest.approx(k3 / k2 ** 1.5)
    assert test.kurtosis == pytest.approx(k4 / k2 ** 2)


def test_alpha_interval_matches_a_published_example():
    # statpsych's ci.cronbach(.05, .85, 7, 89) documents the interval 0.7971 to 0.8932 (Feldt's method).
    low, high = alpha_interval(0.85, n=89, p=7)
    assert low == pytest.approx(0.7971, abs=2e-4)
    assert high == pytest.approx(0.8932, abs=2e-4)


def test_one_student_and_equal_students_give_no_division_by_zero():
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # a numpy or scipy warning would fail the test
        one = score_statistics(np.array([[1.0, 0.0]]), np.ones(2))
        equal = score_statistics(np.ones((12, 3)), np.ones(3))
        stats_one = item_statistics(np.array([[1.0, 0.0]]), np.ones(2))
        stats_equal = item_statistics(np.ones((12, 3)), np.ones(3))
    assert one.n == 1 and one.mean == 1.0 and math.isnan(one.sd) and math.isnan(one.alpha)
    assert equal.sd == 0.0 and all(math.isnan(v) for v in (equal.alpha, equal.skewness, equal.kurtosis, equal.error_ratio))
    assert np.isnan(stats_one["discrimination_index"]).all() and stats_one["facility"].tolist() == [1.0, 0.0]
    assert np.isnan(stats_equal["discrimination_index"]).all() and np.isnan(stats_equal["discriminative_efficiency"]).all()


def test_flags_follow_the_stated_thresholds_from_the_minimum_number_of_students():
    n = flags.MIN_STUDENTS
    ability = np.linspace(0, 1, 2 * n)
    marks = np.column_stack([
        ability > 0.2, ability > 0.4, ability > 0.6, ability > 0.8,   # discriminate well
        ability < 0.5,                 # favours the weaker students
        np.r_[np.zeros(1), np.ones(2 * n - 1)],   # nearly everybody right: facility 0.95 is not above 0.95
        np.ones(2 * n),                # everybody right
    ]).astype(float)
    cells = ["quiz_F1a_test", "quiz_F1b_test", "quiz_F1c_test", "quiz_F1d_test", "quiz_F2a_test", "quiz_F3a_test",
             "quiz_F4a_test"]
    items, _ = analyse_items(_cohort(marks, cells))
    by = items.set_index("item")
    assert (by.loc[["F1a", "F1b", "F1c", "F1d"], "flag"] == "").all() and not by.loc["F1b", "dubious"]
    assert by.loc["F2a", "flag"].startswith("negative discrimination") and by.loc["F2a", "dubious"]
    assert by.loc["F4a", "facility"] == 1.0 and "very easy" in by.loc["F4a", "flag"]
    assert by.loc["F3a", "facility"] == pytest.approx(0.95) and "very easy" not in by.loc["F3a", "flag"]
    # The same items with one student fewer than the minimum: statistics, but no flags.
    few, _ = analyse_items(_cohort(marks[:n - 1], cells))
    assert (few["flag"] == "").all() and not few["dubious"].any()


def test_items_come_in_syllabus_order():
    cells = ["quiz_F10a_test", "quiz_F1a_test", "kfold_cv_tests", "quiz_F2a_test", "quiz_F6a_test"]
    marks = np.eye(5)[[0, 1, 2, 3, 4, 0]]
    items, _ = analyse_items(_cohort(marks, cells), topics={"kfold_cv": "F6"},
                             order=["quiz_F1a_test", "quiz_F2a_test", "kfold_cv_tests", "quiz_F6a_test", "quiz_F10a_test"])
    assert items["item"].tolist() == ["F1a", "F2a", "kfold_cv", "F6a", "F10a"]
    assert items["question"].tolist() == ["F1", "F2", "F6", "F6", "F10"]


def test_distractors_are_counted_per_option():
    assert distractors_above_key({"A": 5, "B": 3, "C": 1}, "B") == ["A"]
    assert distractors_above_key({"A": 2, "B": 8}, "B") == []
    # Select all that apply, key AC: D ticked by 6, more than C's 4; B by 3, fewer.
    assert distractors_above_key({"AC": 2, "AD": 4, "ABD": 2, "CD": 1, "ACB": 1}, "AC") == ["D"]
    assert distractors_above_key({"3": 4}, "0.015 ± 0.001") == []


def test_distractors_are_reported_from_the_minimum_number_of_students():
    n = flags.MIN_STUDENTS
    rows = [(f"s{i}", "quiz_F7a_test", 1, 1.0 if i % 3 == 0 else 0.0) for i in range(n)]
    answers = ["B" if i % 3 == 0 else "A" for i in range(n)]
    choices = pd.DataFrame({"student": [f"s{i}" for i in range(n)], "quiz": ["F7a"] * n, "answer": answers})
    items, _ = analyse_items(_scores(rows), choices, keys={"F7a": "B"})
    assert items.loc[0, "distractors_above_key"] == "A"
    assert items.loc[0, "options"] == f"A:{answers.count('A')};B:{answers.count('B')}"
    few, _ = analyse_items(_scores(rows[:n - 1]), choices.iloc[:n - 1], keys={"F7a": "B"})
    assert few.loc[0, "distractors_above_key"] == ""


def test_question_scores_and_students_table():
    from autograder.report.writer import student_table

    scores = _scores([("ann", "quiz_F1a_test", 1, 1), ("ann", "kfold_cv_tests", 3, 0), ("ann", "quiz_F6a_test", 1, 1),
                      ("bob", "quiz_F1a_test", 1, 0), ("bob", "kfold_cv_tests", 3, 3), ("bob", "quiz_F6a_test", 1, 1)])
    table, max_scores = marks_table(scores)
    shares = question_scores(table, max_scores, {"quiz_F1a_test": "F1", "kfold_cv_tests": "F6", "quiz_F6a_test": "F6"})
    assert shares.columns.tolist() == ["F1", "F6"]
    assert shares.loc["ann"].tolist() == [1.0, 0.25] and shares.loc["bob"].tolist() == [0.0, 1.0]
    students = student_table(table, max_scores, shares, seeds={"ann": 11, "bob": 12}).set_index("student")
    assert students.loc["ann", "score"] == 2 and students.loc["ann", "share"] == pytest.approx(0.4)
    assert students.loc["ann", "below_half"] == "F6" and students.loc["bob", "below_half"] == "F1"
    assert students.loc["bob", "variant_seed"] == 12


def test_page_says_in_one_sentence_why_statistics_are_missing():
    from autograder.report import page

    for marks, phrase in ((np.array([[1.0, 0.0]]), "Only one student's submission is graded"),
                          (np.ones((12, 2)), "All 12 students have the same total score")):
        scores = _cohort(marks, ["quiz_F1a_test", "quiz_F2a_test"])
        items, _ = analyse_items(scores)
        table, max_scores = marks_table(scores)
        html = page.render("01_foundations", score_statistics(table.to_numpy(), max_scores.to_numpy()), items,
                           question_scores(table, max_scores, {}), {}, None, ["items.csv"])
        assert html.count(escape(phrase)) == 1
        assert f"Flags are shown from {flags.MIN_STUDENTS} students on" in html
        assert not re.search(r"\bnan\b|\binf\b", html, re.I)  # undefined values read n/a
        assert "n/a" in html


def test_quiz_answers_are_read_as_the_widget_records_them():
    from autograder.report.writer import quiz_keys_and_answers

    source = {"F1a": {"kind": "multiple", "options": [{}, {}, {}], "answer": "CA"},
              "F1b": {"kind": "single", "options": [{}, {}], "answer": "B"},
              "F4a": {"kind": "numeric", "answer": 0.015, "tolerance": 0.001}}
    choices = pd.DataFrame({"student": ["a", "b", "c", "a", "b", "a", "b", "c"],
                            "quiz": ["F1a", "F1a", "F1a", "F1b", "F1b", "F4a", "F4a", "F4a"],
                            "answer": ["ca", ["A", "C"], "Z", "B", None, 0.0151, "1.5", "lots"]})
    keys, options, numbers = quiz_keys_and_answers(source, choices)
    assert keys == {"F1a": "AC", "F1b": "B", "F4a": "0.015 ± 0.001"}
    assert options["answer"].tolist() == ["AC", "AC", "invalid", "B", "invalid"]
    assert numbers["F4a"].tolist() == [0.0151, 1.5]


def test_numeric_quiz_chart_shows_the_key_and_counts_far_answers():
    from autograder.report import answers

    values = np.array([0.0151, 0.0149, 0.02, 1.5])
    html = answers.render([{"item": "F4a", "kind": "numeric", "key": "0.015 ± 0.001", "values": values,
                            "answer": 0.015, "tolerance": 0.001}])
    assert "F4a: key 0.015 ± 0.001; 2 of 4 answers within it" in html
    assert "1 far outside, not drawn" in html
    assert html.count("style='height:") == answers.BINS and 1 <= html.count("<div class='key'") <= 3


def test_flagged_item_labels_never_overlap():
    from autograder.report.figures import _spread_labels

    for targets in (np.full(40, 0.5), np.linspace(1, 0, 7), np.r_[np.ones(10), np.zeros(10)]):
        gap = min(0.06, 1.0 / (len(targets) + 1))
        pos = _spread_labels(targets, gap)
        assert np.all(pos >= -1e-12) and np.all(pos <= 1 + 1e-12)
        assert np.all(-np.diff(pos) >= gap - 1e-12)


def test_a_harder_variant_stands_out():
    from autograder.report.variants import variant_breakdown

    rng = np.random.default_rng(0)
    students = [f"s{i:03d}" for i in range(90)]
    k = np.array([3, 4, 5] * 30)
    ability = rng.random(90)
    passed = np.where(k == 3, ability > 0.9, ability > 0.2)     # three folds: nearly nobody passes
    table = pd.DataFrame({"kfold_cv_tests": 3.0 * passed, "quiz_F6a_test": (ability > 0.5).astype(float)}, index=students)
    parameters = pd.DataFrame({"student": students, "item": "kfold_cv", "parameter": "k", "value": k.astype(str)})
    breakdown = variant_breakdown(table, pd.Series({"kfold_cv_tests": 3.0, "quiz_F6a_test": 1.0}), parameters,
                                  {"kfold_cv": "kfold_cv_tests"}).set_index("value")
    assert breakdown.index.tolist() == ["3", "4", "5"] and breakdown["n"].tolist() == [30, 30, 30]
    assert breakdown.loc["3", "flag"] == "harder than the other variants"
    assert breakdown.loc["3", "p_value"] < 0.05 / 3
    assert breakdown.loc["3", "facility"] == pytest.approx(passed[k == 3].mean())
    # Each group is compared with the others pooled: next to a hard variant the rest may read as easier, never harder.
    assert not breakdown.loc[["4", "5"], "flag"].str.startswith("harder").any()


def test_variant_parameters_keep_single_values_and_are_cached(tmp_path):
    from course.tasks import Task

    from autograder.report.variants import variant_parameters

    def make_data(seed):
        return {"X": np.zeros((3, 2)), "k": np.int64(3 + seed % 2), "label": "spam", "alpha": 0.1 * seed}

    task = Task(id="toy", assignment="01_foundations", question="F6", title="toy", function="toy", points=1,
                hints=(), checks=(), make_data=make_data)
    cache = tmp_path / "variant-parameters.json"
    found = variant_parameters([task], {"ann": 1, "bob": 2}, cache)
    assert set(found["parameter"]) == {"k", "label", "alpha"}
    assert found.query("student == 'ann' and parameter == 'k'")["value"].tolist() == ["4"]

    def broken(seed):
        raise AssertionError("the cache should have been used")

    again = variant_parameters([Task(**{**task.__dict__, "make_data": broken})], {"ann": 1, "bob": 2}, cache)
    assert again.equals(found)


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
    assert missing.returncode == 2 and "No graded submissions" in missing.stderr and "Traceback" not in missing.stderr
    quizzes = load_quiz_source(course.quiz_file(assignment))
    simulate_cohort(f"sqlite:///{root / 'gradebook.db'}", root / "submitted", assignment,
                    course.source_notebook(assignment).stem, quizzes, n_students=40)
    result = run_mlcourse(root, "report", assignment)
    assert result.returncode == 0, result.stderr
    out = root / "reports" / assignment
    items = pd.read_csv(out / "items.csv", keep_default_na=False)
    assert {"facility", "discrimination_index", "discriminative_efficiency", "dubious", "flag"} <= set(items.columns)
    assert set(items["kind"]) >= {"task", "quiz"} and items["n"].eq(40).all()
    numbers = [int(q[1:]) for q in items["question"]]
    assert numbers == sorted(numbers) and items["item"].iloc[0] == "F1a"
    assert items.set_index("item").loc["F4a", "key"] == "0.015 ± 0.001"
    students = pd.read_csv(out / "students.csv", keep_default_na=False)
    assert len(students) == 40 and {"F1", "F20", "below_half"} <= set(students.columns)
    page = (out / "report.html").read_text()
    assert "Cronbach" in page and "Score distribution" in page and page.count("data:image/png;base64,") == 2
    assert "F4a: key 0.015 ± 0.001" in page and "http" not in page.replace("http-equiv", "")  # no server, no network
    assert "Per variant" not in page

    config = root / "nbgrader_config.py"
    config.write_text(config.read_text() + f"\nc.MLCourse.variants = [{assignment!r}]\n")
    again = run_mlcourse(root, "report", assignment)
    assert again.returncode == 0, again.stderr
    page = (out / "report.html").read_text()
    assert "Per variant" in page and "40 students had 40 different variants" in page
    assert "<td>kfold_cv</td><td>k</td>" in page   # the number of folds is drawn from a few values
    assert "variant_seed" in pd.read_csv(out / "students.csv").columns
