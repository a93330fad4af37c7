"""Coding tasks for A1 (a rule against a learned model) and A2 (features of a pretrained network)."""
from __future__ import annotations

import warnings

import numpy as np

from .._expect import CheckFailure, as_array, call, expect, expect_close
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
    from .data import load_transactions

    X, y = load_transactions(n=1600, seed=100 + seed)
    return {"rule": expert_rule, "model": fraud_model(), "X_train": X.iloc[:1000], "y_train": y[:1000],
            "X_test": X.iloc[1000:].reset_index(drop=True), "y_test": y[1000:]}


def reference_comparison(rule, model, X_train, y_train, X_test, y_test) -> dict:
    from sklearn.base import clone
    from sklearn.metrics import f1_score, precision_score, recall_score

    def scores(pred):
        return {"precision": precision_score(y_test, pred, zero_division=0),
                "recall": recall_score(y_test, pred, zero_division=0),
                "f1": f1_score(y_test, pred, zero_division=0)}

    fitted = clone(model).fit(X_train, y_train)
    return {"rule": scores(np.asarray(rule(X_test)).astype(int)), "model": scores(fitted.predict(X_test))}


def _comparison_correct(fn, data):
    from sklearn.utils.validation import check_is_fitted
    from sklearn.exceptions import NotFittedError

    d = data
    result = call(fn, d["rule"], d["model"], d["X_train"], d["y_train"], d["X_test"], d["y_test"])
    expect_dict(result, ("rule", "model"), "The result")
    for side in ("rule", "model"):
        expect_dict(result[side], ("precision", "recall", "f1"), f"result[{side!r}]")
        for k in ("precision", "recall", "f1"):
            v = result[side][k]
            expect(np.isscalar(v) or np.ndim(v) == 0, f"result[{side!r}][{k!r}] should be a single number.")
            expect(0.0 <= float(v) <= 1.0, f"result[{side!r}][{k!r}] should lie between 0 and 1.")
    try:
        check_is_fitted(d["model"])
        raise CheckFailure("The model you were given is now fitted: fit a copy (`sklearn.base.clone(model)`), "
                           "so the caller's object stays untouched, as cross_val_score does.")
    except NotFittedError:
        pass
    ref = reference_comparison(**d)
    for k in ("precision", "recall", "f1"):
        expect(abs(float(result["rule"][k]) - ref["rule"][k]) < 1e-9,
               f"The rule's {k} is wrong on the visible example: apply the rule to the test rows and compare with y_test "
               "(the rule needs no training).")
    for k in ("precision", "recall", "f1"):
        expect(abs(float(result["model"][k]) - ref["model"][k]) < 1e-9,
               f"The model's {k} is wrong on the visible example: fit on the training rows only and score the "
               "predictions on the test rows, the same rows the rule is scored on.")


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


_ACT = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "logistic": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "identity": lambda z: z,
}


def reference_hidden(mlp, X):
    h = np.asarray(X, dtype=float)
    for W, b in zip(mlp.coefs_[:-1], mlp.intercepts_[:-1]):
        h = _ACT[mlp.activation](h @ W + b)
    return h


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
    expect_close(H, reference_hidden(mlp, X), "The hidden-feature matrix", rtol=1e-9, atol=1e-12)


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
