"""Other solutions to the tasks of assignment 4, written from each task's statement alone.

``ALTERNATIVES[task_id]["correct"]``: full sources of solution cells that do what the statement asks
in another way than the reference; each must pass. ``["wrong"]``: common mistakes that pass the
visible check; each must fail the hidden tests with a one-line message that names what is wrong.
"""

ALTERNATIVES = {
    'lead_scoring': {
        'correct': {
            # Another transformer order and dense one-hot columns: the same model.
            'make_column_transformer, categorical first, dense one-hot': '''
def score_leads(train, new, numeric, categorical, target="converted"):
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    prep = make_column_transformer((OneHotEncoder(handle_unknown="ignore", sparse_output=False), list(categorical)),
                                   (StandardScaler(), list(numeric)))
    model = make_pipeline(prep, LogisticRegression(max_iter=1000))
    model.fit(train.drop(columns=[target]), train[target])
    return model.predict_proba(new)[:, 1]
''',
            # The same steps fitted by hand.
            'no Pipeline object': '''
def score_leads(train, new, numeric, categorical, target="converted"):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    scaler = StandardScaler().fit(train[numeric])
    encoder = OneHotEncoder(handle_unknown="ignore").fit(train[categorical])
    def features(frame):
        return np.hstack([scaler.transform(frame[numeric]), encoder.transform(frame[categorical]).toarray()])
    clf = LogisticRegression(max_iter=1000).fit(features(train), train[target].to_numpy())
    return clf.predict_proba(features(new))[:, 1]
''',
        },
        'wrong': {
            # Hard-codes the label column the notebook happens to use.
            'ignores the target argument': '''
def score_leads(train, new, numeric, categorical, target="converted"):
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    cols = list(numeric) + list(categorical)
    prep = ColumnTransformer([("num", StandardScaler(), list(numeric)),
                              ("cat", OneHotEncoder(handle_unknown="ignore"), list(categorical))])
    model = Pipeline([("prep", prep), ("model", LogisticRegression(max_iter=1000))])
    model.fit(train[cols], train["converted"])
    return model.predict_proba(new[cols])[:, 1]
''',
            # C=20 instead of the default the statement asks for.
            'weaker regularization': '''
def score_leads(train, new, numeric, categorical, target="converted"):
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    cols = list(numeric) + list(categorical)
    prep = ColumnTransformer([("num", StandardScaler(), list(numeric)),
                              ("cat", OneHotEncoder(handle_unknown="ignore"), list(categorical))])
    model = Pipeline([("prep", prep), ("model", LogisticRegression(C=20.0, max_iter=1000))])
    model.fit(train[cols], train[target])
    return model.predict_proba(new[cols])[:, 1]
''',
        },
    },
    'item_item_recs': {
        'correct': {
            # Another library route and another sort.
            "scikit-learn's cosine_similarity and a sorted frame": '''
def recommend_modules(usage, account, k=3):
    from sklearn.metrics.pairwise import cosine_similarity
    U = usage.to_numpy(dtype=float)
    sim = np.nan_to_num(cosine_similarity(U.T))
    row = usage.loc[account].to_numpy(dtype=float)
    scores = pd.Series(sim @ row, index=usage.columns)
    table = pd.DataFrame({"score": scores.round(12), "pop": U.sum(axis=0), "pos": np.arange(U.shape[1])}, index=usage.columns)
    table = table[row == 0].sort_values(["score", "pop", "pos"], ascending=[False, False, True])
    return list(table.index[:k])
''',
            # Loops over module names.
            'pure Python': '''
def recommend_modules(usage, account, k=3):
    import math
    modules = list(usage.columns)
    cols = {m: [float(v) for v in usage[m]] for m in modules}
    norm = {m: math.sqrt(sum(v * v for v in cols[m])) for m in modules}
    def cos(a, b):
        if norm[a] == 0 or norm[b] == 0:
            return 0.0
        return sum(x * y for x, y in zip(cols[a], cols[b])) / (norm[a] * norm[b])
    used = [m for m in modules if usage.loc[account, m] == 1]
    unused = [m for m in modules if usage.loc[account, m] != 1]
    score = {m: sum(cos(m, u) for u in used) for m in unused}
    pop = {m: sum(cols[m]) for m in modules}
    unused.sort(key=lambda m: (-round(score[m], 10), -pop[m], modules.index(m)))
    return unused[:k]
''',
        },
        'wrong': {
            # Agrees with cosine on the visible small matrix, not on other data.
            'Jaccard similarity': '''
def recommend_modules(usage, account, k=3):
    U = usage.to_numpy(dtype=float)
    both = U.T @ U
    counts = U.sum(axis=0)
    union = counts[:, None] + counts[None, :] - both
    similarity = np.divide(both, union, out=np.zeros_like(both), where=union > 0)   # Jaccard, not cosine
    row = usage.loc[account].to_numpy(dtype=float)
    scores = similarity @ row
    candidates = [j for j in range(U.shape[1]) if row[j] == 0]
    candidates.sort(key=lambda j: (-scores[j], -counts[j], j))
    return [usage.columns[j] for j in candidates[:k]]
''',
            # Scores an unused module by its most similar used module only.
            'best match instead of the sum': '''
def recommend_modules(usage, account, k=3):
    U = usage.to_numpy(dtype=float)
    norms = np.sqrt((U ** 2).sum(axis=0))
    safe = np.where(norms > 0, norms, 1.0)
    similarity = (U.T @ U) / np.outer(safe, safe)
    row = usage.loc[account].to_numpy(dtype=float)
    used = np.flatnonzero(row == 1)
    scores = similarity[:, used].max(axis=1) if len(used) else np.zeros(U.shape[1])   # the best match, not the sum
    popularity = U.sum(axis=0)
    candidates = [j for j in range(U.shape[1]) if row[j] == 0]
    candidates.sort(key=lambda j: (-scores[j], -popularity[j], j))
    return [usage.columns[j] for j in candidates[:k]]
''',
        },
    },
    'missingness_profile': {
        'correct': {
            # Columns in another order: frames are matched by name.
            'columns filled one by one, another column order': '''
def missingness_profile(df, target):
    cols = [c for c in df.columns if c != target and df[c].isna().any()]
    y = df[target].astype(float)
    out = pd.DataFrame(index=pd.Index(cols, dtype=object), columns=["target_rate_observed", "missing_rate", "target_rate_missing"], dtype=float)
    for c in cols:
        m = df[c].isna().to_numpy()
        out.loc[c, "missing_rate"] = m.sum() / len(df)
        out.loc[c, "target_rate_missing"] = y[m].mean()
        out.loc[c, "target_rate_observed"] = y[~m].mean() if (~m).any() else np.nan
    order = sorted(range(len(cols)), key=lambda i: (-out["missing_rate"].iloc[i], i))
    return out.iloc[order]
''',
            # Another construction and another stable sort.
            'a frame of tuples, merge sort': '''
def missingness_profile(df, target):
    features = df.drop(columns=[target])
    missing = features.isna()
    missing = missing.loc[:, missing.any()]
    y = df[target].to_numpy(dtype=float)
    rows = []
    for col in missing.columns:
        m = missing[col].to_numpy()
        rows.append((col, m.mean(), y[m].mean(), y[~m].mean() if (~m).any() else float("nan")))
    out = pd.DataFrame(rows, columns=["column", "missing_rate", "target_rate_missing", "target_rate_observed"]).set_index("column")
    out.index.name = None
    return out.sort_values("missing_rate", ascending=False, kind="mergesort")
''',
        },
        'wrong': {
            # The empty profile loses its three columns.
            'no columns when nothing is missing': '''
def missingness_profile(df, target):
    rows = {}
    for col in df.columns:
        if col == target:
            continue
        missing = df[col].isna()
        if missing.any():
            rows[col] = {"missing_rate": missing.mean(),
                         "target_rate_missing": df.loc[missing, target].mean(),
                         "target_rate_observed": df.loc[~missing, target].mean()}
    out = pd.DataFrame.from_dict(rows, orient="index", dtype=float)
    return out.sort_values("missing_rate", ascending=False, kind="stable")
''',
            # Quicksort reorders columns with the same missing rate.
            'unstable sort': '''
def missingness_profile(df, target):
    rows = {}
    for col in df.columns:
        if col == target:
            continue
        missing = df[col].isna()
        if missing.any():
            rows[col] = {"missing_rate": missing.mean(),
                         "target_rate_missing": df.loc[missing, target].mean(),
                         "target_rate_observed": df.loc[~missing, target].mean()}
    out = pd.DataFrame.from_dict(rows, orient="index", dtype=float,
                                 columns=["missing_rate", "target_rate_missing", "target_rate_observed"])
    return out.sort_values("missing_rate", ascending=False)
''',
        },
    },
    'top_k_lift': {
        'correct': {
            # A frame sorted with kind="stable"; numpy floats in the dict.
            'pandas, stable sort': '''
def top_k_report(y_true, scores, k):
    if k < 1:
        raise ValueError("k must be at least 1")
    frame = pd.DataFrame({"y": np.asarray(y_true, dtype=float), "s": np.asarray(scores, dtype=float)})
    top = frame.sort_values("s", ascending=False, kind="stable").head(int(k))
    base = frame["y"].mean()
    precision = top["y"].mean()
    return {"precision_at_k": precision, "base_rate": base, "lift": precision / base if base else np.nan}
''',
            # Ties broken explicitly by position; the keys in another order.
            'np.lexsort on position': '''
def top_k_report(y_true, scores, k):
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    if not k >= 1:
        raise ValueError("k must be at least 1")
    order = np.lexsort((np.arange(len(s)), -s))       # highest score first, ties by position
    top = order[:k]
    precision = np.count_nonzero(y[top] == 1) / len(top)
    base = np.count_nonzero(y == 1) / len(y)
    return dict(lift=(precision / base) if base > 0 else float("nan"), base_rate=base, precision_at_k=precision)
''',
        },
        'wrong': {
            # Never raises for k < 1.
            'no check of k': '''
def top_k_report(y_true, scores, k):
    y = np.asarray(y_true, dtype=float)
    s = np.asarray(scores, dtype=float)
    top = np.argsort(-s, kind="stable")[:min(int(k), len(y))]
    precision, base = y[top].mean(), y.mean()
    return {"precision_at_k": float(precision), "base_rate": float(base),
            "lift": float(precision / base) if base > 0 else float("nan")}
''',
            # Divides by a base rate of 0 instead of returning NaN.
            'plain division': '''
def top_k_report(y_true, scores, k):
    if k < 1:
        raise ValueError("k must be at least 1")
    y = [float(v) for v in y_true]
    order = sorted(range(len(y)), key=lambda i: -float(scores[i]))
    top = order[:k]
    precision = sum(y[i] for i in top) / len(top)
    base = sum(y) / len(y)
    return {"precision_at_k": precision, "base_rate": base, "lift": precision / base}
''',
        },
    },
    'rolling_alert': {
        'correct': {
            # Plain loops; columns in another order.
            'loops over months, another column order': '''
def rolling_alert(metric, window=3, baseline=6, tolerance=0.05, patience=2):
    values = metric.to_numpy(dtype=float)
    n = len(values)
    rolling = np.full(n, np.nan)
    for i in range(window - 1, n):
        chunk = values[i - window + 1:i + 1]
        if not np.isnan(chunk).any():
            rolling[i] = chunk.mean()
    reference = np.nanmean(values[:baseline])
    below = np.where(np.isnan(rolling), False, rolling < reference - tolerance)
    alert = np.array([i >= patience - 1 and bool(below[i - patience + 1:i + 1].all()) for i in range(n)], dtype=bool)
    return pd.DataFrame({"alert": alert, "reference": np.full(n, reference), "rolling": rolling, "metric": values},
                        index=metric.index)
''',
            # Another pandas route to the run of months below.
            'pandas rolling min of the booleans': '''
def rolling_alert(metric, window=3, baseline=6, tolerance=0.05, patience=2):
    out = metric.to_frame("metric")
    out["rolling"] = metric.rolling(window).mean()
    out["reference"] = metric.head(baseline).mean(skipna=True)
    below = out["rolling"].lt(out["reference"] - tolerance)
    out["alert"] = below.rolling(patience).min().fillna(0).astype(bool)
    return out
''',
        },
        'wrong': {
            # Uses the first six months whatever `baseline` says.
            'baseline hard-coded': '''
def rolling_alert(metric, window=3, baseline=6, tolerance=0.05, patience=2):
    rolling = metric.rolling(window, min_periods=window).mean()
    reference = metric.iloc[:6].mean()
    below = (rolling < reference - tolerance).astype(int)
    alert = below.rolling(patience, min_periods=patience).sum() == patience
    return pd.DataFrame({"metric": metric, "rolling": rolling, "reference": reference, "alert": alert.astype(bool)})
''',
            # Uses 0.05 whatever `tolerance` says.
            'tolerance hard-coded': '''
def rolling_alert(metric, window=3, baseline=6, tolerance=0.05, patience=2):
    rolling = metric.rolling(window, min_periods=window).mean()
    reference = metric.iloc[:baseline].mean()
    below = (rolling < reference - 0.05).astype(int)
    alert = below.rolling(patience, min_periods=patience).sum() == patience
    return pd.DataFrame({"metric": metric, "rolling": rolling, "reference": reference, "alert": alert.astype(bool)})
''',
        },
    },
    'reason_sentences': {
        'correct': {
            # floor(x + 0.5): an equally fair reading of rounding to whole percent.
            'halves rounded up': '''
def reason_sentences(shap_row, x_row, X_reference, labels, k=3):
    import math
    ranked = [f for f in sorted(shap_row.index, key=lambda f: abs(shap_row[f]), reverse=True) if shap_row[f] != 0][:k]
    out = []
    for f in ranked:
        verb = "raised" if shap_row[f] > 0 else "lowered"
        x = x_row[f]
        if x != x:
            out.append(f"missing {labels[f]} {verb} the churn risk")
            continue
        ref = X_reference[f].dropna()
        below, above = (ref < x).mean(), (ref > x).mean()
        word, share = ("fewer", above) if above > below else ("more", below)
        out.append(f"{word} {labels[f]} than {math.floor(100 * share + 0.5)}% of accounts {verb} the churn risk")
    return out
''',
            # Another route to the same order; %-formatting.
            'a stable merge sort of |SHAP| by position': '''
def reason_sentences(shap_row, x_row, X_reference, labels, k=3):
    strength = shap_row[shap_row != 0].abs()
    order = strength.reset_index(drop=True).sort_values(ascending=False, kind="mergesort").index
    chosen = [strength.index[i] for i in order[:k]]
    sentences = []
    for name in chosen:
        verb = "raised" if shap_row[name] > 0 else "lowered"
        value = x_row[name]
        if pd.isna(value):
            sentences.append("missing " + labels[name] + " " + verb + " the churn risk")
            continue
        column = X_reference[name].to_numpy(dtype=float)
        column = column[~np.isnan(column)]
        n_below, n_above = int((column < value).sum()), int((column > value).sum())
        if n_above > n_below:
            sentences.append("fewer %s than %d%% of accounts %s the churn risk" % (labels[name], round(100 * n_above / len(column)), verb))
        else:
            sentences.append("more %s than %d%% of accounts %s the churn risk" % (labels[name], round(100 * n_below / len(column)), verb))
    return sentences
''',
        },
        'wrong': {
            # Sorts the features by name first, so tied |SHAP| values come out in the wrong order.
            'ties by feature name': '''
def reason_sentences(shap_row, x_row, X_reference, labels, k=3):
    features = sorted(f for f in shap_row.index if shap_row[f] != 0)          # ties by name, not by shap_row's order
    ranked = sorted(features, key=lambda f: -abs(shap_row[f]))[:k]
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
            # A feature whose SHAP value is 0 gets a sentence.
            'zero SHAP values kept': '''
def reason_sentences(shap_row, x_row, X_reference, labels, k=3):
    ranked = sorted(shap_row.index, key=lambda f: -abs(shap_row[f]))[:k]       # zero SHAP values are not skipped
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
        },
    },
    'linear_shap': {
        'correct': {
            # The pipeline's own coefficients on standardized inputs: the same values.
            'in the scaled space': '''
def linear_shap(model, X_background, X):
    from sklearn.pipeline import Pipeline
    Xb = np.asarray(X_background, dtype=float)
    Xe = np.asarray(X, dtype=float)
    if isinstance(model, Pipeline):
        scaler, lr = model.steps[0][1], model.steps[-1][1]
        z, zb = scaler.transform(Xe), scaler.transform(Xb.mean(axis=0, keepdims=True))
        phi = lr.coef_[0] * (z - zb)                       # in the scaled space: the same numbers
        base = lr.decision_function(zb)[0]
    else:
        mean = Xb.mean(axis=0)
        phi = model.coef_[0] * (Xe - mean)
        base = model.decision_function(mean[None, :])[0]
    return phi, float(base)
''',
            # A unit step of each feature, through decision_function.
            "weights from the model's own log-odds": '''
def linear_shap(model, X_background, X):
    # A linear model's weight on the original scale is what a unit step of the feature does to the log-odds.
    Xb = np.asarray(X_background, dtype=float)
    Xe = np.asarray(X, dtype=float)
    mean = Xb.mean(axis=0)
    f = lambda rows: model.decision_function(rows)
    base = f(mean[None, :])[0]
    steps = np.eye(len(mean))
    w = f(mean + steps) - base
    return (Xe - mean) * w, float(base)
''',
        },
        'wrong': {
            # Divides by zero for a constant feature, where StandardScaler uses scale 1.
            'sqrt(var_) for scale_': '''
def linear_shap(model, X_background, X):
    from sklearn.pipeline import Pipeline
    if isinstance(model, Pipeline):
        scaler, lr = model[0], model[-1]
        w = lr.coef_[0] / np.sqrt(scaler.var_)
        b = lr.intercept_[0] - w @ scaler.mean_
    else:
        w, b = model.coef_[0], model.intercept_[0]
    mean = np.asarray(X_background, dtype=float).mean(axis=0)
    phi = w * (np.asarray(X, dtype=float) - mean)
    return phi, float(b + w @ mean)
''',
            # Column means of a frame, but one number for an array.
            'mean() without an axis': '''
def linear_shap(model, X_background, X):
    from sklearn.pipeline import Pipeline
    if isinstance(model, Pipeline):
        scaler, lr = model[0], model[-1]
        w = lr.coef_[0] / scaler.scale_
        b = lr.intercept_[0] - w @ scaler.mean_
    else:
        w, b = model.coef_[0], model.intercept_[0]
    mean = np.asarray(X_background.mean(), dtype=float)        # column means of a frame, but of an array: one number
    phi = w * (np.asarray(X, dtype=float) - mean)
    return phi, float(b + w @ mean)
''',
        },
    },
    'history_features': {
        'correct': {
            # Plain loops over each account's snapshots.
            'a loop per account': '''
def add_history_features(df):
    out = df.copy()
    prev = pd.Series(np.nan, index=df.index)
    trend = pd.Series(np.nan, index=df.index)
    for _, group in df.groupby("account_id"):
        group = group.sort_values("month", kind="stable")
        logins = group["logins"].to_numpy(dtype=float)
        for i, label in enumerate(group.index):
            if i == 0:
                continue
            prev[label] = logins[i - 1]
            trend[label] = logins[i] - logins[max(0, i - 3):i].mean()
    out["logins_prev"] = prev
    out["logins_trend"] = trend
    return out
''',
            # The mean of up to three snapshots ending at the previous one.
            'rolling, then shift': '''
def add_history_features(df):
    ordered = df.sort_values(["month"], kind="stable")
    grouped = ordered.groupby("account_id")["logins"]
    past = grouped.transform(lambda s: s.astype(float).rolling(3, min_periods=1).mean().shift(1))
    prev = grouped.shift(1).astype(float)
    return df.assign(logins_prev=prev.reindex(df.index), logins_trend=(ordered["logins"] - past).reindex(df.index))
''',
        },
        'wrong': {
            # Averages the snapshots of the last three calendar months, not the last three snapshots.
            'three calendar months': '''
def add_history_features(df):
    out = df.copy()
    prev = pd.Series(np.nan, index=df.index)
    trend = pd.Series(np.nan, index=df.index)
    for _, group in df.groupby("account_id"):
        group = group.sort_values("month", kind="stable")
        months = pd.to_datetime(group["month"]).to_numpy()
        logins = group["logins"].to_numpy(dtype=float)
        for i, label in enumerate(group.index):
            if i == 0:
                continue
            prev[label] = logins[i - 1]
            recent = months[:i] >= months[i] - np.timedelta64(92, "D")          # three calendar months back
            past = logins[:i][recent] if recent.any() else logins[i - 1:i]
            trend[label] = logins[i] - past.mean()
    out["logins_prev"] = prev
    out["logins_trend"] = trend
    return out
''',
            # A time-based window: pandas' rolling over the dates, not over the snapshots.
            'a rolling window of 92 days': '''
def add_history_features(df):
    out = df.copy()
    ordered = df.sort_values(["account_id", "month"], kind="stable")
    out["logins_prev"] = ordered.groupby("account_id")["logins"].shift(1).astype(float)
    trend = pd.Series(np.nan, index=df.index)
    for _, group in ordered.groupby("account_id"):
        series = group.set_index("month")["logins"].astype(float)
        past = series.rolling("92D", closed="left").mean()           # the dates of the last three months
        trend[group.index] = (series - past).to_numpy()
    out["logins_trend"] = trend
    return out
''',
        },
    },
    'imputation_pipeline': {
        'correct': {
            # Another transformer order and dense output: predictions within the solver's tolerance.
            'make_column_transformer, categorical first, dense one-hot': '''
def imputation_pipeline(strategy, numeric, categorical, model):
    from sklearn.base import clone
    from sklearn.compose import make_column_transformer
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    factories = {"mean": lambda: SimpleImputer(strategy="mean", add_indicator=True),
                 "median": lambda: SimpleImputer(strategy="median", add_indicator=True),
                 "most_frequent": lambda: SimpleImputer(strategy="most_frequent", add_indicator=True),
                 "knn": lambda: KNNImputer(n_neighbors=5, add_indicator=True),
                 "iterative": lambda: IterativeImputer(max_iter=10, random_state=0, add_indicator=True)}
    if strategy not in factories:
        raise ValueError(f"unknown strategy {strategy!r}")
    prep = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore", sparse_output=False)), list(categorical)),
        (make_pipeline(StandardScaler(), factories[strategy]()), list(numeric)))
    return Pipeline([("prep", prep), ("model", clone(model))])
''',
            # KNNImputer's and IterativeImputer's defaults are the statement's values.
            'match statement, default arguments spelled out': '''
def imputation_pipeline(strategy, numeric, categorical, model):
    import sklearn.base
    from sklearn.compose import ColumnTransformer
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    match strategy:
        case "mean" | "median" | "most_frequent":
            imputer = SimpleImputer(strategy=strategy, add_indicator=True)
        case "knn":
            imputer = KNNImputer(add_indicator=True)
        case "iterative":
            imputer = IterativeImputer(random_state=0, add_indicator=True)
        case _:
            raise ValueError("strategy must be mean, median, most_frequent, knn or iterative")
    return Pipeline(steps=[
        ("prep", ColumnTransformer(transformers=[
            ("numbers", Pipeline([("s", StandardScaler()), ("i", imputer)]), numeric),
            ("categories", Pipeline([("i", SimpleImputer(strategy="most_frequent")), ("o", OneHotEncoder(handle_unknown="ignore"))]), categorical)])),
        ("model", sklearn.base.clone(model))])
''',
        },
        'wrong': {
            # KNNImputer(n_neighbors=3): the visible check looks at the imputer's class, not its neighbours.
            'three neighbours': '''
def imputation_pipeline(strategy, numeric, categorical, model):
    from sklearn.base import clone
    from sklearn.compose import ColumnTransformer
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    if strategy in ("mean", "median", "most_frequent"):
        imputer = SimpleImputer(strategy=strategy, add_indicator=True)
    elif strategy == "knn":
        imputer = KNNImputer(n_neighbors=3, add_indicator=True)                  # three neighbours, not five
    elif strategy == "iterative":
        imputer = IterativeImputer(max_iter=10, random_state=0, add_indicator=True)
    else:
        raise ValueError(strategy)
    num = Pipeline([("scale", StandardScaler()), ("impute", imputer)])
    cat = Pipeline([("impute", SimpleImputer(strategy="most_frequent")), ("onehot", OneHotEncoder(handle_unknown="ignore"))])
    return Pipeline([("prep", ColumnTransformer([("num", num, list(numeric)), ("cat", cat, list(categorical))])), ("model", clone(model))])
''',
            # Fills categorical gaps with a constant instead of the most frequent category.
            "a 'missing' category": '''
def imputation_pipeline(strategy, numeric, categorical, model):
    from sklearn.base import clone
    from sklearn.compose import ColumnTransformer
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    if strategy in ("mean", "median", "most_frequent"):
        imputer = SimpleImputer(strategy=strategy, add_indicator=True)
    elif strategy == "knn":
        imputer = KNNImputer(n_neighbors=5, add_indicator=True)
    elif strategy == "iterative":
        imputer = IterativeImputer(max_iter=10, random_state=0, add_indicator=True)
    else:
        raise ValueError(strategy)
    num = Pipeline([("scale", StandardScaler()), ("impute", imputer)])
    cat = Pipeline([("impute", SimpleImputer(strategy="constant", fill_value="missing")), ("onehot", OneHotEncoder(handle_unknown="ignore"))])   # a "missing" category
    return Pipeline([("prep", ColumnTransformer([("num", num, list(numeric)), ("cat", cat, list(categorical))])), ("model", clone(model))])
''',
        },
    },
    'pruned_objective': {
        'correct': {
            # predict_proba ranks the rows as decision_function does.
            'predict_proba for the AUC, TrialPruned from optuna.exceptions': '''
def make_objective(X_train, y_train, X_val, y_val, n_epochs=10):
    import optuna
    from sklearn.linear_model import SGDClassifier
    from sklearn.metrics import roc_auc_score

    def objective(trial):
        model = SGDClassifier(loss="log_loss", alpha=trial.suggest_float("alpha", 1e-5, 1e-1, log=True), random_state=0)
        score = None
        for step in range(n_epochs):
            model.partial_fit(X_train, y_train, classes=[0, 1])
            score = roc_auc_score(y_val, model.predict_proba(X_val)[:, 1])   # same ranking as decision_function
            trial.report(score, step)
            if trial.should_prune():
                raise optuna.exceptions.TrialPruned(f"pruned at step {step}")
        return score
    return objective
''',
            # An objective object instead of a closure.
            'a callable class': '''
class _Objective:
    def __init__(self, data, n_epochs):
        self.data, self.n_epochs = data, n_epochs

    def __call__(self, trial):
        import optuna
        from sklearn.linear_model import SGDClassifier
        from sklearn.metrics import roc_auc_score
        X_train, y_train, X_val, y_val = self.data
        alpha = trial.suggest_float("alpha", 0.00001, 0.1, log=True)
        clf = SGDClassifier(loss="log_loss", alpha=alpha, random_state=0)
        history = []
        for epoch in range(self.n_epochs):
            clf.partial_fit(X_train, y_train, classes=np.unique([0, 1]))
            history.append(roc_auc_score(y_val, clf.decision_function(X_val)))
            trial.report(history[-1], step=epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return history[-1]


def make_objective(X_train, y_train, X_val, y_val, n_epochs=10):
    return _Objective((X_train, y_train, X_val, y_val), n_epochs)
''',
        },
        'wrong': {
            # Returns the best validation AUC instead of the last.
            'returns the best epoch': '''
def make_objective(X_train, y_train, X_val, y_val, n_epochs=10):
    import optuna
    from sklearn.linear_model import SGDClassifier
    from sklearn.metrics import roc_auc_score

    def objective(trial):
        alpha = trial.suggest_float("alpha", 1e-5, 1e-1, log=True)
        clf = SGDClassifier(loss="log_loss", alpha=alpha, random_state=0)
        best = 0.0
        for epoch in range(n_epochs):
            clf.partial_fit(X_train, y_train, classes=np.array([0, 1]))
            auc = roc_auc_score(y_val, clf.decision_function(X_val))
            best = max(best, auc)
            trial.report(auc, step=epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return best                                  # the best epoch, not the last
    return objective
''',
            # SGDClassifier's default loss is the hinge (a linear SVM), not logistic regression.
            'the default loss': '''
def make_objective(X_train, y_train, X_val, y_val, n_epochs=10):
    import optuna
    from sklearn.linear_model import SGDClassifier
    from sklearn.metrics import roc_auc_score

    def objective(trial):
        alpha = trial.suggest_float("alpha", 1e-5, 1e-1, log=True)
        clf = SGDClassifier(alpha=alpha, random_state=0)           # loss="hinge"
        for epoch in range(n_epochs):
            clf.partial_fit(X_train, y_train, classes=[0, 1])
            auc = roc_auc_score(y_val, clf.decision_function(X_val))
            trial.report(auc, step=epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return auc
    return objective
''',
            # Scores the epochs on the rows it trains on, so the pruner and the study see training AUCs.
            'scored on the training data': '''
def make_objective(X_train, y_train, X_val, y_val, n_epochs=10):
    import optuna
    from sklearn.linear_model import SGDClassifier
    from sklearn.metrics import roc_auc_score

    def objective(trial):
        alpha = trial.suggest_float("alpha", 1e-5, 1e-1, log=True)
        clf = SGDClassifier(loss="log_loss", alpha=alpha, random_state=0)
        for epoch in range(n_epochs):
            clf.partial_fit(X_train, y_train, classes=np.unique(y_train))
            auc = roc_auc_score(y_train, clf.decision_function(X_train))
            trial.report(auc, step=epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return auc
    return objective
''',
        },
    },
    'early_stopping_report': {
        'correct': {
            # Another construction of the report.
            'perf_counter around each fit, built as one dict': '''
def early_stopping_report(X_train, y_train, X_test, y_test, max_iter=200, patience=10, seed=0):
    from time import perf_counter
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    full = HistGradientBoostingClassifier(max_iter=max_iter, random_state=seed, early_stopping=False)
    t0 = perf_counter(); full.fit(X_train, y_train); t1 = perf_counter()
    early = HistGradientBoostingClassifier(max_iter=max_iter, random_state=seed, early_stopping=True,
                                           validation_fraction=0.2, n_iter_no_change=patience)
    early.fit(X_train, y_train); t2 = perf_counter()
    return dict(n_iter_full=int(full.n_iter_), n_iter_early=int(early.n_iter_),
                auc_full=float(roc_auc_score(y_test, full.predict_proba(X_test)[:, 1])),
                auc_early=float(roc_auc_score(y_test, early.predict_proba(X_test)[:, 1])),
                seconds_full=t1 - t0, seconds_early=t2 - t1)
''',
            # Another order of the fits and another clock call.
            'early model first, perf_counter_ns': '''
def early_stopping_report(X_train, y_train, X_test, y_test, max_iter=200, patience=10, seed=0):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    out = {}
    for name in ("early", "full"):
        kwargs = {"early_stopping": name == "early"}
        if name == "early":
            kwargs.update(validation_fraction=0.2, n_iter_no_change=patience)
        model = HistGradientBoostingClassifier(max_iter=max_iter, random_state=seed, **kwargs)
        start = time.perf_counter_ns()
        model.fit(np.asarray(X_train), np.asarray(y_train))
        out["seconds_" + name] = (time.perf_counter_ns() - start) / 1e9
        out["n_iter_" + name] = model.n_iter_
        out["auc_" + name] = roc_auc_score(y_test, model.predict_proba(np.asarray(X_test))[:, 1])
    return out
''',
        },
        'wrong': {
            # Leaves validation_fraction at 0.1.
            'default validation_fraction': '''
def early_stopping_report(X_train, y_train, X_test, y_test, max_iter=200, patience=10, seed=0):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    report = {}
    settings = {"full": dict(early_stopping=False),
                "early": dict(early_stopping=True, n_iter_no_change=patience)}     # the default validation_fraction (0.1)
    for name, kwargs in settings.items():
        model = HistGradientBoostingClassifier(max_iter=max_iter, random_state=seed, **kwargs)
        start = time.perf_counter()
        model.fit(X_train, y_train)
        report[f"seconds_{name}"] = time.perf_counter() - start
        report[f"n_iter_{name}"] = model.n_iter_
        report[f"auc_{name}"] = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    return report
''',
            # The validation split and the bins change from run to run.
            'random_state not passed': '''
def early_stopping_report(X_train, y_train, X_test, y_test, max_iter=200, patience=10, seed=0):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    report = {}
    settings = {"full": dict(early_stopping=False),
                "early": dict(early_stopping=True, validation_fraction=0.2, n_iter_no_change=patience)}
    for name, kwargs in settings.items():
        model = HistGradientBoostingClassifier(max_iter=max_iter, **kwargs)        # random_state not passed on
        start = time.perf_counter()
        model.fit(X_train, y_train)
        report[f"seconds_{name}"] = time.perf_counter() - start
        report[f"n_iter_{name}"] = model.n_iter_
        report[f"auc_{name}"] = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    return report
''',
        },
    },
    'permutation_selection': {
        'correct': {
            # The population standard deviation of the raw drops, in a frame.
            'mean and std of result.importances': '''
def select_by_permutation(model, X_val, y_val, n_repeats=5, seed=0):
    from sklearn.inspection import permutation_importance
    result = permutation_importance(model, X_val, y_val, scoring="roc_auc", n_repeats=n_repeats, random_state=seed)
    drops = result.importances                     # (n_features, n_repeats)
    mean, std = drops.mean(axis=1), drops.std(axis=1)
    table = pd.DataFrame({"mean": mean, "std": std}, index=X_val.columns)
    table = table[table["mean"] > 2 * table["std"]].sort_values("mean", ascending=False, kind="stable")
    return list(table.index)
''',
            # Another stable ordering.
            'pairs sorted by (-mean, position)': '''
def select_by_permutation(model, X_val, y_val, n_repeats=5, seed=0):
    from sklearn.inspection import permutation_importance
    r = permutation_importance(model, X_val, y_val, scoring="roc_auc", n_repeats=n_repeats, random_state=seed)
    kept = [(m, i) for i, (m, s) in enumerate(zip(r.importances_mean, r.importances_std)) if m > 2 * s]
    kept.sort(key=lambda pair: (-pair[0], pair[1]))
    return [str(X_val.columns[i]) for _, i in kept]
''',
        },
        'wrong': {
            # ddof=1, while the statement names importances_std (ddof=0).
            'sample standard deviation': '''
def select_by_permutation(model, X_val, y_val, n_repeats=5, seed=0):
    from sklearn.inspection import permutation_importance
    result = permutation_importance(model, X_val, y_val, scoring="roc_auc", n_repeats=n_repeats, random_state=seed)
    mean = result.importances_mean
    std = result.importances.std(axis=1, ddof=1)           # the sample standard deviation
    order = np.argsort(-mean, kind="stable")
    return [X_val.columns[j] for j in order if mean[j] > 2 * std[j]]
''',
            # Keeps columns whose mean exceeds one standard deviation, not two.
            'one standard deviation': '''
def select_by_permutation(model, X_val, y_val, n_repeats=5, seed=0):
    from sklearn.inspection import permutation_importance
    result = permutation_importance(model, X_val, y_val, scoring="roc_auc", n_repeats=n_repeats, random_state=seed)
    mean, std = result.importances_mean, result.importances_std
    order = np.argsort(-mean, kind="stable")
    return [X_val.columns[j] for j in order if mean[j] > std[j]]            # one standard deviation, not two
''',
        },
    },
    'calibrate_recent': {
        'correct': {
            # The same procedure spelled out.
            'module-qualified names, fit in two steps': '''
def fit_calibrated(model, X_fit, y_fit, X_cal, y_cal, method="isotonic"):
    import sklearn.base
    import sklearn.calibration
    import sklearn.frozen
    fitted = sklearn.base.clone(model)
    fitted.fit(X_fit, y_fit)
    calibrated = sklearn.calibration.CalibratedClassifierCV(estimator=sklearn.frozen.FrozenEstimator(fitted), method=method)
    calibrated.fit(X_cal, y_cal)
    return calibrated
''',
            # CalibratedClassifierCV's default ensemble given explicitly.
            'ensemble spelled out': '''
def fit_calibrated(model, X_fit, y_fit, X_cal, y_cal, method="isotonic"):
    from sklearn.base import clone
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator
    frozen = FrozenEstimator(clone(model).fit(np.asarray(X_fit, dtype=float) if not hasattr(X_fit, "columns") else X_fit, y_fit))
    return CalibratedClassifierCV(frozen, method=method, ensemble="auto").fit(X_cal, y_cal)
''',
        },
        'wrong': {
            # Always calibrates isotonically.
            'ignores method': '''
def fit_calibrated(model, X_fit, y_fit, X_cal, y_cal, method="isotonic"):
    from sklearn.base import clone
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator
    fitted = clone(model).fit(X_fit, y_fit)
    return CalibratedClassifierCV(FrozenEstimator(fitted), method="isotonic").fit(X_cal, y_cal)   # ignores `method`
''',
            # Fills missing values with 0 before fitting the model, which changes the model the statement asks for.
            'gaps filled before fitting': '''
def fit_calibrated(model, X_fit, y_fit, X_cal, y_cal, method="isotonic"):
    from sklearn.base import clone
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator
    fitted = clone(model).fit(X_fit.fillna(0), y_fit)                    # fills gaps "to be safe": another model
    return CalibratedClassifierCV(FrozenEstimator(fitted), method=method).fit(X_cal, y_cal)
''',
        },
    },
    'retraining_backtest': {
        'correct': {
            # Another construction of the frame.
            'lists of rows and a DatetimeIndex': '''
def retraining_backtest(df, features, make_model, start, window=6, target="churned"):
    from sklearn.metrics import roc_auc_score
    months = sorted(pd.to_datetime(df["month"]).unique())
    start = pd.Timestamp(start)
    train = df[df["month"] < start]
    static = make_model().fit(train[features], train[target])
    index, rows = [], []
    for i, month in enumerate(months):
        month = pd.Timestamp(month)
        if month < start:
            continue
        test = df[df["month"] == month]
        history = df[df["month"].isin(months[max(0, i - window):i])]
        sliding = make_model().fit(history[features], history[target])
        row = []
        for model in (static, sliding):
            y = test[target]
            row.append(roc_auc_score(y, model.predict_proba(test[features])[:, 1]) if len(set(y)) > 1 else float("nan"))
        index.append(month)
        rows.append(row)
    return pd.DataFrame(rows, index=pd.DatetimeIndex(index), columns=["static", "sliding"])
''',
            # Frames are matched by column name.
            'columns in another order, months by position': '''
def retraining_backtest(df, features, make_model, start, window=6, target="churned"):
    from sklearn.metrics import roc_auc_score
    months = np.sort(df["month"].unique())
    positions = {m: i for i, m in enumerate(months)}
    before = df.loc[df["month"] < start]
    static = make_model().fit(before[features], before[target])
    out = {"sliding": {}, "static": {}}
    for m in months[months >= np.datetime64(start)]:
        i = positions[m]
        test = df.loc[df["month"] == m]
        recent = df.loc[(df["month"] >= months[max(0, i - window)]) & (df["month"] < m)]
        retrained = make_model().fit(recent[features], recent[target])
        single = test[target].nunique() < 2
        for name, model in (("static", static), ("sliding", retrained)):
            out[name][pd.Timestamp(m)] = np.nan if single else roc_auc_score(test[target], model.predict_proba(test[features])[:, 1])
    return pd.DataFrame(out)
''',
        },
        'wrong': {
            # Scores with predict_proba(...)[:, 0], which turns every AUC into 1 - AUC.
            'the probability of the other class': '''
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
        recent = df[df["month"].isin(months[max(0, i - window):i])]
        sliding = make_model().fit(recent[features], recent[target])
        rows[pd.Timestamp(m)] = {"static": auc(test[target], static.predict_proba(test[features])[:, 0]),    # the probability of staying
                                 "sliding": auc(test[target], sliding.predict_proba(test[features])[:, 0])}
    return pd.DataFrame.from_dict(rows, orient="index")
''',
            # Indexes the result by 'YYYY-MM' strings instead of the test months.
            'months as text labels': '''
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
        recent = df[df["month"].isin(months[max(0, i - window):i])]
        sliding = make_model().fit(recent[features], recent[target])
        rows[pd.Timestamp(m).strftime("%Y-%m")] = {"static": auc(test[target], static.predict_proba(test[features])[:, 1]),
                                                    "sliding": auc(test[target], sliding.predict_proba(test[features])[:, 1])}
    return pd.DataFrame.from_dict(rows, orient="index")                  # months as text labels
''',
        },
    },
}
