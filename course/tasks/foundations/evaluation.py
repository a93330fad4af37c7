"""Coding tasks of assignment 1 for questions F1–F10: splitting, validation, metrics, scaling."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, expect, expect_close, expect_shape
from .._task import Task
from . import A


def _index_array(value, n: int, what: str) -> np.ndarray:
    """``value`` as a 1-D array of distinct row indices in ``range(n)``."""
    arr = as_array(value, what, ndim=1)
    expect(np.all(arr == np.round(arr)), f"{what} should hold whole-number row indices.")
    arr = arr.astype(int)
    expect(np.all((arr >= 0) & (arr < n)), f"{what} holds indices outside 0..{n - 1}.")
    expect(len(np.unique(arr)) == len(arr), f"{what} lists some rows more than once.")
    return arr


def _allclose(actual, expected, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether two plain numeric values (numbers or nested lists) agree in shape and within tolerance."""
    try:
        a, e = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == e.shape and bool(np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=True))


def _pair(value, what: str) -> tuple:
    """The two items of a returned pair, or a clear failure."""
    expect(isinstance(value, (tuple, list)) and len(value) == 2,
           f"{what} should return a pair (tuple of two arrays), got {type(value).__name__}.")
    return value[0], value[1]


# --- F4: stratified train/test split by hand -----------------------------------------------------

_SPLIT_LABELS = ([0, 1, 2], ["spam", "ham", "eggs"], [7, 3, 5])


def _split_classes(rows) -> np.ndarray:
    """Class index (0, 1, 2: about 60 %, 28 %, 12 % of rows) of each row index, the same in every variant.

    Fixing the class of a row by its index lets the grader compare any correct split with the
    reference's by the class counts of the test rows, whatever random numbers produced them.
    """
    u = np.random.default_rng(20240601).random(1000)[np.asarray(rows, dtype=int)]
    return np.where(u < 0.6, 0, np.where(u < 0.88, 1, 2))


def _split_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    test_size = float(rng.choice([0.2, 0.25, 0.3]))
    n = int(rng.integers(150, 260))
    while True:  # no class whose test share is exactly half a row, so every rounding rule agrees
        counts = np.bincount(_split_classes(np.arange(n)), minlength=3)
        if not np.any(np.isclose(counts * test_size % 1, 0.5)):
            break
        n += 1
    labels = np.array(_SPLIT_LABELS[seed % len(_SPLIT_LABELS)])
    return {"y": labels[_split_classes(np.arange(n))], "test_size": test_size}


def _same_split(actual, expected) -> bool:
    """Any valid split with the reference's class counts in the test part is as good as the reference's."""
    (train, test), (ref_train, ref_test) = actual, expected
    rows = np.concatenate([np.asarray(train, dtype=float).ravel(), np.asarray(test, dtype=float).ravel()])
    if not np.all(rows == np.round(rows)):
        return False
    n = len(ref_train) + len(ref_test)
    if not np.array_equal(np.sort(rows.astype(int)), np.arange(n)):
        return False
    test = np.asarray(test, dtype=float).astype(int)
    return bool(np.array_equal(np.bincount(_split_classes(test), minlength=3),
                               np.bincount(_split_classes(np.asarray(ref_test, dtype=int)), minlength=3)))


def _split_is_stratified(fn, data):
    y, test_size = data["y"], data["test_size"]
    n = len(y)
    tests = []
    for seed in (0, 1, 2, 3):
        train, test = _pair(call(fn, y, test_size=test_size, seed=seed), "stratified_split")
        expect(np.size(test) <= np.size(train), "The test part is larger than the training part: return the pair in the "
               "order (train_idx, test_idx).")
        train = _index_array(train, n, "The training indices")
        test = _index_array(test, n, "The test indices")
        expect(len(np.intersect1d(train, test)) == 0, "Some rows are in both the training and the test set.")
        expect(len(train) + len(test) == n, "Every row must be in exactly one of the two sets; some rows are missing.")
        for c in np.unique(y):
            n_c = int(np.sum(y == c))
            k = int(np.sum(y[test] == c))
            expect(abs(k - test_size * n_c) <= 0.5 + 1e-9,
                   f"Class {c.item()!r} has {n_c} rows and {k} of them went to the test set (seed={seed}); a stratified "
                   f"split sends test_size × {n_c}, rounded to the nearest whole number, there.")
        tests.append(np.sort(test))
    again = _index_array(_pair(call(fn, y, test_size=test_size, seed=0), "stratified_split")[1], n, "The test indices")
    expect(np.array_equal(np.sort(again), tests[0]), "Two calls with the same seed gave different splits: the split must be reproducible.")
    expect(any(not np.array_equal(tests[0], t) for t in tests[1:]),
           "The test set is the same for every seed: shuffle the rows of each class with a generator seeded by `seed`.")


