"""Coding tasks for A1 (a rule against a learned model) and A2 (features of a pretrained network)."""
from __future__ import annotations

import warnings

import numpy as np

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A
from ._common import expect_dict


# --- A1: a hand-written rule and a learned model, scored on the same rows ---------------------------

def expert_rule(X):
    """The fraud team's rule: large foreign payments, large night payments, bursts on new accounts."""
    return (((X["amount"] > 400) & (X["foreign"] == 1))
            | ((X["hour"] < 6) & (X["amount"] > 250))
            | ((X["account_age_days"] < 30) & (X["tx_24h"] >= 6)))


def _log_features(X):
    out = X.copy()
    out["amount"] = np.log(out["amount"])
    out["account_age_days"] = np.log1p(out["account_age_days"])
    return out


def fraud_model():
    """The learned model of A1: log-transform the skewed columns, standardize, logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    return make_pipeline(FunctionTransformer(_log_features), StandardScaler(), LogisticRegression(max_iter=1000))


def _rule_data(seed: int) -> dict:
    from ...datasets.systems import load_transactions

    X, y = load_transactions(n=1600, seed=100 + seed)
    return {"rule": expert_rule, "model": fraud_model(), "X_train": X.iloc[:1000], "y_train": y[:1000],
            "X_test": X.iloc[1000:].reset_index(drop=True), "y_test": y[1000:]}


def _scores_of(fn, d, what, **changes):
    """Call ``fn`` on the data with some arguments replaced; check the result's structure; return it."""
    args = {k: d[k] for k in ("rule", "model", "X_train", "y_train", "X_test", "y_test")}
    args.update(changes)
    result = call(fn, *args.values())
    expect_dict(result, ("rule", "model"), f"The result{what}")
    out = {}
    for side in ("rule", "model"):
        expect_dict(result[side], ("precision", "recall", "f1"), f"result[{side!r}]")
        out[side] = {}
        for k in ("precision", "recall", "f1"):
            v = result[side][k]
            expect(np.isscalar(v) or np.ndim(v) == 0, f"result[{side!r}][{k!r}] should be a single number.")
            v = float(v)
            expect(0.0 <= v <= 1.0, f"result[{side!r}][{k!r}] should lie between 0 and 1.")
            out[side][k] = v
        p, r, f1 = (out[side][k] for k in ("precision", "recall", "f1"))
        harmonic = 2 * p * r / (p + r) if p + r > 0 else 0.0
        expect(abs(f1 - harmonic) < 1e-9, f"result[{side!r}]['f1'] should be the harmonic mean of its precision and recall.")
    return out


def _comparison_correct(fn, data):
    from sklearn.dummy import DummyClassifier
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    d = data
    _scores_of(fn, d, "")
    try:
        check_is_fitted(d["model"])
        raise CheckFailure("The model you were given is now fitted: fit a copy (`sklearn.base.clone(model)`), "
                           "so the caller's object stays untouched, as cross_val_score does.")
    except NotFittedError:
        pass
    # Scored against its own predictions, the rule is perfect (when it fires on some test rows).
    fires = np.asarray(d["rule"](d["X_test"])).astype(int)
    if fires.any():
        own = _scores_of(fn, d, " (labels = the rule's own predictions)", y_test=fires)
        expect(all(own["rule"][k] == 1.0 for k in ("precision", "recall", "f1")),
               "When y_test equals the rule's own predictions, the rule's precision, recall and F1 must all be 1: "
               "apply the rule to X_test and compare with y_test.")
    share = float(np.mean(d["y_test"]))
    # A model that always says 1: recall 1, and precision = the share of positives among the TEST rows.
    always = _scores_of(fn, d, " (a model that always predicts 1)", model=DummyClassifier(strategy="constant", constant=1))
    expect(abs(always["model"]["recall"] - 1.0) < 1e-12 and abs(always["model"]["precision"] - share) < 1e-12,
           "For a model that predicts 1 for every row, recall should be 1 and precision the share of positives "
           "among the test rows: score the model's predictions on X_test against y_test.")
    # Trained on labels that are all 1, a majority-class model predicts 1 everywhere.
    trained = _scores_of(fn, d, " (a majority-class model)", model=DummyClassifier(strategy="most_frequent"),
                         y_train=np.ones(len(d["y_train"]), dtype=int))
    expect(abs(trained["model"]["recall"] - 1.0) < 1e-12 and abs(trained["model"]["precision"] - share) < 1e-12,
           "A majority-class model trained on labels that are all 1 predicts 1 for every test row: fit the model "
           "on (X_train, y_train) only and score its predictions on (X_test, y_test), never on the training rows.")


