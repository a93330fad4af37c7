"""Quizzes: answer normalisation, digests, tolerance, the public bank, secret keys, grading and the widget."""
from __future__ import annotations

import importlib
import json
import re
import random

import pytest

import _support as S
from autograder.errors import CourseError
from autograder.preprocessors import ClearQuizAnswers
from autograder.quizbank import compile_bank, load_quiz_source
from course.quiz import QuizError, _key, grade_quiz, load_bank, quiz
from course.quiz._bank import SECRET_ENV, _question
from course.quiz._key import AnswerError, canonical

quiz_pkg = importlib.import_module("course.quiz")  # the package (course.quiz is also a function's name)

ALL = S.assignments()
WITH_QUIZZES = [a for a in ALL if S.quiz_source(a)]

# A small bank of our own, so the unit tests do not depend on the course's questions.
SYNTHETIC = {
    "T1a": {"kind": "single", "prompt": "Pick `two`.",
            "options": [{"text": "one", "why": "One is the first option, chosen wrongly."},
                        {"text": "two", "why": "Two is the option the prompt asks for."},
                        {"text": "three", "why": "Three comes after two and is wrong."}],
            "answer": "B", "explanation": "The prompt names the second option explicitly."},
    "T1b": {"kind": "multiple", "prompt": "Pick the even numbers.",
            "options": [{"text": "2", "why": "Two divides by two without remainder."},
                        {"text": "3", "why": "Three leaves a remainder of one."},
                        {"text": "4", "why": "Four is twice two and therefore even."}],
            "answer": "AC", "explanation": "Even numbers are the multiples of two here."},
    "T1c": {"kind": "numeric", "prompt": "Roughly pi?", "answer": 3.14159, "tolerance": 0.01,
            "explanation": "Pi is about 3.14 to two decimal places."},
}


def synthetic_questions(feedback=True, secret=None):
    bank = compile_bank("99_test", SYNTHETIC, feedback=feedback, secret=secret)
    return bank, {qid: _question("99_test", qid, q, bank["feedback"]) for qid, q in bank["questions"].items()}


# --- canonical answers -------------------------------------------------------------------------------

@pytest.mark.parametrize("answer, expected", [
    ("B", "B"), ("b", "B"), (" B ", "B"), (["b"], "B"),
])
def test_single_choice_canonical(answer, expected):
    assert canonical("single", answer, 3) == expected


@pytest.mark.parametrize("answer, expected", [
    ("CA", "AC"), ("ac", "AC"), ("A, C", "AC"), (["C", "A"], "AC"), ({"A", "C"}, "AC"), ("AAC", "AC"),
])
def test_multiple_choice_canonical_is_sorted_and_deduplicated(answer, expected):
    assert canonical("multiple", answer, 3) == expected


@pytest.mark.parametrize("kind, answer, n, message", [
    ("single", "", 3, "No option is selected"),
    ("multiple", [], 3, "No option is selected"),
    ("single", "D", 3, "does not exist"),
    ("multiple", "AZ", 3, "does not exist"),
    ("single", "AB", 3, "exactly one"),
    ("numeric", "abc", 0, "is not a number"),
    ("numeric", "nan", 0, "finite"),
    ("numeric", float("inf"), 0, "finite"),
    ("essay", "x", 0, "Unknown question kind"),
])
def test_unreadable_answers_say_why(kind, answer, n, message):
    with pytest.raises(AnswerError, match=message):
        canonical(kind, answer, n, 0.1)


def test_numeric_canonical_reads_text_and_thousands_separators():
    assert canonical("numeric", "1,000", tolerance=1) == canonical("numeric", 1000, tolerance=1) == "1000"
    assert canonical("numeric", " 0.75 ", tolerance=0.01) == canonical("numeric", 0.75, tolerance=0.01)


# --- digests and the numeric tolerance --------------------------------------------------------------------

def test_digest_is_stable_and_depends_on_salt_question_and_answer():
    d = _key.digest("salt", "F7a", "B")
    assert d == _key.digest("salt", "F7a", "B") and len(d) == 64 and int(d, 16) >= 0
    assert len({d, _key.digest("pepper", "F7a", "B"), _key.digest("salt", "F7b", "B"), _key.digest("salt", "F7a", "C")}) == 4
    assert _key.public_salt("01_foundations", "F7a") == _key.public_salt("01_foundations", "F7a")
    assert _key.public_salt("01_foundations", "F7a") != _key.public_salt("01_foundations", "F7b")


