"""Hidden tests of the tasks of S11–S20 of assignment 2, one :class:`~autograder.specs.Spec` per task.

Each spec accepts exactly what its task's statement allows (the markdown cell above the task's
solution cell in ``source/``) and names every edge case the statement mentions.
"""
from __future__ import annotations

import math

import numpy as np

from ._spec import Args, Case, Spec, keep_inputs
from .judges import DIFFERS, approx, items, keys, unmodified


def _task(task_id: str):
    from course.tasks import find_task

    return find_task(task_id)


def _is_number(x) -> bool:
    return type(x) in (int, float)


# --- S11: the feature pipeline ----------------------------------------------------------------------
# The grader reduces the returned (unfitted) pipeline to the features and probabilities of a clone of
# it fitted on training rows (Task.call); the cases reduce it the same way on other frames.

def _churn(seed: int = 0):
    from course.datasets.production import churn_frame

    return churn_frame(seed)


def _pipeline_case(numeric, categorical, hour_col, seed=0, rename=None):
    def build():
        train, y_train, test, _ = _churn(seed)
        if rename:
            train, test = train.rename(columns=rename), test.rename(columns=rename)
        return Args(list(numeric), list(categorical), hour_col, frames=(train, y_train, test))

    return build


def _pipeline_run(fn, args: Args):
    train, y_train, test = args.kwargs["frames"]
    numeric, categorical, hour_col = args.args
    return _task("feature_pipeline").call(fn, {"train": train, "y_train": y_train, "test": test, "numeric": numeric,
                                               "categorical": categorical, "hour_col": hour_col})


def _pipeline_steps(fn, args: Args) -> dict:
    """What the statement fixes about the pipeline object itself: its step names and kinds, the model's max_iter."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression

    pipe = fn(*args.args)
    steps = list(getattr(pipe, "steps", []) or [])
    names = [str(name) for name, _ in steps]
    model = steps[-1][1] if steps else None
    return {"names": names,
            "kinds": [isinstance(steps[0][1], ColumnTransformer) if steps else False,
                      isinstance(model, LogisticRegression)],
            "max_iter": model.get_params().get("max_iter") if isinstance(model, LogisticRegression) else None}


_features_close = approx(rtol=1e-7, atol=1e-9)   # sin/cos near 0 differ by a few 1e-16 between formulas
_proba_close = approx(rtol=1e-6, atol=1e-8)


def _pipeline_judge(got, expected, inputs=None):
    if type(got) is not dict or set(got) != {"features", "proba", "proba_blank_row"}:
        return "cannot be read"
    if _features_close(got["features"], expected["features"]):
        return ("the feature matrix differs: numeric columns (median, then standardized) in the order given, sin and cos "
                "of the hour, then one-hot blocks in the order given")
    if _proba_close(got["proba"], expected["proba"]):
        return "the predicted probabilities differ from LogisticRegression(max_iter=1000) on these features"
    if _proba_close(got["proba_blank_row"], expected["proba_blank_row"]):
        return "a serving row with every numeric and categorical value missing is not scored as the statement asks"
    return None


def _steps_judge(got, expected, inputs=None):
    if type(got) is not dict:
        return "cannot be read"
    if got.get("names") != ["features", "model"]:
        return "the pipeline's steps should be named 'features' (the ColumnTransformer) and 'model', in that order"
    if got.get("kinds") != [True, True]:
        return "the pipeline should be a ColumnTransformer followed by a LogisticRegression"
    if got.get("max_iter") != 1000:
        return "the model should be LogisticRegression(max_iter=1000)"
    return None


FEATURE_PIPELINE = Spec(
    "feature_pipeline",
    judge=_pipeline_judge,
    run=_pipeline_run,
    cases=(
        Case("the pipeline's steps", _pipeline_case(["tenure_months"], ["plan"], "signup_hour"),
             run=_pipeline_steps, judge=_steps_judge),
        Case("columns listed in another order than the frame's",
             _pipeline_case(["support_tickets", "monthly_spend", "tenure_months"], ["region", "plan"], "signup_hour", seed=4)),
        Case("one numeric and one categorical column",
             _pipeline_case(["monthly_spend"], ["plan"], "signup_hour", seed=5)),
        Case("columns with other names",
             _pipeline_case(["months", "spend"], ["tier", "area"], "hour", seed=6,
                            rename={"tenure_months": "months", "monthly_spend": "spend", "plan": "tier",
                                    "region": "area", "signup_hour": "hour"})),
    ),
)


# --- S12: a seeded Optuna search with pruning -------------------------------------------------------
# The statement fixes the sampler's seed, the search space and its order, so the first trials (drawn by
# TPE's seeded random start-up sampler, before any value counts) are fixed; what follows depends on the
# reported values, which the judge checks against scikit-learn and the median pruner's rule.

C_RANGE, GAMMA_RANGE = (1e-2, 1e3), (1e-3, 1e2)
STARTUP_TRIALS, WARMUP_STEPS = 5, 1
TUNING_KEYS = {"best_params", "best_score", "direction", "sampler", "pruner", "trials"}


def _running_means(data: dict, params: dict, cache: dict) -> list:
    """The mean fold accuracy after each fold, for ``params``, on the statement's folds."""
    key = (params["C"], params["gamma"])
    if key not in cache:
        from sklearn.model_selection import StratifiedKFold
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC

        X, y = np.asarray(data["X"]), np.asarray(data["y"])
        folds = StratifiedKFold(n_splits=data["n_folds"], shuffle=True, random_state=data["seed"]).split(X, y)
        scores = [make_pipeline(StandardScaler(), SVC(C=key[0], gamma=key[1])).fit(X[tr], y[tr]).score(X[va], y[va])
                  for tr, va in folds]
        cache[key] = [float(v) for v in np.cumsum(scores) / np.arange(1, len(scores) + 1)]
    return cache[key]


