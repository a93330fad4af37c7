"""The declaration of a task's hidden tests: named cases and the judge that decides them.

A :class:`Spec` is instructor-only (the ``course`` package that students import never sees it).
Both graders use it: ``mlcourse grade`` runs the cases through the probe inside the sandbox and
judges outside it; the hidden test cell of the source notebook calls
:func:`autograder.specs.hidden_tests`, which runs and judges the same cases in the kernel.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable


class Args:
    """Positional and keyword arguments of one call of the learner's function.

    Examples
    --------
    >>> a = Args([1, 2], k=3)
    >>> a.args, a.kwargs
    (([1, 2],), {'k': 3})
    """

    def __init__(self, *args, **kwargs):
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        return f"Args({len(self.args)} positional, keywords {sorted(self.kwargs)})"


#: ``judge(got, expected, inputs) -> message or None``: ``got`` and ``expected`` are plain data (the
#: learner's and the reference's outputs as the probe records them), ``inputs`` an :class:`Inputs`.
Judge = Callable[[Any, Any, "Inputs"], "str | None"]


@dataclass(frozen=True)
class Case:
    """One named hidden case.

    Attributes
    ----------
    name : str
        What kind of input this is, shown to the learner when it fails ("a constant column",
        "k larger than the number of items"); never its values.
    build : callable
        ``build() -> Args``: the inputs, built afresh for every call (the learner may modify them).
    raises : str, optional
        Name of the exception the statement says the function raises here (``"ValueError"``);
        a subclass counts. When set, no output is judged.
    judge : callable, optional
        Overrides the spec's judge for this case.
    run : callable, optional
        Overrides the spec's ``run`` for this case (for instance :func:`keep_inputs`, to judge
        whether the function left its inputs alone).
    """

    name: str
    build: Callable[[], Args]
    raises: str | None = None
    judge: Judge | None = None
    run: Callable | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Spec:
    """Hidden tests of one task.

    Attributes
    ----------
    task : str
        The task id.
    judge : callable
        ``judge(got, expected, inputs)``; returns ``None`` when ``got`` is acceptable, else a short
        message saying what is wrong, without any value. Applied to every recorded call of the
        visible variant and of the hidden variants (there ``inputs.data`` is the variant's data),
        and to every case without a judge of its own (there ``inputs.args``/``inputs.kwargs``).
    cases : tuple of Case
        Named edge cases and inputs that must raise.
    run : callable, optional
        ``run(fn, args) -> value`` calls the learner's function on a case and returns what is
        recorded (for a function that returns an object, the numbers it gives); default
        ``fn(*args.args, **args.kwargs)``.
    variant : callable, optional
        ``variant(data) -> Args``: call the function once per variant on these arguments (through
        ``run``) and judge that one call, with ``inputs.args`` at hand, instead of judging every
        call the visible checks make (whose arguments the judge does not see).
    """

    task: str
    judge: Judge
    cases: tuple = ()
    run: Callable | None = field(default=None, compare=False)
    variant: Callable | None = field(default=None, compare=False)

    def call(self, fn, args: Args, case: "Case | None" = None):
        """Run the learner's (or the reference's) function on one case's inputs."""
        run = (case.run if case is not None and case.run is not None else None) or self.run
        if run is not None:
            return run(fn, args)
        return fn(*args.args, **args.kwargs)


def keep_inputs(fn, args: Args) -> dict:
    """A case's ``run`` that records the inputs after the call too: ``{"result": ..., "inputs": [...]}``.

    With :func:`autograder.specs.judges.keys` the judge can then require that the function did not
    modify its arguments in place (the reference's record holds them unmodified).
    """
    result = fn(*args.args, **args.kwargs)
    data = [a if hasattr(a, "shape") or isinstance(a, (list, tuple, dict, int, float, str, bool)) or a is None
            else type(a).__name__ for a in args.args]      # a model passed in is named, not recorded
    return {"result": result, "inputs": data}


class Inputs:
    """The inputs a judge may look at, built only when it asks (``data`` of a variant, ``args`` of a case)."""

    def __init__(self, data: Callable[[], dict] | None = None, build: Callable[[], Args] | None = None):
        self._data, self._build = data, build

    @cached_property
    def data(self) -> dict:
        return self._data() if self._data is not None else {}

    @cached_property
    def _call(self) -> Args:
        return self._build() if self._build is not None else Args()

    @property
    def args(self) -> tuple:
        return self._call.args

    @property
    def kwargs(self) -> dict:
        return self._call.kwargs
