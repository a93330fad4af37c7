"""Hidden tests of assignment 1 (F1–F20), one :class:`~autograder.specs.Spec` per task.

Each spec accepts exactly what its task's statement allows (the statement is the markdown cell
above the task's solution cell in ``source/01_foundations/``) and names every edge case the
statement mentions.
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from ._spec import Args, Case, Spec, keep_inputs
from .judges import DIFFERS, approx, items, rows_up_to_sign, unmodified


def _iris():
    from sklearn.datasets import load_iris

    return load_iris().data


def _arg(inputs, position: int, name: str, default=None):
    """Argument ``name`` of the judged call: a case's own arguments, else the variant's data."""
    if name in inputs.kwargs:
        return inputs.kwargs[name]
    if len(inputs.args) > position:
        return inputs.args[position]
    return inputs.data.get(name, default)


def _numbers(value) -> bool:
    """Whether ``value`` is a flat list of numbers (ints or floats, not bools)."""
    return type(value) is list and all(type(v) in (int, float) for v in value)


def _floats(value) -> bool:
    """Whether every number in the nested lists ``value`` is a float."""
    if type(value) is list:
        return all(_floats(v) for v in value)
    return type(value) is float


def _rng(seed: int):
    return np.random.default_rng(seed)


def _named(**judges):
    """A judge for a tuple output, one judge per value, whose messages name the value (``"impurity differs ..."``)."""
    names = list(judges)

    def judge(got, expected, inputs=None):
        if type(got) is not list or len(got) != len(names):
            return f"should return {len(names)} values ({', '.join(names)})"
        for name, g, e in zip(names, got, expected):
            found = judges[name](g, e, inputs)
            if found:
                return f"{name} {found.replace('item', 'element')}"
        return None

    return judge


# --- F4 stratified_split: any split with test_size * n_c rows of each class (rounded) in the test part.

def _split_judge(got, expected, inputs):
    if type(got) is not list or len(got) != 2:
        return "should return a pair (train_idx, test_idx)"
    train, test = got
    if not (_numbers(train) and _numbers(test)):
        return "should return two arrays of row indices"
    if any(type(v) is not int for v in train + test):
        return "should return integer arrays of row indices (so that y[idx] works)"
    if inputs.args:
        y = np.asarray(inputs.args[0])
    else:   # the calls on a variant use its labels or a prefix of them (the visible checks' list input)
        y = np.asarray(inputs.data["y"])[: len(expected[0]) + len(expected[1])]
    test_size = float(_arg(inputs, 1, "test_size", 0.25))
    if sorted(train + test) != list(range(len(y))):
        return "the two parts must be disjoint and hold every row exactly once"
    in_test = y[np.asarray(test, dtype=int)]
    for c in np.unique(y):
        k, n_c = int(np.sum(in_test == c)), int(np.sum(y == c))
        if abs(k - test_size * n_c) > 0.5 + 1e-9:
            return "a class does not send test_size × n_c of its rows, rounded to the nearest whole number, to the test set"
    return None


def _labels_with_a_single_row():
    return _rng(11).permutation(np.array(["cat"] * 37 + ["dog"] * 12 + ["eel"] * 5 + ["owl"] * 1))


STRATIFIED_SPLIT = Spec(
    "stratified_split",
    judge=_split_judge,
    cases=(
        Case("string labels with a class of a single row", lambda: Args(_labels_with_a_single_row(), test_size=0.2, seed=0)),
        Case("a list of labels with test_size 0.5", lambda: Args(list(_rng(11).integers(0, 2, 101)), test_size=0.5, seed=5)),
        Case("strongly imbalanced classes", lambda: Args(np.repeat([3, 7], [500, 20]), test_size=0.1, seed=2)),
        Case("a single class", lambda: Args(np.zeros(10, dtype=int), test_size=0.3, seed=1)),
        Case("test_size = 0", lambda: Args(_labels_with_a_single_row(), test_size=0, seed=0), raises="ValueError"),
        Case("test_size = 1", lambda: Args(_labels_with_a_single_row(), test_size=1, seed=0), raises="ValueError"),
        Case("test_size larger than 1", lambda: Args(_labels_with_a_single_row(), test_size=1.5, seed=0), raises="ValueError"),
        Case("a negative test_size", lambda: Args(_labels_with_a_single_row(), test_size=-0.1, seed=0), raises="ValueError"),
    ),
)


# --- F6 kfold_cv: fold scores in order (deterministic given the folds), the model left unfitted.

class _FoldProbe:
    """Scores a fold by its first row's id (column 0) and its size / 1000; counts its own fits."""

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self

    def fit(self, X, y):
        self.fits_ = getattr(self, "fits_", 0) + 1
        return self

    def score(self, X, y):
        return 1000.0 * self.fits_ + float(X[0, 0]) + len(X) / 1000