def _close(a, b, tol=1e-9) -> bool:
    return _is_number(a) and _is_number(b) and abs(a - b) <= tol


def _tuning_trials(got: dict, expected: dict, data: dict) -> str | None:
    trials, reference = got["trials"], expected["trials"]
    if type(trials) is not list or any(type(t) is not dict for t in trials):
        return "cannot be read"
    if len(trials) != data["n_trials"]:
        return "the study should hold exactly n_trials trials"
    for t in trials:
        params = t.get("params")
        if type(params) is not dict or set(params) != {"C", "gamma"} or not all(map(_is_number, params.values())):
            return "every trial should suggest exactly C and gamma"
        if not (C_RANGE[0] <= params["C"] <= C_RANGE[1] and GAMMA_RANGE[0] <= params["gamma"] <= GAMMA_RANGE[1]):
            return "a trial's parameters lie outside the search space"
        if t.get("state") not in ("COMPLETE", "PRUNED") or type(t.get("reported")) is not list:
            return "every trial should either complete or be pruned"
    for t, r in zip(trials[:STARTUP_TRIALS], reference[:STARTUP_TRIALS]):
        if not all(abs(math.log(t["params"][p]) - math.log(r["params"][p])) <= 1e-9 for p in ("C", "gamma")):
            return ("the first trials' parameters differ from those of TPESampler(seed=seed): suggest C, then gamma, "
                    "each log-uniform over its stated range")
    cache: dict = {}
    n_folds = data["n_folds"]
    for i, t in enumerate(trials):
        reported = t["reported"]
        if not reported or len(reported) > n_folds:
            return "each trial should report once per fold"
        truth = _running_means(data, t["params"], cache)
        if not all(_close(a, b) for a, b in zip(reported, truth)):
            return ("a reported value is not the mean accuracy over the folds so far (StandardScaler + SVC on "
                    "StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed))")
        if t["state"] == "COMPLETE" and (len(reported) != n_folds or not _close(t.get("value"), truth[-1])):
            return "a completed trial should report every fold and return the mean accuracy over all folds"
        done = [u["reported"] for u in trials[:i] if u["state"] == "COMPLETE"]
        last = len(reported) - 1 if t["state"] == "PRUNED" else None
        for step in range(len(reported)):
            if len(done) < STARTUP_TRIALS or step < WARMUP_STEPS:
                prune, margin = False, math.inf
            else:
                median = float(np.percentile([d[step] for d in done], 50))
                best = max(reported[:step + 1])
                prune, margin = best < median, abs(best - median)
            if margin <= 1e-9:
                continue   # a tie up to rounding: either decision is the median pruner's
            if step == last and not prune:
                return "a trial was pruned although MedianPruner(n_startup_trials=5, n_warmup_steps=1) would let it go on"
            if step != last and prune:
                return ("a trial went on although MedianPruner(n_startup_trials=5, n_warmup_steps=1) would stop it: ask "
                        "trial.should_prune() after each report and raise optuna.TrialPruned()")
    complete = [t for t in trials if t["state"] == "COMPLETE"]
    if not complete:
        return "no trial completed"
    top = max(t["value"] for t in complete)
    if not _close(got["best_score"], top):
        return "best_score should be the best value among the completed trials"
    if not any(t["value"] == top and t["params"] == got["best_params"] for t in complete):
        return "best_params should be the parameters of the best completed trial"
    return None


