"""Hidden tests of the tasks of S1–S10 of assignment 2, one :class:`~autograder.specs.Spec` per task.

Each spec accepts exactly what its task's statement allows (the markdown cell above the task's
solution cell in ``source/``) and names every edge case the statement mentions. Where the statement
leaves a choice open (the byte layout of a fingerprint, the order of SMOTE's random draws, the
signs of SVD columns, the column order of a report) the judge checks the properties the statement
asks for instead of the reference's exact output.
"""
from __future__ import annotations

import math
import os
import pickle
import tempfile

import numpy as np

from ._spec import Args, Case, Spec, keep_inputs
from .judges import DIFFERS, approx, columns_up_to_sign, unmodified


def _labelled(judge, **names):
    """A judge for a dict of named parts: the message names the part (``names[key]``) that is wrong."""

    def check(got, expected, inputs=None):
        if type(got) is not dict or type(expected) is not dict:
            return "cannot be read"
        for key, what in names.items():
            if key not in expected:
                continue
            if key not in got:
                return f"gives no result for {what}"
            found = judge(got[key], expected[key], inputs)
            if found:
                return f"{what}: {found}"
        return None

    return check


def _array(value, ndim=None):
    """``value`` (plain data) as a float array, or None when it is not numbers of that many dimensions."""
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return a if ndim is None or a.ndim == ndim else None


# --- S1 prequential_partial_fit ---------------------------------------------------------------------

def _stream(n=257, seed=11):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = (X[:, 0] + X[:, 1] + rng.normal(scale=0.7, size=n) > 0).astype(int)
    return X, y


def _sgd(**kw):
    from sklearn.linear_model import SGDClassifier

    return SGDClassifier(loss="log_loss", random_state=1, **kw)


def _prequential_run(fn, args):
    """What a case records: the scores, and the classes and predictions of the returned model."""
    model, X = args.args[0], args.args[1]
    fitted, scores = fn(*args.args, **args.kwargs)
    return {"scores": np.asarray(scores, dtype=float), "classes": np.asarray(fitted.classes_),
            "predictions": np.asarray(fitted.predict(X)), "caller_model_untouched": not hasattr(model, "classes_")}


def _stream_case(name, n, batch_size, classes=(0, 1), seed=11):
    return Case(name, lambda: Args(_sgd(), *_stream(n, seed), batch_size, np.array(classes)))


def _poisson_stream():
    from sklearn.naive_bayes import MultinomialNB

    rng = np.random.default_rng(3)
    X = rng.poisson(3, size=(200, 6))
    return Args(MultinomialNB(), X, (X[:, 0] > 3).astype(int), 25, [0, 1])


PREQUENTIAL_PARTIAL_FIT = Spec(
    "prequential_partial_fit",
    judge=_labelled(approx(), scores="the scores of the stream", proba="the final model's probabilities",
                    model_untouched="the caller's model (it must stay unfitted: clone it)",
                    short_stream="a stream shorter than one batch",
                    one_class_first="a stream whose first batches hold one class only",
                    multinomial_nb="another estimator (MultinomialNB)",
                    batch_size_0="batch_size = 0 (it should raise ValueError)",
                    classes="the classes of the returned model", predictions="the returned model's predictions",
                    caller_model_untouched="the caller's model (it must stay unfitted: clone it)"),
    run=_prequential_run,
    cases=(
        _stream_case("a stream whose length is not a multiple of batch_size", 257, 50),
        _stream_case("a stream of exactly one batch", 50, 50),
        _stream_case("batch_size = 1", 40, 1),
        _stream_case("classes that the stream never contains", 200, 40, classes=(0, 1, 2)),
        Case("another estimator (MultinomialNB)", _poisson_stream),
        Case("batch_size = 0", lambda: Args(_sgd(), *_stream(60), 0, np.array([0, 1])), raises="ValueError"),
        Case("a negative batch_size", lambda: Args(_sgd(), *_stream(60), -5, np.array([0, 1])), raises="ValueError"),
    ),
)


