"""Coding task of assignment 2 for question S5: SHAP values of a gradient-boosting model with TreeExplainer."""
from __future__ import annotations

import numpy as np

from .._expect import as_array, call, expect, expect_close, scalar
from .._task import Task
from . import A


def _shap_data(seed: int) -> dict:
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import GradientBoostingClassifier

    data = load_breast_cancer(as_frame=True)
    X, y = data.data.iloc[:, :12], data.target          # 12 features keep the check fast
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(y), size=300, replace=False)
    model = GradientBoostingClassifier(n_estimators=40, max_depth=2, random_state=seed).fit(X.iloc[rows], y.iloc[rows])
    explain_rows = rng.choice(np.setdiff1d(np.arange(len(y)), rows), size=40, replace=False)
    return {"model": model, "X": X.iloc[explain_rows]}


def _shap_matches(fn, data):
    import pandas as pd
    import shap

    model, X = data["model"], data["X"]
    out = call(fn, model, X)
    expect(isinstance(out, dict), f"explain_with_shap should return a dict, got {type(out).__name__}.")
    missing = [k for k in ("values", "base_value", "raw_output", "importance") if k not in out]
    expect(not missing, f"The dict is missing the key(s) {missing}.")
    values = as_array(out["values"], "out['values']", ndim=2)
    expect(values.shape == X.shape, f"out['values'] should have one row per row of X and one column per feature: shape {X.shape}, got {values.shape}.")
    base = scalar(out["base_value"], "out['base_value']")
    expect(isinstance(out["base_value"], float), f"out['base_value'] should be a Python float, got {type(out['base_value']).__name__} "
                                                 "(the explainer's expected_value may be an array of length 1: take its single element).")
    raw = as_array(out["raw_output"], "out['raw_output']", ndim=1)
    expect(raw.shape == (len(X),), f"out['raw_output'] should hold one number per row: shape ({len(X)},), got {raw.shape}.")
    expect_close(raw, model.decision_function(X), "out['raw_output']", rtol=1e-9, atol=1e-9,
                 hint="TreeExplainer explains the model's raw margin, for a classifier `decision_function` (log-odds), not probabilities.")
    explainer = shap.TreeExplainer(model)
    expect_close(values, explainer.shap_values(X), "out['values']", rtol=1e-6, atol=1e-9,
                 hint="Use `shap.TreeExplainer(model)` with its defaults (no background data) and `.shap_values(X)`.")
    gap = np.abs(base + values.sum(axis=1) - raw).max()
    expect(gap < 1e-6, "Local accuracy fails: base_value + the row's SHAP values should equal raw_output for every row. "
                       "Is base_value the explainer's expected_value?")
    imp = out["importance"]
    expect(isinstance(imp, pd.Series), f"out['importance'] should be a pandas Series, got {type(imp).__name__}.")
    expect(sorted(imp.index) == sorted(X.columns), "out['importance'] should be indexed by the feature names (the columns of X), each once.")
    expected = pd.Series(np.abs(values).mean(axis=0), index=X.columns)
    expect_close(imp.reindex(X.columns).to_numpy(float), expected.to_numpy(), "out['importance']", rtol=1e-9, atol=1e-12,
                 hint="Global importance is the mean of the ABSOLUTE SHAP values of each feature over the rows.")
    expect(bool(np.all(np.diff(imp.to_numpy(float)) <= 0)), "out['importance'] should be sorted from the most to the least important feature.")


TASKS = [
    Task(
        id="shap_tree_explainer",
        assignment=A,
        question="S5",
        title="SHAP values of a gradient-boosting model: local accuracy and global importance",
        function="explain_with_shap",
        points=3,
        hints=(
            "`shap.TreeExplainer(model)` computes exact SHAP values for tree ensembles; without background data "
            "it uses the training counts stored in the trees. Its numbers live in the model's raw output space.",
            "`explainer.shap_values(X)` gives an (n_rows, n_features) array for a binary classifier or a "
            "regressor; `explainer.expected_value` is the base value (it may be an array of length 1). The raw "
            "output is `model.decision_function(X)` if the model has it, else `model.predict(X)`.",
            "Importance: `pd.Series(np.abs(values).mean(axis=0), index=X.columns).sort_values(ascending=False)`. "
            "Convert the base value with `float(np.ravel(expected_value)[0])`.",
        ),
        checks=(_shap_matches,),
        make_data=_shap_data,
    ),
]