@pytest.mark.parametrize("key, tol", [(3.14159, 0.01), (0.0, 0.05), (-12.5, 0.5), (1000.0, 25.0), (0.8312, 0.001)])
def test_numeric_answers_within_tolerance_pass_and_beyond_twice_fail(key, tol):
    salt, qid = "s", "N1a"
    key_digest = _key.digest(salt, qid, canonical("numeric", key, tolerance=tol))

    def accepted(x):
        return _key.matches("numeric", salt, qid, canonical("numeric", x, tolerance=tol), key_digest)

    rng = random.Random(0)
    for _ in range(300):
        within = key + rng.uniform(-tol, tol)
        assert accepted(within), f"{within} is within {tol} of {key} but rejected"
        beyond = key + rng.choice([-1, 1]) * rng.uniform(2.0001, 50) * tol
        assert not accepted(beyond), f"{beyond} is more than 2×{tol} from {key} but accepted"
    assert accepted(key) and accepted(key + tol) and accepted(key - tol)
    assert not accepted(key + 2.001 * tol) and not accepted(key - 2.001 * tol)


def test_seal_hides_text_and_round_trips():
    text = "Each model trains on the 4 folds it does not validate on."
    sealed = _key.seal(text)
    assert text not in sealed and "folds" not in sealed
    assert _key.unseal(sealed) == text


# --- the compiled, public bank ------------------------------------------------------------------------------

ALLOWED_FIELDS = {"kind", "prompt", "points", "digest", "salt", "explanation", "options", "why", "tolerance"}


def _no_plain_key(assignment, source, text, bank):
    assert '"answer"' not in text and '"key"' not in text, f"{assignment}: the bank has an answer field"
    for qid, q in source.items():
        entry = bank["questions"][qid]
        assert set(entry) <= ALLOWED_FIELDS, f"{qid}: unexpected fields {set(entry) - ALLOWED_FIELDS}"
        for option in q.get("options", []):
            why = option.get("why", "").strip()
            if why:
                assert why not in text, f"{assignment} {qid}: the explanation of option {option['text']!r} is readable in the bank"
        explanation = q.get("explanation", "").strip()
        if explanation:
            assert explanation not in text, f"{assignment} {qid}: the explanation is readable in the bank"
        # Besides what the learner is shown (prompt, options) and the points and tolerance, every field
        # is a digest, a salt or a sealed text: none may hold the key.
        hidden = [entry[k] for k in ("kind", "digest", "salt", "explanation") if k in entry] + list(entry.get("why", []))
        if q["kind"] == "numeric":
            forms = {str(q["answer"]), repr(q["answer"]), json.dumps(q["answer"]), f"{float(q['answer']):g}"}
        else:
            forms = {canonical(q["kind"], q["answer"], len(q["options"]))}
        assert not forms & set(map(str, hidden)), f"{assignment} {qid}: a field of the bank holds the answer"
        for value in hidden:
            assert not any(form in value and not re.fullmatch(r"[0-9a-f]+|[A-Za-z0-9+/=]+", value) for form in forms), \
                f"{assignment} {qid}: a field of the bank holds the answer in plain text: {value!r}"


@pytest.mark.parametrize("assignment", WITH_QUIZZES)
def test_committed_bank_holds_no_plain_answer_or_explanation(assignment):
    path = S.REPO / "course" / "banks" / f"{assignment}.json"
    text = path.read_text(encoding="utf-8")
    _no_plain_key(assignment, S.quiz_source(assignment), text, json.loads(text))


def test_synthetic_bank_holds_no_plain_answer_or_explanation():
    bank, _ = synthetic_questions()
    text = json.dumps(bank, ensure_ascii=False)
    _no_plain_key("99_test", SYNTHETIC, text, bank)
    assert "3.14159" not in text