# --- S3 psi_drift -----------------------------------------------------------------------------------

def _psi_judge(got, expected, inputs=None):
    if type(got) is bool or type(got) not in (int, float):
        return "should be a float"
    return approx(rtol=1e-9, atol=1e-12)(got, expected)


def _ties_at_cuts():
    # The quartiles of 0..100 are the integers 25, 50 and 75: the current sample sits on them.
    rng = np.random.default_rng(4)
    return Args(np.arange(101.0), np.r_[np.repeat([25.0, 50.0, 75.0], 40), rng.integers(0, 101, 60).astype(float)], n_bins=4)


def _empty_reference_bin():
    # 30 % of the reference is 0, so the 10 % and 20 % quantiles are 0 and no reference value lies below it.
    rng = np.random.default_rng(6)
    return Args(np.r_[np.zeros(300), rng.uniform(1, 10, 700)], np.r_[rng.uniform(-2, 0, 100), rng.uniform(0, 10, 400)])


def _with_nans():
    rng = np.random.default_rng(5)
    a, b = rng.poisson(2, 3000).astype(float), rng.poisson(3, 2500).astype(float)
    a[::7], b[::5] = np.nan, np.nan
    return Args(a, b)


PSI_DRIFT = Spec(
    "psi_drift",
    judge=_psi_judge,
    cases=(
        Case("values equal to a cut point", _ties_at_cuts),
        Case("a reference bin left empty by ties", _empty_reference_bin),
        Case("a discrete feature with many ties", lambda: Args(np.random.default_rng(5).poisson(2, 3000).astype(float),
                                                               np.random.default_rng(7).poisson(3, 2500).astype(float))),
        Case("missing values in both samples", _with_nans),
        Case("a current sample entirely outside the reference's range",
             lambda: Args(np.random.default_rng(8).normal(size=500), np.random.default_rng(8).normal(size=500) + 100, n_bins=4)),
        Case("a constant reference feature", lambda: Args(np.full(300, 5.0), np.random.default_rng(9).normal(size=500))),
        Case("lists with n_bins and floor given",
             lambda: Args(list(np.random.default_rng(10).normal(size=400)), list(np.random.default_rng(11).normal(size=300) * 1.5),
                          n_bins=7, floor=1e-3)),
        Case("an empty reference", lambda: Args([], [1.0, 2.0]), raises="ValueError"),
        Case("an all-NaN reference", lambda: Args([np.nan, np.nan], [1.0]), raises="ValueError"),
        Case("an all-NaN current sample", lambda: Args([1.0, 2.0, 3.0], [np.nan]), raises="ValueError"),
        Case("n_bins = 1", lambda: Args([1.0, 2.0, 3.0], [1.0], n_bins=1), raises="ValueError"),
    ),
)


# --- S3 drift_report --------------------------------------------------------------------------------

_report_values = approx(rtol=1e-9, atol=1e-12, columns="name")


def _report_judge(got, expected, inputs=None):
    """Columns matched by name; rows indexed by the reference's column names, in their order."""
    if type(got) is not dict or "__frame__" not in got:
        return "should be a DataFrame"
    index = got["__frame__"].get("index")
    if index != expected["__frame__"].get("index"):
        return "should be indexed by the reference's column names, in the reference's order"
    return _report_values(got, expected)


def _tables(shuffle=False, seed=3):
    from course.datasets.production import drift_frames

    ref, cur = drift_frames(seed, n_ref=1500, n_cur=1200)
    ref.loc[::9, ref.columns[1]] = np.nan
    cur.loc[::4, cur.columns[0]] = np.nan
    return ref, (cur[list(cur.columns[::-1])] if shuffle else cur)


