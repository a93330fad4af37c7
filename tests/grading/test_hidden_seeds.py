"""The batch's hidden seeds: drawn once, or the instructor's own list, never silently replaced."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from autograder.errors import CourseError
from autograder.grading.storage import hidden_seeds


def _course(tmp_path):
    return SimpleNamespace(root=tmp_path)


def _file(tmp_path):
    return tmp_path / ".mlcourse" / "grading" / "01_foundations" / "seeds.json"


def test_seeds_are_drawn_once_and_kept(tmp_path):
    first = hidden_seeds(_course(tmp_path), "01_foundations")
    assert len(first) == 3 and all(0 < s < 2**31 for s in first)
    assert hidden_seeds(_course(tmp_path), "01_foundations") == first == json.loads(_file(tmp_path).read_text())


def test_an_instructors_own_list_of_any_length_is_used(tmp_path):
    _file(tmp_path).parent.mkdir(parents=True)
    _file(tmp_path).write_text("[7, 1234, 98765, 5]")
    assert hidden_seeds(_course(tmp_path), "01_foundations") == [7, 1234, 98765, 5]


@pytest.mark.parametrize("text", ["[]", "[0, 5]", "[1.5]", '["7"]', "{\"seeds\": [1]}", "not json", f"[{2**31}]"])
def test_a_malformed_list_is_refused_in_one_sentence_and_left_as_written(tmp_path, text):
    _file(tmp_path).parent.mkdir(parents=True)
    _file(tmp_path).write_text(text)
    with pytest.raises(CourseError, match=r"should hold a JSON list of hidden seeds.*delete it to draw new ones"):
        hidden_seeds(_course(tmp_path), "01_foundations")
    assert _file(tmp_path).read_text() == text
