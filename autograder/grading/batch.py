"""``mlcourse grade``: grade every submission of an assignment, in parallel, and record the scores.

The main process finds submissions, draws the hidden seeds, runs the reference, hands one job per
submission to a pool (threads waiting on sandboxes, or a Dask cluster), and for every result that
comes back decides the verdicts, writes ``autograded/`` and the result file atomically and
updates the gradebook. Only this process writes the gradebook.
"""
from __future__ import annotations

import base64
import json
import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.quiz import find_question
from course.quiz._bank import QuizError

from ..doctor import unenrolled_note
from ..errors import CourseError
from .assignment import Assignment
from .gradebook import GradebookWriter, read_timestamp
from .enforcement import method as enforcement_method
from .limits import Limits, format_size, run_mode
from .reference import reference_run
from .sandbox import sandbox_problem
from .storage import (atomic_write_bytes, atomic_write_text, hidden_seeds, load_result, result_path,
                      submission_hash)
from .submitted import Refused, check_folder, read_file, read_folder
from .verdict import FAILED, PASSED, CellVerdict, judge_quiz, judge_task, quiz_answers
from .worker import JobFailed, encode_files, kill_all, run_job


@dataclass
class Outcome:
    """How one submission ended in this batch."""

    student: str
    status: str                 # "graded", "failed" or "kept" (finished in an earlier run)
    score: float = 0.0
    max_score: float = 0.0
    reason: str = ""


@dataclass
class Summary:
    """The whole batch: one outcome per submission, and the wall time."""

    assignment: str
    outcomes: list = field(default_factory=list)
    seconds: float = 0.0
    variants: bool = False      # every student graded on their own variant (c.MLCourse.variants)
    notes: list = field(default_factory=list)   # sentences for the instructor, after the scores

    def render(self) -> str:
        graded = [o for o in self.outcomes if o.status == "graded"]
        kept = [o for o in self.outcomes if o.status == "kept"]
        failed = [o for o in self.outcomes if o.status == "failed"]
        lines = [f"{self.assignment}: {len(graded)} graded, {len(failed)} failed"
                 + (f", {len(kept)} already graded (unchanged, kept)" if kept else "") + f" in {self.seconds:.1f} s"
                 + (", each on the student's own variant." if self.variants else ".")]
        for o in sorted(graded + kept, key=lambda o: o.student):
            lines.append(f"  {o.student:<20} {o.score:g}/{o.max_score:g}" + (f"  ({o.reason})" if o.reason else ""))
        for o in sorted(failed, key=lambda o: o.student):
            lines.append(f"  {o.student:<20} FAILED: {o.reason}")
        return "\n".join(lines + self.notes)


def submissions(course, assignment: str, student: str | None = None) -> list[tuple[str, Path]]:
    """``(student, folder)`` of every ``submitted/<student>/<assignment>/``, sorted.

    Links are listed too (not followed): :func:`make_job` refuses them with a reason.
    """
    root = course.root / "submitted"
    found = sorted((p.parent.name, p) for p in root.glob(f"*/{assignment}") if p.is_dir() or p.is_symlink()) if root.is_dir() else []
    if student is not None:
        found = [(s, p) for s, p in found if s == student]
        if not found:
            raise CourseError(f"There is no submitted/{student}/{assignment}/: check the student id.")
    return found


def make_job(course, assignment: Assignment, student: str, folder: Path, seeds, limits: Limits, sandbox: bool,
             run: str = "needed") -> dict:
    """The plain-data job for one submission (or a ``failed`` result when there is nothing to run).

    ``run="needed"`` runs only the cells the verdicts depend on (:mod:`.slicing`), ``"all"`` every cell.
    """
    name = f"{assignment.notebook}.ipynb"
    path = folder / name
    job = {"student": student, "notebook_name": name, "skip_ids": assignment.graded_ids, "tasks": [t.id for t in assignment.tasks],
           "functions": {t.id: t.function for t in assignment.tasks},
           "seeds": list(seeds), "limits": limits.as_dict(), "sandbox": sandbox, "course_root": str(course.root),
           "run": "sliced" if run == "needed" else "all"}
    try:
        check_folder(folder, course.root / "submitted")
        text = read_file(folder, name).decode("utf-8", "replace")
    except Refused as err:
        return {**job, "failed": str(err)}
    except FileNotFoundError:
        others = sorted(p.name for p in folder.glob("*.ipynb"))
        return {**job, "failed": f"no {name} in the submission" + (f" (found {', '.join(others)})" if others else "")}
    except OSError as err:
        return {**job, "failed": f"{name} cannot be read ({err.strerror})"}
    try:
        files = encode_files(assignment.release_dir, skip={name}) if assignment.release_dir.is_dir() else {}
        contents = read_folder(folder, skip={name, "timestamp.txt"})
    except (Refused, JobFailed) as err:
        return {**job, "failed": str(err)}
    except OSError as err:
        return {**job, "failed": f"the submission folder cannot be read ({err.strerror})"}
    files.update({rel: base64.b64encode(data).decode() for rel, data in contents.files.items()})
    return {**job, "notebook_text": text, "files": files, "refused": [f"left out {r}" for r in contents.refused]}


