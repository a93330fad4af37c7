"""Hidden tests of the tasks of assignment 4 (Z1–Z6), one :class:`~autograder.specs.Spec` per task.

Each spec accepts exactly what its task's statement allows (the markdown cell above the task's
solution cell in ``source/04_saas/``) and names every edge case the statement mentions.
"""
from __future__ import annotations

import numpy as np

from ._spec import Args, Case, Spec, keep_inputs
from .judges import approx, items, say, unmodified


def _leads(n: int, seed: int):
    from course.datasets.saas import load_saas_leads

    return load_saas_leads(n_leads=n, seed=seed)


# --- Z1: lead scoring ---------------------------------------------------------------------------------
# The statement fixes the pipeline; other routes to the same model (another transformer order, dense
# one-hot columns, no Pipeline object) reach the same optimum within lbfgs' tolerance.

_SCORES = say(approx(rtol=0, atol=2e-3), "the probabilities differ from those of the specified pipeline")


def _unseen_source():
    leads = _leads(600, 11)
    train, new = leads.iloc[:450].copy(), leads.iloc[450:].drop(columns="converted")
    new.loc[new.index[:5], "source"] = "partner_program"
    return Args(train, new, ["company_size", "trial_logins", "demo_requested"], ["source", "industry"])


def _single_lead():
    leads = _leads(400, 12)
    return Args(leads.iloc[:300].copy(), leads.iloc[300:301].drop(columns="converted"), ["pages_viewed", "company_size"], ["industry"])


def _renamed_target():
    leads = _leads(500, 13).rename(columns={"converted": "paid"})
    return Args(leads.iloc[:400].copy(), leads.iloc[400:].drop(columns="paid"), ["trial_logins", "teammates_invited"],
                ["source"], target="paid")


LEAD_SCORING = Spec(
    "lead_scoring",
    judge=_SCORES,
    variant=lambda d: Args(d["train"], d["new"], d["numeric"], d["categorical"]),
    cases=(
        Case("leads from a source never seen in training, with other columns", _unseen_source),
        Case("a single new lead", _single_lead),
        Case("a target column with another name (the `target` argument)", _renamed_target),
    ),
)


# --- Z1: item-item recommendations --------------------------------------------------------------------

def _ranking(usage, account, k) -> list:
    """The statement's ranking, computed here: cosine scores (ties within 1e-9), popularity, column order."""
    from sklearn.metrics.pairwise import cosine_similarity

    U = usage.to_numpy(dtype=float)
    similarity = np.nan_to_num(cosine_similarity(U.T))
    row = usage.loc[account].to_numpy(dtype=float)
    scores, popularity = similarity @ row, U.sum(axis=0)
    unused = sorted(np.flatnonzero(row == 0), key=lambda j: (-round(scores[j], 9), -popularity[j], j))
    return [str(usage.columns[j]) for j in unused[:k]]


def _recommendations(got, expected, inputs):
    if type(got) is not list or not all(type(g) is str for g in got):
        return "should be a list of module names"
    want = _ranking(*inputs.args, **inputs.kwargs)
    if len(got) != len(want):
        return "has the wrong number of modules"
    if got != want:
        return "has the wrong modules or the wrong order (score, then popularity, then column order)"
    return None


def _small():
    import pandas as pd

    return pd.DataFrame([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 0, 0], [0, 0, 0, 0]],
                        columns=["a", "b", "c", "d"], index=[10, 11, 12, 13, 14])


def _with_unused_module():
    usage = _small()
    usage["e"] = 0
    return Args(usage, 13, k=5)


def _larger(account):
    def build():
        from course.datasets.saas import load_saas_module_usage

        return Args(load_saas_module_usage(n_accounts=150, seed=7), account, k=4)
    return build