def _split_graded_calls(fn, data):
    """The visible check's calls, then a list input on a shorter prefix of the rows."""
    _split_is_stratified(fn, data)
    y, test_size = data["y"], data["test_size"]
    m = 60
    while np.any(np.isclose(np.bincount(_split_classes(np.arange(m)), minlength=3) * test_size % 1, 0.5)):
        m += 1
    fn(list(y[:m]), test_size=test_size, seed=5)


# --- F6: k-fold cross-validation by hand ---------------------------------------------------------

def _kfold_data(seed: int) -> dict:
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(y), size=300, replace=False)
    return {"X": X[rows], "y": y[rows], "k": int(rng.integers(3, 7))}


def _kfold_matches_sklearn(fn, data):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, cross_validate
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(solver="liblinear", random_state=0))
    X, y, k = data["X"], data["y"], data["k"]
    scores = as_array(call(fn, model, X, y, k), f"kfold_scores(model, X, y, k={k})", ndim=1)
    expect(len(scores) == k, f"kfold_scores should return one score per fold: {k} scores for k={k}, got {len(scores)}.")
    expect(np.all((scores >= 0) & (scores <= 1)), "Accuracy scores must lie between 0 and 1.")
    reference = cross_validate(model, X, y, cv=KFold(n_splits=k), return_train_score=True)
    if np.allclose(scores, reference["train_score"], rtol=1e-6):
        raise CheckFailure("These are the scores on the training rows of each fold: score each model on the fold it "
                           "did not see.")
    expect_close(scores, reference["test_score"], "The array of fold scores", rtol=1e-6,
                 hint="Use contiguous folds in the original row order, like KFold(n_splits=k) without shuffling.")


def _fold_probe():
    """An estimator whose score tells which rows a fold holds and how often its instance was fitted."""
    from sklearn.base import BaseEstimator

    class FoldProbe(BaseEstimator):
        def fit(self, X, y):
            self.fits_ = getattr(self, "fits_", 0) + 1
            return self

        def score(self, X, y):
            # fits of this instance (1 when each fold fits a fresh clone), first row id, fold size
            return 1000.0 * self.fits_ + float(X[0, 0]) + len(X) / 1000

    return FoldProbe()


def _kfold_graded_calls(fn, data):
    """The visible check's calls, then fold layout and cloning, leave-one-out, and a regressor (R²)."""
    from sklearn.linear_model import LogisticRegression, Ridge

    _kfold_matches_sklearn(fn, data)
    X, y, k = data["X"], data["y"], data["k"]
    n = len(y) - k // 2
    fn(_fold_probe(), np.arange(n, dtype=float)[:, None], np.zeros(n), k=k)
    few = np.sort(np.concatenate([np.flatnonzero(y == 0)[:12], np.flatnonzero(y == 1)[:13]]))  # both classes in every fold's training rows
    fn(LogisticRegression(solver="liblinear", random_state=0), X[few], y[few], k=len(few))
    fn(Ridge(alpha=1.0), X[:, 1:], X[:, 0], k=4)


# --- F8: confusion matrix, precision, recall and F1 from scratch ---------------------------------

def _confusion_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n = 200
    while True:  # FP != FN, so that precision and recall differ and cannot be confused
        y_true = (rng.random(n) < 0.3).astype(int)
        flip = rng.random(n) < np.where(y_true == 1, 0.35, 0.12)
        y_pred = np.where(flip, 1 - y_true, y_true)
        if np.sum((y_true == 0) & (y_pred == 1)) != np.sum((y_true == 1) & (y_pred == 0)):
            return {"y_true": y_true, "y_pred": y_pred, "positive": 1}


def _sk_confusion(y_true, y_pred, positive):
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    t = np.asarray(y_true) == positive
    p = np.asarray(y_pred) == positive
    matrix = confusion_matrix(t, p, labels=[False, True])
    precision, recall, f1, _ = precision_recall_fscore_support(t, p, average="binary", pos_label=True, zero_division=0)
    return matrix, float(precision), float(recall), float(f1)


