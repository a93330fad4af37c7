"""Where grading state lives, written atomically: per-submission results and instructor-only caches."""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
from pathlib import Path

RESULT_FILE = ".mlcourse-grade.json"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.chmod(tmp, 0o644)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def state_dir(course, assignment: str) -> Path:
    """Instructor-only folder for the grader's caches of ``assignment`` (never seen by a sandbox)."""
    return course.root / ".mlcourse" / "grading" / assignment


def hidden_seeds(course, assignment: str, count: int = 3) -> list[int]:
    """The hidden seeds of this assignment's batch: drawn once, kept with the instructor's state.

    Every student of a batch (and a resumed batch) gets the same hidden variants. Delete
    ``.mlcourse/grading/<assignment>/seeds.json`` to draw ``count`` new ones, or write your own
    list there (any number of integers from 1 to 2**31 - 1): both graders read that file.
    """
    path = state_dir(course, assignment) / "seeds.json"
    if path.exists():
        try:
            seeds = json.loads(path.read_text())
        except ValueError:
            seeds = None
        if isinstance(seeds, list) and seeds and all(type(s) is int and 0 < s < 2**31 for s in seeds):
            return seeds
        from ..errors import CourseError

        raise CourseError(f"{path} should hold a JSON list of hidden seeds, integers from 1 to 2**31 - 1 "
                          "(for example [1843, 90211, 7]): fix it, or delete it to draw new ones.")
    seeds = [secrets.randbelow(2**31 - 2) + 1 for _ in range(count)]
    atomic_write_text(path, json.dumps(seeds))
    os.chmod(path, 0o600)
    return seeds


def submission_hash(folder: Path, key: str) -> str:
    """Hash of every file of a submission folder plus the assignment key: unchanged means already graded.

    Read as the grader reads it (:mod:`.submitted`): links are not followed, only named in the hash.
    """
    from .submitted import Refused, check_folder, read_folder

    digest = hashlib.sha256(key.encode())
    try:
        check_folder(folder, folder.parents[1])
        contents = read_folder(folder)
    except (Refused, OSError) as err:
        digest.update(f"unreadable: {err}".encode())
        return digest.hexdigest()
    for rel in sorted(contents.files):
        digest.update(rel.encode() + b"\0" + contents.files[rel] + b"\0")
    for reason in contents.refused:
        digest.update(b"refused\0" + reason.encode() + b"\0")
    return digest.hexdigest()


def result_path(course, student: str, assignment: str) -> Path:
    return course.root / "autograded" / student / assignment / RESULT_FILE


def load_result(course, student: str, assignment: str) -> dict | None:
    path = result_path(course, student, assignment)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None