def _annotate(nb, verdicts: dict, assignment: Assignment) -> None:
    """Put each graded cell's verdict in its outputs (and restore its released source)."""
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid not in verdicts or cell.get("cell_type") != "code":
            continue
        v = verdicts[gid]
        cell.source = assignment.release_sources.get(gid, cell.source)
        if v.status == PASSED:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"✔ {v.title}: passed ({v.score:g}/{v.max_score:g})\n")]
        else:
            cell.outputs = [nbformat.v4.new_output("error", ename="NotPassed", evalue=f"{v.status}: {v.message}",
                                                   traceback=[f"✘ {v.title}: {v.status}: {v.message}"])]


def _unjudged(grade_id: str, kind: str, title: str, points: float, err: Exception) -> CellVerdict:
    """The verdict of a cell whose judging raised: failed, with the reason (the batch goes on)."""
    return CellVerdict(grade_id, kind, title, FAILED, 0.0, float(points),
                       f"the grader could not judge the result reported for this cell ({type(err).__name__}): it scores 0.")


def _verdicts(assignment: Assignment, result: dict, reference: dict, nb, visible_seed: int = 0) -> tuple[list, list]:
    """Verdicts of every graded cell, and the names of those whose judging raised.

    What a sandbox reports is untrusted: judging one cell may raise on some shape of it, and that
    cell then fails with a reason instead of stopping the batch.
    """
    probes = result.get("probes") if isinstance(result.get("probes"), dict) else {}
    out, crashed = [], []
    for t in assignment.tasks:
        try:
            expected = reference[t.id]   # {"seeds": [calls per seed], "cases": [record per case], "values": [seed, ...]}
            out.append(judge_task(t, probes.get(f"task:{t.id}"), expected["seeds"], len(expected["seeds"]) - 1, visible_seed,
                                  cases=expected["cases"], seeds=expected["values"]))
        except Exception as err:
            out.append(_unjudged(t.test_id, "task", t.title, t.points, err))
            crashed.append(f"{t.id} ({type(err).__name__}: {str(err)[:100]})")
    try:
        answers = quiz_answers(probes.get("quiz"), nb)
    except Exception as err:
        answers = {}
        crashed.append(f"quiz answers ({type(err).__name__}: {str(err)[:100]})")
    for qid, (gid, points) in assignment.quizzes.items():
        try:
            question = find_question(qid)
        except QuizError as err:       # the course's own bank is broken: every submission would fail
            raise CourseError(str(err)) from None
        try:
            out.append(judge_quiz(question, gid, points, answers))
        except Exception as err:
            out.append(_unjudged(gid, "quiz", f"Quiz {qid}", points, err))
            crashed.append(f"quiz {qid} ({type(err).__name__}: {str(err)[:100]})")
    return out, crashed


def _write_autograded(course, assignment: Assignment, student: str, folder: Path, nb) -> None:
    dest = course.root / "autograded" / student / assignment.name
    dest.mkdir(parents=True, exist_ok=True)
    for rel, data in read_folder(folder).files.items():    # regular files only: links are not followed
        if not rel.endswith(".ipynb"):
            atomic_write_bytes(dest / rel, data)
    atomic_write_text(dest / f"{assignment.notebook}.ipynb", nbformat.writes(nb))