def _probe_rows(n):
    return Args(_FoldProbe(), np.arange(n, dtype=float)[:, None], np.zeros(n), k=5)


def _iris_xy():
    from sklearn.datasets import load_iris

    return load_iris(return_X_y=True)


def _tree():
    from sklearn.tree import DecisionTreeClassifier

    return DecisionTreeClassifier(random_state=0)


def _ridge(alpha=1.0):
    from sklearn.linear_model import Ridge

    return Ridge(alpha=alpha)


def _diabetes_xy(rows=None):
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    return (X, y) if rows is None else (X[:rows], y[:rows])


def _every_third_iris_row():
    X, y = _iris_xy()
    return X[::3], y[::3]


def _scores_and_whether_fitted(fn, args: Args):
    """Records the scores and whether the model passed in was fitted (it must stay unfitted)."""
    scores = fn(*args.args, **args.kwargs)
    return {"scores": scores, "model fitted": hasattr(args.args[0], "coef_")}


_fold_scores = approx(rtol=1e-7, atol=1e-10)


def _unfitted_judge(got, expected, inputs):
    if type(got) is not dict or set(got) != {"scores", "model fitted"}:
        return "cannot be read"
    if got["model fitted"]:
        return "the model passed in was fitted: fit a clone (sklearn.base.clone) in each fold"
    return _fold_scores(got["scores"], expected["scores"], inputs)


KFOLD_CV = Spec(
    "kfold_cv",
    judge=_fold_scores,
    cases=(
        Case("a number of rows that k does not divide", lambda: _probe_rows(103)),
        Case("rows sorted by class", lambda: Args(_tree(), *_iris_xy(), k=3)),
        Case("a regressor (R²)", lambda: Args(_ridge(0.1), *_diabetes_xy(), k=4)),
        Case("leave-one-out (k equal to the number of rows)",
             lambda: Args(_tree(), _iris_xy()[0][::12], _iris_xy()[1][::12], k=13)),
        Case("whether the model passed in stays unfitted", lambda: Args(_ridge(), *_diabetes_xy(60), k=5),
             run=_scores_and_whether_fitted, judge=_unfitted_judge),
        Case("k = 1", lambda: Args(_tree(), *_every_third_iris_row(), k=1), raises="ValueError"),
        Case("k = 0", lambda: Args(_tree(), *_every_third_iris_row(), k=0), raises="ValueError"),
        Case("k larger than the number of rows", lambda: Args(_tree(), *_every_third_iris_row(), k=51), raises="ValueError"),
    ),
)


# --- F8 confusion_prf: the integer matrix exactly, the three rates as numbers (0.0 on a zero denominator).

_rate = approx(rtol=1e-9, atol=1e-12)


def _confusion_judge(got, expected, inputs):
    if type(got) is not dict:
        return "should return a dict"
    for key in ("matrix", "precision", "recall", "f1"):
        if key not in got:
            return f"lacks the key {key!r}"
    matrix = got["matrix"]
    if type(matrix) is not list or len(matrix) != 2 or any(type(r) is not list or len(r) != 2 for r in matrix):
        return "'matrix' should be a 2×2 array"
    if any(type(v) is not int for r in matrix for v in r):
        return "'matrix' should hold integer counts"
    if matrix != expected["matrix"]:
        return f"'matrix' {DIFFERS} (rows actual, columns predicted, negative first)"
    for key in ("precision", "recall", "f1"):
        value = got[key]
        if type(value) not in (int, float):
            return f"{key!r} should be a single number"
        if math.isnan(value):
            return f"{key!r} is NaN: return 0.0 when its denominator is 0"
        found = _rate(value, expected[key], inputs)
        if found:
            return f"{key!r} {found}"
    return None