def _tuning_judge(got, expected, inputs=None):
    data = (inputs.data if inputs is not None else None) or (inputs.args[0] if inputs is not None and inputs.args else None)
    if type(got) is not dict or not TUNING_KEYS <= set(got) or type(data) is not dict:
        return "cannot be read"
    if got["direction"] != "MAXIMIZE":
        return "accuracy is to be maximized: direction='maximize'"
    if got["sampler"] != "TPESampler" or got["pruner"] != "MedianPruner":
        return "the study should use a TPESampler and a MedianPruner"
    if type(got["best_params"]) is not dict or not _is_number(got["best_score"]):
        return "should return (best_params, best_score, study)"
    return _tuning_trials(got, expected, data)


def _tuning_data(seed: int, n_trials: int, n_folds: int) -> dict:
    from course.datasets.production import moons_with_noise

    X, y = moons_with_noise(seed)
    return {"X": X, "y": y, "n_trials": n_trials, "seed": seed, "n_folds": n_folds}


def _tuning_run(fn, args: Args):
    return _task("optuna_tuning").call(fn, args.args[0])


def _tuning_twice(fn, args: Args) -> list:
    return [_tuning_run(fn, args), _tuning_run(fn, args)]


def _same_twice(got, expected, inputs=None):
    if type(got) is not list or len(got) != 2:
        return "cannot be read"
    if approx(rtol=0, atol=0)(got[1], got[0]):
        return "two calls with the same arguments gave different studies: seed the sampler and the folds"
    return _tuning_judge(got[0], expected[0], inputs)


OPTUNA_TUNING = Spec(
    "optuna_tuning",
    judge=_tuning_judge,
    run=_tuning_run,
    cases=(
        Case("two calls with the same arguments", lambda: Args(_tuning_data(5, 8, 3)), run=_tuning_twice, judge=_same_twice),
        Case("fewer trials than the sampler's start-up trials", lambda: Args(_tuning_data(6, 3, 4))),
        Case("two folds", lambda: Args(_tuning_data(7, 9, 2))),
    ),
)


# --- S13: audit a table for a leak ------------------------------------------------------------------

def _leak_judge(got, expected, inputs=None):
    if type(got) is not list or len(got) != 3:
        return "should return (leaky_feature, inflated, honest)"
    if got[0] != expected[0]:
        return ("leaky_feature is not the column with the largest max(AUC, 1 - AUC) of its raw values (rows where it "
                "is NaN dropped)")
    close = approx(rtol=1e-6, atol=1e-9)
    if close(got[1], expected[1]):
        return ("inflated is not the mean ROC AUC of the stated pipeline over StratifiedKFold(n_splits=5, shuffle=True, "
                "random_state=0) on all columns")
    if close(got[2], expected[2]):
        return "honest is not the same cross-validated ROC AUC without the leaking column"
    return None


def _fraud(seed: int):
    from course.datasets.production import fraud_table

    return fraud_table(seed, n_noise=20)   # fewer noise columns than the variants: the cases stay quick


def _backwards_leak():
    X, y, leak = _fraud(5)
    X = X.copy()
    X[leak] = -X[leak]
    return Args(X, y, k=10)


