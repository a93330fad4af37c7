"""Hidden tests of the tasks of assignment 3 (A1–A10), one :class:`~autograder.specs.Spec` per task.

Each spec accepts exactly what its task's statement allows (the markdown cell above the task's
solution cell in ``source/``) and names every edge case the statement mentions.
"""
from __future__ import annotations

import warnings

import numpy as np

from ._spec import Args, Case, Spec, keep_inputs
from .judges import all_of, approx, items, unmodified, unordered


# --- A1 rule_vs_model: "scored on the test rows", "zero_division=0", a clone of the model -----------

def _transactions(n=900, seed=77):
    from course.datasets.systems import load_transactions

    return load_transactions(n=n, seed=seed)


def _rule_args(rule=None, model=None, lists=False):
    from sklearn.tree import DecisionTreeClassifier

    from course.tasks.systems.baselines import expert_rule

    X, y = _transactions()
    X_train, y_train, X_test, y_test = X.iloc[:600], y[:600], X.iloc[600:], y[600:]
    if lists:
        y_train, y_test = [int(v) for v in y_train], [int(v) for v in y_test]
    return Args(rule or expert_rule, model if model is not None else DecisionTreeClassifier(max_depth=3, random_state=0),
                X_train, y_train, X_test, y_test)


def _never_fires(X):
    return np.zeros(len(X), dtype=bool)


def _rule_as_ints(X):
    from course.tasks.systems.baselines import expert_rule

    return np.asarray(expert_rule(X)).astype(int)


_scores = approx(rtol=1e-9, atol=1e-12)

RULE_VS_MODEL = Spec(
    "rule_vs_model",
    judge=_scores,
    cases=(
        Case("another data set and a decision tree", lambda: _rule_args()),
        Case("a rule that never fires", lambda: _rule_args(rule=_never_fires)),
        Case("a rule that returns 0/1 instead of True/False", lambda: _rule_args(rule=_rule_as_ints)),
        Case("labels given as Python lists", lambda: _rule_args(lists=True)),
    ),
)


# --- A2 mlp_hidden_features: any activation, several hidden layers ----------------------------------

def _mlp_args(activation, sizes, rows=None, binary=False, as_list=False):
    from sklearn.datasets import make_classification
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, y = make_classification(n_samples=200, n_features=6, n_informative=4, n_classes=3, random_state=3)
    if binary:
        y = y == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net = MLPClassifier(hidden_layer_sizes=sizes, activation=activation, max_iter=30, random_state=0).fit(X, y)
    X = X if rows is None else X[:rows]
    return Args(net, X.tolist() if as_list else X)


_features = approx(rtol=1e-7, atol=1e-9)

MLP_HIDDEN_FEATURES = Spec(
    "mlp_hidden_features",
    judge=_features,
    cases=(
        Case("a tanh network with two hidden layers", lambda: _mlp_args("tanh", (7, 5))),
        Case("a logistic network", lambda: _mlp_args("logistic", (4,))),
        Case("an identity network with three hidden layers", lambda: _mlp_args("identity", (3, 6, 2))),
        Case("a ReLU network with two hidden layers", lambda: _mlp_args("relu", (8, 8))),
        Case("a single row", lambda: _mlp_args("relu", (8, 8), rows=1)),
        Case("a binary network given a list of rows", lambda: _mlp_args("relu", (5,), binary=True, as_list=True)),
        Case("whether X is left unmodified", lambda: _mlp_args("tanh", (7, 5)), run=keep_inputs,
             judge=unmodified(_features)),
    ),
)


# --- A3.1 categorical_preprocessor: four named transformers, in any order ---------------------------

_TIERS = ["bronze", "silver", "gold", "platinum"]


def _customers_with_size():
    from course.datasets.systems import load_customers

    X, y = load_customers(n=800, seed=31)
    X["size"] = np.random.default_rng(1).choice(["S", "M", "L", "XL"], len(X))
    return X, y


def _preprocessor_args(nominal, ordinal, high_cardinality, numeric):
    X, y = _customers_with_size()
    new = X.iloc[600:620].copy()
    # Unseen values in every categorical column, a missing value in every numeric one.
    new.loc[new.index[:5], ["country", "size", "support_tier", "city", "plan"]] = ["XX", "XXL", "diamond", "city_new", "gold"]
    numbers = ["seats", "tenure_months", "monthly_spend"]
    new[numbers] = new[numbers].astype(float)
    new.loc[new.index[5:8], numbers] = np.nan
    return Args(nominal, ordinal, high_cardinality, numeric, rows=(X, y, new))