def _binary_labels(seed):
    rng = _rng(seed)
    t = rng.integers(0, 2, 50)
    return t, np.where(rng.random(50) < 0.3, 1 - t, t)


CONFUSION_PRF = Spec(
    "confusion_prf",
    judge=_confusion_judge,
    cases=(
        Case("random binary labels", lambda: Args(*_binary_labels(5), positive=1)),
        Case("positive = 0, lists as input", lambda: Args(*(list(v) for v in _binary_labels(6)), positive=0)),
        Case("string labels", lambda: Args(np.array(["spam", "ham", "spam", "ham", "ham"]),
                                           np.array(["spam", "spam", "ham", "ham", "ham"]), positive="spam")),
        Case("multiclass labels, one-vs-rest", lambda: Args(_rng(7).integers(0, 3, 40), _rng(8).integers(0, 3, 40), positive=2)),
        Case("no predicted positives", lambda: Args(np.array([1, 0, 1, 0]), np.zeros(4, dtype=int), positive=1)),
        Case("no positives at all", lambda: Args(np.zeros(6, dtype=int), np.zeros(6, dtype=int), positive=1)),
        Case("no actual positives", lambda: Args(np.zeros(5, dtype=int), np.array([0, 1, 0, 1, 0]), positive=1)),
        Case("perfect predictions", lambda: Args(np.array([1, 1, 0]), np.array([1, 1, 0]), positive=1)),
        Case("inputs of different lengths", lambda: Args([1, 0, 1], [1, 0], positive=1), raises="ValueError"),
        Case("a single prediction for several labels", lambda: Args(np.array([1, 0, 1, 1, 0]), np.array([1]), positive=1),
             raises="ValueError"),
    ),
)


# --- F9 scale_train_only: StandardScaler fitted on the training rows (NaN kept, constant columns centred).

_scaled = _named(Z_train=approx(rtol=1e-7, atol=1e-9), Z_test=approx(rtol=1e-7, atol=1e-9))


def _shifted_pair(seed=8):
    rng = _rng(seed)
    return (rng.normal([5, -3, 100], [1, 4, 30], size=(40, 3)), rng.normal([6, -3, 90], [2, 4, 30], size=(15, 3)))


def _with_nan():
    A, B = _shifted_pair()
    A[[1, 7, 20], [0, 2, 2]] = np.nan
    B[[0, 3], [1, 2]] = np.nan
    return A, B


def _constant_column():
    A, B = _shifted_pair()
    return np.column_stack([A[:, 0], np.full(40, 5.0)]), np.column_stack([B[:, 0], np.full(15, 7.0)])


def _integers():
    rng = _rng(9)
    return rng.integers(0, 10, (20, 2)), rng.integers(0, 10, (6, 2))


SCALE_TRAIN_ONLY = Spec(
    "scale_train_only",
    judge=_scaled,
    cases=(
        Case("plain float data", lambda: Args(*_shifted_pair())),
        Case("NaN in training and test rows", lambda: Args(*_with_nan())),
        Case("a column constant in the training rows", lambda: Args(*_constant_column())),
        Case("integer input", lambda: Args(*_integers())),
        Case("lists with a single test row", lambda: Args(_shifted_pair()[0].tolist(), _shifted_pair()[1][:1].tolist())),
        Case("whether integer inputs are left unmodified", lambda: Args(*_integers()), run=keep_inputs, judge=unmodified(_scaled)),
        Case("whether float inputs with NaN are left unmodified", lambda: Args(*_with_nan()), run=keep_inputs,
             judge=unmodified(_scaled)),
    ),
)


# --- F10 degree_by_validation: MSEs within the solvers' agreement, the smallest acceptable degree as an int.

_mse = approx(rtol=1e-4, atol=1e-9)