def finish(course, assignment: Assignment, writer: GradebookWriter, student: str, folder: Path, digest: str,
           result: dict, reference: dict, visible_seed: int = 0, notes=()) -> Outcome:
    """Turn a worker's result into verdicts, files and gradebook scores; return the outcome.

    ``reference`` holds the reference's calls for this submission's seeds, the visible one
    (``visible_seed``: the student's variant, or 0) first. ``notes``: one-line remarks recorded
    before the run's own events (files left out of the submission).
    """
    max_score = sum(assignment.points.values())
    timestamp = read_timestamp(folder)
    if result.get("status") != "ran":
        reason = result.get("reason") or "unknown error"
        record = {"hash": digest, "status": "failed", "reason": reason, "verdicts": [], "events": []}
        atomic_write_text(result_path(course, student, assignment.name), json.dumps(record, indent=1))
        writer.record(student, timestamp, {})
        return Outcome(student, "failed", 0.0, max_score, reason)
    nb = nbformat.reads(result["notebook"], as_version=4)
    verdicts, crashed = _verdicts(assignment, result, reference, nb, visible_seed)
    _annotate(nb, {v.grade_id: v for v in verdicts}, assignment)
    _write_autograded(course, assignment, student, folder, nb)
    events = list(notes) + [e for e in result.get("events") or [] if isinstance(e, str)]
    if crashed:
        events.insert(0, f"the grader could not judge {', '.join(crashed)}: scored 0")
    record = {"hash": digest, "status": "graded", "verdicts": [v.as_dict() for v in verdicts],
              "events": events, "seconds": result.get("seconds"), "usage": result.get("usage"), "run": result.get("run", "whole"),
              "phases": result.get("phases", {})}
    atomic_write_text(result_path(course, student, assignment.name), json.dumps(record, indent=1))
    scores = {v.grade_id: v.score for v in verdicts}
    writer.record(student, timestamp, scores)
    return Outcome(student, "graded", sum(scores.values()), max_score, events[0] if events else "")


def finish_guarded(course, assignment: Assignment, writer: GradebookWriter, student: str, folder: Path, digest: str,
                   result: dict, reference_of, visible_seed: int = 0, notes=()) -> Outcome:
    """:func:`finish`, but anything raised for this one submission makes it a failure with a reason.

    Only a :class:`CourseError` (the course itself is broken, so every submission would fail) and
    an interrupt stop the batch. The failure is not kept: the next run grades the submission again.
    """
    try:
        return finish(course, assignment, writer, student, folder, digest, result, reference_of(student), visible_seed, notes)
    except (CourseError, KeyboardInterrupt):
        raise
    except Exception as err:
        reason = f"grader error while recording this submission ({type(err).__name__}: {str(err)[:200]}); run again to retry"
        try:
            writer.rollback()
            writer.record(student, read_timestamp(folder), {})
        except Exception:
            pass
        return Outcome(student, "failed", 0.0, sum(assignment.points.values()), reason)


def _run_local(jobs: list[dict], workers: int):
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mlcourse-grade") as pool:
        futures = {pool.submit(run_job, job): job["student"] for job in jobs}
        try:
            for future in as_completed(futures):
                yield futures[future], future
        except BaseException:
            for future in futures:
                future.cancel()
            kill_all()
            raise


def _run_dask(jobs: list[dict], address: str):
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:
        raise CourseError("--scheduler needs Dask: pip install 'dask[distributed]'.") from None
    try:
        client = Client(address, timeout=20)
    except (OSError, TimeoutError) as err:
        raise CourseError(f"Cannot reach the Dask scheduler at {address} ({err}): start it or check the address.") from None
    try:
        futures = {client.submit(run_job, job, pure=False, key=f"mlcourse-grade-{job['student']}-{os.urandom(4).hex()}"): job["student"]
                   for job in jobs}
        try:
            for future in dask_completed(futures):
                yield futures[future], future
        except BaseException:
            client.cancel(list(futures))
            raise
    finally:
        client.close()


