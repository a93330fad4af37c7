"""Coding tasks of assignment 4 for Z1: lead scoring and item-item recommendations.

The visible checks test properties of a correct answer (the intercept's score equation, invariance
to the units of numeric columns, unseen categories, a worked example); the exact comparison with
the reference solution happens in the hidden tests and in the grader.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

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


def _lead_scores(fn, train, new, data, what: str) -> np.ndarray:
    scores = as_array(call(fn, train, new, data["numeric"], data["categorical"]), what, ndim=1)
    expect(scores.shape == (len(new),), f"{what} should return one score per row of `new`: shape ({len(new)},), got {scores.shape}.")
    expect(np.isfinite(scores).all(), f"{what} contains NaN or inf.")
    return scores


def _leads_properties(fn, data):
    from sklearn.metrics import roc_auc_score

    train, new = data["train"], data["new"]
    before = train.copy()
    scores = _lead_scores(fn, train, new, data, "score_leads(train, new, numeric, categorical)")
    expect(((scores >= 0) & (scores <= 1)).all(), "Scores must be probabilities between 0 and 1.")
    expect(not np.isin(scores, [0.0, 1.0]).all(),
           "The scores are all 0 or 1: a lead score is a probability (predict_proba), not a class label.")
    expect(train.equals(before), "score_leads changed the training frame in place: work on copies.")
    expect(roc_auc_score(data["y_new"], scores) > 0.65,
           "The scores barely separate the leads that converted from the others (ROC AUC on the new leads is close "
           "to 0.5): score with column 1 of predict_proba, the probability of converting.")

    # A logistic regression with an (unpenalized) intercept, fitted by maximum likelihood, predicts on
    # its own training rows an average probability equal to the training rate of positives.
    own = _lead_scores(fn, train, train.drop(columns="converted"), data, "score_leads on the training leads")
    expect(abs(own.mean() - train["converted"].mean()) < 2e-3,
           "Scored on its own training leads, the model's mean probability should equal the training conversion rate "
           "(a property of logistic regression with an intercept): no class weights or resampling, and fit on `train`.")

    # Standardized inputs: the units of a numeric column must not matter.
    rescaled_train, rescaled_new = train.copy(), new.copy()
    for col in data["numeric"]:
        rescaled_train[col] = rescaled_train[col] * 0.001 + 5.0
        rescaled_new[col] = rescaled_new[col] * 0.001 + 5.0
    rescaled = _lead_scores(fn, rescaled_train, rescaled_new, data, "score_leads with numeric columns in other units")
    if not np.allclose(rescaled, scores, atol=1e-3):
        raise CheckFailure("The scores change when the numeric columns are expressed in other units (x 0.001 + 5): "
                           "standardize them (StandardScaler) before the regularized logistic regression.")

    # A channel the training data never saw.
    unseen = new.copy()
    unseen.loc[unseen.index[:5], "source"] = "partner_program"
    try:
        odd = as_array(call(fn, train, unseen, data["numeric"], data["categorical"]), "The scores of unseen categories", ndim=1)
    except CheckFailure as err:
        raise CheckFailure(f"Scoring leads from a source never seen in training failed ({str(err)[:160]}): "
                           "OneHotEncoder(handle_unknown=\"ignore\") encodes an unseen category as all zeros.") from None
    expect(odd.shape == (len(new),) and np.isfinite(odd).all(),
           "Leads from a source never seen in training should still get a finite score each.")


# --- Z1: item-item recommendations -----------------------------------------------------------------

def _usage_data(seed: int) -> dict:
    from course.datasets.saas import load_saas_module_usage

    usage = load_saas_module_usage(n_accounts=200, seed=seed)
    rng = np.random.default_rng(seed)
    busy = usage.index[(usage.sum(axis=1) >= 2) & (usage.sum(axis=1) <= 5)].to_numpy()
    return {"usage": usage, "account": int(rng.choice(busy)), "k": 3}


# A small usage matrix worked by hand. Popularity: crm 5, chat 3, docs 2, forms 3, pay 0 (nobody).
# Account 103 uses crm only: its cosine similarities are docs 1/sqrt(10) > chat = forms 1/sqrt(15),
# while raw co-usage counts tie all three at 1. Account 109 uses nothing: popularity alone decides, and
# forms (3 accounts) beats docs (2), which comes first in column order.
_SMALL = pd.DataFrame(
    [[1, 1, 0, 0, 0], [1, 0, 1, 0, 0], [1, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 0, 0, 1, 0],
     [0, 1, 0, 1, 0], [0, 1, 0, 1, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0]],
    columns=["crm", "chat", "docs", "forms", "pay"], index=[101, 102, 103, 104, 105, 106, 107, 108, 109])
_SMALL_CASES = (
    (103, 3, ["docs", "chat", "forms"],
     "for an account using one module, rank by cosine similarity (co-usage divided by the column norms), not by "
     "raw co-usage counts; break ties by popularity, then column order"),
    (109, 3, ["crm", "chat", "forms"],
     "an account that uses nothing has score 0 everywhere, so the most popular modules come first (ties: column order)"),
    (106, 5, ["crm", "docs", "pay"],
     "with k larger than the number of unused modules, return every unused module; a module nobody uses has "
     "similarity 0 (no NaN from a zero norm)"),
)


def _recommendations(fn, usage, account, k, what: str) -> list:
    recs = call(fn, usage, account, k)
    expect(isinstance(recs, (list, tuple)), f"{what} should return a list of module names, got {type(recs).__name__}.")
    return list(recs)


def _recs_properties(fn, data):
    usage, account, k = data["usage"], data["account"], data["k"]
    recs = _recommendations(fn, usage, account, k, "recommend_modules")
    unknown = [r for r in recs if r not in usage.columns]
    expect(not unknown, f"{unknown[:3]} are not module names (columns of `usage`): return names, not positions.")
    expect(len(set(recs)) == len(recs), "A module appears twice in the recommendations.")
    used = [r for r in recs if usage.loc[account, r] == 1]
    expect(not used, "You recommend a module the account already uses: recommend only modules it does not use yet.")
    n_unused = int((usage.loc[account] == 0).sum())
    expect(len(recs) == min(k, n_unused), f"Expected {min(k, n_unused)} recommendations for k={k}, got {len(recs)}.")
    first = _recommendations(fn, usage, account, 1, "recommend_modules(..., k=1)")
    expect(first == recs[:1], "With k=1 the recommendation should be the first of the k=3 list: rank once, then cut.")
    for small_account, small_k, want, why in _SMALL_CASES:
        got = _recommendations(fn, _SMALL.copy(), small_account, small_k, "recommend_modules")
        if got != want:
            raise CheckFailure(f"On a small usage matrix worked by hand, account {small_account} with k={small_k} gets "
                               f"the wrong modules or order: {why}.")


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
        checks=(_leads_properties,),
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
        checks=(_recs_properties,),
        make_data=_usage_data,
    ),
]
