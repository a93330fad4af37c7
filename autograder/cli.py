"""The ``mlcourse`` command: a thin layer over :mod:`autograder` and :mod:`course`."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import CourseError


def _build(args) -> int:
    from .build import build
    from .coursedir import CourseDir

    reports = build(CourseDir.find(), args.assignment, check=not args.no_check, timeout=args.timeout)
    failed = False
    for report in reports:
        if report.ok:
            checked = ""
            if not args.no_check:
                checked = (f"; reference passes all {report.graded_cells} graded cells, stub fails them" if report.graded_cells
                           else "; ungraded, runs top to bottom without errors")
            print(f"{report.assignment}: built release/{report.assignment}{checked}.")
        else:
            failed = True
            print(f"{report.assignment}: built, but validation found {len(report.problems)} problem(s):")
            for problem in report.problems:
                print(f"  - {problem}")
    return 1 if failed else 0


def _check(args) -> int:
    from course.selfcheck import self_check

    path = _notebook_to_check(args.notebook)
    result = self_check(path, timeout=args.timeout)
    print(result.render(path.name))
    _record_self_check(result)
    return 0 if result.all_passed else 1


def _notebook_to_check(given: str | None) -> Path:
    """The notebook ``mlcourse check`` runs: a path, an assignment's name (its notebook in the working
    copy), or by default the working copy's most recently saved notebook. A path into ``release/``
    means the learner's own copy of it when there is one (``release/`` holds the blank notebooks)."""
    from .coursedir import CourseDir
    from .workcopy import is_update_copy

    try:
        course = CourseDir.find()
    except CourseError:
        if given is None:
            raise
        return Path(given)
    if given is None:
        saved = [p for p in course.work.glob("*/*.ipynb") if not is_update_copy(p)] if course.work.is_dir() else []
        if not saved:
            raise CourseError("There is no notebook in my-work/ yet: start the course with `bash start.sh` "
                              "(it makes your working copy), or give the notebook to check.")
        path = max(saved, key=lambda p: p.stat().st_mtime)
        print(f"Checking {_shown(path, course)}, your most recently saved notebook (give another as `mlcourse check PATH`).")
        return path
    if given in course.assignments():
        from .workcopy import working_notebook

        return working_notebook(course, given)
    path = Path(given)
    try:
        inside_release = path.resolve().relative_to(course.release.resolve())
    except ValueError:
        return path
    mine = course.work / inside_release
    if mine.is_file():
        print(f"Checking your working copy {_shown(mine, course)} (release/ holds the course's blank notebooks).")
        return mine
    return path