def _curve_judge(got, expected, inputs):
    if type(got) is not dict:
        return "should return a dict"
    for key in ("train_mse", "val_mse", "best_degree"):
        if key not in got:
            return f"lacks the key {key!r}"
    for key in ("train_mse", "val_mse"):
        found = _mse(got[key], expected[key], inputs)
        if found:
            return f"{key!r} {found}"
    if type(got["best_degree"]) is not int:
        return "'best_degree' should be an int"
    if got["best_degree"] != expected["best_degree"]:
        return "'best_degree' is not the smallest degree whose validation MSE is within (1 + tolerance) of the lowest"
    return None


def _quadratic_points():
    rng = _rng(21)
    xt = rng.uniform(-1, 1, 25)
    yt = 1 - 2 * xt + 3 * xt ** 2 + rng.normal(0, 0.3, 25)
    xv = rng.uniform(-1, 1, 50)
    yv = 1 - 2 * xv + 3 * xv ** 2 + rng.normal(0, 0.3, 50)
    return xt, yt, xv, yv


def _curve_case(degrees, tolerance):
    def build():
        xt, yt, xv, yv = _quadratic_points()
        return Args(list(xt), list(yt), xv, yv, list(degrees), tolerance=tolerance)

    return build


def _nested_fits():
    xs = np.linspace(0, 1, 12)
    return Args(xs, np.sin(3 * xs), xs[::2] + 0.01, np.sin(3 * (xs[::2] + 0.01)), list(range(0, 8)))


DEGREE_BY_VALIDATION = Spec(
    "degree_by_validation",
    judge=_curve_judge,
    cases=(
        Case("degrees in no particular order", _curve_case([4, 6, 2, 0, 1], 0.0)),
        Case("degrees in no particular order, a small tolerance", _curve_case([4, 6, 2, 0, 1], 0.06)),
        Case("degrees in no particular order, a large tolerance", _curve_case([4, 6, 2, 0, 1], 0.2)),
        Case("degrees in descending order", _curve_case([8, 3, 5], 0.0)),
        Case("a single degree", _curve_case([2], 0.0)),
        Case("nested fits of increasing degree", _nested_fits),
        Case("a negative degree", lambda: Args(*_quadratic_points(), [1, -1]), raises="ValueError"),
        Case("a degree equal to the number of training points", lambda: Args(*_quadratic_points(), [3, 25]), raises="ValueError"),
        Case("a degree larger than the number of training points", lambda: Args(*_quadratic_points(), [30]), raises="ValueError"),
    ),
)


# --- F11 lasso_cd: the converged optimum (scikit-learn's Lasso at a tight tolerance), exact zeros included.

def _lasso_optimum(X, y, alpha) -> np.ndarray:
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if alpha == 0:
        return np.linalg.lstsq(X, y, rcond=None)[0]
    from sklearn.linear_model import Lasso

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Lasso(alpha=alpha, fit_intercept=False, tol=1e-14, max_iter=200_000).fit(X, y).coef_


def _lasso_judge(got, expected, inputs):
    X, y, alpha = (np.asarray(_arg(inputs, 0, "X"), dtype=float), np.asarray(_arg(inputs, 1, "y"), dtype=float),
                   float(_arg(inputs, 2, "alpha")))
    if not _numbers(got) or len(got) != X.shape[1]:
        return "should be a float array with one coefficient per column of X"
    w = np.asarray(got, dtype=float)
    if not np.isfinite(w).all():
        return "contains NaN or inf (is there a column of zeros?)"
    best = _lasso_optimum(X, y, alpha)
    if alpha > 0 and not np.array_equal(w == 0, best == 0):
        return "is not exactly 0 where the Lasso's optimum is (soft-threshold each update)"
    if not np.allclose(w, best, rtol=1e-5, atol=1e-5 * max(1.0, float(np.abs(best).max()))):
        return "is not the minimiser of the Lasso objective"
    return None


#: Sweeps from w = 0 in the order w_0, ..., w_{p-1} with a fixed stopping rule give one iterate: the reference's.
_same_iterate = approx(rtol=1e-9, atol=1e-12)