DRIFT_REPORT = Spec(
    "drift_report",
    judge=_report_judge,
    cases=(
        Case("a current table with its columns in another order, and missing values", lambda: Args(*_tables(shuffle=True))),
        Case("a loose alpha and psi_threshold", lambda: Args(*_tables(), alpha=0.5, psi_threshold=0.0)),
        Case("a strict alpha and psi_threshold", lambda: Args(*_tables(), alpha=1e-300, psi_threshold=5.0)),
        Case("one feature compared with itself", lambda: Args(_tables()[0][["age"]], _tables()[0][["age"]])),
        Case("whether the tables are left unmodified", lambda: Args(*_tables(shuffle=True)), run=keep_inputs,
             judge=unmodified(_report_judge)),
    ),
)


# --- S4 model_fingerprint ---------------------------------------------------------------------------

def _sha256_hex(value) -> bool:
    return type(value) is str and len(value) == 64 and set(value) <= set("0123456789abcdef")


def _fingerprint_judge(got, expected, inputs=None):
    # Any byte layout the statement allows gives its own digest: only its form is compared here.
    return None if _sha256_hex(got) else "should be a SHA-256 hex digest (64 lower-case hexadecimal characters)"


def _fingerprint_pair(fn, args):
    """Fingerprints of two (model, X, y) triples: whether they are well-formed, and whether they are equal."""
    first, second = (fn(*triple) for triple in args.args)
    return {"digests": _sha256_hex(first) and _sha256_hex(second), "equal": first == second}


def _pair_judge(should_be_equal: bool):
    def judge(got, expected, inputs=None):
        if type(got) is not dict or type(got.get("equal")) is not bool:
            return "cannot be read"
        if not got.get("digests"):
            return "should return SHA-256 hex digests (64 lower-case hexadecimal characters)"
        if got["equal"] != should_be_equal:
            return "gives different fingerprints for equal content" if should_be_equal else "gives the same fingerprint for different content"
        return None

    return judge