def _shown(path: Path, course) -> str:
    try:
        return path.resolve().relative_to(course.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _record_self_check(result) -> None:
    """A self-checked task that passes or fails is a review event (one not attempted is not)."""
    from course import history

    events = [history.task_event(t["id"], t["question"], t["status"], "check") for t in result.tasks
              if t["status"] in ("passed", "failed")]
    try:
        notes = history.record(events)
    except history.HistoryError as err:
        notes = [f"The results were not added to your review history: {err}"]
    for note in notes:
        print(f"Note: {note}")


def _progress(args) -> int:
    from course import progress
    from course.selfcheck import self_check

    folder = Path(args.folder) if args.folder else _default_work()
    if not folder.is_dir() and not args.folder:
        print("You have no working copy yet: `bash start.sh` (or `mlcourse lab`) makes my-work/. Showing the last saved progress.")
        notebooks = []
    elif not folder.is_dir():
        raise CourseError(f"{folder} is not a folder: give the folder that holds your assignment notebooks.")
    else:
        notebooks = progress.collect(folder)
    if args.run:
        for nb in notebooks:
            fresh = {t["id"]: t["status"] for t in self_check(nb.path, timeout=args.timeout).tasks}
            for item in nb.items:
                if item.kind == "task":
                    item.state = fresh.get(item.id, item.state)
    if notebooks:
        path = progress.save(notebooks)
    else:
        notebooks = progress.from_file()
        path = progress.progress_path()
    scores = progress.summarise(notebooks)
    print(progress.render(scores) if args.all else progress.render_compact(scores))
    print(f"(saved in {path})")
    return 0


def _default_work() -> Path:
    from .coursedir import CourseDir

    try:
        return CourseDir.find().work
    except CourseError:
        return Path.cwd()


def _drill(args) -> int:
    import getpass

    from course import drills
    from .coursedir import CourseDir

    if args.grade:
        from .drill_grading import grade_drill

        return grade_drill(Path(args.grade), sandbox=not args.no_sandbox)
    learner = args.learner or getpass.getuser()
    course = CourseDir.find()
    nb = drills.make_drill(learner, args.topic, course.release)
    slug = "".join(ch if ch.isalnum() else "-" for ch in learner.lower()).strip("-") or "learner"
    out = Path(args.out) if args.out else course.work / "drills" / f"{slug}-{(args.topic or 'any').lower()}.ipynb"
    drills.write_drill(nb, out)
    out = Path(_shown(out, course))
    print(f"Wrote {out}: {', '.join(nb['metadata']['mlcourse']['drill']['tasks'])} (variant {nb['metadata']['mlcourse']['drill']['seed']}).")
    print(f"Open it in JupyterLab; when done: mlcourse drill --grade {out}")
    return 0


def _learner(args) -> str:
    import getpass

    return args.learner or getpass.getuser()


def _slug(learner: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in learner.lower()).strip("-") or "learner"


def _write_notebook(nb, path: Path) -> Path:
    from course.drills import write_drill

    return write_drill(nb, path)


def _review(args) -> int:
    from course import history, review

    if args.grade:
        from .drill_grading import grade_drill

        from course.notebook import read_cells

        metadata, _ = read_cells(Path(args.grade))
        if "review" not in metadata.get("mlcourse", {}):
            raise CourseError(f"{args.grade} is not a review notebook: make one with `mlcourse review`.")
        if "drill" not in metadata["mlcourse"]:
            print("This review has no coding tasks; its quiz answers counted when you checked them.")
            return 0
        return grade_drill(Path(args.grade), sandbox=not args.no_sandbox, source="review")
    events = history.load()
    if args.status:
        print(review.render_status(events))
        return 0
    from .coursedir import CourseDir

    learner = _learner(args)
    nb = review.make_review(learner, CourseDir.find().release, events)
    now = history.now_utc()
    out = Path(args.out) if args.out else review.free_path(Path("drills"), f"{_slug(learner)}-review-{now.astimezone():%Y-%m-%d}")
    _write_notebook(nb, out)
    info = nb["metadata"]["mlcourse"]["review"]
    print(f"Wrote {out}: {len(info['quizzes'])} quiz question(s) and {len(info['tasks'])} task(s) due today.")
    if info["tasks"]:
        print(f"Open it in JupyterLab; when done: mlcourse review --grade {out}")
    return 0


def _interview(args) -> int:
    from course import interview

    if args.grade:
        from .interview_grading import grade_interview

        return grade_interview(Path(args.grade), sandbox=not args.no_sandbox)
    from .coursedir import CourseDir

    learner = _learner(args)
    nb = interview.make_interview(learner, CourseDir.find().release, level=args.level, topics=args.topics,
                                  minutes=args.minutes)
    info = nb["metadata"]["mlcourse"]["interview"]
    out = Path(args.out) if args.out else review_free_path(_slug(learner), info)
    _write_notebook(nb, out)
    print(f"Wrote {out}: {len(info['quizzes'])} quiz question(s), task {info['task'] or '(none)'}, design question "
          f"{info['design']}; {info['minutes']} minutes.")
    print(f"The clock starts when you run its first cell; when done: mlcourse interview --grade {out}")
    return 0


def review_free_path(slug: str, info: dict) -> Path:
    from course.review import free_path

    name = info["level"] if info["level"] != "custom" else "-".join(info["topics"]).lower()
    return free_path(Path("drills"), f"{slug}-interview-{name}")


def _report(args) -> int:
    from .coursedir import CourseDir
    from .report import write_report

    files = write_report(CourseDir.find(), args.assignment, Path(args.out) if args.out else None)
    print(f"Wrote {files.html} with {files.items_csv.name} (per item) and {files.students_csv.name} (per student).")
    return 0


def _grade(args) -> int:
    from .coursedir import CourseDir
    from .grading import Limits, grade
    from .grading.limits import run_mode

    course = CourseDir.find()
    section = course.config().get("MLCourseGrade", {})
    limits = Limits.from_config(section).with_overrides(args.timeout, args.memory)
    run = run_mode(section, full=args.full)
    if args.workers is not None and args.workers < 1:
        print("mlcourse: --workers must be at least 1.", file=sys.stderr)
        return 2
    try:
        summary = grade(course, args.assignment, student=args.student, workers=args.workers, scheduler=args.scheduler,
                        limits=limits, sandbox=not args.no_sandbox, run=run)
    except KeyboardInterrupt:
        print("\nmlcourse: interrupted; finished submissions are saved: run the same command to grade the rest.", file=sys.stderr)
        return 130
    print(summary.render())
    return 1 if any(o.status == "failed" for o in summary.outcomes) else 0


def _feedback(args) -> int:
    from .coursedir import CourseDir
    from .feedback import write_feedback

    written = write_feedback(CourseDir.find(), args.assignment, student=args.student)
    print(f"{args.assignment}: wrote feedback for {len(written)} student(s) in feedback/.")
    return 0


def _doctor(args) -> int:
    from .coursedir import CourseDir
    from .doctor import diagnose

    hub_users = [u.strip() for u in (args.hub_users or "").split(",") if u.strip()]
    if "{username}" not in args.id_template:
        print("mlcourse: --id-template must contain {username}, e.g. jupyter-{username} on TLJH.", file=sys.stderr)
        return 2
    found = diagnose(CourseDir.find(), python=args.python, hub_users=hub_users, id_template=args.id_template)
    print(found.render())
    return 1 if found.problems else 0


def _lab(args) -> int:
    from .lab import launch

    return launch(Path(args.path) if args.path else None, port=args.port, open_browser=not args.no_browser,
                  instructor=args.instructor)


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``mlcourse``."""
    p = argparse.ArgumentParser(prog="mlcourse", description="Machine-Learning-Engineer interview course: learn, check, build and grade.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="generate release/ from source/ with nbgrader and prove the tests honest")
    b.add_argument("assignment", nargs="?", help="assignment folder, e.g. 01_foundations (default: all)")
    b.add_argument("--no-check", action="store_true", help="skip running the reference and the stub")
    b.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell (default: 120)")
    b.set_defaults(func=_build)

    c = sub.add_parser("check", help="self-check a notebook: visible tests only, per task")
    c.add_argument("notebook", nargs="?", help="your notebook or its assignment, e.g. my-work/01_foundations/foundations.ipynb "
                                          "or 01_foundations (default: your most recently saved notebook in my-work/)")
    c.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell (default: 120)")
    c.set_defaults(func=_check)

    pr = sub.add_parser("progress", help="where you stand: quizzes and tasks per syllabus question, and what to do next")
    pr.add_argument("folder", nargs="?", help="folder with your assignment notebooks (default: your working copy, my-work/)")
    pr.add_argument("--all", action="store_true", help="every syllabus question, not only the summary")
    pr.add_argument("--run", action="store_true", help="re-run every notebook's visible checks instead of reading saved outputs")
    pr.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell with --run (default: 120)")
    pr.set_defaults(func=_progress)

    d = sub.add_parser("drill", help="a short exercise on your own variant of the data, graded at once")
    d.add_argument("--topic", help="syllabus question (e.g. F6) or section letter (e.g. F); default: any")
    d.add_argument("--learner", help="your name; it chooses your variant (default: your user name)")
    d.add_argument("--out", help="where to write the drill notebook (default: my-work/drills/<learner>-<topic>.ipynb)")
    d.add_argument("--grade", metavar="NOTEBOOK", help="grade a drill notebook with its hidden tests")
    d.add_argument("--no-sandbox", action="store_true", help="grade without the sandbox (only for your own code)")
    d.set_defaults(func=_drill)

    rv = sub.add_parser("review", help="today's spaced review: the quizzes and tasks you are about to forget, as a notebook")
    rv.add_argument("--status", action="store_true", help="print what is due today and this week, and your weakest topics")
    rv.add_argument("--learner", help="your name (default: your user name)")
    rv.add_argument("--out", help="where to write the notebook (default: drills/<learner>-review-<date>.ipynb)")
    rv.add_argument("--grade", metavar="NOTEBOOK", help="grade a review notebook's tasks on hidden variants too")
    rv.add_argument("--no-sandbox", action="store_true", help="grade without the sandbox (only for your own code)")
    rv.set_defaults(func=_review)

    iv = sub.add_parser("interview", help="a timed mock interview: quizzes, a coding task and a design question")
    iv.add_argument("--level", choices=("junior", "senior", "saas"), default="junior",
                    help="junior: foundations; senior: production and systems; saas: applied ML in a SaaS product")
    iv.add_argument("--topics", help="comma-separated syllabus questions or section letters (e.g. F,S9), instead of --level")
    iv.add_argument("--minutes", type=int, default=45, help="length of the interview (default: 45)")
    iv.add_argument("--learner", help="your name (default: your user name)")
    iv.add_argument("--out", help="where to write the notebook (default: drills/<learner>-interview-<level>.ipynb)")
    iv.add_argument("--grade", metavar="NOTEBOOK", help="score a mock interview and write its report")
    iv.add_argument("--no-sandbox", action="store_true", help="grade without the sandbox (only for your own code)")
    iv.set_defaults(func=_interview)

    r = sub.add_parser("report", help="item analysis of a graded assignment: statistics per item and per student (CSV) and an HTML page")
    r.add_argument("assignment", help="assignment folder, e.g. 01_foundations")
    r.add_argument("--out", help="output folder (default: reports/<assignment>/)")
    r.set_defaults(func=_report)

    g = sub.add_parser("grade", help="grade every submitted/<student>/ASSIGNMENT in sandboxes, in parallel, into the gradebook")
    g.add_argument("assignment", help="assignment folder, e.g. 01_foundations")
    g.add_argument("--student", help="grade only this student's submission")
    g.add_argument("--workers", type=int, help="parallel sandboxes on this machine (default: number of cores)")
    g.add_argument("--scheduler", metavar="ADDRESS", help="send the work to a Dask scheduler, e.g. tcp://10.0.0.5:8786")
    g.add_argument("--timeout", type=float, help="seconds per cell (default: c.MLCourseGrade.timeout, 60)")
    g.add_argument("--memory", metavar="SIZE", help="memory per submission, e.g. 3G (default: c.MLCourseGrade.memory)")
    g.add_argument("--no-sandbox", action="store_true", help="run student code unprotected (only for code you trust)")
    g.add_argument("--full", action="store_true",
                   help="run every cell, worked examples and plots too (default: only the cells the grades depend on)")
    g.set_defaults(func=_grade)

    f = sub.add_parser("feedback", help="per-student HTML feedback of a graded assignment, without hidden tests")
    f.add_argument("assignment", help="assignment folder, e.g. 01_foundations")
    f.add_argument("--student", help="only this student's feedback")
    f.set_defaults(func=_feedback)

    dr = sub.add_parser("doctor", help="check a cohort's set-up on JupyterHub: the exchange's permissions, the course "
                                       "package in the students' Python, student ids against the gradebook")
    dr.add_argument("--python", help="the Python the students' servers run (default: this one; on TLJH /opt/tljh/user/bin/python)")
    dr.add_argument("--hub-users", metavar="NAMES", help="comma-separated hub user names that should be in the gradebook")
    dr.add_argument("--id-template", default="{username}",
                    help="the nbgrader id of hub user {username}: {username} in containers (Z2JH, the default), "
                         "jupyter-{username} on TLJH")
    dr.set_defaults(func=_doctor)

    lab = sub.add_parser("lab", help="open your working copy of the course (my-work/) in JupyterLab")
    lab.add_argument("path", nargs="?", help="folder or notebook to open (default: the orientation notebook in my-work/)")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true", help="print the address instead of opening a browser")
    lab.add_argument("--instructor", action="store_true", help="keep nbgrader's instructor panels (Formgrader, Create Assignment)")
    lab.set_defaults(func=_lab)
    return p


def main(argv=None) -> int:
    """Entry point of the ``mlcourse`` console script."""
    args = parser().parse_args(argv)
    from .coursedir import put_own_scripts_on_path

    put_own_scripts_on_path()
    try:
        return args.func(args)
    except CourseError as err:
        print(f"mlcourse: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # NotebookProblem and friends carry a user-facing sentence
        from course.notebook import NotebookProblem

        from course.drills import DrillError
        from course.history import HistoryError
        from course.interview import InterviewError
        from course.review import ReviewError

        if isinstance(err, (NotebookProblem, LookupError, DrillError, HistoryError, ReviewError, InterviewError)):
            print(f"mlcourse: {err}", file=sys.stderr)
            return 2
        raise
    except KeyboardInterrupt:
        print("mlcourse: interrupted; nothing you wrote was changed.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