ITEM_ITEM_RECS = Spec(
    "item_item_recs",
    judge=_recommendations,
    variant=lambda d: Args(d["usage"], d["account"], d["k"]),
    cases=(
        Case("a small usage matrix with ties", lambda: Args(_small(), 13, k=3)),
        Case("an account that uses no module", lambda: Args(_small(), 14, k=2)),
        Case("k larger than the number of unused modules", lambda: Args(_small(), 10, k=5)),
        Case("a module nobody uses", _with_unused_module),
        *(Case(f"other usage data (account {i + 1} of 3)", _larger(a)) for i, a in enumerate((3, 40, 99))),
    ),
)


# --- Z2: missingness profile --------------------------------------------------------------------------
# Rows in the statement's order (missing_rate, largest first; ties in df's column order), labelled by
# column name; the three columns matched by name.

_PROFILE = approx(index=True)


def _gappy():
    import pandas as pd

    return pd.DataFrame({"y": [1, 0, 0, 1, 0, 1], "a": [np.nan, 1, 2, np.nan, 4, 5], "b": [1, 2, 3, 4, 5, 6],
                         "c": [np.nan] * 6, "d": ["x", None, "z", "x", "x", "x"]})


def _tied_rates():
    import pandas as pd

    # 35 columns, 30 of them with one gap and 5 with two: an unstable sort reorders the ties.
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(rng.normal(size=(40, 35)), columns=[f"f{i}" for i in range(35)])
    for i in range(35):
        frame.iloc[[i, 39] if i >= 30 else [i], i] = np.nan
    frame.insert(3, "churn", (np.arange(40) % 3 == 0).astype(int))
    return frame


MISSINGNESS_PROFILE = Spec(
    "missingness_profile",
    judge=_PROFILE,
    cases=(
        Case("a text column with gaps and a column missing everywhere", lambda: Args(_gappy(), "y")),
        Case("a frame without missing values", lambda: Args(_gappy()[["y", "b"]], "y")),
        Case("columns with the same missing rate (ties keep the column order)", lambda: Args(_tied_rates(), "churn")),
        Case("a df that must stay unmodified", lambda: Args(_gappy(), "y"), run=keep_inputs, judge=unmodified(_PROFILE)),
    ),
)


# --- Z5: precision at the top k and lift --------------------------------------------------------------

def _lift_report(got, expected, inputs):
    if type(got) is not dict:
        return "should be a dict"
    for key in ("precision_at_k", "base_rate", "lift"):
        if key not in got:
            return f"lacks the key {key!r}"
        if approx(rtol=1e-9, atol=1e-12)(got[key], expected[key]):
            return f"{key!r} differs from the correct value"
    return None


TOP_K_LIFT = Spec(
    "top_k_lift",
    judge=_lift_report,
    cases=(
        Case("tied scores at the cut (a stable sort keeps their order)", lambda: Args([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.1], 2)),
        Case("k larger than the number of rows", lambda: Args([1, 0, 0, 0], [0.9, 0.1, 0.2, 0.3], 10)),
        Case("k = 1 on a small example", lambda: Args(np.array([1, 0, 0, 0, 0]), np.array([0.9, 0.1, 0.2, 0.3, 0.4]), 1)),
        Case("labels without any positive (lift is NaN)", lambda: Args([0, 0, 0], [0.3, 0.2, 0.1], 2)),
        Case("k = 0", lambda: Args([0, 1], [0.1, 0.2], 0), raises="ValueError"),
        Case("a negative k", lambda: Args([0, 1, 1], [0.1, 0.2, 0.3], -2), raises="ValueError"),
    ),
)


# --- Z6: rolling monitoring with an alert rule ---------------------------------------------------------
# The frame keeps the index of `metric`; `alert` holds bools, as the statement says.

def _monthly(values):
    import pandas as pd

    return pd.Series(values, index=pd.date_range("2024-01-01", periods=len(values), freq="MS"))


