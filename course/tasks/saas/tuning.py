"""Coding tasks of assignment 4 for Z4: Optuna with pruning, early stopping, and feature selection."""
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


def reference_epoch_scores(alpha, X_train, y_train, X_val, y_val, n_epochs):
    """Validation ROC AUC after each epoch of SGD logistic regression."""
    from sklearn.linear_model import SGDClassifier
    from sklearn.metrics import roc_auc_score

    clf = SGDClassifier(loss="log_loss", alpha=alpha, random_state=0)
    scores = []
    for _ in range(n_epochs):
        clf.partial_fit(X_train, y_train, classes=np.array([0, 1]))
        scores.append(roc_auc_score(y_val, clf.decision_function(X_val)))
    return scores


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
    for alpha in (1e-4, 1e-2):
        study.enqueue_trial({"alpha": alpha})
    try:
        study.optimize(objective, n_trials=2)
    except Exception as err:  # the learner's objective may raise anything
        raise CheckFailure(f"Running the objective in a study raised {type(err).__name__}: {err}") from None
    for trial in study.trials:
        expect(trial.state == optuna.trial.TrialState.COMPLETE,
               f"A trial ended as {trial.state.name} with a pruner that never prunes: return the final score.")
        expect("alpha" in trial.params, "The objective should suggest a parameter named \"alpha\" (trial.suggest_float).")
        steps = sorted(trial.intermediate_values)
        expect(steps == list(range(n)),
               f"With n_epochs={n}, report the validation score once per epoch with steps 0 to {n - 1}; reported steps: {steps}.")
        last = trial.intermediate_values[n - 1]
        expect(abs(trial.value - last) < 1e-12, "The objective should return the score of the last epoch (the one it reported last).")
        want = reference_epoch_scores(trial.params["alpha"], data["X_train"], data["y_train"], data["X_val"], data["y_val"], n)
        got = [trial.intermediate_values[s] for s in range(n)]
        if not np.allclose(got, want, atol=1e-6):
            raise CheckFailure(
                "The reported scores differ from the validation ROC AUC of SGDClassifier(loss=\"log_loss\", alpha=alpha, "
                "random_state=0) trained one partial_fit epoch at a time (classes=[0, 1]).")

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


def reference_early_stopping(X_train, y_train, X_test, y_test, max_iter, patience, seed):
    """Iterations and test AUC of boosting without and with early stopping."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score

    full = HistGradientBoostingClassifier(max_iter=max_iter, early_stopping=False, random_state=seed).fit(X_train, y_train)
    early = HistGradientBoostingClassifier(max_iter=max_iter, early_stopping=True, validation_fraction=0.2,
                                           n_iter_no_change=patience, random_state=seed).fit(X_train, y_train)
    return {"n_iter_full": full.n_iter_, "n_iter_early": early.n_iter_,
            "auc_full": roc_auc_score(y_test, full.predict_proba(X_test)[:, 1]),
            "auc_early": roc_auc_score(y_test, early.predict_proba(X_test)[:, 1])}


def _early_match(fn, data):
    args = (data["X_train"], data["y_train"], data["X_test"], data["y_test"])
    kw = {k: data[k] for k in ("max_iter", "patience", "seed")}
    report = call(fn, *args, **kw)
    expect(isinstance(report, dict), f"early_stopping_report should return a dict, got {type(report).__name__}.")
    missing = [k for k in REPORT_KEYS if k not in report]
    expect(not missing, f"The report lacks the key(s) {missing}.")
    values = {k: scalar(report[k], f"report[{k!r}]") for k in REPORT_KEYS}
    for k in ("seconds_full", "seconds_early"):
        expect(values[k] > 0, f"report[{k!r}] should be the fit time in seconds, a positive number.")
    ref = reference_early_stopping(*args, **kw)
    expect(values["n_iter_full"] == kw["max_iter"],
           "Without early stopping the model should run all max_iter iterations: set early_stopping=False explicitly.")
    if values["n_iter_early"] == kw["max_iter"]:
        raise CheckFailure("The early-stopped model ran all max_iter iterations: with early_stopping=\"auto\" scikit-learn "
                           "only stops early on more than 10,000 samples; set early_stopping=True.")
    expect(values["n_iter_early"] == ref["n_iter_early"],
           "n_iter_early differs from HistGradientBoostingClassifier(early_stopping=True, validation_fraction=0.2, "
           "n_iter_no_change=patience, random_state=seed): check those arguments (n_iter_ is the number of iterations).")
    for k in ("auc_full", "auc_early"):
        expect(abs(values[k] - ref[k]) < 1e-9,
               f"report[{k!r}] is not the ROC AUC of the model's predicted probabilities on the test data.")


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


def reference_selection(model, X_val, y_val, n_repeats, seed):
    """Columns whose mean ROC-AUC drop on permutation exceeds twice its standard deviation."""
    from sklearn.inspection import permutation_importance

    imp = permutation_importance(model, X_val, y_val, scoring="roc_auc", n_repeats=n_repeats, random_state=seed)
    keep = [j for j in np.argsort(-imp.importances_mean, kind="stable") if imp.importances_mean[j] > 2 * imp.importances_std[j]]
    return [X_val.columns[j] for j in keep]


def _selection_match(fn, data):
    args = (data["model"], data["X_val"], data["y_val"])
    got = call(fn, *args, n_repeats=data["n_repeats"], seed=data["seed"])
    expect(isinstance(got, (list, tuple)), f"select_by_permutation should return a list of column names, got {type(got).__name__}.")
    got = list(got)
    unknown = [g for g in got if g not in data["X_val"].columns]
    expect(not unknown, f"{unknown[:3]} are not column names of X_val: return names, not positions.")
    want = reference_selection(*args, data["n_repeats"], data["seed"])
    if set(got) != set(want):
        raise CheckFailure(
            "You keep a different set of columns: use permutation_importance with scoring=\"roc_auc\", the given "
            "n_repeats and random_state=seed, and keep a column when its mean importance exceeds twice its standard deviation.")
    expect(got == want, "The right columns, in the wrong order: sort them by mean importance, largest first.")


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
        checks=(_early_match,),
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
        checks=(_selection_match,),
        make_data=_selection_data,
    ),
]
