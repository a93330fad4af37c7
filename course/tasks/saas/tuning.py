"""Coding tasks of assignment 4 for Z4: Optuna with pruning, early stopping, and feature selection.

The visible checks test properties of a correct answer (what the objective reports and when it
stops, repeatability, what early stopping must change, a selection worked out by construction); the
exact comparison with the reference solution happens in the hidden tests and in the grader.
"""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, call, expect
from .._task import Task
from . import A
from ._common import month_index, quiet_optuna, scalar

TREE_FEATURES = ["seats", "tenure_months", "logins", "days_since_last_login", "support_tickets",
                 "modules_used", "csat", "monthly_revenue"]


def _scaled_split(seed: int, n_accounts: int, n_months: int, n_val_months: int):
    """Median-imputed, standardized account features split by month (earlier months train)."""
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from course.datasets.saas import load_saas_accounts

    df = load_saas_accounts(n_accounts=n_accounts, n_months=n_months, seed=seed)
    is_train = month_index(df["month"]) < n_months - n_val_months
    prep = make_pipeline(SimpleImputer(strategy="median"), StandardScaler()).fit(df.loc[is_train, TREE_FEATURES])
    X = prep.transform(df[TREE_FEATURES])
    y = df["churned"].to_numpy()
    return X[is_train], y[is_train], X[~is_train], y[~is_train]


# --- Z4: an Optuna objective that reports and prunes ---------------------------------------------------

def _objective_data(seed: int) -> dict:
    X_train, y_train, X_val, y_val = _scaled_split(seed, 300, 6, 2)
    return {"X_train": X_train, "y_train": y_train, "X_val": X_val, "y_val": y_val, "n_epochs": 4}


def _prune_at(step: int):
    import optuna

    class PruneAt(optuna.pruners.BasePruner):
        """Prune every trial once it has reported ``step``."""

        def prune(self, study, trial):
            return trial.last_step is not None and trial.last_step >= step

    return PruneAt()


def _objective_works(fn, data):
    import optuna

    quiet_optuna()
    n = data["n_epochs"]
    objective = call(fn, data["X_train"], data["y_train"], data["X_val"], data["y_val"], n_epochs=n)
    expect(callable(objective), f"make_objective should return a function objective(trial), got {type(objective).__name__}.")

    study = optuna.create_study(direction="maximize", pruner=optuna.pruners.NopPruner(),
                                sampler=optuna.samplers.RandomSampler(seed=0))
    for alpha in (1e-4, 1e-2, 1e-4):
        study.enqueue_trial({"alpha": alpha})
    try:
        study.optimize(objective, n_trials=3)
    except Exception as err:  # the learner's objective may raise anything
        raise CheckFailure(f"Running the objective in a study raised {type(err).__name__}: {str(err)[:200]}") from None
    curves = []
    for trial in study.trials:
        expect(trial.state == optuna.trial.TrialState.COMPLETE,
               f"A trial ended as {trial.state.name} with a pruner that never prunes: return the final score.")
        expect("alpha" in trial.params, "The objective should suggest a parameter named \"alpha\" (trial.suggest_float).")
        expect(trial.distributions["alpha"] == optuna.distributions.FloatDistribution(1e-5, 1e-1, log=True),
               "Suggest alpha with trial.suggest_float(\"alpha\", 1e-5, 1e-1, log=True): from 1e-5 to 1e-1 on a log scale.")
        steps = sorted(trial.intermediate_values)
        expect(steps == list(range(n)),
               f"With n_epochs={n}, report the validation score once per epoch with steps 0 to {n - 1}; reported steps: {steps}.")
        curve = [trial.intermediate_values[s] for s in range(n)]
        expect(all(0 <= v <= 1 for v in curve), "The reported scores should be ROC AUC values, between 0 and 1.")
        expect(abs(trial.value - curve[-1]) < 1e-12, "The objective should return the score of the last epoch (the one it reported last).")
        curves.append(curve)
    expect(np.allclose(curves[0], curves[2], atol=1e-12),
           "Two trials with the same alpha reported different scores: create a new SGDClassifier(..., random_state=0) "
           "inside the objective, for every trial.")
    expect(not np.allclose(curves[0], curves[1]), "Trials with different alpha reported the same scores: train with the suggested alpha.")
    expect(curves[1][-1] > 0.6,
           "With alpha=1e-2 the validation ROC AUC stays close to 0.5: score the validation data with "
           "decision_function (or predict_proba), not with hard predictions.")

    pruned = optuna.create_study(direction="maximize", pruner=_prune_at(1))
    try:
        pruned.optimize(objective, n_trials=1)
    except Exception as err:
        raise CheckFailure(f"Running the objective with a pruner raised {type(err).__name__}: {err}") from None
    trial = pruned.trials[0]
    expect(trial.state == optuna.trial.TrialState.PRUNED,
           "With a pruner that asks to stop after step 1, the trial still completed: after each report, ask "
           "`trial.should_prune()` and raise `optuna.TrialPruned()` when it says so.")
    expect(max(trial.intermediate_values) == 1,
           "The trial went on training after the pruner asked to stop: check should_prune() right after every report.")