def _fit_preprocessor(fn, args):
    from course.tasks.systems.encoding import fitted_columns

    return fitted_columns(fn(*args.args), *args.kwargs["rows"])


CATEGORICAL_PREPROCESSOR = Spec(
    "categorical_preprocessor",
    judge=approx(rtol=1e-7, atol=1e-9),
    run=_fit_preprocessor,
    cases=(
        Case("other column lists (two ordinal, two target-encoded columns) and unseen values everywhere",
             lambda: _preprocessor_args(["country"], {"size": ["S", "M", "L", "XL"], "support_tier": _TIERS},
                                        ["city", "plan"], ["seats"])),
        Case("ordinal levels that are not in alphabetical order",
             lambda: _preprocessor_args(["plan"], {"size": ["XL", "S", "L", "M"]}, ["city"], ["monthly_spend", "seats"])),
        Case("empty ordinal and target-encoded column lists",
             lambda: _preprocessor_args(["plan"], {}, [], ["tenure_months", "monthly_spend"])),
    ),
)


# --- A3.2 oof_target_encoding: contiguous folds, prior for absent categories ------------------------

def _continuous_target():
    rng = np.random.default_rng(5)
    c = rng.choice(["a", "b", "c", "d", "e", "f"], 97)
    return c, rng.normal(size=97) + (c == "a") * 2.0


OOF_TARGET_ENCODING = Spec(
    "oof_target_encoding",
    judge=approx(rtol=1e-9, atol=1e-12),
    cases=(
        Case("a continuous target with two folds and smoothing 0",
             lambda: Args(*_continuous_target(), n_splits=2, smoothing=0.0)),
        Case("a continuous target with three folds", lambda: Args(*_continuous_target(), n_splits=3, smoothing=1.0)),
        Case("a continuous target with seven folds and strong smoothing",
             lambda: Args(*_continuous_target(), n_splits=7, smoothing=25.0)),
        Case("a category absent from the other folds with smoothing 0",
             lambda: Args(np.array(["x"] * 10 + ["y"] * 10, dtype=object), np.r_[np.ones(10), np.zeros(10)],
                          n_splits=2, smoothing=0.0)),
        Case("integer categories and a 0/1 integer target with the defaults",
             lambda: Args(np.random.default_rng(6).integers(0, 4, 50), (np.random.default_rng(7).random(50) < 0.4).astype(int))),
        Case("categories given as a list of strings",
             lambda: Args(list(np.random.default_rng(8).choice(["u", "v", "w"], 40)), np.random.default_rng(9).random(40),
                          n_splits=4, smoothing=2.0)),
    ),
)


# --- A4 scaled_dot_product_attention: batch dimensions, broadcast masks, stable softmax --------------

def _qkv(seed=11):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(2, 3, 4, 8)), rng.normal(size=(2, 3, 6, 8)), rng.normal(size=(2, 3, 6, 5))


def _sequence(n=5, d=4, seed=12):
    return np.random.default_rng(seed).normal(size=(n, d))


def _fully_masked_query():
    Q, K, V = (a[0, 0] for a in _qkv())
    mask = np.ones((4, 6), dtype=bool)
    mask[1] = False
    mask[3, 2:] = False
    return Args(Q, K, V, mask=mask)


def _without_runtime_warnings(fn, args):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        return fn(*args.args, **args.kwargs)


_attention = items(approx(rtol=1e-7, atol=1e-10), approx(rtol=1e-7, atol=1e-10))

SCALED_DOT_PRODUCT_ATTENTION = Spec(
    "scaled_dot_product_attention",
    judge=_attention,
    cases=(
        Case("two batch dimensions", lambda: Args(*_qkv())),
        Case("a causal mask", lambda: Args(_sequence(), _sequence(), _sequence(), mask=np.tril(np.ones((5, 5), dtype=bool)))),
        Case("a padding mask of shape (n_k,) broadcast over queries and batches",
             lambda: Args(*_qkv(), mask=np.array([True, True, False, False, False, False]))),
        Case("a mask of shape (n_q, n_k) broadcast over batch dimensions",
             lambda: Args(*_qkv(), mask=np.tril(np.ones((4, 6), dtype=bool), k=1))),
        Case("a query whose keys are all masked", _fully_masked_query),
        Case("scores in the thousands", lambda: Args(1e4 * _sequence(), _sequence(), _sequence()),
             run=_without_runtime_warnings),
        Case("a single query given as nested lists",
             lambda: Args(_sequence()[:1].tolist(), _sequence().tolist(), _sequence(d=3, seed=13).tolist())),
    ),
)