@pytest.mark.parametrize("assignment", WITH_QUIZZES)
def test_bank_grades_the_key_right_and_unseals_the_explanations(assignment):
    source = load_quiz_source(S.REPO / "source" / assignment / "quizzes.yaml")
    bank = load_bank(assignment)
    assert sorted(bank) == sorted(source)
    for qid, q in source.items():
        question = bank[qid]
        assert question.is_correct(q["answer"]), f"{qid}: the key from quizzes.yaml is marked wrong"
        assert not question.is_correct(S.wrong_quiz_answer(question))
        assert question.explain() == q.get("explanation", "").strip()
        for i, option in enumerate(q.get("options", [])):
            assert question.why_option(i) == option.get("why", "").strip()
        assert question.topic == qid.rstrip("abcdefghijklmnopqrstuvwxyz")


def test_synthetic_bank_grades_each_kind():
    _, qs = synthetic_questions()
    assert qs["T1a"].is_correct("B") and qs["T1a"].is_correct("b") and not qs["T1a"].is_correct("A")
    assert qs["T1b"].is_correct("CA") and qs["T1b"].is_correct(["A", "C"])
    assert not qs["T1b"].is_correct("A") and not qs["T1b"].is_correct("ABC")
    assert qs["T1c"].is_correct(3.14) and qs["T1c"].is_correct("3.15") and not qs["T1c"].is_correct(3.2)


# --- secret-key mode (feedback off) -----------------------------------------------------------------------

def test_secret_mode_needs_a_secret():
    with pytest.raises(CourseError, match="MLCOURSE_QUIZ_SECRET"):
        compile_bank("99_test", SYNTHETIC, feedback=False, secret=None)


def test_secret_mode_ships_no_salt_and_no_explanations(monkeypatch):
    bank, qs = synthetic_questions(feedback=False, secret="correct horse battery staple")
    public, _ = synthetic_questions()
    for qid, entry in bank["questions"].items():
        assert not {"salt", "explanation", "why"} & set(entry)
        assert entry["digest"] != public["questions"][qid]["digest"]
    assert bank["feedback"] is False
    monkeypatch.delenv(SECRET_ENV, raising=False)
    with pytest.raises(QuizError, match=SECRET_ENV):
        qs["T1a"].is_correct("B")


def test_secret_mode_grades_with_the_right_secret_only(monkeypatch):
    _, qs = synthetic_questions(feedback=False, secret="correct horse battery staple")
    monkeypatch.setenv(SECRET_ENV, "correct horse battery staple")
    assert qs["T1a"].is_correct("B") and not qs["T1a"].is_correct("C")
    assert qs["T1b"].is_correct("AC") and qs["T1c"].is_correct(3.141)
    monkeypatch.setenv(SECRET_ENV, "a guess")
    assert not qs["T1a"].is_correct("B") and not qs["T1c"].is_correct(3.141)


# --- quiz() and grade_quiz() --------------------------------------------------------------------------------

@pytest.fixture
def fresh_answers(monkeypatch):
    answers = {}
    monkeypatch.setattr(quiz_pkg, "_ANSWERS", answers)
    return answers


@pytest.fixture(params=WITH_QUIZZES)
def a_question(request):
    """(question, key) of the first quiz of each assignment that has quizzes."""
    qid, answer = next(iter(S.quiz_key(request.param).items()))
    return load_bank(request.param)[qid], answer


def test_grade_quiz_without_an_answer_says_how_to_answer(fresh_answers, a_question):
    question, _ = a_question
    with pytest.raises(AssertionError, match="has no recorded answer") as err:
        grade_quiz(question.qid)
    assert f'quiz("{question.qid}", answer=...)' in str(err.value)


def test_grade_quiz_rejects_a_wrong_answer_without_revealing_the_key(fresh_answers, a_question, capsys):
    question, key = a_question
    wrong = S.wrong_quiz_answer(question)
    quiz(question.qid, answer=wrong)  # outside IPython it prints the prompt
    assert question.prompt.splitlines()[0][:40] in capsys.readouterr().out
    with pytest.raises(AssertionError, match="recorded answer is not correct") as err:
        grade_quiz(question.qid)
    assert str(key) not in str(err.value).replace(question.qid, "")


def test_grade_quiz_accepts_the_key(fresh_answers, a_question):
    question, key = a_question
    quiz(question.qid, answer=key)
    assert fresh_answers == {question.qid: key}
    grade_quiz(question.qid)  # does not raise


def test_unreadable_recorded_answer_is_not_recorded(fresh_answers, a_question, capsys):
    question, _ = a_question
    quiz(question.qid, answer="not an option" if question.kind != "numeric" else "many")
    assert "cannot be read" in capsys.readouterr().out
    assert fresh_answers == {}
    with pytest.raises(AssertionError, match="no recorded answer"):
        grade_quiz(question.qid)