def _leak_hidden_by_nan():
    """A column that separates the classes perfectly where it is known, missing on most rows: only dropping
    the missing rows (not filling them) shows that it is the strongest."""
    X, y, _ = _fraud(6)
    X = X.copy()
    rng = np.random.default_rng(6)
    late = np.where(y == 1, 50.0, 0.0) + rng.uniform(0, 1, len(y))
    late[rng.random(len(y)) < 0.6] = np.nan
    X.insert(3, "settled_late", late)
    return Args(X, y, k=8)


LEAK_AUDIT = Spec(
    "leak_audit",
    judge=_leak_judge,
    cases=(
        # Run with keep_inputs: the judge also requires that X is left unmodified.
        Case("a leaking column that ranks the classes backwards", _backwards_leak, run=keep_inputs,
             judge=unmodified(_leak_judge)),
        Case("a column that is missing on most rows", _leak_hidden_by_nan),
    ),
)


# --- S14: the two-proportion z-test and the sample size ---------------------------------------------

def _ztest_judge(got, expected, inputs=None):
    if type(got) is not dict:
        return "should return a dict"
    close = approx(rtol=1e-7, atol=1e-10)
    for key in ("diff", "z", "p_value", "ci_low", "ci_high"):
        if key not in got:
            return f"lacks the key {key!r}"
        if not _is_number(got[key]):
            return f"{key!r} should be a number"
        if close(got[key], expected[key]):
            return f"{key!r} {DIFFERS}"
    return None


AB_ZTEST = Spec(
    "ab_ztest",
    judge=_ztest_judge,
    cases=(
        Case("equal conversion rates", lambda: Args(30, 1000, 30, 1000)),
        Case("no conversions in either arm (pooled standard error 0)", lambda: Args(0, 500, 0, 700)),
        Case("every user converted in both arms (pooled standard error 0)", lambda: Args(400, 400, 250, 250, alpha=0.1)),
        Case("one arm with no conversions, the other with all", lambda: Args(0, 100, 100, 100)),
        Case("treatment worse than control", lambda: Args(160, 1400, 120, 1500)),
        Case("a small alpha", lambda: Args(120, 1500, 160, 1400, alpha=0.001)),
        Case("more conversions than users", lambda: Args(11, 10, 5, 10), raises="ValueError"),
        Case("more conversions than users in arm B", lambda: Args(5, 10, 12, 10), raises="ValueError"),
        Case("a negative count of conversions", lambda: Args(-1, 10, 5, 10), raises="ValueError"),
        Case("a negative count of conversions in arm B", lambda: Args(5, 10, -2, 10), raises="ValueError"),
        Case("an arm with no users", lambda: Args(0, 0, 5, 10), raises="ValueError"),
        Case("a negative number of users", lambda: Args(1, 10, 1, -10), raises="ValueError"),
        Case("alpha = 0", lambda: Args(10, 100, 12, 100, alpha=0.0), raises="ValueError"),
        Case("alpha = 1", lambda: Args(10, 100, 12, 100, alpha=1.0), raises="ValueError"),
        Case("alpha above 1", lambda: Args(10, 100, 12, 100, alpha=1.5), raises="ValueError"),
    ),
)