def _confusion_matches_sklearn(fn, data):
    y_true, y_pred, positive = data["y_true"], data["y_pred"], data["positive"]
    out = call(fn, y_true, y_pred, positive=positive)
    expect(isinstance(out, dict), f"confusion_report should return a dict, got {type(out).__name__}.")
    missing = [key for key in ("matrix", "precision", "recall", "f1") if key not in out]
    expect(not missing, f"The returned dict lacks the key(s) {', '.join(map(repr, missing))}.")
    matrix, precision, recall, f1 = _sk_confusion(y_true, y_pred, positive)
    got = expect_shape(out["matrix"], (2, 2), "The matrix")
    if not np.array_equal(got, matrix):
        if np.array_equal(got, matrix.T):
            raise CheckFailure("The matrix is transposed: rows are the actual classes, columns the predicted ones.")
        if np.array_equal(got, matrix[::-1, ::-1]):
            raise CheckFailure("The matrix has the positive class first: put the negative class in row/column 0, "
                               "as scikit-learn does for labels [negative, positive].")
        raise CheckFailure("The matrix has the wrong counts on the visible example.")
    for name, value in (("precision", out["precision"]), ("recall", out["recall"]), ("f1", out["f1"])):
        expect(np.ndim(value) == 0, f"{name} should be a single number, got {type(value).__name__}.")
    if np.isclose(float(out["precision"]), recall) and not np.isclose(recall, precision):
        raise CheckFailure("precision looks like the recall: precision divides the true positives by the predicted positives.")
    expect_close(out["precision"], precision, "precision", rtol=1e-9)
    expect_close(out["recall"], recall, "recall", rtol=1e-9)
    expect_close(out["f1"], f1, "f1", rtol=1e-9, hint="F1 is the harmonic mean of precision and recall.")


def _confusion_graded_calls(fn, data):
    """The visible check's calls, then the edge cases of the statement on the same rows."""
    _confusion_matches_sklearn(fn, data)
    y_true, y_pred, positive = data["y_true"], data["y_pred"], data["positive"]
    negative = 1 - positive
    names = np.array(["ham", "spam"])
    fn(list(names[y_true]), list(names[y_pred]), positive="spam")           # string labels, lists
    fn(y_true, np.full_like(y_pred, negative), positive=positive)           # no predicted positives
    fn(np.full_like(y_true, negative), y_pred, positive=positive)           # no actual positives
    fn(np.full_like(y_true, negative), np.full_like(y_pred, negative), positive=positive)  # no positives at all
    fn(y_true + 2 * (y_pred == 0), y_pred, positive=positive)               # more than two labels: one-vs-rest


def _same_report(actual, expected) -> bool:
    """The four required entries agree (extra entries in the learner's dict are allowed)."""
    return isinstance(actual, dict) and all(key in actual and _allclose(actual[key], expected[key]) for key in expected)


# --- F9: standardization fitted on the training rows only ----------------------------------------

def _scale_data(seed: int) -> dict:
    from sklearn.datasets import load_wine

    X, _ = load_wine(return_X_y=True)
    rng = np.random.default_rng(seed)
    rows = rng.permutation(len(X))
    X = X[:, rng.choice(X.shape[1], size=5, replace=False)]
    X_train, X_test = X[rows[:120]], X[rows[120:]]
    # A flag that never occurs in the training rows (zero variance there) but does in the test rows.
    flag_train = np.zeros((len(X_train), 1))
    flag_test = (rng.random((len(X_test), 1)) < 0.2).astype(float)
    X_train = np.hstack([X_train, flag_train])
    X_test = np.hstack([X_test, flag_test])
    X_test[:, 0] += 1.5 * X_train[:, 0].std()  # the test rows come from a shifted distribution
    return {"X_train": X_train, "X_test": X_test}


def _scaler_fitted_on_train(fn, data):
    from sklearn.preprocessing import StandardScaler

    X_train, X_test = data["X_train"], data["X_test"]
    before = (X_train.copy(), X_test.copy())
    Z_train, Z_test = _pair(call(fn, X_train, X_test), "standardize_train_test")
    expect(np.array_equal(X_train, before[0]) and np.array_equal(X_test, before[1]),
           "standardize_train_test changed its inputs in place: compute new arrays instead.")
    Z_train = expect_shape(Z_train, X_train.shape, "Z_train")
    Z_test = expect_shape(Z_test, X_test.shape, "Z_test")
    expect(np.all(np.isfinite(Z_train)) and np.all(np.isfinite(Z_test)),
           "The output contains NaN or inf: a column that is constant in the training rows has standard deviation 0; "
           "divide it by 1 instead.")
    on_all = StandardScaler().fit(np.vstack([X_train, X_test]))
    if np.allclose(Z_test, on_all.transform(X_test)):
        raise CheckFailure("The output matches a scaler fitted on train and test rows together: compute the mean "
                           "and standard deviation from the training rows only.")
    scaler = StandardScaler().fit(X_train)
    expect_close(Z_train, scaler.transform(X_train), "Z_train", rtol=1e-7, atol=1e-9,
                 hint="Each column needs mean 0 and (population, ddof=0) standard deviation 1 on the training rows.")
    own = (X_test - np.nanmean(X_test, axis=0)) / np.where(np.nanstd(X_test, axis=0) > 0, np.nanstd(X_test, axis=0), 1)
    if np.allclose(Z_test, own):
        raise CheckFailure("Z_test was standardized with its own statistics: use the training mean and standard deviation.")
    expect_close(Z_test, scaler.transform(X_test), "Z_test", rtol=1e-7, atol=1e-9,
                 hint="Transform the test rows with the mean and standard deviation of the training rows.")