# --- A2: the hidden layer of a pretrained network as features --------------------------------------

def _mlp_data(seed: int) -> dict:
    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    rng = np.random.default_rng(seed)
    rows = rng.choice(np.flatnonzero(y < 5), size=300, replace=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier(hidden_layer_sizes=(24,), max_iter=60, random_state=seed).fit(X[rows], y[rows])
    new = rng.choice(np.flatnonzero(y >= 5), size=50, replace=False)
    return {"mlp": mlp, "X": X[new]}


def _hidden_features_correct(fn, data):
    mlp, X = data["mlp"], data["X"]
    H = as_array(call(fn, mlp, X), "hidden_features(mlp, X)", ndim=2)
    width = mlp.coefs_[-1].shape[0]
    expect(H.shape == (len(X), width),
           f"The features should have one row per sample and one column per unit of the last hidden layer: "
           f"shape ({len(X)}, {width}), got {H.shape}.")
    expect(np.isfinite(H).all(), "The features contain NaN or inf.")
    if mlp.activation == "relu":
        expect((H >= 0).all(), "This network uses ReLU, so its hidden activations cannot be negative: apply the activation.")
    logits = H @ mlp.coefs_[-1] + mlp.intercepts_[-1]
    z = logits - logits.max(axis=1, keepdims=True)
    proba = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    expect(np.allclose(proba, mlp.predict_proba(X), atol=1e-8),
           "Feeding your features to the network's output layer does not reproduce mlp.predict_proba(X): "
           "multiply by coefs_[0], add intercepts_[0] and apply the network's activation.")
    rows = as_array(call(fn, mlp, X[:3]), "hidden_features(mlp, X[:3])", ndim=2)
    expect(np.allclose(rows, H[:3], rtol=1e-12, atol=1e-12),
           "The features of a row should not depend on the other rows passed with it: transform each row on its own.")


TASKS = [
    Task(
        id="rule_vs_model",
        assignment=A,
        question="A1",
        title="A hand-written rule and a learned model on the same test rows",
        function="compare_rule_and_model",
        points=2,
        hints=(
            "Two predictors, one yardstick: both are scored with precision, recall and F1 on the same test rows. "
            "Only the model is trained, and only on the training rows.",
            "The rule is a function of the feature table: `rule(X_test)` gives True/False per row; turn it into 0/1. "
            "For the model, fit `sklearn.base.clone(model)` on (X_train, y_train), then `.predict(X_test)`.",
            "`precision_score`, `recall_score` and `f1_score` from sklearn.metrics with `zero_division=0`, "
            "each called as f(y_test, predictions); return {\"rule\": {...}, \"model\": {...}}.",
        ),
        checks=(_comparison_correct,),
        make_data=_rule_data,
    ),
    Task(
        id="mlp_hidden_features",
        assignment=A,
        question="A2",
        title="Reuse a pretrained network's hidden layer as features",
        function="hidden_features",
        points=2,
        hints=(
            "A fitted MLPClassifier stores one weight matrix per layer in `coefs_` and one bias vector per layer "
            "in `intercepts_`; the last pair belongs to the output layer, which you drop.",
            "Start from h = X and, for every hidden layer, compute h = activation(h @ W + b). The activation's "
            "name is in `mlp.activation`: 'relu', 'tanh', 'logistic' or 'identity'.",
            "Loop over `zip(mlp.coefs_[:-1], mlp.intercepts_[:-1])`; ReLU is np.maximum(z, 0), logistic is "
            "1 / (1 + np.exp(-z)).",
        ),
        checks=(_hidden_features_correct,),
        make_data=_mlp_data,
    ),
]