# --- A5.1 predict_one_request: columns of the pipeline, None and absent fields as NaN ----------------

def _served_pipeline():
    from course.datasets.systems import load_customers
    from course.tasks.systems.serving import FEATURES, churn_pipeline

    X, y = load_customers(n=600, seed=401)
    X = X[FEATURES]
    return churn_pipeline().fit(X.iloc[:500], y[:500]), X.iloc[500:]


def _request(i=7, **changes):
    pipe, rows = _served_pipeline()
    request = {k: (v.item() if hasattr(v, "item") else v) for k, v in rows.iloc[i].items()}
    request.update(changes)
    return pipe, {k: v for k, v in request.items() if v is not _ABSENT}


_ABSENT = object()


def _float_result(fn, args):
    p = fn(*args.args, **args.kwargs)
    return {"p": p, "is a float": isinstance(p, float)}


_probability = approx(rtol=0, atol=1e-12)

PREDICT_ONE_REQUEST = Spec(
    "predict_one_request",
    judge=_probability,
    cases=(
        Case("a complete request", lambda: Args(*_request())),
        Case("a request with its keys in another order",
             lambda: (lambda pipe, request: Args(pipe, dict(reversed(list(request.items())))))(*_request())),
        Case("None for a numeric and a categorical field", lambda: Args(*_request(monthly_spend=None, country=None))),
        Case("a request lacking fields", lambda: Args(*_request(seats=_ABSENT, plan=_ABSENT))),
        Case("keys that are not columns", lambda: Args(*_request(trace="x", request_id="r-17"))),
        Case("a field whose value is 0", lambda: Args(*_request(tenure_months=0))),
        Case("a fractional number", lambda: Args(*_request(monthly_spend=123.456, seats=4))),
        Case("whether the result is a float", lambda: Args(*_request()), run=_float_result),
        Case("whether the request is left unmodified", lambda: Args(*_request(monthly_spend=None, trace="x")),
             run=keep_inputs, judge=unmodified(_probability)),
    ),
)


# --- A5.2 serving_skew: every feature, atol without rtol, NaN rules, shapes, sparse output ----------

def _skew_setup():
    from course.datasets.systems import load_customers
    from course.tasks.systems.serving import FEATURES, churn_preprocessor

    X, _ = load_customers(n=700, seed=501)
    X = X[FEATURES]
    return churn_preprocessor().fit(X.iloc[:500]), X.iloc[500:560], X


def _clean_logs():
    prep, raw, _ = _skew_setup()
    return Args(prep, raw, prep.transform(raw))


def _changed_logs():
    prep, raw, _ = _skew_setup()
    served = np.array(prep.transform(raw), dtype=float)
    served[:15, 0] += 1.0
    served[:, -1] = np.nan
    return Args(prep, raw, served, atol=1e-3)


def _passthrough(values, missing=()):
    import pandas as pd
    from sklearn.compose import ColumnTransformer

    raw = pd.DataFrame({"amount": values})
    raw.loc[list(missing), "amount"] = np.nan
    return ColumnTransformer([("raw", "passthrough", ["amount"])]).fit(raw), raw


def _large_values():
    prep, raw = _passthrough(np.random.default_rng(3).uniform(1000, 5000, 40))
    served = raw[["amount"]].to_numpy(dtype=float).copy()
    served[:10, 0] += 0.01          # above atol, below atol + 1e-5 * |value|
    return Args(prep, raw, served, atol=1e-3)


def _nans_on_both_sides():
    prep, raw = _passthrough(np.random.default_rng(4).uniform(0, 10, 30), missing=range(0, 30, 3))
    served = raw[["amount"]].to_numpy(dtype=float).copy()
    served[1, 0] = np.nan           # a NaN where the pipeline has a number: one mismatch
    return Args(prep, raw, served)


def _sparse_output():
    from sklearn.preprocessing import OneHotEncoder

    _, _, X = _skew_setup()
    enc = OneHotEncoder().fit(X[["plan", "country"]])
    raw = X[["plan", "country"]].iloc[:30]
    served = enc.transform(raw).toarray()
    served[:4, 1] = 1.0 - served[:4, 1]
    return Args(enc, raw, served)


def _wrong_shape(keep):
    prep, raw, _ = _skew_setup()
    served = np.asarray(prep.transform(raw), dtype=float)
    return Args(prep, raw, served[keep])


