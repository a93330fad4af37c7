"""Typical wrong answers for the tasks of assignment 2, questions S11–S20: one per task.

Each value replaces the whole solution cell; the task's graded test cell must then fail.
"""

WRONG = {
    # S11: the encoder is not told what to do with a category it never saw, so serving crashes.
    "feature_pipeline": '''
def build_feature_pipeline(numeric, categorical, hour_col):
    def hour_on_circle(H):
        angle = 2 * np.pi * np.asarray(H, dtype=float).ravel() / 24
        return np.column_stack([np.sin(angle), np.cos(angle)])

    features = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), list(numeric)),
        ("hour", FunctionTransformer(hour_on_circle), [hour_col]),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()), list(categorical)),
    ])
    return Pipeline([("features", features), ("model", LogisticRegression(max_iter=1000))])
''',
    # S12: the sampler is not seeded, so two runs disagree.
    "optuna_tuning": '''
def tune_with_optuna(X, y, n_trials=15, seed=0, n_folds=4):
    folds = list(StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(X, y))

    def objective(trial):
        C = trial.suggest_float("C", 1e-2, 1e3, log=True)
        gamma = trial.suggest_float("gamma", 1e-3, 1e2, log=True)
        model = make_pipeline(StandardScaler(), SVC(C=C, gamma=gamma))
        scores = []
        for step, (train, valid) in enumerate(folds):
            model.fit(X[train], y[train])
            scores.append(model.score(X[valid], y[valid]))
            trial.report(float(np.mean(scores)), step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return float(np.mean(scores))

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(n_startup_trials=5),
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1))
    study.optimize(objective, n_trials=n_trials)
    return study.best_params, study.best_value, study
''',
    # S13: the leak is dropped, but imputation, scaling and selection are fitted on all rows before CV.
    "leak_audit": '''
def leak_audit(X, y, k=10):
    y = np.asarray(y)
    strength = {}
    for column in X.columns:
        values = X[column].to_numpy(dtype=float)
        keep = ~np.isnan(values)
        auc = roc_auc_score(y[keep], values[keep])
        strength[column] = max(auc, 1 - auc)
    leaky = max(strength, key=strength.get)
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    pipeline = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), SelectKBest(f_classif, k=k),
                             LogisticRegression(max_iter=1000))
    inflated = cross_val_score(pipeline, X, y, cv=cv, scoring="roc_auc").mean()
    prepared = pipeline[:-1].fit_transform(X.drop(columns=[leaky]), y)
    honest = cross_val_score(LogisticRegression(max_iter=1000), prepared, y, cv=cv, scoring="roc_auc").mean()
    return leaky, float(inflated), float(honest)
''',
    # S14: the z statistic uses the unpooled standard error.
    "ab_ztest": '''
def two_proportion_test(conv_a, n_a, conv_b, n_b, alpha=0.05):
    for conv, n in ((conv_a, n_a), (conv_b, n_b)):
        if n <= 0 or not 0 <= conv <= n:
            raise ValueError("impossible counts")
    p_a, p_b = conv_a / n_a, conv_b / n_b
    diff = p_b - p_a
    se = np.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    z = diff / se if se > 0 else 0.0
    half_width = norm.ppf(1 - alpha / 2) * se
    return {"diff": diff, "z": z, "p_value": 2 * norm.sf(abs(z)), "ci_low": diff - half_width, "ci_high": diff + half_width}
''',
    # S14: a one-sided quantile for a two-sided test gives too few users.
    "ab_sample_size": '''
def sample_size_per_group(p_baseline, mde, alpha=0.05, power=0.8):
    p1, p2 = p_baseline, p_baseline + mde
    if mde == 0 or not (0 < p1 < 1 and 0 < p2 < 1):
        raise ValueError("bad rates")
    z_alpha, z_beta = norm.ppf(1 - alpha), norm.ppf(power)
    p_bar = (p1 + p2) / 2
    n = (z_alpha * np.sqrt(2 * p_bar * (1 - p_bar)) + z_beta * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / mde ** 2
    return int(np.ceil(n))
''',
    # S15: the query item is left in its own candidate list (where it ranks first).
    "retrieval_recall": '''
def retrieval_recall_at_k(embeddings, queries, targets, ks):
    if len(queries) == 0:
        raise ValueError("no queries")
    E = np.asarray(embeddings, dtype=float)
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    unit = np.divide(E, norms, out=np.zeros_like(E), where=norms > 0)
    hits = np.zeros(len(ks))
    for q, t in zip(queries, targets):
        order = np.argsort(-(unit @ unit[q]), kind="stable")
        rank = int(np.flatnonzero(order == t)[0])
        hits += rank < np.asarray(ks)
    return hits / len(queries)
''',
    # S15: the query item is not removed from the probed clusters.
    "ivf_search": '''
def ivf_search(vectors, centroids, assignment, queries, k, nprobe):
    V = np.asarray(vectors, dtype=float)
    centroids = np.asarray(centroids, dtype=float)
    assignment = np.asarray(assignment)
    ids = np.arange(len(V))
    neighbours = np.full((len(queries), k), -1, dtype=int)
    scanned = np.zeros(len(queries), dtype=int)
    for row, q in enumerate(queries):
        probe = np.argsort(np.linalg.norm(centroids - V[q], axis=1), kind="stable")[:nprobe]
        pool = ids[np.isin(assignment, probe)]
        best = pool[np.lexsort((pool, -(V[pool] @ V[q])))][:k]
        neighbours[row, :len(best)] = best
        scanned[row] = len(pool)
    return neighbours, scanned
''',
    # S18: macro-F1 silently skips labels whose F1 is 0/0 instead of counting them as 0.
    "multilabel_metrics": '''
def multilabel_scores(Y_true, Y_pred):
    T = np.asarray(Y_true).astype(bool)
    P = np.asarray(Y_pred).astype(bool)
    tp = (T & P).sum(axis=0)
    fp = (~T & P).sum(axis=0)
    fn = (T & ~P).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_label = 2 * tp / (2 * tp + fp + fn)
    return {
        "hamming_loss": float(np.mean(T != P)),
        "subset_accuracy": float(np.mean((T == P).all(axis=1))),
        "micro_f1": float(2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum())),
        "macro_f1": float(np.nanmean(per_label)),
    }
''',
    # S19: the window includes its right edge, so each event counts itself and same-second events.
    "window_features": '''
def window_features(events, window):
    out = pd.DataFrame(index=events.index, columns=["n_prev", "sum_prev", "secs_since_prev"], dtype=float)
    for _, group in events.groupby("card"):
        t = group["ts"].to_numpy(dtype=float)
        amount = group["amount"].to_numpy(dtype=float)
        inside = (t[None, :] <= t[:, None]) & (t[None, :] >= t[:, None] - window)
        earlier = t[None, :] < t[:, None]
        last = np.where(earlier, t[None, :], -np.inf).max(axis=1)
        out.loc[group.index, "n_prev"] = inside.sum(axis=1)
        out.loc[group.index, "sum_prev"] = inside.astype(float) @ amount
        out.loc[group.index, "secs_since_prev"] = np.where(np.isfinite(last), t - last, np.nan)
    return out
''',
    # S20: each model is trained on rows up to the end of the block it is tested on (look-ahead).
    "rolling_origin": '''
def rolling_origin_errors(X, y, model, initial, horizon, window=None):
    from sklearn.base import clone

    X, y = np.asarray(X), np.asarray(y)
    errors = []
    for origin in range(initial, len(y) - horizon + 1, horizon):
        end = origin + horizon
        start = 0 if window is None else max(0, end - window)
        fitted = clone(model).fit(X[start:end], y[start:end])
        errors.append(np.mean(np.abs(fitted.predict(X[origin:end]) - y[origin:end])))
    return np.array(errors)
''',
}
