"""Reading a submission folder: links, devices and FIFOs are refused with a reason, never read through."""
from __future__ import annotations

import os
import stat

import pytest

from autograder.grading.submitted import Refused, check_folder, read_file, read_folder


@pytest.fixture
def course(tmp_path):
    secret = tmp_path / "source" / "solution.ipynb"
    secret.parent.mkdir()
    secret.write_text("instructor's solution")
    folder = tmp_path / "submitted" / "eve" / "A"
    folder.mkdir(parents=True)
    (folder / "work.ipynb").write_text("{}")
    (folder / "data").mkdir()
    (folder / "data" / "rows.csv").write_text("a,b\n")
    return tmp_path, folder, secret


def test_symlinked_file_and_folder_are_refused(course):
    root, folder, secret = course
    (folder / "copied.ipynb").symlink_to(secret)
    (folder / "src").symlink_to(secret.parent)
    assert (folder / "copied.ipynb").read_text() == "instructor's solution"    # what following would read
    contents = read_folder(folder)
    assert sorted(contents.files) == ["data/rows.csv", "work.ipynb"]
    assert contents.refused == ["copied.ipynb is a symbolic link: submit the file itself",
                                "src is a symbolic link: submit the folder itself"]
    with pytest.raises(Refused, match="copied.ipynb is a symbolic link"):
        read_file(folder, "copied.ipynb")
    assert read_file(folder, "work.ipynb") == b"{}"


def test_hard_link_fifo_and_device_are_refused(course):
    root, folder, secret = course
    os.link(secret, folder / "data" / "same.ipynb")
    os.mkfifo(folder / "pipe")
    if os.geteuid() == 0:
        os.mknod(folder / "zero", 0o644 | stat.S_IFCHR, os.makedev(1, 5))
    refused = read_folder(folder).refused
    assert "data/same.ipynb is a hard link to another file: submit a copy of the file itself" in refused
    assert "pipe is a FIFO (named pipe): submit the file itself" in refused
    if os.geteuid() == 0:
        assert "zero is a device file: submit the file itself" in refused


def test_linked_student_or_assignment_folder_is_refused(course):
    root, folder, secret = course
    (root / "submitted" / "mallory").symlink_to(root / "submitted" / "eve")
    with pytest.raises(Refused, match="mallory is a symbolic link, not a folder"):
        check_folder(root / "submitted" / "mallory" / "A", root / "submitted")
    check_folder(folder, root / "submitted")      # a plain folder passes


def test_missing_file_is_not_a_refusal(course):
    _, folder, _ = course
    with pytest.raises(FileNotFoundError):
        read_file(folder, "absent.ipynb")
