"""Coding tasks for A7: regression metrics and ranking metrics from scratch."""
from __future__ import annotations

import numpy as np

from .._expect import call, expect, scalar
from .._task import Task
from . import A
from ._common import expect_dict


# --- A7a: RMSE, MAE and R² ------------------------------------------------------------------------

def _regression_data(seed: int) -> dict:
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(y), size=120, replace=False)
    y_true = y[rows]
    y_pred = 0.6 * y_true + 0.4 * y.mean() + rng.normal(0, 35, size=len(rows))
    y_pred[:3] += 250.0                  # three wild predictions: RMSE feels them, MAE much less
    return {"y_true": y_true, "y_pred": y_pred}


def _regression_correct(fn, data):
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

    y_true, y_pred = data["y_true"], data["y_pred"]
    result = expect_dict(call(fn, y_true, y_pred), ("rmse", "mae", "r2"), "The result")
    rmse, mae, r2 = (scalar(result[k], f"result[{k!r}]") for k in ("rmse", "mae", "r2"))
    expect(rmse >= mae >= 0, "RMSE is never smaller than MAE, and neither is negative: check both formulas.")
    expect(abs(mae - mean_absolute_error(y_true, y_pred)) < 1e-9 * max(1, mae), "MAE has the wrong value on the visible example: the mean of |y - ŷ|.")
    expect(abs(rmse - np.sqrt(mean_squared_error(y_true, y_pred))) < 1e-9 * max(1, rmse),
           "RMSE has the wrong value on the visible example: the square root of the mean of (y - ŷ)².")
    expect(abs(r2 - r2_score(y_true, y_pred)) < 1e-9,
           "R² has the wrong value on the visible example: 1 - SS_res / SS_tot, where SS_tot is measured around the "
           "mean of y_true.")
    const = expect_dict(call(fn, np.full(5, 3.0), np.array([3.0, 3, 3, 3, 4])), ("r2",), "The result")
    expect(scalar(const["r2"], "R² for a constant target") == 0.0,
           "When y_true is constant, SS_tot is 0: return R² = 1.0 for perfect predictions and 0.0 otherwise, as "
           "scikit-learn does, instead of dividing by zero.")


# --- A7b: NDCG@k -----------------------------------------------------------------------------------

def _ranking_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n_q, n_items = 30, 12
    relevance = rng.choice([0, 0, 0, 1, 1, 2, 3], size=(n_q, n_items)).astype(float)
    relevance[0] = 0.0                                        # a query with nothing relevant
    scores = relevance + rng.normal(0, 1.2, size=(n_q, n_items))  # continuous: no ties
    return {"relevance": relevance, "scores": scores, "k": 5}


def _ndcg_correct(fn, data):
    from sklearn.metrics import ndcg_score

    rel, s, k = data["relevance"], data["scores"], data["k"]
    value = scalar(call(fn, rel, s, k=k), "ndcg_at_k(relevance, scores, k)")
    expect(0.0 <= value <= 1.0, "NDCG lies between 0 and 1 for non-negative relevance.")
    expect(abs(value - ndcg_score(rel, s, k=k)) < 1e-9,
           "NDCG@k is wrong on the visible example: DCG@k sums relevance / log2(rank + 1) over the top k items by "
           "score (rank starting at 1, linear gain as in scikit-learn); divide by the DCG@k of the ideal order; "
           "a query with no relevant item scores 0; average over queries.")
    full = scalar(call(fn, rel, s, k=None), "ndcg_at_k(relevance, scores, k=None)")
    expect(abs(full - ndcg_score(rel, s)) < 1e-9, "With k=None every item counts: NDCG over the full ranking is wrong.")
    single = scalar(call(fn, rel[1], s[1], k=k), "ndcg_at_k for one query (1-D input)")
    expect(abs(single - ndcg_score(rel[1:2], s[1:2], k=k)) < 1e-9, "A 1-D input is one query: treat it as a single row.")


# --- A7c: mean average precision ---------------------------------------------------------------------

def _map_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n_q, n_items = 25, 15
    relevance = (rng.random((n_q, n_items)) < 0.25).astype(int)
    relevance[0] = 0
    relevance[1] = 0
    relevance[1, 3] = 1                                       # exactly one relevant item
    scores = relevance * 0.8 + rng.normal(0, 1.0, size=(n_q, n_items))
    return {"relevance": relevance, "scores": scores}


def _map_correct(fn, data):
    import warnings

    from sklearn.metrics import average_precision_score

    rel, s = data["relevance"], data["scores"]
    value = scalar(call(fn, rel, s), "mean_average_precision(relevance, scores)")
    expect(0.0 <= value <= 1.0, "MAP lies between 0 and 1.")
    # scikit-learn's average precision is the same quantity for 0/1 relevance and untied scores; AP is 0
    # for a query without relevant items (as the task states).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        oracle = float(np.mean([average_precision_score(r, x) if r.any() else 0.0 for r, x in zip(rel, s)]))
    expect(abs(value - oracle) < 1e-9,
           "MAP is wrong on the visible example: for each query sort items by score (descending); AP is the mean of "
           "precision@i over the ranks i of the relevant items; a query with no relevant item has AP 0; "
           "average AP over the queries.")


TASKS = [
    Task(
        id="regression_metrics",
        assignment=A,
        question="A7",
        title="RMSE, MAE and R² from scratch",
        function="regression_metrics",
        points=2,
        hints=(
            "All three come from the residuals e = y_true - y_pred: RMSE = sqrt(mean(e²)), MAE = mean(|e|), "
            "R² = 1 - sum(e²) / sum((y_true - mean(y_true))²).",
            "Convert inputs with np.asarray(..., dtype=float) so lists work; return plain floats in a dict with "
            "keys 'rmse', 'mae' and 'r2'.",
            "Guard the constant target: if sum((y_true - mean)²) == 0, R² is 1.0 when every residual is 0 and 0.0 "
            "otherwise (scikit-learn's convention).",
        ),
        checks=(_regression_correct,),
        make_data=_regression_data,
    ),
    Task(
        id="ndcg_at_k",
        assignment=A,
        question="A7",
        title="NDCG@k from scratch, matching scikit-learn",
        function="ndcg_at_k",
        points=3,
        hints=(
            "Work query by query (row by row): order the items by score, descending, and keep the first k. "
            "DCG@k = Σ rel_i / log2(i + 1) over ranks i = 1..k.",
            "The ideal DCG@k uses the same formula with the items ordered by relevance itself; NDCG = DCG / IDCG, "
            "and 0 for a query whose IDCG is 0 (nothing relevant). Average over queries.",
            "np.argsort(-scores_row)[:k] gives the top-k positions; discounts = 1 / np.log2(np.arange(2, m + 2)); "
            "for 1-D input use np.atleast_2d; k=None means all items.",
        ),
        checks=(_ndcg_correct,),
        make_data=_ranking_data,
    ),
    Task(
        id="mean_average_precision",
        assignment=A,
        question="A7",
        title="Mean average precision from scratch",
        function="mean_average_precision",
        points=3,
        hints=(
            "Average precision of one query: walk down the ranking (highest score first); every time you meet a "
            "relevant item, note the precision so far; AP is the mean of those precisions.",
            "With hits = relevance sorted by descending score, precision at each rank is "
            "np.cumsum(hits) / np.arange(1, n + 1); keep the entries where hits == 1 and average them.",
            "A query without relevant items has AP 0 (scikit-learn's convention). MAP is the mean AP over the rows; "
            "treat 1-D input as one query with np.atleast_2d.",
        ),
        checks=(_map_correct,),
        make_data=_map_data,
    ),
]