def _objective_graded(fn, data):
    """What grading compares: the trials the objective runs in three seeded studies with given alphas:
    two trials without pruning, one asked to stop after step 1, and one of the objective built with the
    default n_epochs."""
    import optuna
    from threadpoolctl import threadpool_limits

    quiet_optuna()
    X_train, y_train, X_val, y_val = data["X_train"], data["y_train"], data["X_val"], data["y_val"]
    objective = fn(X_train, y_train, X_val, y_val, n_epochs=data["n_epochs"])

    def trials(objective, pruner, alphas):
        study = optuna.create_study(direction="maximize", pruner=pruner, sampler=optuna.samplers.RandomSampler(seed=0))
        for alpha in alphas:
            study.enqueue_trial({"alpha": alpha})
        with threadpool_limits(1):
            study.optimize(objective, n_trials=len(alphas))
        return [{"state": t.state.name, "params": t.params, "value": t.value,
                 "distributions": {name: repr(d) for name, d in t.distributions.items()},
                 "steps": sorted(t.intermediate_values),
                 "reported": [t.intermediate_values[step] for step in sorted(t.intermediate_values)]} for t in study.trials]

    return {"completed": trials(objective, optuna.pruners.NopPruner(), (1e-4, 1e-2)),
            "pruned": trials(objective, _prune_at(1), (1e-3,)),
            "default_epochs": trials(fn(X_train, y_train, X_val, y_val), optuna.pruners.NopPruner(), (3e-3,))}


# --- Z4: early stopping, its cost and its gain ---------------------------------------------------------

def _early_data(seed: int) -> dict:
    from course.datasets.saas import load_saas_accounts

    df = load_saas_accounts(n_accounts=250, n_months=8, seed=seed)
    X = df[TREE_FEATURES].to_numpy(dtype=float)
    y = df["churned"].to_numpy()
    is_train = month_index(df["month"]) < 6
    return {"X_train": X[is_train], "y_train": y[is_train], "X_test": X[~is_train], "y_test": y[~is_train],
            "max_iter": 80, "patience": 10, "seed": seed}


REPORT_KEYS = ("n_iter_full", "n_iter_early", "auc_full", "auc_early", "seconds_full", "seconds_early")