SERVING_SKEW = Spec(
    "serving_skew",
    judge=approx(rtol=0, atol=1e-12),
    cases=(
        Case("logs identical to the pipeline's features", _clean_logs),
        Case("one feature off on some rows and one feature all NaN", _changed_logs),
        Case("large values that differ by more than atol", _large_values),
        Case("NaN in the pipeline's features and in the logs", _nans_on_both_sides),
        Case("a transformer with sparse output", _sparse_output),
        Case("served logs given as a list of rows", lambda: Args(*(lambda a: (a.args[0], a.args[1], a.args[2].tolist()))(_changed_logs()),
                                                               atol=1e-3)),
        Case("served features with a column missing", lambda: _wrong_shape((slice(None), slice(0, -1))), raises="ValueError"),
        Case("a single served row for many raw rows", lambda: _wrong_shape(slice(0, 1)), raises="ValueError"),
    ),
)


# --- A6.1 epsilon_greedy_bandit: judged by what any epsilon-greedy agent satisfies -------------------
# The statement fixes the generator but not the order of its draws, so no single stream is right: the
# judge replays the record (counts, averages, the greedy arm before each step) and bounds the share of
# non-greedy pulls; with epsilon 0 the run is deterministic and compared exactly.

class _RewardTable:
    """``pull(arm) -> rewards[arm]``: a bandit whose record the judge can check reward by reward."""

    def __init__(self, rewards):
        self.rewards = [float(r) for r in rewards]

    def __call__(self, arm):
        return self.rewards[int(arm)]


def _numbers(values, length):
    if type(values) is not list or len(values) != length or not all(type(v) in (int, float) for v in values):
        return None
    return np.asarray(values, dtype=float)


def _bandit_invariants(got, n_arms, n_steps, epsilon, table=None) -> str | None:
    """What is wrong with a bandit record, or None; ``epsilon=None`` checks only what holds for every epsilon."""
    if type(got) is not dict or any(k not in got for k in ("arms", "rewards", "estimates", "counts")):
        return "should return a dict with 'arms', 'rewards', 'estimates' and 'counts'"
    arms, rewards = _numbers(got["arms"], n_steps), _numbers(got["rewards"], n_steps)
    estimates, counts = _numbers(got["estimates"], n_arms), _numbers(got["counts"], n_arms)
    if arms is None or rewards is None:
        return "'arms' and 'rewards' should hold one number per step"
    if estimates is None or counts is None:
        return "'estimates' and 'counts' should hold one number per arm"
    if not np.all((arms >= 0) & (arms < n_arms) & (arms == np.round(arms))):
        return "'arms' should hold arm indices 0..n_arms-1"
    arms = arms.astype(int)
    if not np.array_equal(counts, np.bincount(arms, minlength=n_arms)):
        return "'counts' should be the number of pulls of each arm"
    sums = np.bincount(arms, weights=rewards, minlength=n_arms)
    means = np.divide(sums, counts, out=np.zeros(n_arms), where=counts > 0)
    if not np.allclose(estimates, means, rtol=1e-9, atol=1e-9):
        return "'estimates' should be the average reward of each arm's pulls (0 for an arm never pulled)"
    if table is not None and not np.array_equal(rewards, np.asarray(table)[arms]):
        return "'rewards' should be what pull(arm) returned for the arm pulled at each step"
    if epsilon is None:
        return None
    # Before step t, each arm's average so far; the greedy arms are those within float noise of the best.
    pulled = arms[:, None] == np.arange(n_arms)
    seen = np.cumsum(pulled, axis=0) - pulled
    paid = np.cumsum(pulled * rewards[:, None], axis=0) - pulled * rewards[:, None]
    before = np.divide(paid, seen, out=np.zeros((n_steps, n_arms)), where=seen > 0)
    greedy = before >= before.max(axis=1, keepdims=True) - 1e-9
    off = ~greedy[np.arange(n_steps), arms]
    # A step pulls a non-greedy arm only when it explores and draws one: probability epsilon * (k - m) / k.
    p = epsilon * (n_arms - greedy.sum(axis=1)) / n_arms
    slack = 5 * np.sqrt(np.sum(p * (1 - p))) + 2
    if off.sum() > p.sum() + slack:
        return "pulls a non-greedy arm too often: explore with probability epsilon, otherwise pull the arm with the highest estimate"
    if off.sum() < p.sum() - slack:
        return "explores too rarely: with probability epsilon pull a uniformly random arm (any arm, the greedy one included)"
    if epsilon == 1:
        share = np.bincount(arms, minlength=n_arms) / n_steps
        if np.any(np.abs(share - 1 / n_arms) > 5 * np.sqrt((1 / n_arms) * (1 - 1 / n_arms) / n_steps) + 1 / n_steps):
            return "with epsilon = 1 every arm should be pulled about equally often: draw the random arm uniformly"
    return None