def _scale_graded_calls(fn, data):
    """The visible check's calls, then missing values, integer input and a single test row."""
    _scaler_fitted_on_train(fn, data)
    X_train, X_test = data["X_train"].copy(), data["X_test"].copy()
    X_train[::7, 0] = np.nan
    X_test[::5, 1] = np.nan
    fn(X_train, X_test)
    fn(np.round(data["X_train"]).astype(int), np.round(data["X_test"][:1]).astype(int))


# --- F10: choosing model complexity on a validation set ------------------------------------------

def _degree_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)

    def sample(n):
        x = rng.uniform(-1, 1, n)
        return x, np.sin(2.5 * x) + 0.5 * x ** 2 + rng.normal(0, 0.25, n)

    x_train, y_train = sample(30)
    x_val, y_val = sample(60)
    return {"x_train": x_train, "y_train": y_train, "x_val": x_val, "y_val": y_val, "degrees": list(range(0, 13))}


def _poly_mse(x_train, y_train, x_val, y_val, degrees):
    train, val = [], []
    for d in degrees:
        V = np.vander(np.asarray(x_train, float), d + 1)
        coef = np.linalg.lstsq(V, np.asarray(y_train, float), rcond=None)[0]
        train.append(np.mean((V @ coef - y_train) ** 2))
        val.append(np.mean((np.vander(np.asarray(x_val, float), d + 1) @ coef - y_val) ** 2))
    return np.array(train), np.array(val)


def _pick(degrees, val, tolerance):
    degrees = np.asarray(degrees)
    ok = val <= val.min() * (1 + tolerance)
    return int(degrees[ok].min())


def _degree_selected_on_validation(fn, data):
    args = (data["x_train"], data["y_train"], data["x_val"], data["y_val"], data["degrees"])
    train, val = _poly_mse(*args)
    for tolerance in (0.0, 0.1):
        out = call(fn, *args, tolerance=tolerance)
        expect(isinstance(out, dict), f"polynomial_validation_curve should return a dict, got {type(out).__name__}.")
        missing = [key for key in ("train_mse", "val_mse", "best_degree") if key not in out]
        expect(not missing, f"The returned dict lacks the key(s) {', '.join(map(repr, missing))}.")
        got_train = as_array(out["train_mse"], "train_mse", ndim=1)
        got_val = as_array(out["val_mse"], "val_mse", ndim=1)
        expect(len(got_train) == len(args[4]) and len(got_val) == len(args[4]),
               "train_mse and val_mse need one value per degree, in the order of `degrees`.")
        if np.allclose(got_train, val, rtol=1e-4) or np.allclose(got_val, train, rtol=1e-4):
            raise CheckFailure("train_mse and val_mse look swapped.")
        expect_close(got_train, train, "train_mse", rtol=1e-4, atol=1e-9,
                     hint="Fit a least-squares polynomial of each degree on the training points; MSE is the mean squared residual.")
        expect_close(got_val, val, "val_mse", rtol=1e-4, atol=1e-9,
                     hint="Evaluate the polynomial fitted on the training points at the validation points.")
        best = out["best_degree"]
        expect(np.ndim(best) == 0 and float(best) == int(best), "best_degree should be a single whole number.")
        expect(int(best) == _pick(args[4], val, tolerance),
               f"best_degree is not the smallest degree whose validation MSE is within (1 + tolerance) of the "
               f"lowest validation MSE (tolerance={tolerance}).")


def _degree_graded_calls(fn, data):
    """The visible check's calls, then degrees in another order with a tolerance, as lists."""
    _degree_selected_on_validation(fn, data)
    degrees = [9, 8, 7, 6, 5, 4, 3, 2, 1]  # descending: the first acceptable degree is rarely the smallest
    fn(list(data["x_train"]), list(data["y_train"]), list(data["x_val"]), list(data["y_val"]), degrees, tolerance=0.25)