ROLLING_ALERT = Spec(
    "rolling_alert",
    judge=approx(index=True),
    cases=(
        Case("a step down that persists", lambda: Args(_monthly([0.8] * 6 + [0.6] * 4), window=2, baseline=6, tolerance=0.05, patience=2)),
        Case("patience = 1", lambda: Args(_monthly([0.8] * 6 + [0.6] * 4), window=2, baseline=6, tolerance=0.05, patience=1)),
        Case("a NaN month inside the rolling window",
             lambda: Args(_monthly([0.8] * 6 + [0.6, np.nan, 0.6, 0.6]), window=2, baseline=6, tolerance=0.05, patience=2)),
        Case("a NaN month inside the baseline", lambda: Args(_monthly([0.8, np.nan, 0.8, 0.7, 0.8, 0.8, 0.6, 0.6, 0.6]), window=2, baseline=8)),
        Case("the default window, baseline, tolerance and patience", lambda: Args(_monthly([0.85] * 8 + [0.7] * 6))),
        Case("a larger tolerance", lambda: Args(_monthly([0.8] * 6 + [0.72] * 3 + [0.6] * 3), window=2, baseline=6, tolerance=0.1, patience=2)),
    ),
)


# --- Z3: reason sentences -------------------------------------------------------------------------------
# `p = round(100 * share)`: Python's round halves to even; rounding halves up is an equally fair reading
# of "rounded to whole percent", so at an exact half either whole number is accepted.

def _share_is_half(inputs, label, count_word) -> bool:
    shap_row, x_row, X_reference, labels = inputs.args[:4]
    feature = next((f for f, name in labels.items() if name == label), None)
    if feature is None:
        return False
    reference = X_reference[feature].dropna().to_numpy(dtype=float)
    x = float(x_row[feature])
    count = np.sum(reference > x) if count_word == "fewer" else np.sum(reference < x)
    share = 100.0 * count / len(reference)
    return abs(share - np.floor(share) - 0.5) < 1e-9


def _sentences(got, expected, inputs):
    from course.tasks.saas.explain import SENTENCE

    if type(got) is not list or not all(type(g) is str for g in got):
        return "should be a list of strings"
    if len(got) != len(expected):
        return "has the wrong number of sentences"
    for i, (g, e) in enumerate(zip(got, expected), start=1):
        if g == e:
            continue
        mg, me = SENTENCE.match(g.strip()), SENTENCE.match(e)
        if (mg and me and mg.group(1, 2, 4) == me.group(1, 2, 4) and abs(int(mg.group(3)) - int(me.group(3))) == 1
                and _share_is_half(inputs, me.group(2), me.group(1))):
            continue
        return f"sentence {i} differs from the correct one"
    return None


def _reference_frame():
    import pandas as pd

    return pd.DataFrame({"logins": np.arange(100.0), "tickets": np.r_[np.zeros(50), np.ones(50)],
                         "csat": np.repeat(np.arange(1.0, 6.0), 20)})


_REASON_LABELS = {"logins": "logins", "tickets": "support tickets", "csat": "satisfaction points"}


def _reasons(x=None, k=3, shap=None, reference=None):
    import pandas as pd

    def build():
        row = pd.Series({"logins": 19.0, "tickets": 1.0, "csat": 5.0}) if x is None else pd.Series(x)
        values = pd.Series({"logins": 0.9, "tickets": -1.2, "csat": 0.0}) if shap is None else pd.Series(shap)
        frame = _reference_frame() if reference is None else reference()
        return Args(values, row, frame, dict(_REASON_LABELS), k)
    return build


def _reference_with_gaps():
    frame = _reference_frame()
    frame.loc[:49, "logins"] = np.nan
    return frame


def _half_share():
    import pandas as pd

    # 1 of 8 values above the account's: 12.5 %, which halves-to-even rounds to 12 and halves-up to 13.
    return pd.DataFrame({"logins": [5.0] * 7 + [9.0], "tickets": np.zeros(8), "csat": np.ones(8)})