def _size_exact(p_baseline, mde, alpha=0.05, power=0.8) -> float:
    from scipy.stats import norm

    p1, p2 = p_baseline, p_baseline + mde
    p_bar = (p1 + p2) / 2
    return ((norm.ppf(1 - alpha / 2) * math.sqrt(2 * p_bar * (1 - p_bar))
             + norm.ppf(power) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / mde ** 2)


def _size_judge(got, expected, inputs=None):
    if type(got) is not int:
        return "should be an int (rounded up)"
    if got == expected:
        return None
    if inputs is not None and inputs.args:
        # A named case: any rounding of the formula's value up to an integer, within floating-point error.
        n = _size_exact(*inputs.args, **inputs.kwargs)
        if math.ceil(n * (1 - 1e-12)) <= got <= math.ceil(n * (1 + 1e-12)):
            return None
    return "differs from the formula's value rounded up"


AB_SAMPLE_SIZE = Spec(
    "ab_sample_size",
    judge=_size_judge,
    cases=(
        Case("a negative minimum detectable effect", lambda: Args(0.5, -0.1, alpha=0.05, power=0.8)),
        Case("a tiny effect on a rare event", lambda: Args(0.01, 0.001, alpha=0.05, power=0.9)),
        Case("power = 0.5", lambda: Args(0.2, 0.05, alpha=0.1, power=0.5)),
        Case("the same two rates, swapped", lambda: Args(0.12, -0.02)),
        Case("mde = 0", lambda: Args(0.1, 0.0), raises="ValueError"),
        Case("p_baseline = 0", lambda: Args(0.0, 0.02), raises="ValueError"),
        Case("p_baseline = 1", lambda: Args(1.0, -0.02), raises="ValueError"),
        Case("a negative p_baseline", lambda: Args(-0.1, 0.2), raises="ValueError"),
        Case("p_baseline + mde above 1", lambda: Args(0.95, 0.1), raises="ValueError"),
        Case("p_baseline + mde = 1", lambda: Args(0.9, 0.1), raises="ValueError"),
        Case("p_baseline + mde = 0", lambda: Args(0.05, -0.05), raises="ValueError"),
        Case("alpha = 0", lambda: Args(0.1, 0.02, alpha=0.0), raises="ValueError"),
        Case("alpha = 1", lambda: Args(0.1, 0.02, alpha=1.0), raises="ValueError"),
        Case("alpha above 1", lambda: Args(0.1, 0.02, 1.2), raises="ValueError"),
        Case("power = 1", lambda: Args(0.1, 0.02, power=1.0), raises="ValueError"),
        Case("power above 1", lambda: Args(0.1, 0.02, power=1.2), raises="ValueError"),
        Case("power = 0", lambda: Args(0.1, 0.02, power=0.0), raises="ValueError"),
    ),
)


# --- S15: recall@k and the IVF index -----------------------------------------------------------------

_recall_close = approx(rtol=1e-9, atol=1e-12)


def _recall_judge(got, expected, inputs=None):
    if type(got) is not list:
        return "should be an array with one recall per k"
    found = _recall_close(got, expected)
    return f"the recalls differ ({found})" if found else None


RETRIEVAL_RECALL = Spec(
    "retrieval_recall",
    judge=_recall_judge,
    cases=(
        Case("a zero query vector (every similarity 0, ties by item id)",
             lambda: Args(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 1.0]]), [1], [3], [1, 2, 3])),
        Case("vectors of very different lengths",
             lambda: Args(np.array([[1.0, 0.0], [10.0, 10.0], [0.1, 0.05], [0.0, 1.0]]), [0], [2], [1, 2])),
        Case("a target pointing away from its query, every other item in the list",
             lambda: Args(np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]]), [0, 1], [2, 2], [1, 2])),
        Case("k larger than the number of other items",
             lambda: Args(np.array([[1.0, 2.0], [2.0, 1.0], [-1.0, 0.5], [0.3, -1.0]]), [0, 2, 3], [3, 1, 0], [1, 3, 10])),
        Case("queries and targets given as lists",
             lambda: Args(np.random.default_rng(4).normal(size=(12, 3)), [0, 5, 7, 11, 5], [3, 2, 8, 0, 9], [1, 4])),
        Case("no queries", lambda: Args(np.eye(3), [], [], [1]), raises="ValueError"),
    ),
)


def _ids(value) -> bool:
    return type(value) is list and all(type(r) is list and all(type(x) is int for x in r) for r in value)


def _ivf_judge(got, expected, inputs=None):
    if type(got) is not list or len(got) != 2:
        return "should return (neighbours, scanned)"
    neighbours, scanned = got
    if not _ids(neighbours):
        return "neighbours should be a 2-D int array of item ids"
    if type(scanned) is not list or not all(type(x) is int for x in scanned):
        return "scanned should be an int array"
    same = approx(rtol=0, atol=0)
    if same(scanned, expected[1]):
        return "scanned differs: count the items, other than the query, of the nprobe nearest clusters"
    if len(neighbours) != len(expected[0]) or any(len(g) != len(e) for g, e in zip(neighbours, expected[0])):
        return "neighbours should have shape (n_queries, k)"
    for g, e in zip(neighbours, expected[0]):
        if g != e:
            found = [x for x in e if x >= 0]
            if g[:len(found)] == found:
                return "pad each row with -1 after its candidates when fewer than k exist"
            if sorted(g) == sorted(e):
                return "the right neighbours in the wrong order: dot product, highest first, ties by the lower id"
            return "neighbours differ: rank the items of the nprobe nearest clusters by dot product"
    return None