def _early_properties(fn, data):
    args = (data["X_train"], data["y_train"], data["X_test"], data["y_test"])
    kw = {k: data[k] for k in ("max_iter", "patience", "seed")}
    report = call(fn, *args, **kw)
    expect(isinstance(report, dict), f"early_stopping_report should return a dict, got {type(report).__name__}.")
    missing = [k for k in REPORT_KEYS if k not in report]
    expect(not missing, f"The report lacks the key(s) {missing}.")
    values = {k: scalar(report[k], f"report[{k!r}]") for k in REPORT_KEYS}
    for k in ("seconds_full", "seconds_early"):
        expect(values[k] > 0, f"report[{k!r}] should be the fit time in seconds, a positive number.")
    for k in ("n_iter_full", "n_iter_early"):
        expect(values[k] == int(values[k]) and values[k] >= 1, f"report[{k!r}] should be a number of iterations (the model's n_iter_).")
    expect(values["n_iter_full"] == kw["max_iter"],
           "Without early stopping the model should run all max_iter iterations: set early_stopping=False explicitly.")
    if values["n_iter_early"] == kw["max_iter"]:
        raise CheckFailure("The early-stopped model ran all max_iter iterations: with early_stopping=\"auto\" scikit-learn "
                           "only stops early on more than 10,000 samples; set early_stopping=True.")
    expect(kw["patience"] <= values["n_iter_early"] < kw["max_iter"],
           "n_iter_early should be the early-stopped model's n_iter_: it stops only after `patience` iterations "
           "without improvement (n_iter_no_change=patience).")
    for k in ("auc_full", "auc_early"):
        expect(0.6 < values[k] <= 1,
               f"report[{k!r}] is not a plausible test ROC AUC (these models reach well above 0.6): use the predicted "
               "probabilities, predict_proba(X_test)[:, 1], not hard predictions.")


def _same_report(actual, expected) -> bool:
    """Grading: the same keys, the same iterations and AUCs; fit times only need to be positive numbers."""
    if not isinstance(actual, dict) or set(actual) != set(expected):
        return False
    for key, want in expected.items():
        got = actual[key]
        if type(got) not in (int, float) or isinstance(got, bool):
            return False
        if key.startswith("seconds_"):
            if not got > 0:
                return False
        elif not abs(got - want) <= 1e-9 + 1e-6 * abs(want):
            return False
    return True


# --- Z4: feature selection by permutation importance ----------------------------------------------------

def _selection_data(seed: int) -> dict:
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from course.datasets.saas import load_saas_accounts

    df = load_saas_accounts(n_accounts=250, n_months=6, seed=seed)
    rng = np.random.default_rng(seed)
    X = df[TREE_FEATURES].copy()
    X["noise_a"] = rng.normal(size=len(X))
    X["noise_b"] = rng.integers(0, 5, size=len(X)).astype(float)
    is_train = month_index(df["month"]) < 4
    model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(X[is_train], df["churned"][is_train])
    return {"model": model, "X_val": X[~is_train], "y_val": df["churned"][~is_train].to_numpy(), "n_repeats": 4, "seed": seed}


def _model_of_a_and_c():
    """A fitted 'model' of the columns (c, b, a): its churn probability depends on a strongly, on c
    weakly and never on b.

    Its probabilities stay below 0.5, so it predicts 0 for every row: shuffling a column can never
    change its accuracy, while its ROC AUC falls when a or c is shuffled. By construction, the
    columns worth keeping are a, then c (the reverse of their column order), and never b.
    """
    from sklearn.base import BaseEstimator, ClassifierMixin

    class ModelOfAandC(ClassifierMixin, BaseEstimator):
        def fit(self, X, y=None):
            self.classes_ = np.array([0, 1])
            return self

        def predict_proba(self, X):
            X = np.asarray(X, dtype=float)
            p = 0.45 / (1.0 + np.exp(-(3.0 * X[:, 2] + 1.0 * X[:, 0] - 3.0)))
            return np.column_stack([1 - p, p])

        def predict(self, X):
            return (self.predict_proba(X)[:, 1] > 0.5).astype(int)

    return ModelOfAandC().fit(None)


def _small_selection_data():
    import pandas as pd

    rng = np.random.default_rng(2024)
    X = pd.DataFrame({"c": rng.normal(size=600), "b": rng.normal(size=600), "a": rng.normal(size=600)})
    y = (rng.random(600) < 1.0 / (1.0 + np.exp(-(3.0 * X["a"] + 1.0 * X["c"] - 3.0)))).astype(int).to_numpy()
    return X, y


