"""Coding tasks for A10: group fairness gaps and a post-processing mitigation."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, call, expect, scalar
from .._task import Task
from . import A
from ._common import close, expect_dict


def _scores(seed: int):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from ...datasets.systems import load_applicants

    X, y, group = load_applicants(n=1600, seed=900 + seed)
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X.iloc[:800], y[:800])
    return model.predict_proba(X.iloc[800:])[:, 1], y[800:], group[800:]


# --- A10a: demographic parity and equal opportunity differences -------------------------------------

def _gaps_data(seed: int) -> dict:
    scores, y, group = _scores(seed)
    return {"y_true": y, "y_pred": (scores >= 0.5).astype(int), "group": group}


def _group_rates(y_true, y_pred):
    """Selection rate and true positive rate of one group, from scikit-learn's confusion matrix."""
    from sklearn.metrics import confusion_matrix

    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return (fp + tp) / (tn + fp + fn + tp), (tp / (tp + fn) if tp + fn > 0 else float("nan"))


def _gaps_correct(fn, data):
    y, pred, group = data["y_true"], data["y_pred"], data["group"]
    result = expect_dict(call(fn, y, pred, group),
                         ("selection_rate", "tpr", "demographic_parity_difference", "equal_opportunity_difference"),
                         "The result")
    groups = sorted(set(np.asarray(group).tolist()))
    for key in ("selection_rate", "tpr"):
        part = result[key]
        if not isinstance(part, dict):
            raise CheckFailure(f"result[{key!r}] should be a dict {{group: rate}}, got {type(part).__name__}.")
        expect(sorted(map(str, part)) == sorted(map(str, groups)), f"result[{key!r}] should have one entry per group.")
    sel, tpr = {}, {}
    for g in groups:
        m = group == g
        want_sel, want_tpr = _group_rates(y[m], pred[m])
        sel[g] = scalar(result["selection_rate"][g], "a selection rate")
        tpr[g] = scalar(result["tpr"][g], "a true positive rate")
        expect(close(sel[g], want_sel),
               "A selection rate is wrong: the share of the group's rows predicted positive (y_true plays no part).")
        expect(close(tpr[g], want_tpr),
               "A true positive rate is wrong: among the group's rows with y_true == 1, the share predicted positive.")
    dp = scalar(result["demographic_parity_difference"], "The demographic parity difference")
    eo = scalar(result["equal_opportunity_difference"], "The equal opportunity difference")
    expect(dp >= 0 and eo >= 0, "The differences are largest minus smallest rate across groups, so never negative.")
    expect(close(dp, max(sel.values()) - min(sel.values())),
           "The demographic parity difference should be the largest selection rate minus the smallest.")
    rates = [v for v in tpr.values() if not np.isnan(v)]
    expect(close(eo, max(rates) - min(rates)),
           "The equal opportunity difference should be the largest true positive rate minus the smallest.")


# --- A10b: group-specific thresholds for equal opportunity ------------------------------------------

def _thresholds_data(seed: int) -> dict:
    scores, y, group = _scores(seed)
    return {"scores": scores, "y_true": y, "group": group, "target_tpr": [0.8, 0.85, 0.9][seed % 3]}


def check_thresholds(result, scores, y_true, group, target_tpr):
    """Shared by the visible check and the hidden tests: each threshold is the highest that reaches target_tpr."""
    if not isinstance(result, dict):
        raise CheckFailure(f"group_thresholds should return a dict {{group: threshold}}, got {type(result).__name__}.")
    groups = sorted(set(np.asarray(group).tolist()))
    expect(sorted(map(str, result)) == sorted(map(str, groups)), "Return one threshold per group.")
    for g in groups:
        t = scalar(result[g], f"The threshold of group {g}")
        pos = scores[(group == g) & (y_true == 1)]
        tpr = np.mean(pos >= t)
        expect(tpr >= target_tpr - 1e-12,
               f"With your threshold, group {g} reaches a true positive rate below target_tpr: positives with "
               "score >= threshold must be at least that share.")
        above = pos[pos > t]
        expect(len(above) == 0 or np.mean(pos >= above.min()) < target_tpr,
               f"The threshold of group {g} is lower than needed: choose the highest threshold that still reaches "
               "target_tpr, so that as few negatives as possible are selected.")


def _thresholds_correct(fn, data):
    d = data
    result = call(fn, d["scores"], d["y_true"], d["group"], d["target_tpr"])
    check_thresholds(result, d["scores"], d["y_true"], d["group"], d["target_tpr"])


TASKS = [
    Task(
        id="fairness_gaps",
        assignment=A,
        question="A10",
        title="Demographic parity and equal opportunity differences",
        function="fairness_gaps",
        points=2,
        hints=(
            "Compute two rates per group: the selection rate (share predicted positive) and the true positive rate "
            "(share predicted positive among the truly positive). Each difference is the largest rate minus the smallest.",
            "Loop over np.unique(group); m = group == g; selection = y_pred[m].mean(); tpr = y_pred[m & (y_true == 1)].mean().",
            "A group without positive examples has no TPR: store nan for it and leave it out of the equal "
            "opportunity difference. Return the four keys named in the task.",
        ),
        checks=(_gaps_correct,),
        make_data=_gaps_data,
    ),
    Task(
        id="group_thresholds",
        assignment=A,
        question="A10",
        title="Group-specific thresholds that equalise the true positive rate",
        function="group_thresholds",
        points=3,
        hints=(
            "Within one group, only the scores of the truly positive rows decide the TPR: the threshold must let at "
            "least target_tpr of them through (score >= threshold).",
            "Sort the group's positive scores in decreasing order; to pass k of them, the threshold is the k-th "
            "largest score; the smallest sufficient k is ceil(target_tpr * n_pos).",
            "k = int(np.ceil(target_tpr * n_pos - 1e-9)) guards against 0.8 * 10 = 8.000000000000002; take "
            "max(k, 1) and return {group: float(sorted_desc[k - 1])}.",
        ),
        checks=(_thresholds_correct,),
        make_data=_thresholds_data,
    ),
]
