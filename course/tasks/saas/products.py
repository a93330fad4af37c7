"""Coding tasks of assignment 4 for Z1: lead scoring and item-item recommendations."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A

LEAD_NUMERIC = ["company_size", "pages_viewed", "trial_logins", "teammates_invited", "demo_requested"]
LEAD_CATEGORICAL = ["source", "industry"]


# --- Z1: lead scoring with logistic regression ------------------------------------------------------

def _leads_data(seed: int) -> dict:
    from course.datasets.saas import load_saas_leads

    leads = load_saas_leads(n_leads=1200, seed=seed)
    train, new = leads.iloc[:900].copy(), leads.iloc[900:].drop(columns="converted")
    return {"train": train, "new": new, "numeric": list(LEAD_NUMERIC), "categorical": list(LEAD_CATEGORICAL),
            "y_new": leads["converted"].iloc[900:].to_numpy()}


def reference_lead_scores(train, new, numeric, categorical, target="converted"):
    """What a scaled, one-hot encoded logistic regression fitted on ``train`` gives for ``new``."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    prep = ColumnTransformer([("num", StandardScaler(), list(numeric)),
                              ("cat", OneHotEncoder(handle_unknown="ignore"), list(categorical))])
    model = Pipeline([("prep", prep), ("model", LogisticRegression(max_iter=1000))])
    model.fit(train[list(numeric) + list(categorical)], train[target])
    return model.predict_proba(new[list(numeric) + list(categorical)])[:, 1]


def _leads_match(fn, data):
    train, new = data["train"], data["new"]
    before = train.copy()
    scores = as_array(call(fn, train, new, data["numeric"], data["categorical"]),
                      "score_leads(train, new, numeric, categorical)", ndim=1)
    expect(scores.shape == (len(new),), f"score_leads should return one score per row of `new`: shape ({len(new)},), got {scores.shape}.")
    expect(np.isfinite(scores).all(), "The scores contain NaN or inf.")
    expect(((scores >= 0) & (scores <= 1)).all(), "Scores must be probabilities between 0 and 1.")
    expect(not np.isin(scores, [0.0, 1.0]).all(),
           "The scores are all 0 or 1: a lead score is a probability (predict_proba), not a class label.")
    expect(train.equals(before), "score_leads changed the training frame in place: work on copies.")
    ref = reference_lead_scores(train, new, data["numeric"], data["categorical"])
    if not np.allclose(scores, ref, atol=2e-3):
        raise CheckFailure(
            "The probabilities differ from a logistic regression (C=1, max_iter=1000) on standardized numeric "
            "columns and one-hot encoded categorical ones, fitted on `train` only.")


# --- Z1: item-item recommendations -----------------------------------------------------------------

def _usage_data(seed: int) -> dict:
    from course.datasets.saas import load_saas_module_usage

    usage = load_saas_module_usage(n_accounts=200, seed=seed)
    rng = np.random.default_rng(seed)
    busy = usage.index[(usage.sum(axis=1) >= 2) & (usage.sum(axis=1) <= 5)].to_numpy()
    counts = usage.to_numpy(dtype=float).T @ usage.to_numpy(dtype=float)
    for account in rng.permutation(busy):   # an account for which popularity alone would mislead
        scores, popularity, row = item_scores(usage, account)
        unused = np.flatnonzero(row == 0)
        by_cosine = unused[np.argsort(-scores[unused], kind="stable")][:3]
        by_count = unused[np.argsort(-(counts @ row)[unused], kind="stable")][:3]
        if set(by_cosine) != set(by_count):
            break
    return {"usage": usage, "account": int(account), "k": 3}


def item_scores(usage, account):
    """Cosine item-item scores of every module for ``account`` and the modules' popularity."""
    from sklearn.metrics.pairwise import cosine_similarity

    U = usage.to_numpy(dtype=float)
    sim = cosine_similarity(U.T)
    sim[~np.isfinite(sim)] = 0.0
    row = usage.loc[account].to_numpy(dtype=float)
    return sim @ row, U.sum(axis=0), row


def _recs_match(fn, data):
    usage, account, k = data["usage"], data["account"], data["k"]
    recs = call(fn, usage, account, k)
    expect(isinstance(recs, (list, tuple)), f"recommend_modules should return a list of module names, got {type(recs).__name__}.")
    recs = list(recs)
    unknown = [r for r in recs if r not in usage.columns]
    expect(not unknown, f"{unknown[:3]} are not module names (columns of `usage`): return names, not positions.")
    expect(len(set(recs)) == len(recs), "A module appears twice in the recommendations.")
    used = [r for r in recs if usage.loc[account, r] == 1]
    expect(not used, "You recommend a module the account already uses: recommend only modules it does not use yet.")
    n_unused = int((usage.loc[account] == 0).sum())
    expect(len(recs) == min(k, n_unused), f"Expected {min(k, n_unused)} recommendations for k={k}, got {len(recs)}.")
    scores, popularity, _ = item_scores(usage, account)
    col = {c: j for j, c in enumerate(usage.columns)}
    got = [(round(scores[col[r]], 9), popularity[col[r]]) for r in recs]
    cand = sorted((j for j in range(len(col)) if usage.loc[account].iloc[j] == 0),
                  key=lambda j: (-round(scores[j], 9), -popularity[j], j))[:k]
    want = [(round(scores[j], 9), popularity[j]) for j in cand]
    if got != want:
        raise CheckFailure(
            "These are not the modules with the highest item-item scores: score each unused module by the sum of "
            "its cosine similarities to the modules the account uses (cosine between module columns, not raw "
            "co-occurrence counts), highest first.")


TASKS = [
    Task(
        id="lead_scoring",
        assignment=A,
        question="Z1",
        title="Lead scoring with logistic regression",
        function="score_leads",
        points=2,
        hints=(
            "Build one scikit-learn Pipeline: a ColumnTransformer for the two kinds of columns, then the classifier. Fit it on `train` only.",
            "Numeric columns: StandardScaler. Categorical columns: OneHotEncoder(handle_unknown=\"ignore\") so that a source never seen in training does not crash scoring.",
            "The score of a lead is the predicted probability of the positive class: column 1 of `predict_proba`, not `predict`.",
        ),
        checks=(_leads_match,),
        make_data=_leads_data,
    ),
    Task(
        id="item_item_recs",
        assignment=A,
        question="Z1",
        title="Item-item recommendations of product modules",
        function="recommend_modules",
        points=3,
        hints=(
            "Think of each module as a column vector over accounts; two modules are similar when the same accounts use them.",
            "Cosine similarity between columns: (Uᵀ U) divided by the outer product of the column norms (0 where a norm is 0). The score of an unused module is the sum of its similarities to the modules the account uses.",
            "Keep only modules the account does not use, then sort by (-score, -popularity, column position) and take the first k names; an account with no modules gets score 0 everywhere, so popularity decides.",
        ),
        checks=(_recs_match,),
        make_data=_usage_data,
    ),
]
