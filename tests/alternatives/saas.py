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
}