def _correlated_with_a_zero_column():
    rng = _rng(11)
    X = rng.normal(size=(60, 6))
    X[:, 1] = X[:, 0] + 0.3 * rng.normal(size=60)
    X[:, 4] = 0.0
    y = 3 * X[:, 0] - 2 * X[:, 2] + rng.normal(size=60)
    return X, y


def _above_alpha_max():
    X, y = _correlated_with_a_zero_column()
    return Args(X, y, 1.01 * np.abs(X.T @ y).max() / len(y))


def _well_conditioned():
    rng = _rng(12)
    X = rng.normal(size=(40, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=40)


LASSO_CD = Spec(
    "lasso_cd",
    judge=_lasso_judge,
    cases=(
        *(Case(f"correlated columns and a column of zeros, {size} alpha",
               lambda alpha=alpha: Args(*_correlated_with_a_zero_column(), alpha, max_iter=20_000, tol=1e-11))
          for size, alpha in (("a small", 0.02), ("a medium", 0.3), ("a large", 1.0))),
        Case("a column of zeros with the default max_iter and tol", lambda: Args(*_correlated_with_a_zero_column(), 0.1)),
        Case("alpha above max|Xᵀy| / n (every coefficient 0)", _above_alpha_max),
        Case("alpha = 0 (least squares)", lambda: Args(*_well_conditioned(), 0.0, max_iter=10_000, tol=1e-13)),
        Case("a single sweep (max_iter = 1)", lambda: Args(*_correlated_with_a_zero_column(), 0.05, max_iter=1),
             judge=_same_iterate),
        # The stopping rule is fixed too: with a loose tol the sweeps stop early, where the reference's do.
        Case("a loose tol", lambda: Args(*_correlated_with_a_zero_column(), 0.05, tol=0.05), judge=_same_iterate),
        Case("whether X and y are left unmodified", lambda: Args(*_correlated_with_a_zero_column(), 0.1), run=keep_inputs,
             judge=unmodified(_lasso_judge)),
        Case("a negative alpha", lambda: Args(*_correlated_with_a_zero_column(), -0.1), raises="ValueError"),
        Case("X and y with different numbers of rows", lambda: Args(_correlated_with_a_zero_column()[0],
                                                                    _correlated_with_a_zero_column()[1][:-1], 0.1),
             raises="ValueError"),
    ),
)


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


# --- F15 gini_split: the reference's threshold (ties to the smallest) and impurity.

_split = _named(threshold=approx(rtol=1e-9, atol=1e-9), impurity=approx(rtol=1e-9, atol=1e-12))


def _three_classes(seed):
    rng = _rng(seed)
    x = np.round(rng.normal(size=90), 2)
    y = np.where(x < -0.4, "low", np.where(x < 0.6, "mid", "high"))
    flip = rng.random(90) < 0.2
    y[flip] = rng.choice(["low", "mid", "high"], size=flip.sum())
    return Args(x, y)


def _rounding_tie():
    # Thresholds 0.5 and 2.5 have the same impurity, 1/3, but in floating point the second often comes out
    # one unit in the last place lower: a plain argmin then picks the larger threshold.
    order = _rng(3).permutation(9)
    x = np.arange(9, dtype=float)[order]
    y = np.array(["a", "b", "a", "b", "b", "b", "b", "a", "b"])[order]
    return Args(x, y)


GINI_SPLIT = Spec(
    "gini_split",
    judge=_split,
    cases=(
        *(Case("three classes with string labels", lambda seed=seed: _three_classes(seed)) for seed in (5, 6, 7)),
        Case("two thresholds with the same impurity", lambda: Args([1.0, 2.0, 3.0, 4.0], [0, 1, 0, 1])),
        Case("two thresholds whose impurities differ only by rounding", _rounding_tie),
        Case("repeated, unsorted x values", lambda: Args([2.0, 1.0, 2.0, 1.0], [0, 1, 1, 0])),
        Case("x with a single distinct value", lambda: Args([3.0, 3.0, 3.0], [0, 1, 1])),
        Case("a pure node and integer x", lambda: Args([1, 3, 2], [1, 1, 1])),
        Case("x containing NaN", lambda: Args([1.0, np.nan, 2.0], [0, 1, 0]), raises="ValueError"),
        Case("x and y of different lengths", lambda: Args([1.0, 2.0], [0, 1, 1]), raises="ValueError"),
        Case("empty inputs", lambda: Args([], []), raises="ValueError"),
    ),
)


# --- F16 gradient_descent: the iterates are fully determined by the statement: compared with the reference's.

_descent = _named(w=approx(rtol=1e-7, atol=1e-9), b=approx(rtol=1e-7, atol=1e-9), losses=approx(rtol=1e-7, atol=1e-9))


def _gd_points(seed=7, offsets=(0.0, 0.0)):
    rng = _rng(seed)
    X = rng.normal(size=(50, 2)) + np.asarray(offsets)
    return X, X @ np.array([2.0, -1.0]) + 0.5 + 0.1 * rng.normal(size=50)


def _gd_far_from_least_squares():
    rng = _rng(8)
    X = rng.normal(size=(300, 4))
    return Args(X, X @ np.array([1.0, 0.0, -3.0, 0.5]) - 7.0 + rng.normal(size=300), lr=0.2, n_iters=400)


GRADIENT_DESCENT = Spec(
    "gradient_descent",
    judge=_descent,
    cases=(
        Case("three iterations", lambda: Args(*_gd_points(), lr=0.05, n_iters=3)),
        # Columns with non-zero means: b computed from the new w drifts away from the simultaneous update.
        Case("columns that are not centred", lambda: Args(*_gd_points(offsets=(3.0, -2.0)), lr=0.05, n_iters=60)),
        Case("n_iters = 0", lambda: Args(_gd_points()[0][:, :1], _gd_points()[1], lr=0.1, n_iters=0)),
        Case("a learning rate too large to converge", lambda: Args(*_gd_points(), lr=2.0, n_iters=20)),
        Case("enough iterations to reach least squares", _gd_far_from_least_squares),
        Case("NaN in X", lambda: Args(np.array([[1.0], [np.nan]]), np.array([1.0, 2.0])), raises="ValueError"),
        Case("NaN in y", lambda: Args(np.array([[1.0], [2.0]]), np.array([1.0, np.nan])), raises="ValueError"),
        Case("X and y with different numbers of rows", lambda: Args(np.ones((3, 2)), np.ones(4)), raises="ValueError"),
    ),
)


# --- F17 activations: values and derivatives, float arrays shaped like z.

_close_activation = approx(rtol=1e-9, atol=1e-12)


def _activation_judge(got, expected, inputs):
    if type(got) is not list or len(got) != 2:
        return "should return a pair (a, da)"
    for name, g, e in (("a", got[0], expected[0]), ("da", got[1], expected[1])):
        if (type(g) is list) != (type(e) is list) or (type(e) is list and len(g) != len(e)):
            return f"{name} should have the shape of z"
        if type(e) is list and any((type(u) is list) != (type(v) is list) for u, v in zip(g, e)):
            return f"{name} should have the shape of z"
        if not _floats(g):
            return f"{name} should be a float array"
        found = _close_activation(g, e, inputs)
        if found:
            return f"{name}: {found.replace('item', 'element')}"
    return None


def _kinds(name, build):
    return tuple(Case(f"{name} ({kind})", lambda kind=kind: Args(build(), kind)) for kind in ("relu", "sigmoid", "tanh"))


ACTIVATIONS = Spec(
    "activations",
    judge=_activation_judge,
    cases=(
        *_kinds("a 2-D z", lambda: np.array([[-2.0, 0.0], [1e-8, 3.0]])),
        *_kinds("integer z", lambda: np.array([-3, 0, 2])),
        *_kinds("a 0-d z", lambda: np.array(0.7)),
        *_kinds("z between -4 and 4", lambda: np.linspace(-4, 4, 41) + 0.013),
        Case("very large |z| (sigmoid)", lambda: Args(np.array([-800.0, 800.0]), "sigmoid")),
        Case("the kind 'softmax'", lambda: Args(np.zeros(3), "softmax"), raises="ValueError"),
        Case("the kind 'leaky_relu'", lambda: Args(np.zeros(3), "leaky_relu"), raises="ValueError"),
        Case("an empty kind", lambda: Args(np.zeros(3), ""), raises="ValueError"),
    ),
)


# --- F19 roc_auc: roc_curve(drop_intermediate=False) and roc_auc_score, ties included.

_roc = _named(fpr=approx(rtol=1e-9, atol=1e-12), tpr=approx(rtol=1e-9, atol=1e-12), auc=approx(rtol=1e-9, atol=1e-12))


def _tied_scores(n, decimals, seed):
    rng = _rng(seed)
    y = (rng.random(n) < 0.4).astype(int)
    y[:2] = [0, 1]
    return Args(list(y), list(np.round(rng.normal(y * 0.8, 1.0), decimals)))


ROC_AUC = Spec(
    "roc_auc",
    judge=_roc,
    cases=(
        Case("every score tied", lambda: Args(np.array([0, 1, 0, 1]), np.array([0.5, 0.5, 0.5, 0.5]))),
        Case("a perfect ranking", lambda: Args(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9]))),
        Case("an inverted ranking", lambda: Args(np.array([0, 0, 1, 1]), -np.array([0.1, 0.2, 0.8, 0.9]))),
        *(Case(f"lists with {what} ties", lambda n=n, d=d, s=s: _tied_scores(n, d, s))
          for what, n, d, s in (("many", 15, 0, 9), ("some", 200, 1, 10), ("few", 500, 3, 11))),
        Case("ties across the two classes", lambda: Args(np.array([1, 0, 1, 0, 1, 0]), np.array([0.9, 0.9, 0.5, 0.5, 0.1, 0.7]))),
        Case("boolean labels", lambda: Args(np.array([False, True, False, True]), np.array([0.2, 0.9, 0.4, 0.3]))),
        Case("a single class", lambda: Args(np.array([1, 1, 1]), np.array([0.1, 0.2, 0.3])), raises="ValueError"),
        Case("a label 2", lambda: Args(np.array([0, 1, 2]), np.array([0.1, 0.2, 0.3])), raises="ValueError"),
        Case("a label -1", lambda: Args(np.array([-1, 1, 1]), np.array([0.1, 0.2, 0.3])), raises="ValueError"),
        Case("a NaN score", lambda: Args(np.array([0, 1]), np.array([0.1, np.nan])), raises="ValueError"),
        Case("inputs of different lengths", lambda: Args(np.array([0, 1, 1]), np.array([0.1, 0.2])), raises="ValueError"),
    ),
)