def test_unknown_quiz_id_is_a_clear_error():
    with pytest.raises(QuizError, match=r"There is no quiz question 'Z99z'"):
        quiz("Z99z")


# --- the release preprocessor -----------------------------------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    ('quiz("F7a", answer="B")', 'quiz("F7a")'),
    ("quiz('F7a', answer='AC')", "quiz('F7a')"),
    ('quiz("F13b", answer=0.75)', 'quiz("F13b")'),
    ('quiz("F7a",answer = "B" )', 'quiz("F7a")'),
    ('quiz("F7a")', 'quiz("F7a")'),
])
def test_release_strips_recorded_answers(source, expected):
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(source, metadata={"tags": ["q:F7", "quiz"]})
    out, _ = ClearQuizAnswers().preprocess_cell(cell, {}, 0)
    assert out.source == expected


def test_release_leaves_untagged_cells_alone():
    from nbformat.v4 import new_code_cell

    cell = new_code_cell('quiz("F7a", answer="B")  # an example in the text')
    out, _ = ClearQuizAnswers().preprocess_cell(cell, {}, 0)
    assert out.source == 'quiz("F7a", answer="B")  # an example in the text'


# --- the widget (in this process; the browser test drives it for real) ---------------------------------------

@pytest.fixture
def widget_for():
    from course.quiz._widget import QuizWidget

    made = []

    def make(question, answer=None):
        calls = []
        widget = QuizWidget(question, lambda qid, a: calls.append((qid, a)), answer)
        made.append(widget)
        return widget, calls

    yield make
    for widget in made:
        widget.close()


def _shown(widget) -> str:
    """Everything the widget shows below its options and under them, as one text."""
    marks = [m.value for m in widget._marks if m.layout.display != "none"]
    return " ".join([*marks, widget.feedback.value, widget.explanation.value])


def test_widget_marks_a_wrong_choice_and_records_it(widget_for):
    _, qs = synthetic_questions()
    widget, calls = widget_for(qs["T1a"])
    widget._boxes[0].value = True
    widget._check.click()
    assert "Incorrect" in widget.feedback.value
    assert "should not be ticked" in widget._marks[0].value and "One is the first option" in widget._marks[0].value
    assert all(m.layout.display == "none" for m in widget._marks[1:]), "options not ticked are not explained yet"
    assert "names the second option" not in _shown(widget), "a wrong answer does not give the explanation away"
    assert widget._explain.layout.display is None
    assert calls == [("T1a", "A")]
    assert widget.recorder.call == 'quiz("T1a", answer="A")'


def test_widget_confirms_a_right_choice_with_the_explanation_once(widget_for):
    _, qs = synthetic_questions()
    widget, calls = widget_for(qs["T1a"])
    widget._boxes[1].value = True
    widget._check.click()
    assert "Correct" in widget.feedback.value and "Incorrect" not in widget.feedback.value
    assert "right to tick" in widget._marks[1].value
    assert _shown(widget).count("names the second option") == 1
    assert widget._explain.layout.display == "none", "no button offers the explanation already shown"
    widget._check.click()
    widget.show_explanation()
    assert _shown(widget).count("names the second option") == 1
    assert widget.recorder.call == 'quiz("T1a", answer="B")'


def test_select_all_marks_each_ticked_option_and_counts_the_missing(widget_for):
    _, qs = synthetic_questions()
    widget, _ = widget_for(qs["T1b"])  # key: A and C
    widget._boxes[0].value = True
    widget._check.click()
    assert "Incorrect" in widget.feedback.value and "1 right option is missing" in widget.feedback.value
    assert "right to tick" in widget._marks[0].value and "Two divides" in widget._marks[0].value
    assert widget._marks[2].layout.display == "none", "the missing option is not named"
    widget._boxes[1].value = True
    widget._check.click()
    assert "1 ticked option is wrong and 1 right option is missing" in widget.feedback.value
    assert "should not be ticked" in widget._marks[1].value


def test_showing_the_explanation_after_a_wrong_answer_shows_it_once(widget_for):
    _, qs = synthetic_questions()
    widget, _ = widget_for(qs["T1a"])
    widget._boxes[2].value = True
    widget._check.click()
    widget._explain.click()
    assert widget._explain.layout.display == "none"
    widget._boxes[1].value = True
    widget._check.click()
    assert _shown(widget).count("names the second option") == 1