def _regression_data(seed=8):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(120, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + rng.normal(size=120)


def _frame(values):
    import pandas as pd

    return pd.DataFrame(values, columns=[f"feature_{i}" for i in range(values.shape[1])])   # fresh str objects


def _ridge(X, y, alpha=1.0):
    from sklearn.linear_model import Ridge

    return Ridge(alpha=alpha).fit(X, y)


def _frames_twice():
    X, y = _regression_data()
    return Args((_ridge(_frame(X), y), _frame(X), y), (_ridge(_frame(X.copy()), y.copy()), _frame(X.copy()), y.copy()))


def _pickled_copy():
    X, y = _regression_data()
    model = _ridge(_frame(X), y)
    return Args((model, _frame(X), y), (pickle.loads(pickle.dumps(model)), _frame(X.copy()), y.copy()))


def _sgd_twice():
    from sklearn.linear_model import SGDClassifier

    X, y = _regression_data()
    return Args((SGDClassifier(random_state=0).fit(X, y > 0), X, y > 0), (SGDClassifier(random_state=0).fit(X, y > 0), X.copy(), y > 0))


def _renamed_class():
    from sklearn.linear_model import Ridge

    renamed = type("RenamedRidge", (Ridge,), {"__module__": __name__})
    X, y = _regression_data()
    return Args((_ridge(X, y), X, y), (renamed(alpha=1.0).fit(X, y), X, y))


def _changed_intercept():
    X, y = _regression_data()
    model = _ridge(X, y)
    other = pickle.loads(pickle.dumps(model))
    other.intercept_ = other.intercept_ + 1e-9
    return Args((model, X, y), (other, X, y))


def _middle_value_changed():
    X, y = _regression_data()
    X = np.vstack([X] * 10)                                  # 1200 rows: NumPy abbreviates its repr
    y = np.tile(y, 10)
    X2 = X.copy()
    X2[600, 1] += 1e-3
    model = _ridge(X, y)
    return Args((model, X, y), (model, X2, y))


def _tiny_change():
    X, y = _regression_data()
    X2 = X.copy()
    X2[0, 0] += 1e-12
    model = _ridge(X, y)
    return Args((model, X, y), (model, X2, y))


def _reshaped():
    X, y = _regression_data()
    model = _ridge(X, y)
    return Args((model, X, y), (model, X.reshape(X.shape[1], X.shape[0]), y))


def _rows_reordered():
    X, y = _regression_data()
    return Args((_ridge(X, y), X, y), (_ridge(X[::-1].copy(), y[::-1].copy()), X[::-1].copy(), y[::-1].copy()))


def _other_alpha():
    X, y = _regression_data()
    return Args((_ridge(X, y), X, y), (_ridge(X, y, alpha=2.0), X, y))


def _pair_case(name, build, equal):
    return Case(name, build, run=_fingerprint_pair, judge=_pair_judge(equal))


MODEL_FINGERPRINT = Spec(
    "model_fingerprint",
    judge=_fingerprint_judge,
    cases=(
        _pair_case("two identical models fitted on DataFrames (feature names in an object array)", _frames_twice, True),
        _pair_case("a model and its pickled copy", _pickled_copy, True),
        _pair_case("two SGDClassifiers fitted alike", _sgd_twice, True),
        _pair_case("a model of another class with the same parameters and weights", _renamed_class, False),
        _pair_case("a model with another intercept_ (a learned attribute other than coef_)", _changed_intercept, False),
        _pair_case("a large X with one value in the middle changed", _middle_value_changed, False),
        _pair_case("a tiny change to one value of X", _tiny_change, False),
        _pair_case("an X with the same bytes in another shape", _reshaped, False),
        _pair_case("the training rows in another order", _rows_reordered, False),
        _pair_case("a regressor with another alpha", _other_alpha, False),
    ),
)


# --- S4 checkpoint_resume ---------------------------------------------------------------------------

def _checkpoint_epoch(path):
    with open(path, "rb") as f:
        return pickle.load(f)["epoch"]


def _checkpoint_run(fn, args):
    """``args.args[0]`` lists the calls made on one checkpoint file: per call its keyword arguments
    (besides ``X, y, n_epochs``); recorded are the model and the checkpoint's epoch after each."""
    X, y, n_epochs, calls = args.kwargs["X"], args.kwargs["y"], args.kwargs["n_epochs"], args.args[0]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pkl")
        for kwargs in calls:
            model = fn(X, y, n_epochs, path, **kwargs)
            out.append({"coef": model.coef_, "intercept": model.intercept_, "t": model.t_,
                        "checkpoint_epoch": _checkpoint_epoch(path) if os.path.exists(path) else None})
    return out


def _checkpoint_calls(calls, n_epochs=6):
    """``build`` of a case: one data set and the keyword arguments of successive calls on one checkpoint."""

    def build():
        from sklearn.datasets import make_classification

        X, y = make_classification(n_samples=200, n_features=6, random_state=4)
        return Args(calls, X=X, y=y, n_epochs=n_epochs)

    return build


_exactly = approx(rtol=1e-9, atol=1e-12)


def _checkpoint_calls_judge(got, expected, inputs=None):
    if type(got) is not list or type(expected) is not list or len(got) != len(expected):
        return "cannot be read"
    for i, (g, e) in enumerate(zip(got, expected)):
        if type(g) is not dict:
            return "cannot be read"
        if g.get("checkpoint_epoch") != e.get("checkpoint_epoch"):
            return f"after call {i + 1} the checkpoint holds the wrong number of epochs"
        if _exactly(g, e):
            return f"after call {i + 1} the model differs from the correct one"
    return None


CHECKPOINT_RESUME = Spec(
    "checkpoint_resume",
    judge=_labelled(_exactly, full="an uninterrupted run", stopped="a run stopped with stop_after",
                    resumed="the resumption of a stopped run", finished="a call on a finished checkpoint"),
    run=_checkpoint_run,
    cases=(
        Case("a run stopped twice and resumed twice", _checkpoint_calls(
            [dict(batch_size=40, seed=9, stop_after=1), dict(batch_size=40, seed=9, stop_after=4), dict(batch_size=40, seed=9)]),
            judge=_checkpoint_calls_judge),
        Case("stop_after larger than n_epochs", _checkpoint_calls(
            [dict(batch_size=40, seed=9, stop_after=9), dict(batch_size=40, seed=9)]), judge=_checkpoint_calls_judge),
        Case("another seed and a batch_size that does not divide the rows", _checkpoint_calls(
            [dict(batch_size=64, seed=10)], n_epochs=3), judge=_checkpoint_calls_judge),
        Case("a resumed run that stops again", _checkpoint_calls(
            [dict(batch_size=40, seed=9, stop_after=2), dict(batch_size=40, seed=9, stop_after=3),
             dict(batch_size=40, seed=9, stop_after=3)]), judge=_checkpoint_calls_judge),
    ),
)


# --- S5 shap_tree_explainer -------------------------------------------------------------------------

_shap_numbers = approx(rtol=1e-6, atol=1e-9)


def _importance_judge(got, expected) -> str | None:
    """Mean |SHAP| per feature, by name; sorted from the most to the least important (ties in any order)."""
    if type(got) is not dict or "__series__" not in got:
        return "'importance' should be a pandas Series"
    g, e = got["__series__"], expected["__series__"]
    g_index, g_data = g.get("index"), g.get("data")
    if type(g_index) is not list or type(g_data) is not list or len(g_index) != len(g_data):
        return "'importance' cannot be read"
    if sorted(map(str, g_index)) != sorted(map(str, e["index"])) or len(set(map(str, g_index))) != len(g_index):
        return "'importance' should be indexed by the feature names, each once"
    want = dict(zip(map(str, e["index"]), e["data"]))
    if _shap_numbers([g_data[i] for i in range(len(g_index))], [want[str(k)] for k in g_index]):
        return "'importance' should hold each feature's mean absolute SHAP value"
    values = _array(g_data, 1)
    if values is None or np.any(np.diff(values) > 1e-12):
        return "'importance' should be sorted from the most to the least important feature"
    return None


def _shap_judge(got, expected, inputs=None):
    if type(got) is not dict:
        return "should return a dict"
    missing = [k for k in ("values", "base_value", "raw_output", "importance") if k not in got]
    if missing:
        return f"lacks the key {missing[0]!r}"
    if type(got["base_value"]) is not float:
        return "'base_value' should be a float"
    for key in ("values", "base_value", "raw_output"):
        found = _shap_numbers(got[key], expected[key])
        if found:
            return f"{key!r}: {found}"
    return _importance_judge(got["importance"], expected["importance"])


def _breast_cancer():
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer(as_frame=True)
    return data.data, data.target


def _shap_regressor():
    from sklearn.datasets import load_diabetes
    from sklearn.ensemble import GradientBoostingRegressor

    d = load_diabetes(as_frame=True)
    return Args(GradientBoostingRegressor(n_estimators=30, max_depth=2, random_state=0).fit(d.data, d.target), d.data.iloc[:25])


_HGB_COLUMNS = ["mean radius", "mean texture", "worst concavity", "worst area", "mean smoothness"]


def _hist_gradient_boosting(rows):
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = _breast_cancer()
    model = HistGradientBoostingClassifier(max_iter=15, random_state=0).fit(X[_HGB_COLUMNS].iloc[:400], y.iloc[:400])
    return Args(model, X[_HGB_COLUMNS].iloc[400:][rows])


def _served_differently():
    from sklearn.ensemble import GradientBoostingClassifier

    class CalibratedGradientBoosting(GradientBoostingClassifier):
        """Serves a shifted margin: the trees explain one output, the model serves another."""

        def decision_function(self, X):
            return super().decision_function(X) + 0.5

    X, y = _breast_cancer()
    model = CalibratedGradientBoosting(n_estimators=20, max_depth=2, random_state=0).fit(X.iloc[:300, :8], y.iloc[:300])
    return Args(model, X.iloc[300:330, :8])


SHAP_TREE_EXPLAINER = Spec(
    "shap_tree_explainer",
    judge=_shap_judge,
    cases=(
        Case("a regressor (no decision_function)", _shap_regressor),
        Case("HistGradientBoostingClassifier on a subset of the columns", lambda: _hist_gradient_boosting(slice(0, 30))),
        Case("a single row", lambda: _hist_gradient_boosting(slice(3, 4))),
        Case("a model whose served output is not what its trees explain", _served_differently, raises="Exception"),
    ),
)


# --- S7 cooccurrence_embeddings ---------------------------------------------------------------------

_embeddings = columns_up_to_sign(rtol=1e-6, atol=1e-7)


def _baskets(seed=5, n_users=300, n_items=30):
    from course.datasets.production import baskets

    return baskets(seed, n_users=n_users, n_items=n_items)[0]


def _unpicked_item_with_counts():
    X = _baskets()
    X[:, 7] = 0
    return Args(X * 3, 5)


def _with_dislikes():
    X = _baskets(seed=6).astype(float)
    dislikes = np.random.default_rng(6).random(X.shape) < 0.15
    X[dislikes & (X == 0)] = -1.0                           # explicit dislikes are not interactions
    return Args(X, 4)


def _single_items():
    X = np.zeros((8, 5))
    X[np.arange(8), np.arange(8) % 5] = 1.0                 # every user picked one item: nothing co-occurs
    return Args(X, 2)


COOCCURRENCE_EMBEDDINGS = Spec(
    "cooccurrence_embeddings",
    judge=_embeddings,
    cases=(
        Case("an item nobody picked, and counts above 1", _unpicked_item_with_counts),
        Case("negative entries (dislikes), which are not interactions", _with_dislikes),
        Case("dim = n_items", lambda: Args(_baskets(seed=7, n_users=200, n_items=12), 12)),
        Case("dim = 1", lambda: Args(_baskets(seed=8), 1)),
        Case("no co-occurrences at all", _single_items),
        Case("an all-zero matrix", lambda: Args(np.zeros((5, 4)), 2)),
        Case("dim = 0", lambda: Args(_baskets(), 0), raises="ValueError"),
        Case("dim larger than the number of items", lambda: Args(_baskets(), 31), raises="ValueError"),
    ),
)


# --- S9 smote_oversampler ---------------------------------------------------------------------------

def _smote_arguments(inputs):
    """``(X_min, n_new, k)`` of the call being judged: a variant's data or a case's arguments."""
    if inputs.data:
        d = inputs.data
        return np.asarray(d["X_min"], float), int(d["n_new"]), int(d["k"])
    args, kwargs = list(inputs.args), dict(inputs.kwargs)
    names = ["X_min", "n_new", "k", "seed"]
    values = dict(zip(names, args), **kwargs)
    return np.asarray(values["X_min"], float), int(values["n_new"]), int(values.get("k", 5))


def _smote_judge(got, expected, inputs):
    """SMOTE's invariants (the order of the random draws is free): the shape, every row on a segment
    between a minority row and one of its k nearest other minority rows, no copies of minority rows,
    and more than the nearest neighbour used."""
    from course.tasks.production.imbalance import on_neighbour_segments

    X_min, n_new, k = _smote_arguments(inputs)
    S = _array(got, 2)
    if S is None or S.shape != (n_new, X_min.shape[1]):
        return "should be an array of n_new rows with the columns of X_min"
    if not np.isfinite(S).all():
        return "contains NaN or inf"
    if not on_neighbour_segments(X_min, S, k).all():
        return "has rows that do not lie on a segment between a minority row and one of its k nearest other minority rows"
    copies = (np.abs(S[:, None, :] - X_min[None, :, :]).max(-1) < 1e-12).any(axis=1)
    if copies.sum() > max(1, 0.05 * n_new):
        return "has many exact copies of minority rows (is a row its own neighbour?)"
    if k >= 2 and n_new >= 30 and on_neighbour_segments(X_min, S, 1).all():
        return "only ever interpolates towards the nearest neighbour: pick one of the k neighbours at random"
    return None


def _smote_shape(fn, args):
    return {"shape": list(np.shape(fn(*args.args, **args.kwargs)))}


def _minority(n=12, d=3, seed=21):
    return np.random.default_rng(seed).normal(size=(n, d))


def _distinct_rows(got, expected, inputs):
    found = _smote_judge(got, expected, inputs)
    if found:
        return found
    return None if len(np.unique(np.round(np.asarray(got, float), 12), axis=0)) > 250 else "gives many identical rows"


SMOTE_OVERSAMPLER = Spec(
    "smote_oversampler",
    judge=_smote_judge,
    cases=(
        Case("k = 1, X_min as a list of lists", lambda: Args([list(r) for r in _minority()], 40, k=1, seed=3)),
        Case("k = n_min - 1", lambda: Args(_minority(), 300, k=11, seed=0), judge=_distinct_rows),
        Case("the default k", lambda: Args(_minority(30, 4, seed=2), 80)),
        Case("n_new = 0", lambda: Args(_minority(), 0), run=_smote_shape, judge=approx()),
        Case("whether X_min is left unmodified", lambda: Args(_minority(), 20, k=3, seed=1), run=keep_inputs,
             judge=unmodified(lambda g, e, i: None)),
        Case("k = n_min", lambda: Args(_minority(), 5, k=12), raises="ValueError"),
        Case("k = 0", lambda: Args(_minority(), 5, k=0), raises="ValueError"),
        Case("a negative n_new", lambda: Args(_minority(), -1), raises="ValueError"),
    ),
)


# --- S9 recall_threshold ----------------------------------------------------------------------------

def _threshold_judge(got, expected, inputs=None):
    if type(got) is bool or type(got) not in (int, float):
        return "should be a float"
    return None if got == expected else DIFFERS


def _tied_scores(fn, args):
    """Thresholds on 30 small data sets with tied scores and targets from 0.1 to 1.0."""
    rng = np.random.default_rng(2)
    out = []
    for i in range(30):
        y = (rng.random(200) < 0.1).astype(int)
        y[i % 7] = 1
        s = np.round(rng.normal(loc=y, scale=1.0), 1)
        out.append(fn(y, s, float(rng.choice([0.1, 0.5, 0.6, 0.8, 0.9, 0.95, 1.0]))))
    return out


def _float_trap(target, n_pos):
    """``n_pos`` positives among ``2 * n_pos`` rows with distinct scores: ``target * n_pos`` is not a whole
    number in floating point although the count of positives needed is."""
    assert math.ceil(target * n_pos) != round(target * n_pos), "not a floating-point trap"

    def build():
        rng = np.random.default_rng(n_pos)
        y = np.r_[np.ones(n_pos, int), np.zeros(n_pos, int)]
        return Args(y, rng.permutation(np.linspace(0.01, 0.99, 2 * n_pos)), target)

    return Case("a target whose product with the number of positives is inexact in floating point", build)


def _five_positives():
    return np.array([1, 1, 1, 1, 1, 0, 0, 0]), np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])