def _bandit_judge(got, expected, inputs):
    if inputs.args:
        pull, n_arms, n_steps, epsilon = inputs.args[:4]
        return _bandit_invariants(got, int(n_arms), int(n_steps), float(epsilon), getattr(pull, "rewards", None))
    try:
        d = inputs.data
    except Exception:   # the variant's inputs are not known: judge what holds for every epsilon
        d = None
    if type(expected) is not dict or type(expected.get("arms")) is not list or type(expected.get("counts")) is not list:
        return "cannot be compared with the correct result"
    if d is None:
        return _bandit_invariants(got, len(expected["counts"]), len(expected["arms"]), None)
    if len(expected["arms"]) == d["n_steps"]:
        return _bandit_invariants(got, int(d["n_arms"]), int(d["n_steps"]), float(d["epsilon"]))
    # The visible check's other call: a greedy agent (epsilon 0) on arms that always pay, deterministic.
    return approx(rtol=0, atol=1e-12)(got, expected)


def _bandit_args(rewards, n_steps, epsilon, seed=0):
    return Args(_RewardTable(rewards), len(rewards), n_steps, epsilon, seed=seed)


def _bandit_seeds(fn, args):
    """Three runs on a reward table: the same seed twice, then another seed."""
    pull, n_arms, n_steps, epsilon = args.args
    runs = [fn(_RewardTable(pull.rewards), n_arms, n_steps, epsilon, seed=seed) for seed in (5, 5, 6)]
    return [[int(a) for a in np.asarray(r["arms"]).ravel()] for r in runs]


def _seed_judge(got, expected, inputs):
    if type(got) is not list or len(got) != 3:
        return "cannot be read"
    if got[0] != got[1]:
        return "the same seed should give the same pulls: draw every random number from np.random.default_rng(seed)"
    if got[0] == got[2]:
        return "another seed should give other pulls: draw every random number from np.random.default_rng(seed)"
    return None


EPSILON_GREEDY_BANDIT = Spec(
    "epsilon_greedy_bandit",
    judge=_bandit_judge,
    cases=(
        Case("a fixed reward table with epsilon 0.3", lambda: _bandit_args([0.2, 1.0, 0.5, 0.7], 3000, 0.3, seed=4)),
        Case("two arms with equal rewards and epsilon 0.5", lambda: _bandit_args([1.0, 1.0, 0.0], 3000, 0.5, seed=7)),
        Case("epsilon = 1 (every pull explores)", lambda: _bandit_args([1.0, 0.5, 0.25, 0.0], 4000, 1.0, seed=2)),
        Case("epsilon = 0 with ties (the lowest index wins)", lambda: _bandit_args([0.0, 0.0, 0.9], 50, 0.0),
             judge=approx(rtol=0, atol=1e-12)),
        Case("epsilon = 0 with a rewarding first arm", lambda: _bandit_args([0.5, 2.0, 1.0], 40, 0.0),
             judge=approx(rtol=0, atol=1e-12)),
        Case("a single arm", lambda: _bandit_args([2.5], 5, 0.5)),
        Case("whether the seed decides the run", lambda: _bandit_args([0.3, 0.6, 0.9], 200, 0.3),
             run=_bandit_seeds, judge=_seed_judge),
    ),
)


# --- A6.2 tabular_q_learning: the draw order is fixed by the statement -------------------------------

def _cliff(rows=4, cols=6):
    from course.datasets.systems import cliff_world

    return cliff_world(rows, cols)


def _nonzero_entries(fn, args):
    Q, _ = fn(*args.args, **args.kwargs)
    return int(np.count_nonzero(np.asarray(Q, dtype=float)))


def _at_most(limit):
    def judge(got, expected, inputs):
        return None if type(got) is int and got <= limit else "updates more entries than the steps it may take: stop after max_steps"
    return judge


_q = items(approx(rtol=1e-9, atol=1e-9), approx(rtol=1e-9, atol=1e-9))

