"""Pass or fail of one task from plain records: the one decision rule of both graders.

:func:`decide` reads what :func:`autograder.specs.runner.task_record` recorded for the learner's
function and for the reference solution and applies the task's :class:`~autograder.specs.Spec`.
``mlcourse grade`` calls it outside the sandbox on the probe's JSON; the hidden test cell calls it
in the kernel. Messages name the kind of input that failed, never its values.
"""
from __future__ import annotations

from dataclasses import dataclass

from ._spec import Inputs

PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"


@dataclass(frozen=True)
class Decision:
    """``status`` of a task, ``where`` it failed (``"visible"``, ``"case"``, ``"hidden"``) and the message."""

    status: str
    where: str = ""
    message: str = ""


def _raised(record) -> str | None:
    return record.get("raised") if type(record) is dict and type(record.get("raised")) is str else None


def _judge(judge, got, expected, inputs) -> str | None:
    try:
        found = judge(got, expected, inputs)
    except Exception:   # a judge meeting data it did not expect: the output is not what was asked for
        return "cannot be compared with the correct result"
    if found is None:
        return None
    return found if type(found) is str and found else "differs from the correct result"


def _calls(judge, got: list, expected: list, inputs: Inputs) -> str | None:
    """``None`` when every recorded call of one variant is acceptable, else what is wrong."""
    if type(got) is not list or len(got) != len(expected):
        return "the checks could not finish on it"
    for g, e in zip(got, expected):
        name = _raised(g)
        if name is not None:
            return f"raised {name}"
        if type(g) is not dict or "value" not in g:
            return "gave no readable result"
        if "value" not in e:
            continue
        found = _judge(judge, g["value"], e["value"], inputs)
        if found:
            return found
    return None


def _case(spec, case, got, expected) -> str | None:
    if type(got) is not dict:
        return f"no result for {case.name}"
    name = _raised(got)
    if case.raises:
        mro = got.get("mro") if type(got.get("mro")) is list else [name]
        if name is not None and case.raises in mro:
            return None
        return f"should raise {case.raises} for {case.name}" + (f", but raised {name}" if name else "")
    if name == "NotImplementedError":
        return f"still raises NotImplementedError for {case.name}"
    if name is not None:
        return f"raised {name} for {case.name}"
    if "value" not in got:
        return f"gave no readable result for {case.name}"
    if type(expected) is not dict or "value" not in expected:
        return None
    found = _judge(case.judge or spec.judge, got["value"], expected["value"], Inputs(build=case.build))
    return f"wrong result for {case.name}: {found}" if found else None


def _inputs(task, spec, seed) -> Inputs:
    """What a judge may look at for variant ``seed``: its data, and the call's arguments where the spec fixes them.

    ``seed`` is ``None`` when the caller did not say which variant it was: a judge that asks for its
    inputs then cannot compare (rather than being given some other variant's data).
    """
    if seed is None:
        def unknown():
            raise LookupError("the variant's seed is unknown")
        return Inputs(data=unknown, build=unknown)
    build = (lambda: spec.variant(task.data(seed))) if spec.variant is not None else None
    return Inputs(data=lambda: task.data(seed), build=build)


def decide(task, spec, report: dict, expected_seeds: list, expected_cases: list, seeds: list[int]) -> Decision:
    """The verdict of one task.

    Parameters
    ----------
    task : course.tasks.Task
    spec : Spec
    report : dict
        The learner's record (validated plain data).
    expected_seeds : list
        The reference's calls per seed, in the order of ``seeds``.
    expected_cases : list
        The reference's record per case of ``spec``.
    seeds : list of int
        The visible variant first, then the hidden ones.
    """
    if not report.get("defined"):
        return Decision(NOT_ATTEMPTED, "", f"`{task.function}` is not defined: run or restore the cell where you write it.")
    if not report.get("callable"):
        return Decision(FAILED, "", f"`{task.function}` should be a function.")
    got_seeds = report.get("seeds") or []
    visible = report.get("visible") if type(report.get("visible")) is dict else {}
    first = got_seeds[0] if got_seeds and type(got_seeds[0]) is list else []
    if visible.get("status") == NOT_ATTEMPTED or any(_raised(c) == "NotImplementedError" for c in first):
        return Decision(NOT_ATTEMPTED, "", f"`{task.function}` still raises NotImplementedError: replace the stub with your code.")
    if visible.get("status") == FAILED:
        message = visible.get("message") if type(visible.get("message")) is str else ""
        return Decision(FAILED, "visible", message.strip().splitlines()[0][:500] if message.strip() else "")
    if len(got_seeds) != len(expected_seeds):
        return Decision(FAILED, "", "the grader could not read this task's result (wrong number of variants).")
    found = _calls(spec.judge, first, expected_seeds[0], _inputs(task, spec, seeds[0]))
    if found:
        return Decision(FAILED, "visible", f"wrong result on the visible example: {found}.")
    got_cases = report.get("cases") if type(report.get("cases")) is list else []
    for i, case in enumerate(spec.cases):
        got = got_cases[i] if i < len(got_cases) else None
        expected = expected_cases[i] if i < len(expected_cases) else None
        found = _case(spec, case, got, expected)
        if found:
            return Decision(FAILED, "case", found[0].upper() + found[1:] + ".")
    wrong = []
    for seed, got, expected in zip(seeds[1:], got_seeds[1:], expected_seeds[1:]):
        found = _calls(spec.judge, got, expected, _inputs(task, spec, seed))
        if found:
            wrong.append(found)
    if wrong:
        return Decision(FAILED, "hidden", f"passes the visible example but gives wrong results on {len(wrong)} of "
                                          f"{len(seeds) - 1} hidden variants of the data ({wrong[0]}): check the cases the "
                                          "statement names (other sizes, ties, empty or single-class input).")
    return Decision(PASSED)
