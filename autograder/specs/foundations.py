"""Hidden tests of assignment 1 (F1–F20), one :class:`~autograder.specs.Spec` per task.

Each spec accepts exactly what its task's statement allows (the statement is the markdown cell
above the task's solution cell in ``source/01_foundations/``) and names every edge case the
statement mentions.
"""
from __future__ import annotations

import numpy as np

from ._spec import Args, Case, Spec, keep_inputs
from .judges import approx, items, rows_up_to_sign, unmodified


def _iris():
    from sklearn.datasets import load_iris

    return load_iris().data


# F13: "match PCA up to the sign of each component"; "do not modify X"; ValueError out of range.
_pca_result = items(rows_up_to_sign(atol=1e-6), approx(rtol=1e-7, atol=1e-9))

PCA_SVD = Spec(
    "pca_svd",
    judge=_pca_result,
    cases=(
        Case("one component of a small data set", lambda: Args(_iris(), 1)),
        Case("every component kept", lambda: Args(_iris(), 4)),
        Case("more features than samples", lambda: Args(np.random.default_rng(3).normal(size=(6, 10)) + 5.0, 5)),
        Case("whether X is left unmodified", lambda: Args(_iris(), 2), run=keep_inputs,
             judge=unmodified(_pca_result)),
        Case("n_components = 0", lambda: Args(_iris(), 0), raises="ValueError"),
        Case("n_components larger than min(n_samples, n_features)", lambda: Args(_iris(), 5), raises="ValueError"),
    ),
)

SPECS = (PCA_SVD,)