RECALL_THRESHOLD = Spec(
    "recall_threshold",
    judge=_threshold_judge,
    cases=(
        Case("scores with many ties and targets from 0.1 to 1.0", lambda: Args(), run=_tied_scores,
             judge=lambda g, e, i: None if type(g) is list and all(type(x) is float for x in g) and g == e else DIFFERS),
        _float_trap(0.07, 100),
        _float_trap(0.55, 100),
        _float_trap(0.28, 25),
        Case("target_recall = 1", lambda: Args(*_five_positives(), 1.0)),
        Case("scores as lists", lambda: Args([1, 0, 1, 0, 1], [0.3, 0.9, 0.3, 0.1, 0.8], 0.5)),
        Case("no positive in y_true", lambda: Args(np.zeros(5), np.arange(5.0), 0.5), raises="ValueError"),
        Case("target_recall = 0", lambda: Args(*_five_positives(), 0.0), raises="ValueError"),
        Case("target_recall above 1", lambda: Args(*_five_positives(), 1.5), raises="ValueError"),
        Case("a NaN score", lambda: Args(_five_positives()[0], np.r_[np.nan, _five_positives()[1][1:]], 0.5), raises="ValueError"),
    ),
)


# --- S10 int8_quantization --------------------------------------------------------------------------

def _quantization_input(inputs):
    W = inputs.data.get("W") if inputs.data else (inputs.args[0] if inputs.args else None)
    return _array(W, 2)