TABULAR_Q_LEARNING = Spec(
    "tabular_q_learning",
    judge=_q,
    cases=(
        Case("a long narrow cliff world", lambda: Args(_cliff(3, 7), 600, 0.5, 0.9, 0.15, seed=2)),
        Case("a tall cliff world with gamma close to 1", lambda: Args(_cliff(5, 4), 600, 0.5, 0.99, 0.15, seed=2)),
        Case("max_steps = 3", lambda: Args(_cliff(), 1, 1.0, 0.9, 0.0, seed=0, max_steps=3), run=_nonzero_entries,
             judge=_at_most(3)),
        Case("short episodes (max_steps = 5)", lambda: Args(_cliff(), 40, 0.5, 0.9, 0.3, seed=3, max_steps=5)),
        Case("alpha = 1 and gamma = 0", lambda: Args(_cliff(), 50, 1.0, 0.0, 0.3, seed=1)),
        Case("epsilon = 0 (always greedy)", lambda: Args(_cliff(), 30, 0.5, 0.9, 0.0, seed=0)),
    ),
)


# --- A7.1 regression_metrics: lists, a constant target, ValueError ----------------------------------

def _normal_lists(n, seed=21):
    rng = np.random.default_rng(seed + n)
    return Args(list(rng.normal(size=n) * 10), list(rng.normal(size=n) * 10))


REGRESSION_METRICS = Spec(
    "regression_metrics",
    judge=approx(rtol=1e-9, atol=1e-12),
    cases=(
        Case("many samples given as lists", lambda: _normal_lists(50)),
        Case("two samples", lambda: _normal_lists(2)),
        Case("predictions worse than the mean (negative R²)", lambda: Args([1.0, 2.0, 3.0], [3.0, 2.0, 1.0])),
        Case("a constant target predicted exactly", lambda: Args([2.0, 2.0, 2.0], [2.0, 2.0, 2.0])),
        Case("a constant target predicted inexactly", lambda: Args(np.full(4, 5.0), np.array([5.0, 5.0, 5.0, 6.0]))),
        Case("empty inputs", lambda: Args([], []), raises="ValueError"),
        Case("inputs of different lengths", lambda: Args([1.0, 2.0, 4.0], [1.0, 2.0]), raises="ValueError"),
        Case("a single prediction for several targets", lambda: Args([1.0, 2.0, 4.0], [2.0]), raises="ValueError"),
    ),
)


# --- A7.2 ndcg_at_k: untied scores only (the statement's promise), k beyond the number of items ------

def _graded(shape, k, seed=8):
    rng = np.random.default_rng(seed + shape[0] * shape[1])
    return Args(rng.integers(0, 5, size=shape).astype(float), rng.normal(size=shape), k=k)


_metric = approx(rtol=1e-9, atol=1e-12)

NDCG_AT_K = Spec(
    "ndcg_at_k",
    judge=_metric,
    cases=(
        Case("many queries with k = 10", lambda: _graded((40, 20), 10)),
        Case("k = 1", lambda: _graded((3, 4), 1)),
        Case("k larger than the number of items", lambda: _graded((5, 6), 100)),
        Case("k equal to the number of items", lambda: _graded((5, 6), 6)),
        Case("k = None", lambda: _graded((10, 8), None)),
        Case("items in the ideal order", lambda: Args(np.array([[3.0, 2.0, 1.0, 0.0]]), np.array([[3.1, 2.1, 1.1, 0.1]]), k=2)),
        Case("no query with a relevant item", lambda: Args([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.3, 0.2, 0.1], [0.1, 0.5, 0.2]])),
        Case("a 1-D pair of lists", lambda: Args([0, 1, 2], [0.9, 0.5, 0.1], k=2)),
        Case("integer relevance", lambda: Args(np.array([[0, 3, 1, 2], [2, 0, 0, 1]]), np.array([[0.1, 0.4, 0.3, 0.2], [0.5, 0.9, 0.1, 0.3]]),
                                                k=3)),
    ),
)


# --- A7.3 mean_average_precision: binary relevance, untied scores -----------------------------------

def _binary(shape, p, seed=13):
    rng = np.random.default_rng(seed + shape[0] * shape[1])
    return Args((rng.random(shape) < p).astype(int), rng.normal(size=shape))


MEAN_AVERAGE_PRECISION = Spec(
    "mean_average_precision",
    judge=_metric,
    cases=(
        Case("many queries", lambda: _binary((30, 12), 0.3)),
        Case("few relevant items among many", lambda: _binary((5, 50), 0.05)),
        Case("a single query as a 2-D array", lambda: _binary((1, 7), 0.5)),
        Case("a 1-D pair of lists", lambda: Args([1, 0, 1], [0.9, 0.8, 0.7])),
        Case("a 1-D pair with the relevant items ranked low", lambda: Args([1, 1, 0, 0], [0.2, 0.3, 0.9, 0.5])),
        Case("no query with a relevant item", lambda: Args([[0, 0], [0, 0]], [[0.1, 0.2], [0.3, 0.4]])),
        Case("scores in increasing order of relevance", lambda: Args([[1, 1, 0]], [[0.2, 0.3, 0.9]])),
        Case("every item relevant", lambda: Args([[1, 1, 1]], [[0.5, 0.1, 0.7]])),
    ),
)