def _selection_properties(fn, data):
    args = (data["model"], data["X_val"], data["y_val"])
    got = call(fn, *args, n_repeats=data["n_repeats"], seed=data["seed"])
    expect(isinstance(got, (list, tuple)), f"select_by_permutation should return a list of column names, got {type(got).__name__}.")
    got = list(got)
    unknown = [g for g in got if g not in data["X_val"].columns]
    expect(not unknown, f"{unknown[:3]} are not column names of X_val: return names, not positions.")
    expect(len(set(got)) == len(got), "A column appears twice in the selection.")
    expect(got, "No column is kept, yet this model clearly uses some of them: score with scoring=\"roc_auc\" (with 4 % "
                "churners, accuracy hardly moves whatever you shuffle).")
    again = call(fn, *args, n_repeats=data["n_repeats"], seed=data["seed"])
    expect(list(again) == got, "Two calls with the same seed kept different columns: pass random_state=seed to permutation_importance.")
    X_small, y_small = _small_selection_data()
    small = call(fn, _model_of_a_and_c(), X_small, y_small, n_repeats=5, seed=0)
    expect(isinstance(small, (list, tuple)), f"select_by_permutation should return a list of column names, got {type(small).__name__}.")
    if list(small) != ["a", "c"]:
        raise CheckFailure(
            "On a model built so that one column matters a lot, one a little and one not at all (and whose accuracy "
            "never changes), the selection or its order is wrong: permutation_importance with scoring=\"roc_auc\", keep "
            "a column when its mean importance exceeds twice its standard deviation, largest mean first.")


TASKS = [
    Task(
        id="pruned_objective",
        assignment=A,
        question="Z4",
        title="An Optuna objective with pruning",
        function="make_objective",
        points=3,
        hints=(
            "make_objective returns an inner function objective(trial) that closes over the data. Inside it, trial.suggest_float(\"alpha\", 1e-5, 1e-1, log=True) picks the regularization.",
            "Train SGDClassifier(loss=\"log_loss\", alpha=alpha, random_state=0) one epoch at a time with partial_fit(X_train, y_train, classes=[0, 1]); after each epoch compute the validation ROC AUC.",
            "After each epoch: trial.report(auc, step=epoch); then `if trial.should_prune(): raise optuna.TrialPruned()`. Return the last AUC.",
        ),
        checks=(_objective_works,),
        make_data=_objective_data,
        call=_objective_graded,
    ),
    Task(
        id="early_stopping_report",
        assignment=A,
        question="Z4",
        title="Early stopping: what it costs and what it gains",
        function="early_stopping_report",
        points=3,
        hints=(
            "Fit two HistGradientBoostingClassifier models with the same max_iter and random_state=seed: one with early_stopping=False, one with early stopping on.",
            "early_stopping=\"auto\" (the default) only turns on above 10,000 samples: set early_stopping=True, validation_fraction=0.2 and n_iter_no_change=patience.",
            "Time each fit with time.perf_counter(); n_iter_ holds the iterations run; the AUC is roc_auc_score(y_test, predict_proba(X_test)[:, 1]).",
        ),
        checks=(_early_properties,),
        compare=_same_report,
        make_data=_early_data,
    ),
    Task(
        id="permutation_selection",
        assignment=A,
        question="Z4",
        title="Feature selection by permutation importance",
        function="select_by_permutation",
        points=2,
        hints=(
            "sklearn.inspection.permutation_importance shuffles one column at a time on held-out data and measures how much the score drops.",
            "With 4 % positives, accuracy barely moves whatever you shuffle: pass scoring=\"roc_auc\", n_repeats=n_repeats and random_state=seed.",
            "Keep column j when importances_mean[j] > 2 * importances_std[j]; order the kept names by importances_mean, largest first.",
        ),
        checks=(_selection_properties,),
        make_data=_selection_data,
    ),
]