def _catch_interrupt():
    """A SIGINT handler for the batch: the first Ctrl-C kills the running sandboxes and stops at the
    next safe point (never inside a gradebook write); a second one interrupts at once."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        return stop, None

    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        kill_all()

    return stop, signal.signal(signal.SIGINT, handler)


def grade(course, assignment: str, student: str | None = None, workers: int | None = None, scheduler: str | None = None,
          limits: Limits | None = None, sandbox: bool = True, progress=None, run: str | None = None) -> Summary:
    """Grade every submission of ``assignment`` (or one student's) and record the scores.

    Parameters
    ----------
    course : CourseDir
        The course folder.
    assignment : str
        Assignment folder name, e.g. ``"01_foundations"``.
    student : str, optional
        Grade only this student's submission.
    workers : int, optional
        Parallel sandboxes on this machine; default: the number of cores.
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a Dask scheduler to send the jobs to instead.
    limits : Limits, optional
        Resource limits; default from ``c.MLCourseGrade`` in ``nbgrader_config.py``.
    sandbox : bool, default True
        Run student code in bubblewrap; ``False`` runs it unprotected (instructor's choice).
    progress : callable, optional
        ``progress(total) -> Progress``-like object; default a bar on stderr.
    run : {"needed", "all"}, optional
        Run only the cells the grades depend on (default; worked examples and plots are left out,
        and a submission the analysis cannot follow runs whole), or every cell (``--full``, for
        reviewing outputs in formgrader); default ``c.MLCourseGrade.run``.

    Returns
    -------
    Summary
    """
    from .progress import Progress

    started = time.monotonic()
    course.require_assignment(assignment)
    limits = limits or Limits.from_config(course.config().get("MLCourseGrade", {}))
    run = run or run_mode(course.config().get("MLCourseGrade", {}))
    if sandbox:
        problem = sandbox_problem()
        if problem:
            raise CourseError(problem)
        if scheduler:
            notice = (f"Limits: {format_size(limits.memory)} of memory, {limits.processes} processes, {limits.cpu} CPU seconds "
                      "per submission (all its processes together), enforced on each Dask worker as its machine allows.")
        else:
            notice = enforcement_method().describe(limits)
        if progress is None:     # the command line: one line saying how the limits are enforced
            print(notice, file=sys.stderr, flush=True)
    info = Assignment.load(course, assignment)
    variant_of = course.variant_seeds(assignment)
    found = submissions(course, assignment, student)
    if not found:
        raise CourseError(f"No submissions in submitted/*/{assignment}/: collect them first (nbgrader collect or zip_collect).")
    summary = Summary(assignment, variants=variant_of is not None)
    writer = GradebookWriter(course, assignment)
    enrolled = writer.students()
    summary.notes = unenrolled_note([name for name, _ in found if name not in enrolled], enrolled)
    stop, previous_handler = _catch_interrupt()
    try:
        todo = []
        for name, folder in found:
            digest = submission_hash(folder, info.key)
            previous = load_result(course, name, assignment)
            # A whole run's result serves a sliced request too; a sliced one is redone for --full (its outputs).
            same_mode = run == "needed" or (previous or {}).get("run") == "whole"
            if previous and previous.get("hash") == digest and previous.get("status") in ("graded", "failed") and same_mode:
                scores = {v["grade_id"]: v["score"] for v in previous.get("verdicts", [])}
                writer.record(name, read_timestamp(folder), scores)
                summary.outcomes.append(Outcome(name, "kept", sum(scores.values()), sum(info.points.values()),
                                                previous.get("reason", "")))
            else:
                todo.append((name, folder, digest))
        bar = (progress or Progress)(len(todo))
        if todo:
            hidden = hidden_seeds(course, assignment)
            seeds = {name: [variant_of(name) if variant_of else 0, *hidden] for name, _, _ in todo}
            every_seed = list(dict.fromkeys(s for student_seeds in seeds.values() for s in student_seeds))
            # The reference (cached after the first batch) runs alongside the submissions: it is
            # needed only when their results come back.
            reference_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlcourse-reference")
            reference = reference_pool.submit(reference_run, course, info, every_seed, limits,
                                              workers=max(1, (workers or os.cpu_count() or 1) // 2))
            reference_pool.shutdown(wait=False)

            position = {s: i for i, s in enumerate(every_seed)}

            def reference_of(name):
                calls, cases = reference.result()
                return {t: {"seeds": [calls[t][position[s]] for s in seeds[name]], "cases": cases[t], "values": seeds[name]}
                        for t in calls}

            jobs, folders = [], {}
            for name, folder, digest in todo:
                job = make_job(course, info, name, folder, seeds[name], limits, sandbox, run)
                folders[name] = (folder, digest, job.pop("refused", []))
                if "failed" in job:
                    outcome = finish(course, info, writer, name, folder, digest, {"status": "failed", "reason": job["failed"]}, {})
                    summary.outcomes.append(outcome)
                    bar.step(True, name)
                else:
                    jobs.append(job)
            runner = _run_dask(jobs, scheduler) if scheduler else _run_local(jobs, workers or os.cpu_count() or 1)
            for name, future in runner:
                if stop.is_set():   # Ctrl-C: results of killed sandboxes are not recorded
                    raise KeyboardInterrupt
                try:
                    result = future.result()
                except Exception as err:  # a worker crashed or was killed: not finished, graded again next time
                    outcome = Outcome(name, "failed", 0.0, sum(info.points.values()), f"grader error ({type(err).__name__}: {err}); run again to retry")
                else:
                    folder, digest, notes = folders[name]
                    outcome = finish_guarded(course, info, writer, name, folder, digest, result if isinstance(result, dict) else {},
                                             reference_of, seeds[name][0], notes)
                summary.outcomes.append(outcome)
                bar.step(outcome.status == "failed", name)
        bar.close()
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGINT, previous_handler)
        writer.close()
    summary.seconds = time.monotonic() - started
    return summary