REASON_SENTENCES = Spec(
    "reason_sentences",
    judge=_sentences,
    variant=lambda d: Args(d["shap_row"], d["x_row"], d["X_reference"], d["labels"], d["k"]),
    cases=(
        Case("a zero SHAP value and both signs", _reasons()),
        Case("k = 1", _reasons(k=1)),
        Case("a missing account value", _reasons(x={"logins": np.nan, "tickets": 1.0, "csat": 5.0})),
        Case("NaN in the reference column", _reasons(x={"logins": 90.0}, shap={"logins": -0.4}, reference=_reference_with_gaps)),
        Case("tied absolute SHAP values (the order of shap_row)", _reasons(shap={"logins": 0.5, "tickets": -0.5, "csat": 0.5})),
        Case("a share of exactly half a percent", _reasons(x={"logins": 5.0}, shap={"logins": 1.0}, reference=_half_share)),
    ),
)


# --- Z3: exact SHAP values of a logistic regression ---------------------------------------------------

_SHAP = items(say(approx(rtol=1e-6, atol=1e-6), "the SHAP values phi are wrong"),
              say(approx(rtol=1e-6, atol=1e-6), "the base value is wrong"))


def _scaled_classification():
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=300, n_features=4, n_informative=3, n_redundant=0, random_state=3)
    return X * [1, 10, 100, 0.1] + [5, -20, 300, 0], y


def _bare_on_arrays():
    from sklearn.linear_model import LogisticRegression

    X, y = _scaled_classification()
    return Args(LogisticRegression(C=0.5, max_iter=5000).fit(X, y), X[:200], X[200:])


def _pipeline(columns=None):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = _scaled_classification()
    if columns == "constant":
        X = np.column_stack([X, np.full(len(X), 7.0)])
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, y), X


def _pipeline_case(kind):
    def build():
        model, X = _pipeline("constant" if kind == "constant" else None)
        if kind == "self":
            return Args(model, X[:1], X[:1])
        return Args(model, X, X[:7])
    return build


LINEAR_SHAP = Spec(
    "linear_shap",
    judge=_SHAP,
    cases=(
        Case("a bare logistic regression on arrays, features on very different scales", _bare_on_arrays),
        Case("a pipeline on arrays", _pipeline_case("pipeline")),
        Case("the explained row as the only background row", _pipeline_case("self")),
        Case("a pipeline whose data has a constant feature", _pipeline_case("constant")),
    ),
)


# --- Z5: usage-history features ------------------------------------------------------------------------

def _history_record(fn, args):
    out = fn(*args.args, **args.kwargs)
    return {"index": list(out.index), "logins_prev": out["logins_prev"], "logins_trend": out["logins_trend"]}


def _skipped_months():
    import pandas as pd

    months = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-05-01", "2024-06-01", "2024-07-01", "2024-03-01"])
    return Args(pd.DataFrame({"account_id": [3, 3, 3, 3, 3, 4], "month": months, "logins": [9, 1, 5, 7, 2, 4],
                              "plan": ["pro"] * 6}, index=[11, 12, 13, 14, 15, 16]).iloc[[3, 0, 5, 4, 1, 2]])


HISTORY_FEATURES = Spec(
    "history_features",
    judge=approx(),
    run=_history_record,
    cases=(Case("an account with skipped months (three previous snapshots, not three calendar months)", _skipped_months),),
)


# --- Z2: imputation strategies inside a Pipeline -------------------------------------------------------
# Task.call fits the pipeline of every strategy (gaps in a categorical column, an unseen region) and
# asks for an unknown strategy; its comparison allows the 2e-3 by which equivalent pipelines' solvers
# stop apart.

def _task_compare(task_id: str, message: str):
    def judge(got, expected, inputs=None):
        from course.tasks import find_task

        return None if find_task(task_id).compare(got, expected) else message
    return judge