def _codes_judge(got, expected, inputs):
    """``q`` as the reference rounds it, except where ``W / scale`` is within 1e-9 of a half step without
    being exactly one (another way of dividing may round that one the other way)."""
    q, want = _array(got, 2), _array(expected, 2)
    if q is None or want is None or q.shape != want.shape:
        return "'q' should have the shape of W"
    if not np.array_equal(q, np.round(q)):
        return "'q' should hold integers"
    wrong = q != want
    if not wrong.any():
        return None
    W = _quantization_input(inputs)
    if W is None or W.shape != q.shape:
        return "'q' differs from the correct codes"
    peak = np.abs(W).max(axis=0)
    ratio = W / np.where(peak > 0, peak / 127.0, 1.0)
    off = np.abs(ratio - np.floor(ratio) - 0.5)
    knife_edge = (off < 1e-9) & (off > 0) & (np.abs(q - want) <= 1)
    return None if knife_edge[wrong].all() else "'q' differs from the correct codes (q = np.round(W / scale), clipped)"


def _quantization_judge(got, expected, inputs=None):
    if type(got) is not list or len(got) != 2:
        return "should return (q, scale)"
    found = _codes_judge(got[0], expected[0], inputs)
    if found:
        return found
    found = approx(rtol=1e-12, atol=0)(got[1], expected[1])
    return f"'scale': {found}" if found else None


