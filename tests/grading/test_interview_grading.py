"""`mlcourse interview` and `mlcourse interview --grade` in a built course copy: the model answer stays out of the
notebook, a learner's work is scored per part in the sandbox, and the outcomes reach the review history."""
from __future__ import annotations

import json
import shutil

import pytest
import yaml
from conftest import ASSIGNMENT, RIGGED_TASK, mlcourse

import _support as S

pytestmark = pytest.mark.slow


def _solution(root):
    source = json.loads(next((root / "source" / ASSIGNMENT).glob("*.ipynb")).read_text())
    return next("".join(c["source"]) for c in source["cells"]
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == RIGGED_TASK)


def test_an_interview_is_timed_scored_and_fed_into_review(built_course, tmp_path, monkeypatch):
    root = tmp_path / "course"
    shutil.copytree(built_course, root, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
    home = tmp_path / "home"
    monkeypatch.setenv("MLCOURSE_HOME", str(home))
    out = root / "drills" / "ada-interview.ipynb"
    done = mlcourse(root, "interview", "--topics", "F6", "--minutes", "20", "--learner", "ada", "--out", str(out))
    assert done.returncode == 0 and "Wrote" in done.stdout, done.stdout + done.stderr
    nb = json.loads(out.read_text())
    info = nb["metadata"]["mlcourse"]["interview"]
    assert info["task"] == RIGGED_TASK and info["quizzes"] and all(q.startswith("F6") for q in info["quizzes"])
    design = yaml.safe_load((root / "course" / "design_questions.yaml").read_text())[info["design"]]
    text = json.dumps(nb)
    assert design["prompt"] in text
    for hidden in [design["model_answer"][:60], *(r["point"] for r in design["rubric"])]:
        assert hidden not in text, "the model answer and the rubric must stay out of the notebook until the reveal"
    assert mlcourse(root, "interview", "--topics", "F6", "--out", str(out)).returncode == 2  # never overwrites

    # The learner: right quizzes, the reference function, and a design answer that covers two rubric points.
    key = S.quiz_key(ASSIGNMENT, root)
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if src.startswith('quiz("'):
            qid = src.split('"')[1]
            cell["source"] = f'quiz("{qid}", answer={json.dumps(key[qid])})'
        if cell.get("metadata", {}).get("mlcourse", {}).get("task") == RIGGED_TASK:
            cell["source"] = _solution(root)
        if cell.get("metadata", {}).get("mlcourse", {}).get("design_answer"):
            cell["source"] = " and ".join(r["look_for"][0] for r in design["rubric"][:2])
    out.write_text(json.dumps(nb))
    done = mlcourse(root, "interview", "--grade", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert f"{len(info['quizzes'])}/{len(info['quizzes'])} correct" in done.stdout
    assert f"{RIGGED_TASK}: passed" in done.stdout, done.stdout
    assert f"2/{len(design['rubric'])} rubric points mentioned" in done.stdout
    assert "the clock was never started" in done.stdout
    report = out.with_name("ada-interview-report.md").read_text()
    assert "| Coding task | 100% |" in report and "What to review next" in report
    assert design["rubric"][2]["point"] in report   # what the answer missed is named after grading
    events = json.loads((home / "review-history.json").read_text())["events"]
    items = {e["item"]: e["outcome"] for e in events}
    assert items[f"task:{RIGGED_TASK}"] == "passed"
    assert all(items[f"quiz:{q}"] == "correct" for q in info["quizzes"])
    assert f"design:{info['design']}" in items

    # A second grading writes a second report, never over the first.
    assert mlcourse(root, "interview", "--grade", str(out)).returncode == 0
    assert out.with_name("ada-interview-report-2.md").exists()
