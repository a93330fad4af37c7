"""Coding task of assignment 2 for question S12: seeded Optuna tuning with pruning over cross-validation."""
from __future__ import annotations

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A

C_RANGE = (1e-2, 1e3)
GAMMA_RANGE = (1e-3, 1e2)


def _tuning_data(seed: int) -> dict:
    from ...datasets.production import moons_with_noise

    X, y = moons_with_noise(seed)
    return {"X": X, "y": y, "n_trials": 15 if seed == 0 else 10, "seed": seed, "n_folds": 4 if seed % 2 == 0 else 3}


def _unpack3(result):
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise CheckFailure("tune_with_optuna should return a tuple (best_params, best_score, study), "
                           f"got {type(result).__name__}.")
    return result


def _tuning_checks(fn, data):
    import optuna

    X, y, n_trials, seed, n_folds = data["X"], data["y"], data["n_trials"], data["seed"], data["n_folds"]
    args = (X, y)
    kwargs = {"n_trials": n_trials, "seed": seed, "n_folds": n_folds}
    params, score, study = _unpack3(call(fn, *args, **kwargs))
    expect(isinstance(study, optuna.study.Study), f"The third value should be the optuna Study, got {type(study).__name__}.")
    expect(isinstance(params, dict) and set(params) == {"C", "gamma"},
           f"best_params should be a dict with the keys 'C' and 'gamma', got {params!r}.")
    expect(C_RANGE[0] <= params["C"] <= C_RANGE[1] and GAMMA_RANGE[0] <= params["gamma"] <= GAMMA_RANGE[1],
           "best_params lie outside the search space: C in [1e-2, 1e3], gamma in [1e-3, 1e2].")
    score = float(as_array(score, "best_score").reshape(-1)[0])
    expect(len(study.trials) == n_trials, f"The study should hold exactly n_trials={n_trials} trials, got {len(study.trials)}.")
    expect(study.direction == optuna.study.StudyDirection.MAXIMIZE, "Accuracy is to be maximized: create the study with direction='maximize'.")
    expect(isinstance(study.sampler, optuna.samplers.TPESampler), f"Use a TPESampler, got {type(study.sampler).__name__}.")
    expect(isinstance(study.pruner, optuna.pruners.MedianPruner), f"Use a MedianPruner, got {type(study.pruner).__name__}.")
    states = optuna.trial.TrialState
    complete = [t for t in study.trials if t.state == states.COMPLETE]
    expect(len(complete) > 0, "No trial completed: the objective must return the mean accuracy of the folds.")
    expect(all(sorted(t.intermediate_values) == list(range(n_folds)) for t in complete),
           f"Each completed trial should report one intermediate value per fold, with steps 0..{n_folds - 1} "
           "(trial.report(value, step) after every fold).")
    expect(abs(score - study.best_value) < 1e-12 and params == study.best_params,
           "best_params and best_score should be the study's best_params and best_value.")
    best = study.best_trial
    expect(abs(best.intermediate_values[n_folds - 1] - score) < 1e-12,
           "The best trial's last reported value should be its final score: report the running mean of the fold "
           "accuracies after every fold, so after the last fold it is the mean over all folds.")
    # scikit-learn's cross_val_score, on the same folds, as the oracle for the score of the best parameters.
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    oracle = float(cross_val_score(make_pipeline(StandardScaler(), SVC(**params)), X, y, cv=folds).mean())
    expect(abs(score - oracle) < 1e-9,
           "best_score is not the mean accuracy of StandardScaler + SVC(**best_params) over "
           f"StratifiedKFold(n_splits={n_folds}, shuffle=True, random_state=seed): check the folds, the scaler and the mean.")
    again = _unpack3(call(fn, *args, **kwargs))
    expect(again[0] == params and abs(float(again[1]) - score) < 1e-12,
           "Two runs with the same seed gave different results: seed the sampler (TPESampler(seed=...)) and the folds.")
    expect(score >= 0.8, "The best accuracy is unexpectedly low for this easy problem: check the search space (log scale) and the model.")


def _tuning_graded(fn, data):
    """What grading compares: the best parameters and score, and the study's settings and trials (states,
    parameters, reported values), which the statement fixes down to the seeds."""
    import optuna
    from threadpoolctl import threadpool_limits

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with threadpool_limits(1):
        params, score, study = fn(data["X"], data["y"], n_trials=data["n_trials"], seed=data["seed"], n_folds=data["n_folds"])
    trials = [{"state": t.state.name, "params": t.params, "value": t.value,
               "reported": [t.intermediate_values[step] for step in sorted(t.intermediate_values)]} for t in study.trials]
    return {"best_params": params, "best_score": score, "direction": study.direction.name,
            "sampler": type(study.sampler).__name__, "pruner": type(study.pruner).__name__, "trials": trials}


TASKS = [
    Task(
        id="optuna_tuning",
        assignment=A,
        question="S12",
        title="Seeded Optuna search with a median pruner over cross-validation",
        function="tune_with_optuna",
        points=4,
        hints=(
            "Build the folds once, outside the objective. In the objective: suggest C and gamma on a log scale, then loop "
            "over the folds, fit, score, report the running mean with trial.report(mean, step=fold_index).",
            "After each report: `if trial.should_prune(): raise optuna.TrialPruned()`. After the loop, return the mean "
            "of the fold accuracies.",
            "optuna.create_study(direction='maximize', sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=5), "
            "pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1)); study.optimize(objective, "
            "n_trials=n_trials); return study.best_params, study.best_value, study.",
        ),
        checks=(_tuning_checks,),
        make_data=_tuning_data,
        call=_tuning_graded,
    ),
]