IMPUTATION_PIPELINE = Spec(
    "imputation_pipeline",
    judge=_task_compare("imputation_pipeline", "a strategy's pipeline predicts differently from the specified one, comes "
                                               "back fitted, changes the model passed in, or an unknown strategy does not raise ValueError"),
)


# --- Z4: an Optuna objective that reports and prunes ------------------------------------------------------
# Task.call runs seeded studies with enqueued alphas: the trials' states, parameters, distributions,
# reported steps and values. SGD's epochs are deterministic with random_state=0, so 1e-6 fits.

PRUNED_OBJECTIVE = Spec("pruned_objective", judge=approx(rtol=1e-6, atol=1e-9))


# --- Z4: early stopping ------------------------------------------------------------------------------------

def _report_without_times(fn, args):
    report = fn(*args.args, **args.kwargs)
    return {k: v for k, v in report.items() if not str(k).startswith("seconds_")} | {
        "times_positive": all(report[k] > 0 for k in ("seconds_full", "seconds_early"))}


def _early_case():
    from course.tasks.saas.tuning import _early_data

    d = _early_data(3)
    return Args(d["X_train"], d["y_train"], d["X_test"], d["y_test"], max_iter=80, patience=5, seed=3)


EARLY_STOPPING_REPORT = Spec(
    "early_stopping_report",
    judge=_task_compare("early_stopping_report", "the iterations or AUCs differ from the two specified models' "
                                                 "(or a fit time is not a positive number of seconds)"),
    cases=(Case("other data, max_iter, patience and seed", _early_case, run=_report_without_times,
                judge=approx(rtol=1e-6, atol=1e-9)),),
)


# --- Z4: feature selection by permutation importance --------------------------------------------------------

def _with_constant_column():
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from course.tasks.saas.tuning import _selection_data

    d = _selection_data(6)
    X = d["X_val"].assign(constant=1.0)
    model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, d["y_val"])
    return Args(model, X, d["y_val"], n_repeats=3, seed=2)


PERMUTATION_SELECTION = Spec(
    "permutation_selection",
    judge=say(approx(), "keeps other columns, or orders them otherwise, than the rule of the statement"),
    cases=(Case("another model, a constant column, n_repeats and seed", _with_constant_column),),
)


# --- Z5: calibrate on the most recent months ----------------------------------------------------------------

CALIBRATE_RECENT = Spec(
    "calibrate_recent",
    judge=say(approx(rtol=1e-6, atol=1e-6), "the calibrated probabilities differ from the specified procedure's, "
                                            "or a model passed in was fitted"),
)


# --- Z6: back-test of a static model against sliding-window retraining -------------------------------------

def _one_class_month():
    import pandas as pd

    from course.datasets.saas import load_saas_accounts
    from course.tasks.saas.drift import make_churn_model
    from course.tasks.saas.tuning import TREE_FEATURES

    d = load_saas_accounts(n_accounts=200, n_months=9, seed=8, drift_month=5)
    months = np.sort(d["month"].unique())
    d.loc[d["month"] == months[7], "churned"] = 0
    return Args(d, list(TREE_FEATURES), make_churn_model, pd.Timestamp(months[6]), window=2)


RETRAINING_BACKTEST = Spec(
    "retraining_backtest",
    judge=approx(rtol=1e-6, atol=1e-6, index=True),
    cases=(Case("a test month with a single class, and window = 2", _one_class_month),),
)

SPECS = (LEAD_SCORING, ITEM_ITEM_RECS, MISSINGNESS_PROFILE, IMPUTATION_PIPELINE, LINEAR_SHAP, REASON_SENTENCES,
         PRUNED_OBJECTIVE, EARLY_STOPPING_REPORT, PERMUTATION_SELECTION, HISTORY_FEATURES, CALIBRATE_RECENT, TOP_K_LIFT,
         ROLLING_ALERT, RETRAINING_BACKTEST)