# --- A8 infer_schema: one entry per column in column order; booleans and categories are categorical ---

def _in_column_order(got, expected, inputs=None):
    if type(got) is dict and type(expected) is dict and list(got) != list(expected):
        return "should have one entry per column, in the frame's column order"
    return None


_schema = all_of(_in_column_order, approx(rtol=1e-12, atol=0))


def _mixed_frame():
    import pandas as pd

    return pd.DataFrame({
        "flag": [True, False, True, None],
        "level": pd.Categorical(["b", "a", None, "b"]),
        "count": [3, 1, 2, 7],
        "ratio": [0.5, np.nan, -1.25, 2.0],
        "name": ["x", "y", "x", "z"],
    })


def _categorical(values, categories=None):
    import pandas as pd

    return pd.Categorical(values, categories=categories)


def _nullable_ints(values):
    import pandas as pd

    return pd.array(values, dtype="Int64")


def _frame(**columns):
    import pandas as pd

    return pd.DataFrame(columns)


INFER_SCHEMA = Spec(
    "infer_schema",
    judge=_schema,
    cases=(
        Case("a frame with a boolean, a pandas Categorical, integers, floats with NaN and text", lambda: Args(_mixed_frame())),
        Case("a one-row frame", lambda: Args(_frame(x=[1.5]))),
        Case("a text column whose missing values are NaN", lambda: Args(_frame(city=["b", np.nan, "a", "b"], n=[1.0, 2.0, 3.0, 4.0]))),
        Case("a pandas Categorical of numbers", lambda: Args(_frame(size=_categorical([3, 1, 2, 3]), z=[0, 0, 1, 2]))),
        Case("a nullable integer column", lambda: Args(_frame(k=_nullable_ints([4, None, -2])))),
        Case("a pandas Categorical that declares a category it does not hold",
             lambda: Args(_frame(grade=_categorical(["b", "a", "b"], categories=["a", "b", "c"])))),
        Case("whether the frame is left unmodified", lambda: Args(_mixed_frame()), run=keep_inputs, judge=unmodified(_schema)),
    ),
)


# --- A9 validate_request: the problems in any order, at most one per field ---------------------------

_REQUEST_SCHEMA = {
    "age": {"type": "numeric", "nullable": False, "min": 18.0, "max": 99.0},
    "score": {"type": "numeric", "nullable": True, "min": -1.0, "max": 1.0},
    "tier": {"type": "categorical", "nullable": False, "categories": ["a", "b"]},
    "vip": {"type": "categorical", "nullable": True, "categories": [False, True]},
}


def _check(request):
    import copy

    return lambda: Args(dict(request), copy.deepcopy(_REQUEST_SCHEMA))


_problems = unordered()

VALIDATE_REQUEST = Spec(
    "validate_request",
    judge=_problems,
    cases=(
        Case("a valid request", _check({"age": 30, "score": 0.5, "tier": "a", "vip": True})),
        Case("nullable fields left out", _check({"age": 18.0, "tier": "b"})),
        Case("NumPy numbers and None for a nullable field",
             _check({"age": np.int64(40), "score": np.float32(-1.0), "tier": "a", "vip": None})),
        Case("a number out of range, NaN for a nullable field and an unknown category",
             _check({"age": 99.5, "score": float("nan"), "tier": "c"})),
        Case("a number given as a string, None for a required field and unexpected keys",
             _check({"age": "30", "tier": None, "extra": 1, "other": 2})),
        Case("a boolean for a number, a required field absent and a category that is not listed",
             _check({"age": False, "score": 3, "vip": "yes"})),
        Case("NaN for a required number", _check({"age": float("nan"), "tier": "a"})),
        Case("an empty request", _check({})),
        Case("whether the request is left unmodified", _check({"age": "30", "tier": None, "extra": 1}), run=keep_inputs,
             judge=unmodified(_problems)),
    ),
)


# --- A10.1 fairness_gaps: any group labels, NaN for a group without positives -----------------------