# --- F20 distance_contrast: accurate far from the origin (the Gram shortcut is not).

_contrast = approx(rtol=1e-9, atol=1e-12)

DISTANCE_CONTRAST = Spec(
    "distance_contrast",
    judge=_contrast,
    cases=(
        # The shortcut ‖a‖² + ‖b‖² - 2a·b is off by about 1e-5 here; distances from differences by 1e-13.
        Case("points far from the origin", lambda: Args(_rng(4).random((40, 3)) + 1e4)),
        Case("points very far from the origin", lambda: Args(_rng(5).random((20, 5)) + 1e6)),
        Case("exactly two points", lambda: Args(np.array([[0.0, 0.0], [3.0, 4.0]]))),
        Case("two rows that coincide", lambda: Args(np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]))),
        Case("random points in 7 dimensions", lambda: Args(_rng(6).random((30, 7)))),
        Case("a single row", lambda: Args(np.zeros((1, 3))), raises="ValueError"),
        Case("a 1-D X", lambda: Args(np.zeros(4)), raises="ValueError"),
        Case("a 3-D X", lambda: Args(np.zeros((2, 2, 2))), raises="ValueError"),
        Case("NaN in X", lambda: Args(np.array([[0.0, 1.0], [np.nan, 2.0]])), raises="ValueError"),
    ),
)


SPECS = (STRATIFIED_SPLIT, KFOLD_CV, CONFUSION_PRF, SCALE_TRAIN_ONLY, DEGREE_BY_VALIDATION, LASSO_CD, PCA_SVD, GINI_SPLIT,
         GRADIENT_DESCENT, ACTIVATIONS, ROC_AUC, DISTANCE_CONTRAST)