def _same_curve(actual, expected) -> bool:
    """MSEs within the tolerance of the visible check (solvers differ in the last digits) and the same degree."""
    try:
        same_degree = float(actual["best_degree"]) == float(expected["best_degree"])
    except (TypeError, ValueError, KeyError):
        return False
    return (same_degree and _allclose(actual["train_mse"], expected["train_mse"], rtol=1e-4)
            and _allclose(actual["val_mse"], expected["val_mse"], rtol=1e-4))


TASKS = [
    Task(
        id="stratified_split",
        assignment=A,
        question="F4",
        title="A stratified train/test split by hand",
        function="stratified_split",
        points=3,
        hints=(
            "Work class by class: every class sends the same share of its rows to the test set.",
            "For each class, take its row indices with `np.flatnonzero(y == c)`, shuffle them with "
            "`np.random.default_rng(seed)`, and send the first test_size × n_c of them (rounded to the nearest whole "
            "number) to the test set.",
            "Create the generator once, before looping over the classes (`np.unique(y)`), so that one seed fixes the whole "
            "split. The training rows are simply all rows that are not in the test set. Check `0 < test_size < 1` first.",
        ),
        checks=(_split_is_stratified,),
        make_data=_split_data,
        call=_split_graded_calls,
        compare=_same_split,
    ),
    Task(
        id="kfold_cv",
        assignment=A,
        question="F6",
        title="k-fold cross-validation by hand",
        function="kfold_scores",
        points=3,
        hints=(
            "Split the row indices 0..n-1 into k contiguous blocks; each block is the validation fold once.",
            "`np.array_split(np.arange(n), k)` gives the blocks, sized like scikit-learn's KFold (the first n % k folds get one extra row).",
            "For each block: fit `sklearn.base.clone(model)` on the other rows, then score on the block with `.score`. "
            "Raise ValueError before the loop when k < 2 or k > n.",
        ),
        checks=(_kfold_matches_sklearn,),
        make_data=_kfold_data,
        call=_kfold_graded_calls,
    ),
    Task(
        id="confusion_prf",
        assignment=A,
        question="F8",
        title="Confusion matrix, precision, recall and F1 from scratch",
        function="confusion_report",
        points=3,
        hints=(
            "Turn both label arrays into booleans 'is positive' first; then every row is exactly one of TP, FP, FN, TN.",
            "Count with boolean masks, e.g. `tp = np.sum(t & p)` where `t = y_true == positive` and `p = y_pred == positive`; "
            "the matrix is [[TN, FP], [FN, TP]].",
            "Precision divides by the predicted positives, recall by the actual positives; F1 = 2·TP / (2·TP + FP + FN) is "
            "their harmonic mean written without dividing by precision + recall. Test each denominator for 0 before dividing.",
        ),
        checks=(_confusion_matches_sklearn,),
        make_data=_confusion_data,
        call=_confusion_graded_calls,
        compare=_same_report,
    ),
    Task(
        id="scale_train_only",
        assignment=A,
        question="F9",
        title="Standardization fitted on the training rows only",
        function="standardize_train_test",
        points=3,
        hints=(
            "Compute one mean and one standard deviation per column, from the training rows only, and use those same "
            "numbers for both outputs.",
            "`np.nanmean(X_train, axis=0)` and `np.nanstd(X_train, axis=0)` ignore missing values; "
            "`np.array(X, dtype=float)` makes a float copy you can work with (integer input included).",
            "A column that is constant in the training rows has standard deviation 0: give it a scale of 1 "
            "(`np.where(...)` does that for all columns at once). Arithmetic on whole arrays broadcasts the per-column "
            "statistics over the rows, so no loop is needed.",
        ),
        checks=(_scaler_fitted_on_train,),
        make_data=_scale_data,
        call=_scale_graded_calls,
    ),
    Task(
        id="degree_by_validation",
        assignment=A,
        question="F10",
        title="Choosing a polynomial degree on a validation set",
        function="polynomial_validation_curve",
        points=3,
        hints=(
            "Fit on the training points only, for every degree; score each fit on both sets. The choice uses the validation errors only.",
            "`np.polyfit(x_train, y_train, d)` gives the coefficients and `np.polyval(coef, x)` the predictions; the MSE is "
            "`np.mean((pred - y) ** 2)`.",
            "Keep the MSEs in arrays aligned with `degrees`; a boolean mask against `val.min() * (1 + tolerance)` marks the "
            "acceptable degrees, and the answer is the smallest of those, as an int (not the first in the list). "
            "Validate every degree before fitting anything.",
        ),
        checks=(_degree_selected_on_validation,),
        make_data=_degree_data,
        call=_degree_graded_calls,
        compare=_same_curve,
    ),
]
