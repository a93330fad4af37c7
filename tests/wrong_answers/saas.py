"""Typical wrong answers to the coding tasks of assignment 4, "Applied ML in a SaaS product" (Z1–Z6).

``WRONG[task_id]`` is the full source of a solution cell that makes one typical mistake; put in place
of the reference solution, it must make the task's graded test cell fail.
"""

WRONG = {
    # Returns hard class labels (predict) instead of probabilities (predict_proba).
    "lead_scoring": '''
def score_leads(train, new, numeric, categorical, target="converted"):
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    columns = list(numeric) + list(categorical)
    prep = ColumnTransformer([("num", StandardScaler(), list(numeric)),
                              ("cat", OneHotEncoder(handle_unknown="ignore"), list(categorical))])
    model = Pipeline([("prep", prep), ("model", LogisticRegression(max_iter=1000))])
    model.fit(train[columns], train[target])
    return model.predict(new[columns])
''',
    # Scores by raw co-usage counts instead of cosine similarity: popular modules win everywhere.
    "item_item_recs": '''
def recommend_modules(usage, account, k=3):
    U = usage.to_numpy(dtype=float)
    norms = np.sqrt((U ** 2).sum(axis=0))
    safe = np.where(norms > 0, norms, 1.0)
    similarity = U.T @ U
    row = usage.loc[account].to_numpy(dtype=float)
    scores = similarity @ row
    popularity = U.sum(axis=0)
    candidates = [j for j in range(U.shape[1]) if row[j] == 0]
    candidates.sort(key=lambda j: (-scores[j], -popularity[j], j))
    return [usage.columns[j] for j in candidates[:k]]
''',
    # Reports the number of missing cells instead of the fraction of rows.
    "missingness_profile": '''
def missingness_profile(df, target):
    rows = {}
    for col in df.columns:
        if col == target:
            continue
        missing = df[col].isna()
        if missing.any():
            rows[col] = {"missing_rate": missing.sum(),
                         "target_rate_missing": df.loc[missing, target].mean(),
                         "target_rate_observed": df.loc[~missing, target].mean()}
    out = pd.DataFrame.from_dict(rows, orient="index", dtype=float,
                                 columns=["missing_rate", "target_rate_missing", "target_rate_observed"])
    return out.sort_values("missing_rate", ascending=False, kind="stable")
''',
    # Imputes without missing-value indicators, so informative gaps are lost.
    "imputation_pipeline": '''
def imputation_pipeline(strategy, numeric, categorical, model):
    from sklearn.base import clone
    from sklearn.compose import ColumnTransformer
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    if strategy in ("mean", "median", "most_frequent"):
        imputer = SimpleImputer(strategy=strategy)
    elif strategy == "knn":
        imputer = KNNImputer(n_neighbors=5)
    elif strategy == "iterative":
        imputer = IterativeImputer(max_iter=10, random_state=0)
    else:
        raise ValueError(f"Unknown strategy {strategy!r}: use mean, median, most_frequent, knn or iterative.")
    num = Pipeline([("scale", StandardScaler()), ("impute", imputer)])
    cat = Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                    ("onehot", OneHotEncoder(handle_unknown="ignore"))])
    prep = ColumnTransformer([("num", num, list(numeric)), ("cat", cat, list(categorical))])
    return Pipeline([("prep", prep), ("model", clone(model))])
''',
    # Contribution = coefficient x value, measured from zero instead of the background mean.
    "linear_shap": '''
def linear_shap(model, X_background, X):
    from sklearn.pipeline import Pipeline

    if isinstance(model, Pipeline):
        scaler, lr = model[0], model[-1]
        w = lr.coef_[0] / scaler.scale_
        b = lr.intercept_[0] - w @ scaler.mean_
    else:
        w, b = model.coef_[0], model.intercept_[0]
    mean = np.zeros(np.shape(X)[1])
    phi = w * (np.asarray(X, dtype=float) - mean)
    return phi, float(b + w @ mean)
''',
    # Ranks reasons by the signed SHAP value, so strong risk-lowering reasons are never shown.
    "reason_sentences": '''
def reason_sentences(shap_row, x_row, X_reference, labels, k=3):
    features = [f for f in shap_row.index if shap_row[f] != 0]
    ranked = sorted(features, key=lambda f: -shap_row[f])[:k]
    sentences = []
    for f in ranked:
        verb = "raised" if shap_row[f] > 0 else "lowered"
        x = x_row[f]
        if pd.isna(x):
            sentences.append(f"missing {labels[f]} {verb} the churn risk")
            continue
        reference = X_reference[f].dropna().to_numpy(dtype=float)
        below, above = np.mean(reference < x), np.mean(reference > x)
        if above > below:
            sentences.append(f"fewer {labels[f]} than {round(100 * above)}% of accounts {verb} the churn risk")
        else:
            sentences.append(f"more {labels[f]} than {round(100 * below)}% of accounts {verb} the churn risk")
    return sentences
''',
    # Reports the intermediate scores but never asks the pruner, so no trial is ever pruned.
    "pruned_objective": '''
def make_objective(X_train, y_train, X_val, y_val, n_epochs=10):
    import optuna
    from sklearn.linear_model import SGDClassifier
    from sklearn.metrics import roc_auc_score

    def objective(trial):
        alpha = trial.suggest_float("alpha", 1e-5, 1e-1, log=True)
        clf = SGDClassifier(loss="log_loss", alpha=alpha, random_state=0)
        for epoch in range(n_epochs):
            clf.partial_fit(X_train, y_train, classes=np.array([0, 1]))
            auc = roc_auc_score(y_val, clf.decision_function(X_val))
            trial.report(auc, step=epoch)
        return auc

    return objective
''',
    # Leaves early_stopping at 'auto': below 10,000 rows the 'early' model never stops early.
    "early_stopping_report": '''
def early_stopping_report(X_train, y_train, X_test, y_test, max_iter=200, patience=10, seed=0):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score

    report = {}
    settings = {"full": dict(early_stopping=False),
                "early": dict(n_iter_no_change=patience)}
    for name, kwargs in settings.items():
        model = HistGradientBoostingClassifier(max_iter=max_iter, random_state=seed, **kwargs)
        start = time.perf_counter()
        model.fit(X_train, y_train)
        report[f"seconds_{name}"] = time.perf_counter() - start
        report[f"n_iter_{name}"] = model.n_iter_
        report[f"auc_{name}"] = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    return report
''',
    # Uses the default scorer (accuracy), which barely moves with 4 % positives.
    "permutation_selection": '''
def select_by_permutation(model, X_val, y_val, n_repeats=5, seed=0):
    from sklearn.inspection import permutation_importance

    result = permutation_importance(model, X_val, y_val, n_repeats=n_repeats, random_state=seed)
    mean, std = result.importances_mean, result.importances_std
    order = np.argsort(-mean, kind="stable")
    return [X_val.columns[j] for j in order if mean[j] > 2 * std[j]]
''',
    # Shifts the whole frame instead of each account: previous-month values come from other accounts.
    "history_features": '''
def add_history_features(df):
    out = df.copy()
    ordered = df.sort_values(["account_id", "month"], kind="stable")
    previous = ordered["logins"].shift(1)
    past_mean = previous.groupby(ordered["account_id"]).transform(lambda s: s.rolling(3, min_periods=1).mean())
    out["logins_prev"] = previous.astype(float)
    out["logins_trend"] = (ordered["logins"] - past_mean).astype(float)
    return out
''',
    # Fits the calibration map on the training months, where the model is overconfident.
    "calibrate_recent": '''
def fit_calibrated(model, X_fit, y_fit, X_cal, y_cal, method="isotonic"):
    from sklearn.base import clone
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator

    fitted = clone(model).fit(X_fit, y_fit)
    return CalibratedClassifierCV(FrozenEstimator(fitted), method=method).fit(X_fit, y_fit)
''',
    # Sorts ascending: the 'top k' are the accounts with the lowest scores.
    "top_k_lift": '''
def top_k_report(y_true, scores, k):
    y = np.asarray(y_true, dtype=float)
    s = np.asarray(scores, dtype=float)
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}.")
    top = np.argsort(s, kind="stable")[:min(int(k), len(y))]
    precision, base = y[top].mean(), y.mean()
    return {"precision_at_k": float(precision), "base_rate": float(base),
            "lift": float(precision / base) if base > 0 else float("nan")}
''',
    # Alerts on the first month below the threshold, ignoring patience.
    "rolling_alert": '''
def rolling_alert(metric, window=3, baseline=6, tolerance=0.05, patience=2):
    rolling = metric.rolling(window, min_periods=window).mean()
    reference = metric.iloc[:baseline].mean()
    below = (rolling < reference - tolerance).astype(int)
    alert = below == 1
    return pd.DataFrame({"metric": metric, "rolling": rolling, "reference": reference, "alert": alert.astype(bool)})
''',
    # The sliding window includes the test month itself: the model trains on the labels it is scored on.
    "retraining_backtest": '''
def retraining_backtest(df, features, make_model, start, window=6, target="churned"):
    from sklearn.metrics import roc_auc_score

    def auc(y, p):
        return roc_auc_score(y, p) if y.nunique() == 2 else np.nan

    months = np.sort(df["month"].unique())
    before = df[df["month"] < start]
    static = make_model().fit(before[features], before[target])
    rows = {}
    for i, m in enumerate(months):
        if m < np.datetime64(start):
            continue
        test = df[df["month"] == m]
        recent = df[df["month"].isin(months[max(0, i - window + 1):i + 1])]
        sliding = make_model().fit(recent[features], recent[target])
        rows[pd.Timestamp(m)] = {"static": auc(test[target], static.predict_proba(test[features])[:, 1]),
                                 "sliding": auc(test[target], sliding.predict_proba(test[features])[:, 1])}
    return pd.DataFrame.from_dict(rows, orient="index")
''',
}
