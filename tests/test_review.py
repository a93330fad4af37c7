"""Spaced review as a learner lives it: two weeks of answers on a fake clock, and a history that must not be lost."""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import pytest

from course import history, review
from course.history import Event, HistoryError

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday morning


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("MLCOURSE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _quiz_ids(n):
    from course.quiz import load_bank

    return sorted(load_bank("01_foundations"))[:n]


def test_two_weeks_wrong_answers_come_back_sooner_and_no_item_repeats_in_a_session(home):
    """A learner who knows half the quizzes and not the other half, answering each day's review for 14 days."""
    quizzes = _quiz_ids(8)
    known = set(quizzes[::2])
    # Day 0: the learner meets every quiz in the assignment notebook.
    history.record([history.quiz_event(q, q in known, "quiz", START + timedelta(minutes=i)) for i, q in enumerate(quizzes)])
    seen_on: dict[str, list[int]] = {q: [0] for q in quizzes}
    for day in range(1, 15):
        now = START + timedelta(days=day)
        quiz_items, task_items = review.session_items(history.load(), now)
        ids = [d.id for d in quiz_items + task_items]
        assert len(ids) == len(set(ids)), f"day {day}: an item is twice in one session: {ids}"
        assert set(ids) <= set(quizzes)
        for i, qid in enumerate(ids):  # the learner answers the session: right when they know it
            seen_on[qid].append(day)
            history.record([history.quiz_event(qid, qid in known, "review", now + timedelta(minutes=i))])
    first_return = {q: days[1] for q, days in seen_on.items() if len(days) > 1}
    assert set(first_return) == set(quizzes), f"every quiz comes back within two weeks: {seen_on}"
    for wrong in set(quizzes) - known:
        for right in known:
            assert first_return[wrong] < first_return[right], (wrong, right, seen_on)
    # Forgotten items are reviewed more often than remembered ones over the fortnight.
    assert min(len(seen_on[q]) for q in set(quizzes) - known) > max(len(seen_on[q]) for q in known)
    # And the intervals of a remembered item grow.
    gaps = [b - a for a, b in zip(seen_on[quizzes[0]], seen_on[quizzes[0]][1:])]
    assert gaps == sorted(gaps) and gaps[-1] > gaps[0], seen_on[quizzes[0]]


def test_a_task_comes_back_as_a_new_variant(home, course_copy):
    from course.drills import drillable_tasks

    task = drillable_tasks("F")[0]
    history.record([history.task_event(task.id, task.question, "failed", "drill", START)])
    first = review.make_review("ada", course_copy / "release", history.load(), START + timedelta(days=1))
    second = review.make_review("ada", course_copy / "release", history.load(), START + timedelta(days=1, minutes=5))
    seeds = {nb["metadata"]["mlcourse"]["drill"]["seed"] for nb in (first, second)}
    assert len(seeds) == 2 and 0 not in seeds
    assert task.id in first["metadata"]["mlcourse"]["review"]["tasks"]
    sources = "\n".join(c["source"] for c in first["cells"])
    assert f'check("{task.id}", seed={first["metadata"]["mlcourse"]["drill"]["seed"]})' in sources


def test_history_is_atomic_and_keeps_a_backup(home):
    history.record([history.quiz_event("F7a", True, "quiz", START)])
    history.record([history.quiz_event("F7b", False, "quiz", START + timedelta(hours=1))])
    path = history.history_path()
    backup = path.with_name(path.name + ".bak")
    assert [e.item for e in history.load(path)] == ["quiz:F7a", "quiz:F7b"]
    assert [e.item for e in history.load(backup)] == ["quiz:F7a"]
    assert not list(path.parent.glob("*.tmp"))


def test_damaged_history_is_refused_in_one_sentence_and_left_untouched(home):
    history.record([history.quiz_event("F7a", True, "quiz", START)])
    history.record([history.quiz_event("F7b", True, "quiz", START + timedelta(hours=1))])
    path = history.history_path()
    path.write_text('{"format": "mlcourse-review-history", "version": 1, "events": [{"item": ', encoding="utf-8")
    with pytest.raises(HistoryError, match=r"is damaged and was left untouched: restore the previous one with `cp .*\.bak"):
        history.load()
    with pytest.raises(HistoryError):
        history.record([history.quiz_event("F7c", True, "quiz", START + timedelta(hours=2))])
    assert path.read_text(encoding="utf-8").endswith('"item": ')  # not overwritten


def test_future_version_is_refused_and_kept(home):
    path = history.history_path()
    path.parent.mkdir(parents=True)
    text = json.dumps({"format": "mlcourse-review-history", "version": 99, "events": []})
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HistoryError, match="newer version of the course"):
        history.load()
    assert path.read_text(encoding="utf-8") == text


def test_clock_that_went_backwards_keeps_the_event_in_order(home):
    history.record([history.quiz_event("F7a", True, "quiz", START + timedelta(days=3))])
    notes = history.record([history.quiz_event("F7b", False, "quiz", START)])
    assert len(notes) == 1 and "before your last review" in notes[0] and "check the date" in notes[0]
    events = history.load()
    assert [e.item for e in events] == ["quiz:F7a", "quiz:F7b"]
    assert events[1].at == events[0].at
    # The schedule can still be computed from it, and the status says the clock is behind.
    assert {d.item for d in review.schedule(events, START + timedelta(days=4))} == {"quiz:F7a", "quiz:F7b"}
    status = review.render_status(events, START).splitlines()
    assert status[0].startswith("The clock reads") and status[1].startswith("Due today: ")


def test_no_history_says_what_to_do(home, course_copy):
    assert history.load() == []
    assert review.render_status([]) == review.NO_HISTORY
    with pytest.raises(review.ReviewError, match="No review history yet"):
        review.make_review("ada", course_copy / "release", [], START)