@pytest.mark.parametrize("typed, says", [("3.5", "Too high"), ("2.9", "Too low"), ("3.14", "Correct")])
def test_numeric_widget_says_too_high_or_low_and_shows_the_working(widget_for, typed, says):
    _, qs = synthetic_questions()
    widget, _ = widget_for(qs["T1c"])
    widget._number.value = typed
    widget._check.click()
    assert says in widget.feedback.value
    assert "below" not in widget.feedback.value or widget.explanation.value, "nothing promised below is missing"
    assert _shown(widget).count("Pi is about 3.14") == 1


def test_numeric_direction_is_silent_when_far_off(widget_for):
    _, qs = synthetic_questions()
    assert qs["T1c"].direction(3.5) == -1 and qs["T1c"].direction(2.0) == 1
    assert qs["T1c"].direction(1e9) == 0, "beyond the search reach the widget does not guess"


def test_key_letters_need_the_public_salt():
    _, qs = synthetic_questions()
    assert qs["T1a"].key_letters() == "B" and qs["T1b"].key_letters() == "AC" and qs["T1c"].key_letters() is None
    _, secret = synthetic_questions(feedback=False, secret="s3cret")
    assert secret["T1b"].key_letters() is None and secret["T1c"].direction(3.5) == 0


def test_option_text_is_the_checkbox_label(widget_for):
    _, qs = synthetic_questions()
    widget, _ = widget_for(qs["T1b"])
    assert [b.description_allow_html for b in widget._boxes] == [True] * 3
    assert "<b>A.</b> 2" in widget._boxes[0].description


def test_single_choice_options_are_exclusive_multiple_are_not(widget_for):
    _, qs = synthetic_questions()
    single, _ = widget_for(qs["T1a"])
    single._boxes[0].value = True
    single._boxes[2].value = True
    assert [b.value for b in single._boxes] == [False, False, True]
    multiple, _ = widget_for(qs["T1b"])
    multiple._boxes[0].value = True
    multiple._boxes[2].value = True
    multiple._check.click()
    assert multiple.recorder.call == 'quiz("T1b", answer="AC")' and "Correct" in multiple.feedback.value


def test_widget_without_a_choice_asks_for_one(widget_for):
    _, qs = synthetic_questions()
    widget, calls = widget_for(qs["T1a"])
    widget._check.click()
    assert "No option is selected" in widget.feedback.value
    assert calls == [] and widget.recorder.call == ""


def test_numeric_widget_reads_numbers_and_rejects_text(widget_for):
    _, qs = synthetic_questions()
    widget, calls = widget_for(qs["T1c"])
    widget._number.value = "three"
    widget._check.click()
    assert "is not a number" in widget.feedback.value and calls == []
    widget._number.value = "3.14"
    widget._check.click()
    assert "Correct" in widget.feedback.value
    assert widget.recorder.call == 'quiz("T1c", answer=3.14)'


def test_widget_shows_a_recorded_answer_without_rewriting_the_cell(widget_for):
    _, qs = synthetic_questions()
    widget, calls = widget_for(qs["T1b"], answer="CA")
    assert [b.value for b in widget._boxes] == [True, False, True]
    assert "Correct" in widget.feedback.value
    assert widget.recorder.call == ""


def test_widget_tells_the_line_to_type_when_it_cannot_write_the_cell(widget_for):
    _, qs = synthetic_questions()
    widget, _ = widget_for(qs["T1a"])
    widget._boxes[1].value = True
    widget._check.click()
    widget.recorder.status = "unavailable"
    assert "quiz(&quot;T1a&quot;, answer=&quot;B&quot;)" in widget.note.value
    widget.recorder.status = "written"
    assert "written into this cell" in widget.note.value


def test_widget_in_secret_mode_only_confirms_the_recording(widget_for, monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    _, qs = synthetic_questions(feedback=False, secret="s3cret")
    widget, calls = widget_for(qs["T1a"])
    widget._boxes[0].value = True
    widget._check.click()
    assert "recorded" in widget.feedback.value
    assert "Correct" not in widget.feedback.value and "Incorrect" not in widget.feedback.value
    assert calls == [("T1a", "A")]
