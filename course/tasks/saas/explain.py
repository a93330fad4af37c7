"""Coding tasks of assignment 4 for Z3: exact SHAP values of a linear model, and reasons in plain words.

The visible checks test properties of a correct answer (additivity, the base value, zero at the
background mean, one feature moved at a time; sentences that are true of the data, a worked
example); the exact comparison with the reference solution happens in the hidden tests and in the
grader.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A
from ._common import scalar, unpack

LINEAR_FEATURES = ["seats", "tenure_months", "logins", "modules_used", "monthly_revenue"]
REASON_LABELS = {
    "logins": "logins",
    "days_since_last_login": "days since the last login",
    "support_tickets": "support tickets",
    "tenure_months": "months as a customer",
    "modules_used": "modules in use",
    "csat": "satisfaction points",
    "seats": "seats",
}
SENTENCE = re.compile(r"^(more|fewer) (.+) than (\d+)% of accounts (raised|lowered) the churn risk$")
MISSING = re.compile(r"^missing (.+) (raised|lowered) the churn risk$")


# --- Z3: SHAP values of a linear model, exactly -------------------------------------------------------

def _linear_data(seed: int) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from course.datasets.saas import load_saas_accounts

    df = load_saas_accounts(n_accounts=300, n_months=3, seed=seed)
    X, y = df[LINEAR_FEATURES].astype(float), df["churned"]
    raw = LogisticRegression(max_iter=5000).fit(X, y)
    scaled = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, y)
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(X), size=5, replace=False)
    return {"models": [scaled, raw], "X_background": X.iloc[:400], "X": X.iloc[rows]}


def _shap_of(fn, model, X_background, X, kind: str):
    phi, base = unpack(call(fn, model, X_background, X), 2, "linear_shap")
    phi = as_array(phi, f"The SHAP values for {kind}", ndim=2)
    base = scalar(base, f"The base value for {kind}")
    expect(phi.shape == X.shape, f"The SHAP values should have one row per row of X and one column per feature: shape {X.shape}, got {phi.shape}.")
    expect(np.isfinite(phi).all() and np.isfinite(base), f"The SHAP values or the base value for {kind} contain NaN or inf.")
    return phi, base


def _linear_properties(fn, data):
    Xb, X = data["X_background"], data["X"]
    mean_row = pd.DataFrame([Xb.mean().to_numpy()], columns=Xb.columns)
    for model in data["models"]:
        kind = "a Pipeline(StandardScaler, LogisticRegression)" if hasattr(model, "steps") else "a bare LogisticRegression"
        phi, base = _shap_of(fn, model, Xb, X, kind)
        logit = model.decision_function(X)
        expect(np.allclose(base + phi.sum(axis=1), logit, atol=1e-6),
               f"For {kind}, base + the sum of a row's SHAP values should equal the model's log-odds "
               "(decision_function) for that row: SHAP values are additive.")
        expect(abs(base - model.decision_function(mean_row)[0]) < 1e-6,
               f"For {kind}, the base value should be the model's log-odds at the mean of the background data.")
        phi0, base0 = _shap_of(fn, model, Xb, mean_row, kind)
        expect(np.allclose(phi0, 0, atol=1e-6) and abs(base0 - base) < 1e-6,
               f"For {kind}, a row equal to the background mean should get SHAP value 0 for every feature: measure "
               "each contribution from the background mean, not from zero.")
        # Move every feature of every row by its own step: a feature's SHAP value changes by what moving that
        # feature alone does to the log-odds (the model is linear), and by nothing else.
        steps = Xb.std().to_numpy() * np.linspace(0.5, 1.5, X.shape[1])
        moved = X + steps
        phi_moved, _ = _shap_of(fn, model, Xb, moved, kind)
        alone = np.column_stack([model.decision_function(X.assign(**{c: X[c] + s})) - logit for c, s in zip(X.columns, steps)])
        if not np.allclose(phi_moved - phi, alone, atol=1e-6):
            raise CheckFailure(
                f"For {kind}, moving one feature should change that feature's SHAP value by exactly the change in the "
                "log-odds it causes: use each feature's weight on the original scale (for a pipeline, coef / scale_).")


# --- Z3: the top reasons as sentences -------------------------------------------------------------

def _reasons_data(seed: int) -> dict:
    from course.datasets.saas import load_saas_accounts

    df = load_saas_accounts(n_accounts=300, n_months=2, seed=seed)
    features = list(REASON_LABELS)
    X_ref = df[features]
    rng = np.random.default_rng(seed)
    while True:   # an account and SHAP values whose top three mix both signs, the second one negative
        row = X_ref.iloc[int(rng.integers(len(X_ref)))]
        shap_row = pd.Series(np.round(rng.normal(0, 0.4, size=len(features)), 4), index=features)
        top = shap_row.abs().sort_values(ascending=False, kind="stable").index[:3]
        if shap_row[top[0]] > 0 and shap_row[top[1]] < 0 and np.isfinite(row[top]).all():
            break
    return {"shap_row": shap_row, "x_row": row, "X_reference": X_ref, "labels": dict(REASON_LABELS), "k": 3}


def compare_reasons(got, want) -> str | None:
    """Why the sentences ``got`` differ from ``want`` (percentages may differ by one), or None."""
    if len(got) != len(want):
        return f"Expected {len(want)} sentences, got {len(got)}."
    for i, (g, w) in enumerate(zip(got, want), start=1):
        if g == w:
            continue
        if not isinstance(g, str):
            return f"Sentence {i} should be a string, got {type(g).__name__}."
        mg, mw = SENTENCE.match(g.strip()), SENTENCE.match(w)
        if mw is None:  # a missing value
            return (f"Sentence {i} reads {g!r}: when the account's value is missing (NaN) the sentence is "
                    "'missing <label> raised/lowered the churn risk'.")
        if mg is None:
            return (f"Sentence {i} reads {g!r}, which does not have the form "
                    "'more|fewer <label> than <p>% of accounts raised|lowered the churn risk'.")
        if mg.group(2) != mw.group(2):
            return (f"Sentence {i} is about {mg.group(2)!r}: the reasons should be the features with the largest "
                    "absolute SHAP values (positive or negative), largest first, named with `labels`.")
        if mg.group(4) != mw.group(4):
            return f"Sentence {i} has the wrong direction: a positive SHAP value raised the risk, a negative one lowered it."
        if mg.group(1) != mw.group(1):
            return (f"Sentence {i} says {mg.group(1)!r}: compare the account's value with the reference accounts' "
                    "values; say 'fewer' when more accounts have a larger value than a smaller one.")
        if abs(int(mg.group(3)) - int(mw.group(3))) > 1:
            return (f"Sentence {i} has the wrong percentage: it is the share of reference accounts (ignoring missing "
                    "values) with a strictly larger value ('fewer') or strictly smaller value ('more'), in whole percent.")
    return None


def _sentence_facts(sentence, i, shap_row, x_row, X_reference, by_label) -> str:
    """The feature a sentence is about, after checking that what it says is true of the data."""
    expect(isinstance(sentence, str), f"Sentence {i} should be a string, got {type(sentence).__name__}.")
    text = sentence.strip()
    full, missing = SENTENCE.match(text), MISSING.match(text)
    expect(full is not None or missing is not None,
           f"Sentence {i} reads {sentence!r}, which has neither the form 'more|fewer <label> than <p>% of accounts "
           "raised|lowered the churn risk' nor 'missing <label> raised|lowered the churn risk'.")
    label = full.group(2) if full else missing.group(1)
    verb = full.group(4) if full else missing.group(2)
    expect(label in by_label, f"Sentence {i} names {label!r}, which is not one of the plain names in `labels`.")
    feature = by_label[label]
    expect(shap_row[feature] != 0, f"Sentence {i} is about a feature whose SHAP value is 0: skip those.")
    expect(verb == ("raised" if shap_row[feature] > 0 else "lowered"),
           f"Sentence {i} has the wrong direction: a positive SHAP value raised the risk, a negative one lowered it.")
    x = x_row[feature]
    if missing:
        expect(pd.isna(x), f"Sentence {i} says the value is missing, but the account has one.")
        return feature
    expect(not pd.isna(x), f"Sentence {i}: when the account's value is missing (NaN) the sentence is "
                           "'missing <label> raised/lowered the churn risk'.")
    reference = X_reference[feature].dropna().to_numpy(dtype=float)
    below, above = int(np.sum(reference < x)), int(np.sum(reference > x))    # counts strictly smaller / larger
    word, count = ("fewer", above) if above > below else ("more", below)
    share = 100.0 * count / len(reference)
    expect(full.group(1) == word,
           f"Sentence {i} says {full.group(1)!r}: compare the account's value with the reference accounts' values; "
           "say 'fewer' when more accounts have a larger value than a smaller one.")
    expect(abs(int(full.group(3)) - share) <= 0.5 + 1e-9,
           f"Sentence {i} has the wrong percentage: it is the share of reference accounts (ignoring missing values) "
           "with a strictly larger value ('fewer') or strictly smaller value ('more'), rounded to whole percent.")
    return feature


# Worked by hand: |SHAP| ranks csat (0.5), then logins and support_tickets (0.3 each: the order of shap_row).
# csat 4 against 1,1,2,2,3,3,4,4,5 (NaN ignored): 6 of 9 smaller, 1 larger -> "more ... than 67%".
# logins 2 against 0..9: 2 of 10 smaller, 7 larger -> "fewer ... than 70%". support_tickets is NaN.
_SMALL_REFERENCE = pd.DataFrame({"logins": np.arange(10.0), "csat": [1, 1, 2, 2, 3, 3, 4, 4, 5, np.nan],
                                 "support_tickets": np.zeros(10), "seats": np.ones(10)})
_SMALL_SHAP = pd.Series({"logins": -0.3, "csat": 0.5, "support_tickets": 0.3, "seats": 0.0})
_SMALL_ROW = pd.Series({"logins": 2.0, "csat": 4.0, "support_tickets": np.nan, "seats": 1.0})
_SMALL_SENTENCES = ["more satisfaction points than 67% of accounts raised the churn risk",
                    "fewer logins than 70% of accounts lowered the churn risk",
                    "missing support tickets raised the churn risk"]


def _reasons_properties(fn, data):
    shap_row, x_row, X_ref, labels, k = data["shap_row"], data["x_row"], data["X_reference"], data["labels"], data["k"]
    got = call(fn, shap_row, x_row, X_ref, labels, k)
    expect(isinstance(got, (list, tuple)), f"reason_sentences should return a list of strings, got {type(got).__name__}.")
    got = list(got)
    n_nonzero = int((shap_row != 0).sum())
    expect(len(got) == min(k, n_nonzero), f"Expected {min(k, n_nonzero)} sentences for k={k}, got {len(got)}.")
    by_label = {v: f for f, v in labels.items()}
    features = [_sentence_facts(s, i, shap_row, x_row, X_ref, by_label) for i, s in enumerate(got, start=1)]
    expect(len(set(features)) == len(features), "Two sentences are about the same feature.")
    size = shap_row.abs()
    rest = [f for f in shap_row.index if f not in features and shap_row[f] != 0]
    expect(all(size[a] >= size[b] for a, b in zip(features, features[1:]))
           and (not rest or size[features].min() >= size[rest].max()),
           "The reasons should be the features with the largest absolute SHAP values (positive or negative), "
           "largest first.")
    small = call(fn, _SMALL_SHAP.copy(), _SMALL_ROW.copy(), _SMALL_REFERENCE.copy(), dict(REASON_LABELS), 3)
    expect(isinstance(small, (list, tuple)), f"reason_sentences should return a list of strings, got {type(small).__name__}.")
    problem = compare_reasons(list(small), _SMALL_SENTENCES)
    if problem:
        raise CheckFailure(f"On a small example worked by hand: {problem}")


TASKS = [
    Task(
        id="linear_shap",
        assignment=A,
        question="Z3",
        title="Exact SHAP values of a logistic regression",
        function="linear_shap",
        points=3,
        hints=(
            "For a model that is linear in the log-odds, f(x) = b + Σ w_j x_j, and features treated as independent, the SHAP value of feature j is w_j times how far x_j is from its average over the background data.",
            "The base value is f at the background mean, so base + Σ_j φ_j = f(x) for every row. For Pipeline(StandardScaler, LogisticRegression), rewrite the model on the original scale: w = coef / scale_, b = intercept - w · mean_.",
            "φ = w * (X - X_background.mean(axis=0)) with NumPy broadcasting; base = b + w @ mean. Return (φ as an (n, d) array, base as a float).",
        ),
        checks=(_linear_properties,),
        make_data=_linear_data,
    ),
    Task(
        id="reason_sentences",
        assignment=A,
        question="Z3",
        title="Top reasons of a prediction in plain words",
        function="reason_sentences",
        points=3,
        hints=(
            "Rank the features by the absolute value of their SHAP value (largest first), skip zeros, keep k. The sign only decides 'raised' or 'lowered'.",
            "For a feature value x, compare it with the reference column without its NaN: the shares of accounts strictly below and strictly above x. The larger share decides between 'more' and 'fewer'.",
            "Build f\"{'more' or 'fewer'} {labels[f]} than {round(100 * share)}% of accounts {'raised' or 'lowered'} the churn risk\", or f\"missing {labels[f]} ... the churn risk\" when x is NaN.",
        ),
        checks=(_reasons_properties,),
        make_data=_reasons_data,
    ),
]