def test_status_lists_due_today_this_week_and_weakest_topics(home):
    history.record([history.quiz_event("F7a", False, "quiz", START), history.quiz_event("F9a", True, "quiz", START)])
    text = review.render_status(history.load(), START + timedelta(days=1, hours=1))
    lines = text.splitlines()
    assert lines[0].startswith("Due today: 1 (F7a)")
    assert lines[1].startswith("Due in the next 7 days: 1 (F9a)")
    assert lines[2] == "Weakest topics: F7 (1 of 1 reviews wrong)"  # F9, always right, is not weak


def test_cli_review_writes_a_new_notebook_each_time_and_reports_bad_history(course_copy, run_mlcourse, tmp_path):
    import _support as S

    home = tmp_path / "home"
    env_home = {"MLCOURSE_HOME": str(home)}
    work = course_copy / f"learner-{tmp_path.name}"  # inside the course, as a learner's terminal is
    work.mkdir()

    def mlcourse(*args):
        return S.run([S.SCRIPTS / "mlcourse", *args], course_copy, cwd=work,
                     env=S.course_env(course_copy, **env_home))

    empty = mlcourse("review")
    assert empty.returncode == 2 and "No review history yet" in empty.stderr and "Traceback" not in empty.stderr
    old = datetime.now(timezone.utc) - timedelta(days=2)
    home.mkdir()
    (home / "review-history.json").write_text(json.dumps({"format": history.FORMAT, "version": 1, "events": [
        history.quiz_event("F7a", False, "quiz", old).as_json()]}), encoding="utf-8")
    first, second = mlcourse("review"), mlcourse("review")
    assert first.returncode == 0 and second.returncode == 0, S.explain(second)
    written = sorted(p.name for p in (work / "drills").iterdir())
    assert len(written) == 2 and written[0] != written[1], written
    status = mlcourse("review", "--status")
    assert "Due today: 1 (F7a)" in status.stdout
    (home / "review-history.json").write_text("not json", encoding="utf-8")
    damaged = mlcourse("review", "--status")
    assert damaged.returncode == 2 and "is damaged" in damaged.stderr and "Traceback" not in damaged.stderr
    assert len(damaged.stderr.strip().splitlines()) == 1


def test_random_histories_always_replay(home):
    """Any order of outcomes, with duplicate timestamps, gives a schedule with one entry per item."""
    rng = random.Random(7)
    events = [Event(f"quiz:F{rng.randint(1, 5)}a", "F1", rng.choice(["correct", "incorrect"]),
                    START + timedelta(hours=rng.randint(0, 300)), "quiz") for _ in range(200)]
    due = review.schedule(events, START + timedelta(days=20))
    assert len(due) == len({e.item for e in events})
    assert all(0.0 <= d.retrievability <= 1.0 for d in due)


def test_progress_cell_offers_the_due_reviews_and_its_button_writes_them(home, course_copy, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    review.offer(course_copy)
    assert shown == []  # no history: nothing to offer, nothing shown
    history.record([history.quiz_event("F7a", False, "quiz", datetime.now(timezone.utc) - timedelta(days=2))])
    review.offer(course_copy)
    box = shown[-1]
    text, button, out = box.children
    assert "1 review(s) due today" in text.value
    button.click()
    written = list((course_copy / "drills").glob("*-review-*.ipynb"))
    assert len(written) == 1 and str(written[0]) in out.value and button.disabled
    nb = json.loads(written[0].read_text())
    assert nb["metadata"]["mlcourse"]["review"]["quizzes"] == ["F7a"]
    written[0].unlink()


def test_a_checked_quiz_answer_is_a_review_event_and_a_replayed_one_is_not(home):
    import _support as S
    from course.quiz import load_bank
    from course.quiz._widget import QuizWidget

    key = S.quiz_key("01_foundations")
    qid = next(q for q in sorted(key) if load_bank("01_foundations")[q].kind != "numeric")
    question = load_bank("01_foundations")[qid]
    QuizWidget(question, lambda *a: None, answer=key[qid])  # a saved answer shown again: not a new review
    assert history.load() == []
    widget = QuizWidget(question, lambda *a: None)
    for box, letter in zip(widget._boxes, "ABCDEFGH"):
        box.value = letter in str(key[qid])
    widget.submit()
    wrong = next(i for i, letter in enumerate("ABCDEFGH"[:len(widget._boxes)]) if letter not in str(key[qid]))
    for i, box in enumerate(widget._boxes):   # one option that is not in the key, alone
        box.value = i == wrong
    widget.submit()
    assert [(e.item, e.outcome, e.source) for e in history.load()] == [(f"quiz:{qid}", "correct", "quiz"),
                                                                       (f"quiz:{qid}", "incorrect", "quiz")]
    history.history_path().write_text("{", encoding="utf-8")
    widget.submit()
    assert "not added to your review history" in widget.feedback.value and "is damaged" in widget.feedback.value


def test_the_reveal_waits_for_the_time_or_for_done(home, capsys, monkeypatch):
    import IPython.display

    from course import interview

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    interview.reveal("ada-1", "S19")
    assert "has not started" in capsys.readouterr().out
    interview.start("ada-1", minutes=20)
    interview.reveal("ada-1", "S19")
    assert "left: the model answer opens when the time is up" in capsys.readouterr().out and not shown
    interview.reveal("ada-1", "S19", done=True)
    answer = interview.design_questions()["S19"]["model_answer"]
    assert any(answer in getattr(obj, "data", "") for obj in shown)
    assert "done" in interview.read_clock("ada-1")