def _halfway():
    # scale 1.0 (peak 127): the other entries lie exactly half-way between two steps.
    return Args(np.array([[127.0, -2.0], [0.5, 254.0], [1.5, 1.0], [2.5, 3.0], [-0.5, 5.0]]))


QUANTIZE_INT8 = Spec(
    "int8_quantization",
    judge=_quantization_judge,
    cases=(
        Case("an all-zero column and a column whose peak is negative",
             lambda: Args(np.array([[0.5, 0.0, -2.0], [-0.25, 0.0, 1.0], [0.1, 0.0, 2.0]]))),
        Case("weights exactly half-way between two steps", _halfway),
        Case("an integer matrix", lambda: Args(np.array([[3, -7], [127, 0], [-127, 254]]))),
        Case("a single row", lambda: Args(np.array([[0.3, -1.2, 0.0]]))),
        Case("whether W is left unmodified", lambda: Args(np.random.default_rng(1).normal(size=(6, 3))), run=keep_inputs,
             judge=unmodified(_quantization_judge)),
        Case("a 1-D array", lambda: Args(np.ones(4)), raises="ValueError"),
        Case("a 3-D array", lambda: Args(np.ones((2, 2, 2))), raises="ValueError"),
        Case("a NaN weight", lambda: Args(np.array([[1.0, np.nan]])), raises="ValueError"),
        Case("an infinite weight", lambda: Args(np.array([[np.inf, 1.0]])), raises="ValueError"),
    ),
)


SPECS = (PREQUENTIAL_PARTIAL_FIT, PSI_DRIFT, DRIFT_REPORT, MODEL_FINGERPRINT, CHECKPOINT_RESUME, SHAP_TREE_EXPLAINER,
         COOCCURRENCE_EMBEDDINGS, SMOTE_OVERSAMPLER, RECALL_THRESHOLD, QUANTIZE_INT8)