def _ivf_variant(seed: int, **changes) -> dict:
    data = dict(_task("ivf_search").data(seed))
    data.update(changes)
    return data


def _ivf_args(data: dict) -> Args:
    return Args(data["vectors"], data["centroids"], data["assignment"], data["queries"], data["k"], data["nprobe"])


def _every_cluster():
    d = _ivf_variant(4)
    return _ivf_args(dict(d, k=6, nprobe=len(d["centroids"])))


def _long_vectors():
    d = _ivf_variant(5)
    return _ivf_args(dict(d, vectors=d["vectors"] * np.random.default_rng(5).uniform(0.3, 3.0, (len(d["vectors"]), 1))))


def _long_centroids():
    d = _ivf_variant(6)
    return _ivf_args(dict(d, centroids=d["centroids"] * np.random.default_rng(6).uniform(0.3, 3.0, (len(d["centroids"]), 1))))


def _tied_ivf():
    # Items 0, 2 and 5 share one vector; centroids 0 and 2 coincide (a tie in the coarse search).
    V = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.9, 0.1], [0.5, 0.5], [1.0, 0.0], [-1.0, 0.0]])
    C = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [-1.0, 0.0]])
    assignment = np.array([2, 1, 0, 0, 1, 2, 3])
    return Args(V, C, assignment, [3, 6, 4], 3, 1)


def _short_pool():
    V = np.array([[1.0, 0.0], [0.0, 1.0], [0.8, 0.2], [0.1, 0.9], [-1.0, 0.0]])
    C = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    return Args(V, C, np.array([0, 1, 0, 1, 2]), [0, 4, 1], 3, 1)


IVF_SEARCH = Spec(
    "ivf_search",
    judge=_ivf_judge,
    cases=(
        Case("every cluster probed (the exact nearest neighbours)", _every_cluster),
        Case("fewer candidates than k", _short_pool),
        Case("item vectors of different lengths", _long_vectors),
        Case("centroids of different lengths", _long_centroids),
        Case("ties between items and between centroids", _tied_ivf),
    ),
)


# --- S18: multi-label metrics -----------------------------------------------------------------------

_metric_close = approx(rtol=1e-9, atol=1e-12)


def _metrics_judge(got, expected, inputs=None):
    if type(got) is not dict:
        return "should return a dict"
    for key in ("hamming_loss", "subset_accuracy", "micro_f1", "macro_f1"):
        if key not in got:
            return f"lacks the key {key!r}"
        if not _is_number(got[key]):
            return f"{key!r} should be a number"
        if _metric_close(got[key], expected[key]):
            return f"{key!r} {DIFFERS}"
    return None


def _labels(seed: int, n: int, L: int, p: float = 0.4):
    rng = np.random.default_rng(seed)
    return (rng.random((n, L)) < p).astype(int), (rng.random((n, L)) < p).astype(int)


MULTILABEL_METRICS = Spec(
    "multilabel_metrics",
    judge=_metrics_judge,
    cases=(
        Case("no positives at all", lambda: Args(np.zeros((4, 3), dtype=int), np.zeros((4, 3), dtype=int))),
        Case("positives that are never predicted", lambda: Args(_labels(1, 6, 3)[0], np.zeros((6, 3), dtype=int))),
        Case("labels given as nested lists", lambda: Args(*(m.tolist() for m in _labels(2, 7, 4)))),
        Case("boolean arrays", lambda: Args(*(m.astype(bool) for m in _labels(3, 9, 2)))),
        Case("a single row and a single label", lambda: Args(np.array([[1]]), np.array([[1]]))),
        Case("arrays of different shapes", lambda: Args(np.zeros((3, 2)), np.zeros((3, 3))), raises="ValueError"),
        Case("1-D arrays", lambda: Args(np.zeros(3), np.zeros(3)), raises="ValueError"),
        Case("arrays with no rows", lambda: Args(np.zeros((0, 2)), np.zeros((0, 2))), raises="ValueError"),
        Case("arrays with no labels", lambda: Args(np.zeros((3, 0)), np.zeros((3, 0))), raises="ValueError"),
    ),
)