def _three_groups():
    rng = np.random.default_rng(17)
    g = rng.choice(["x", "y", "z"], 300)
    return Args((rng.random(300) < 0.4).astype(int), (rng.random(300) < np.where(g == "x", 0.6, 0.3)).astype(int), g)


_gaps = approx(rtol=1e-12, atol=1e-12)

FAIRNESS_GAPS = Spec(
    "fairness_gaps",
    judge=_gaps,
    cases=(
        Case("three groups", _three_groups),
        Case("three groups whose extreme rates are not in the first and last group",
             lambda: Args([1] * 8, [1, 0, 1, 1, 1, 0, 0, 0], ["a", "a", "b", "b", "c", "c", "c", "c"])),
        Case("integer group labels and a group without positive rows",
             lambda: Args([1, 0, 0, 0, 1, 1], [1, 1, 0, 1, 0, 1], np.array([0, 0, 1, 1, 2, 2]))),
        Case("no group with a positive row", lambda: Args([0, 0, 0, 0], [1, 0, 1, 1], ["a", "b", "a", "b"])),
        Case("equal rates in every group", lambda: Args([1, 1, 0, 0], [1, 1, 1, 1], ["a", "b", "a", "b"])),
        Case("inputs given as lists", lambda: Args([1, 0, 1, 1, 0], [1, 0, 0, 1, 1], ["m", "m", "f", "f", "f"])),
    ),
)


# --- A10.2 group_thresholds: the highest threshold, with real floating-point traps -------------------

def _threshold_args(target):
    rng = np.random.default_rng(23)
    g = rng.choice(["p", "q", "r"], 500)
    y = (rng.random(500) < 0.5).astype(int)
    return Args(rng.random(500) + 0.3 * y, y, g, target)


def _exact_counts(target, counts):
    """Groups with exactly ``counts[g]`` positives (distinct scores) and some negatives."""
    rng = np.random.default_rng(31)
    scores, labels, groups = [], [], []
    for g, n in counts.items():
        scores += list(rng.permutation(np.arange(1, n + 1) / (n + 1))) + list(rng.random(7))
        labels += [1] * n + [0] * 7
        groups += [g] * (n + 7)
    return Args(np.array(scores), np.array(labels), np.array(groups), target)


def _tied_positives():
    return Args([0.9, 0.8, 0.8, 0.8, 0.3, 0.6, 0.6, 0.2], [1, 1, 1, 1, 1, 1, 1, 0], ["a"] * 5 + ["b"] * 3, 0.5)


GROUP_THRESHOLDS = Spec(
    "group_thresholds",
    judge=approx(rtol=1e-12, atol=1e-12),
    cases=(
        Case("three groups and target 0.5", lambda: _threshold_args(0.5)),
        Case("three groups and target 0.73", lambda: _threshold_args(0.73)),
        Case("three groups and target 0.95", lambda: _threshold_args(0.95)),
        Case("target 1 (every positive through)", lambda: _threshold_args(1.0)),
        # 0.07 * 100 == 7.000000000000001, 0.55 * 100 == 55.00000000000001, 0.28 * 25 == 7.000000000000001:
        # the ceil of the float product lets one positive too many through.
        Case("a target whose product with the number of positives is not exact in floating point",
             lambda: _exact_counts(0.07, {"a": 100, "b": 200})),
        Case("another target whose product with the number of positives is not exact in floating point",
             lambda: _exact_counts(0.55, {"a": 100, "b": 40})),
        Case("a third target whose product with the number of positives is not exact in floating point",
             lambda: _exact_counts(0.28, {"a": 25, "b": 50})),
        Case("a target whose product with the number of positives is a whole number",
             lambda: _exact_counts(0.75, {"a": 8, "b": 12})),
        Case("a tiny target and integer group labels", lambda: Args([0.9, 0.2, 0.5], [1, 0, 1], [1, 1, 2], 0.01)),
        Case("tied scores among the positives", _tied_positives),
    ),
)

SPECS = (RULE_VS_MODEL, MLP_HIDDEN_FEATURES, CATEGORICAL_PREPROCESSOR, OOF_TARGET_ENCODING,
         SCALED_DOT_PRODUCT_ATTENTION, PREDICT_ONE_REQUEST, SERVING_SKEW,
         EPSILON_GREEDY_BANDIT, TABULAR_Q_LEARNING,
         REGRESSION_METRICS, NDCG_AT_K, MEAN_AVERAGE_PRECISION,
         INFER_SCHEMA, VALIDATE_REQUEST,
         FAIRNESS_GAPS, GROUP_THRESHOLDS)
