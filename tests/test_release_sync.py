"""``release/`` and ``course/banks/`` are exactly what the build makes from ``source/``.

nbgrader's output is deterministic here (cell checksums are hashes of the sources; cell ids are
kept), and banks use stable salts, so the comparison is byte for byte.
"""
from __future__ import annotations

import shutil
import sys

import pytest

import _support as S

BUILD_ALL = (
    "from autograder.build import build; from autograder.coursedir import CourseDir; "
    "build(CourseDir.find('.'), check=False)"
)


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts}


def _assert_same_tree(built, committed, what):
    got, want = _files(built), _files(committed)
    assert sorted(got) == sorted(want), f"{what}: the build makes {sorted(got)}, the repository has {sorted(want)}"
    stale = [name for name in want if got[name] != want[name]]
    assert not stale, f"{what}: {stale} differ from a fresh build: run `mlcourse build` and commit the result"


@pytest.fixture(scope="module")
def rebuilt(make_course_copy):
    """A copy of the course with release/ and the banks deleted, then rebuilt by build(check=False)."""
    root = make_course_copy("rebuild")
    shutil.rmtree(root / "release")
    for bank in (root / "course" / "banks").glob("*.json"):
        bank.unlink()
    proc = S.run([sys.executable, "-c", BUILD_ALL], root, timeout=600)
    assert proc.returncode == 0, S.explain(proc)
    return root


def test_rebuild_reproduces_release_notebooks(rebuilt):
    _assert_same_tree(rebuilt / "release", S.REPO / "release", "release/")


def test_rebuild_reproduces_quiz_banks(rebuilt):
    _assert_same_tree(rebuilt / "course" / "banks", S.REPO / "course" / "banks", "course/banks/")


def test_every_assignment_has_a_bank_and_a_task_module():
    from course.tasks import ASSIGNMENT_MODULES

    banks = sorted(p.stem for p in (S.REPO / "course" / "banks").glob("*.json"))
    assert banks == S.assignments(), "course/banks/ should hold one bank per folder in source/ and no other"
    unregistered = [a for a in S.assignments() if a not in ASSIGNMENT_MODULES]
    assert not unregistered, f"register {unregistered} in course/tasks/__init__.py ASSIGNMENT_MODULES"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", S.sample_assignments())
def test_mlcourse_build_proves_the_tests_honest(validated_build, assignment):
    """``mlcourse build`` with validation: the reference passes every graded cell, the stub fails each
    (an ungraded notebook runs without errors); and what it writes is what the repository holds."""
    root, runs = validated_build
    proc = runs[assignment]
    assert proc.returncode == 0, S.explain(proc)
    graded = len(S.graded_cells(S.read(S.source_notebook(assignment))))
    done = f"{assignment}: built release/{assignment}; "
    done += f"reference passes all {graded} graded cells, stub fails them." if graded else "ungraded, runs top to bottom without errors."
    assert proc.stdout.splitlines() == [done], S.explain(proc)
    assert "Traceback" not in proc.stderr, S.explain(proc)
    _assert_same_tree(root / "release" / assignment, S.REPO / "release" / assignment, f"release/{assignment} after mlcourse build")