# --- S19: sliding-window features -------------------------------------------------------------------

_window_close = approx(rtol=1e-9, atol=1e-9)   # columns matched by name; counts as ints or floats


def _window_judge(got, expected, inputs=None):
    if type(got) is not dict or "__frame__" not in got:
        return "should be a DataFrame"
    if got["__frame__"].get("index") != expected["__frame__"].get("index"):
        return "should have the same index as the events, in the same order"
    found = _window_close(got, expected)
    return found or None


def _events(seed: int, columns=("card", "ts", "amount")):
    from course.datasets.production import card_events

    events, _ = card_events(seed)
    events = events.sample(frac=1.0, random_state=seed)
    events.index = events.index * 7 + 1
    return events[list(columns)]


def _same_second_events():
    import pandas as pd

    return pd.DataFrame({"card": [7, 7, 7, 8, 7], "ts": [100, 400, 400, 50, 700], "amount": [1.0, 2.0, 4.0, 8.0, 16.0]},
                        index=[10, 11, 12, 13, 14])


WINDOW_FEATURES = Spec(
    "window_features",
    judge=_window_judge,
    cases=(
        Case("events in the same second", lambda: Args(_same_second_events(), 300)),
        Case("events with their columns in another order", lambda: Args(_events(3, ("amount", "ts", "card")), 600)),
        Case("a card with a single event", lambda: Args(_same_second_events().iloc[[3, 0, 1]], 1000)),
        Case("whether events is left unmodified", lambda: Args(_events(4), 900), run=keep_inputs,
             judge=unmodified(_window_judge)),
    ),
)


# --- S20: the rolling-origin backtest -----------------------------------------------------------------

_errors_close = approx(rtol=1e-7, atol=1e-9)


def _errors_judge(got, expected, inputs=None):
    if type(got) is not list:
        return "should be an array of errors, one per origin"
    if len(got) != len(expected):
        return "has the wrong number of origins (full test blocks only)"
    return "the errors differ" if _errors_close(got, expected) else None


def _series(seed: int, n: int):
    from course.datasets.production import drifting_series

    return drifting_series(seed, n=n)


def _linear():
    from sklearn.linear_model import LinearRegression

    return LinearRegression()


def _ridge_untouched(fn, args: Args) -> dict:
    errors = fn(*args.args, **args.kwargs)
    model = args.args[2]
    return {"errors": errors, "model_unfitted": not hasattr(model, "coef_")}


def _ridge_case():
    from sklearn.linear_model import Ridge

    X, y = _series(4, 400)
    return Args(X, y, Ridge(alpha=300.0), 100, 40, window=80)


def _ridge_judge(got, expected, inputs=None):
    if type(got) is not dict or set(got) != {"errors", "model_unfitted"}:
        return "cannot be read"
    if got["model_unfitted"] is not True:
        return "the model given was fitted: fit a clone at each origin and leave the original alone"
    return _errors_judge(got["errors"], expected["errors"])


ROLLING_ORIGIN = Spec(
    "rolling_origin",
    judge=_errors_judge,
    cases=(
        Case("no full test block", lambda: Args(*_series(3, 120), _linear(), 100, 30)),
        Case("exactly one full test block", lambda: Args(*_series(3, 120), _linear(), 90, 30, window=50)),
        Case("a last block that does not fit", lambda: Args(*_series(5, 260), _linear(), 60, 45, window=50)),
        Case("a window longer than the rows before the first origin", lambda: Args(*_series(3, 120), _linear(), 40, 20, window=60)),
        Case("a window longer than all the rows", lambda: Args(*_series(3, 120), _linear(), 40, 20, window=500)),
        Case("a model with hyperparameters (a clone keeps them)", _ridge_case, run=_ridge_untouched, judge=_ridge_judge),
    ),
)


SPECS = (FEATURE_PIPELINE, OPTUNA_TUNING, LEAK_AUDIT, AB_ZTEST, AB_SAMPLE_SIZE, RETRIEVAL_RECALL, IVF_SEARCH,
         MULTILABEL_METRICS, WINDOW_FEATURES, ROLLING_ORIGIN)
