"""Other solutions to the tasks of S11–S20 of assignment 2, written from each task's statement alone.

``ALTERNATIVES[task_id]["correct"]``: full sources of solution cells that do what the statement asks
in another way than the reference (another library route, another legitimate order, dtype or tie
rule); each must pass. ``["wrong"]``: common mistakes that pass the visible check; each must fail
the hidden tests with a one-line message that names what is wrong.
"""

ALTERNATIVES = {
    "feature_pipeline": {
        "correct": {
            # One imputer + encoder per categorical column, dense one-hot output, the hour as π·h/12.
            "one encoder per categorical column": '''
def build_feature_pipeline(numeric, categorical, hour_col):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    def cyclic(frame):
        angle = np.pi * pd.DataFrame(frame).iloc[:, 0].to_numpy(dtype=float) / 12.0
        return np.stack([np.sin(angle), np.cos(angle)], axis=1)

    parts = [("numbers", Pipeline([("median", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), list(numeric)),
             ("hour", FunctionTransformer(cyclic), [hour_col])]
    for col in categorical:
        parts.append((f"onehot_{col}", Pipeline([("mode", SimpleImputer(strategy="most_frequent")),
                                                 ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False))]), [col]))
    return Pipeline([("features", ColumnTransformer(parts)), ("model", LogisticRegression(max_iter=1000))])
''',
            # Unknown categories through "infrequent_if_exist" (no infrequent category without min_frequency),
            # the hour as a plain string column selector, a fully dense ColumnTransformer.
            "infrequent_if_exist and a string selector for the hour": '''
def build_feature_pipeline(numeric, categorical, hour_col):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    def sin_cos(hours):
        h = np.asarray(hours, dtype=float).reshape(-1)
        return np.c_[np.sin(2 * np.pi * h / 24), np.cos(2 * np.pi * h / 24)]

    features = ColumnTransformer(
        [("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
         ("hour", FunctionTransformer(sin_cos), hour_col),
         ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                               OneHotEncoder(handle_unknown="infrequent_if_exist")), categorical)],
        sparse_threshold=0.0)
    return Pipeline(steps=[("features", features), ("model", LogisticRegression(max_iter=1000))])
''',
        },
        "wrong": {
            # make_pipeline names the steps after their classes, not "features" and "model".
            "steps named by make_pipeline": '''
def build_feature_pipeline(numeric, categorical, hour_col):
    def hour_on_circle(H):
        angle = 2 * np.pi * np.asarray(H, dtype=float).ravel() / 24
        return np.column_stack([np.sin(angle), np.cos(angle)])

    features = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), list(numeric)),
        ("hour", FunctionTransformer(hour_on_circle), [hour_col]),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), list(categorical)),
    ])
    return make_pipeline(features, LogisticRegression(max_iter=1000))
''',
            # The default max_iter=100 instead of the stated 1000 (it converges on the visible data).
            "LogisticRegression without max_iter=1000": '''
def build_feature_pipeline(numeric, categorical, hour_col):
    def hour_on_circle(H):
        angle = 2 * np.pi * np.asarray(H, dtype=float).ravel() / 24
        return np.column_stack([np.sin(angle), np.cos(angle)])

    features = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), list(numeric)),
        ("hour", FunctionTransformer(hour_on_circle), [hour_col]),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), list(categorical)),
    ])
    return Pipeline([("features", features), ("model", LogisticRegression())])
''',
            # The categorical columns picked by dtype, in the frame's order instead of the order given.
            "categorical columns selected by dtype": '''
def build_feature_pipeline(numeric, categorical, hour_col):
    from sklearn.compose import make_column_selector

    def hour_on_circle(H):
        angle = 2 * np.pi * np.asarray(H, dtype=float).ravel() / 24
        return np.column_stack([np.sin(angle), np.cos(angle)])

    features = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), list(numeric)),
        ("hour", FunctionTransformer(hour_on_circle), [hour_col]),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
         make_column_selector(dtype_include=object)),
    ])
    return Pipeline([("features", features), ("model", LogisticRegression(max_iter=1000))])
''',
        },
    },
    "optuna_tuning": {
        "correct": {
            # Folds rebuilt in every trial, a fresh pipeline per fold, the running mean updated incrementally.
            "incremental running mean": '''
def tune_with_optuna(X, y, n_trials=15, seed=0, n_folds=4):
    from sklearn.base import clone
    from sklearn.metrics import accuracy_score

    def objective(trial):
        C = trial.suggest_float("C", 1e-2, 1e3, log=True)
        gamma = trial.suggest_float("gamma", 1e-3, 1e2, log=True)
        template = make_pipeline(StandardScaler(), SVC(C=C, gamma=gamma))
        folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
        running = 0.0
        for i, (tr, va) in enumerate(folds.split(X, y)):
            model = clone(template).fit(X[tr], y[tr])
            running += (accuracy_score(y[va], model.predict(X[va])) - running) / (i + 1)
            trial.report(running, step=i)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return running

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(n_startup_trials=5, seed=seed)
    pruner = optuna.pruners.MedianPruner(n_warmup_steps=1, n_startup_trials=5)
    study = optuna.create_study(sampler=sampler, pruner=pruner, direction="maximize", study_name="svm")
    study.optimize(objective, n_trials=n_trials, n_jobs=1)
    return dict(study.best_trial.params), float(study.best_trial.value), study
''',
            # The folds listed once; sum / count as the mean; the best trial looked up by hand.
            "sum over count, best trial by hand": '''
def tune_with_optuna(X, y, n_trials=15, seed=0, n_folds=4):
    splits = list(StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(X, y))

    def objective(trial):
        params = {"C": trial.suggest_float("C", 0.01, 1000.0, log=True),
                  "gamma": trial.suggest_float("gamma", 0.001, 100.0, log=True)}
        accs = []
        for step in range(len(splits)):
            train, valid = splits[step]
            pipe = make_pipeline(StandardScaler(), SVC(**params)).fit(X[train], y[train])
            accs.append(float((pipe.predict(X[valid]) == y[valid]).mean()))
            trial.report(sum(accs) / len(accs), step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return sum(accs) / len(accs)

    study = optuna.create_study(direction="maximize",
                                sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=5),
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1))
    study.optimize(objective, n_trials=n_trials, show_progress_bar=False)
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    best = max(done, key=lambda t: t.value)
    return best.params, best.value, study
''',
        },
        "wrong": {
            # Never asks the pruner: every trial runs all folds.
            "never prunes": '''
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
        return float(np.mean(scores))

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=5),
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1))
    study.optimize(objective, n_trials=n_trials)
    return study.best_params, study.best_value, study
''',
            # gamma drawn uniformly instead of on a log scale.
            "gamma not on a log scale": '''
def tune_with_optuna(X, y, n_trials=15, seed=0, n_folds=4):
    folds = list(StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(X, y))

    def objective(trial):
        C = trial.suggest_float("C", 1e-2, 1e3, log=True)
        gamma = trial.suggest_float("gamma", 1e-3, 1e2)
        model = make_pipeline(StandardScaler(), SVC(C=C, gamma=gamma))
        scores = []
        for step, (train, valid) in enumerate(folds):
            model.fit(X[train], y[train])
            scores.append(model.score(X[valid], y[valid]))
            trial.report(float(np.mean(scores)), step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return float(np.mean(scores))

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=5),
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1))
    study.optimize(objective, n_trials=n_trials)
    return study.best_params, study.best_value, study
''',
            # gamma suggested before C: the seeded sampler's draws land on the other parameter.
            "gamma suggested before C": '''
def tune_with_optuna(X, y, n_trials=15, seed=0, n_folds=4):
    folds = list(StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(X, y))

    def objective(trial):
        gamma = trial.suggest_float("gamma", 1e-3, 1e2, log=True)
        C = trial.suggest_float("C", 1e-2, 1e3, log=True)
        model = make_pipeline(StandardScaler(), SVC(C=C, gamma=gamma))
        scores = []
        for step, (train, valid) in enumerate(folds):
            model.fit(X[train], y[train])
            scores.append(model.score(X[valid], y[valid]))
            trial.report(float(np.mean(scores)), step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return float(np.mean(scores))

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=5),
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1))
    study.optimize(objective, n_trials=n_trials)
    return study.best_params, study.best_value, study
''',
        },
    },
    "leak_audit": {
        "correct": {
            # The folds by hand, scored with roc_auc_score on the decision function; strengths with numpy masks.
            "folds by hand": '''
def leak_audit(X, y, k=10):
    from sklearn.base import clone
    from sklearn.feature_selection import SelectKBest, f_classif
    from sklearn.impute import SimpleImputer
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(y)
    best, leak = -1.0, None
    for col in X.columns:
        v = X[col].to_numpy(dtype=float)
        keep = ~np.isnan(v)
        auc = roc_auc_score(y[keep], v[keep])
        if max(auc, 1 - auc) > best:
            best, leak = max(auc, 1 - auc), col

    template = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), SelectKBest(f_classif, k=k),
                             LogisticRegression(max_iter=1000))

    def cv_auc(frame):
        aucs = []
        for tr, va in StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(frame, y):
            model = clone(template).fit(frame.iloc[tr], y[tr])
            aucs.append(roc_auc_score(y[va], model.decision_function(frame.iloc[va])))
        return float(np.mean(aucs))

    return leak, cv_auc(X), cv_auc(X.loc[:, X.columns != leak])
''',
            # pandas for the strengths, cross_validate for the scores, a list for the labels.
            "pandas and cross_validate": '''
def leak_audit(X, y, k=10):
    from sklearn.feature_selection import SelectKBest, f_classif
    from sklearn.impute import SimpleImputer
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_validate

    labels = pd.Series(list(y), index=X.index)
    strength = {}
    for col in X:
        seen = X[col].notna()
        auc = roc_auc_score(labels[seen], X.loc[seen, col])
        strength[col] = max(auc, 1.0 - auc)
    leaky = max(strength, key=strength.get)

    def score(frame):
        pipe = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), SelectKBest(f_classif, k=k),
                             LogisticRegression(max_iter=1000))
        cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
        return cross_validate(pipe, frame, labels.to_numpy(), cv=cv, scoring="roc_auc")["test_score"].mean()

    return leaky, score(X), score(X.drop(columns=leaky))
''',
        },
        "wrong": {
            # Ranks the columns by their AUC alone: a leak that ranks the classes backwards is missed.
            "AUC instead of max(AUC, 1 - AUC)": '''
def leak_audit(X, y, k=10):
    from sklearn.feature_selection import SelectKBest, f_classif
    from sklearn.impute import SimpleImputer

    y = np.asarray(y)
    aucs = {}
    for col in X.columns:
        keep = X[col].notna().to_numpy()
        aucs[col] = roc_auc_score(y[keep], X[col].to_numpy()[keep])
    leaky = max(aucs, key=aucs.get)
    pipe = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), SelectKBest(f_classif, k=k),
                         LogisticRegression(max_iter=1000))
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    inflated = cross_val_score(pipe, X, y, cv=cv, scoring="roc_auc").mean()
    honest = cross_val_score(pipe, X.drop(columns=[leaky]), y, cv=cv, scoring="roc_auc").mean()
    return leaky, inflated, honest
''',
            # Fills the missing values with the column median instead of dropping those rows.
            "NaN filled instead of dropped for the strength": '''
def leak_audit(X, y, k=10):
    from sklearn.feature_selection import SelectKBest, f_classif
    from sklearn.impute import SimpleImputer

    y = np.asarray(y)
    strength = {}
    for col in X.columns:
        auc = roc_auc_score(y, X[col].fillna(X[col].median()))
        strength[col] = max(auc, 1 - auc)
    leaky = max(strength, key=strength.get)
    pipe = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), SelectKBest(f_classif, k=k),
                         LogisticRegression(max_iter=1000))
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    inflated = cross_val_score(pipe, X, y, cv=cv, scoring="roc_auc").mean()
    honest = cross_val_score(pipe, X.drop(columns=[leaky]), y, cv=cv, scoring="roc_auc").mean()
    return leaky, inflated, honest
''',
            # cv=5: unshuffled folds, not the stated StratifiedKFold(shuffle=True, random_state=0).
            "cv=5 instead of the shuffled folds": '''
def leak_audit(X, y, k=10):
    from sklearn.feature_selection import SelectKBest, f_classif
    from sklearn.impute import SimpleImputer

    y = np.asarray(y)
    strength = {}
    for col in X.columns:
        keep = X[col].notna().to_numpy()
        auc = roc_auc_score(y[keep], X[col].to_numpy()[keep])
        strength[col] = max(auc, 1 - auc)
    leaky = max(strength, key=strength.get)
    pipe = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), SelectKBest(f_classif, k=k),
                         LogisticRegression(max_iter=1000))
    inflated = cross_val_score(pipe, X, y, cv=5, scoring="roc_auc").mean()
    honest = cross_val_score(pipe, X.drop(columns=[leaky]), y, cv=5, scoring="roc_auc").mean()
    return leaky, inflated, honest
''',
        },
    },
    "ab_ztest": {
        "correct": {
            # Plain math, the p-value through the lower tail, numpy floats in the result.
            "math and norm.cdf": '''
def two_proportion_test(conv_a, n_a, conv_b, n_b, alpha=0.05):
    from scipy.stats import norm

    for conv, n in ((conv_a, n_a), (conv_b, n_b)):
        if n <= 0:
            raise ValueError("every arm needs at least one user")
        if conv < 0 or conv > n:
            raise ValueError("conversions must lie between 0 and the number of users")
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie in (0, 1)")
    pa, pb = conv_a / n_a, conv_b / n_b
    diff = pb - pa
    pooled = (conv_a + conv_b) / (n_a + n_b)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se0 == 0:
        z, p = 0.0, 1.0
    else:
        z = diff / se0
        p = 2 * norm.cdf(-abs(z))
    half = norm.ppf(1 - alpha / 2) * math.sqrt(pa * (1 - pa) / n_a + pb * (1 - pb) / n_b)
    return {"diff": np.float64(diff), "z": np.float64(z), "p_value": np.float64(p),
            "ci_low": np.float64(diff - half), "ci_high": np.float64(diff + half)}
''',
            # numpy throughout; the zero-variance case detected from the pooled rate.
            "numpy, pooled rate at 0 or 1": '''
def two_proportion_test(conv_a, n_a, conv_b, n_b, alpha=0.05):
    from scipy.stats import norm

    counts, users = np.array([conv_a, conv_b], dtype=float), np.array([n_a, n_b], dtype=float)
    if np.any(users <= 0) or np.any(counts < 0) or np.any(counts > users) or not (0.0 < alpha < 1.0):
        raise ValueError("need n > 0, 0 <= conv <= n and 0 < alpha < 1")
    rates = counts / users
    diff = rates[1] - rates[0]
    p = counts.sum() / users.sum()
    if p in (0.0, 1.0):
        z, p_value = 0.0, 1.0
    else:
        z = diff / np.sqrt(p * (1 - p) * np.sum(1 / users))
        p_value = 2 * norm.sf(np.abs(z))
    se = np.sqrt(np.sum(rates * (1 - rates) / users))
    q = norm.ppf(1 - alpha / 2)
    return dict(diff=float(diff), z=float(z), p_value=float(p_value), ci_low=float(diff - q * se), ci_high=float(diff + q * se))
''',
        },
        "wrong": {
            # Never checks alpha.
            "alpha not validated": '''
def two_proportion_test(conv_a, n_a, conv_b, n_b, alpha=0.05):
    if n_a <= 0 or n_b <= 0 or not 0 <= conv_a <= n_a or not 0 <= conv_b <= n_b:
        raise ValueError("bad counts")
    pa, pb = conv_a / n_a, conv_b / n_b
    pooled = (conv_a + conv_b) / (n_a + n_b)
    se0 = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = (pb - pa) / se0 if se0 > 0 else 0.0
    p = 2 * norm.sf(abs(z)) if se0 > 0 else 1.0
    half = norm.ppf(1 - alpha / 2) * np.sqrt(pa * (1 - pa) / n_a + pb * (1 - pb) / n_b)
    return {"diff": pb - pa, "z": z, "p_value": p, "ci_low": pb - pa - half, "ci_high": pb - pa + half}
''',
            # Divides by a zero standard error when both arms converted everybody (or nobody).
            "zero standard error not handled": '''
def two_proportion_test(conv_a, n_a, conv_b, n_b, alpha=0.05):
    if n_a <= 0 or n_b <= 0 or not 0 <= conv_a <= n_a or not 0 <= conv_b <= n_b or not 0 < alpha < 1:
        raise ValueError("bad input")
    pa, pb = conv_a / n_a, conv_b / n_b
    pooled = (conv_a + conv_b) / (n_a + n_b)
    z = (pb - pa) / np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    p = 2 * norm.sf(abs(z))
    half = norm.ppf(1 - alpha / 2) * np.sqrt(pa * (1 - pa) / n_a + pb * (1 - pb) / n_b)
    return {"diff": pb - pa, "z": float(z), "p_value": float(p), "ci_low": pb - pa - half, "ci_high": pb - pa + half}
''',
            # Checks only the upper bound of the counts: a negative count goes through.
            "negative counts accepted": '''
def two_proportion_test(conv_a, n_a, conv_b, n_b, alpha=0.05):
    if n_a <= 0 or n_b <= 0 or conv_a > n_a or conv_b > n_b or not 0 < alpha < 1:
        raise ValueError("bad input")
    pa, pb = conv_a / n_a, conv_b / n_b
    pooled = (conv_a + conv_b) / (n_a + n_b)
    se0 = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = (pb - pa) / se0 if se0 > 0 else 0.0
    p = 2 * norm.sf(abs(z)) if se0 > 0 else 1.0
    half = norm.ppf(1 - alpha / 2) * np.sqrt(abs(pa * (1 - pa) / n_a + pb * (1 - pb) / n_b))
    return {"diff": pb - pa, "z": z, "p_value": p, "ci_low": pb - pa - half, "ci_high": pb - pa + half}
''',
        },
    },
    "ab_sample_size": {
        "correct": {
            # The standard library's NormalDist instead of scipy.
            "statistics.NormalDist": '''
def sample_size_per_group(p_baseline, mde, alpha=0.05, power=0.8):
    from statistics import NormalDist

    p1, p2 = p_baseline, p_baseline + mde
    if not (0 < p1 < 1 and 0 < p2 < 1 and mde != 0 and 0 < alpha < 1 and 0 < power < 1):
        raise ValueError("need 0 < p_baseline, p_baseline + mde < 1, mde != 0 and alpha, power in (0, 1)")
    z = NormalDist()
    z_a, z_b = z.inv_cdf(1 - alpha / 2), z.inv_cdf(power)
    p_bar = (p1 + p2) / 2
    n = (z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / mde ** 2
    return math.ceil(n)
''',
            # numpy, the effect as p2 - p1, rounding up as -floor(-n), a NumPy integer returned.
            "numpy and a NumPy integer": '''
def sample_size_per_group(p_baseline, mde, alpha=0.05, power=0.8):
    from scipy.stats import norm

    checks = [0 < p_baseline < 1, 0 < p_baseline + mde < 1, mde != 0, 0 < alpha < 1, 0 < power < 1]
    if not all(checks):
        raise ValueError("invalid rates, effect, alpha or power")
    p = np.array([p_baseline, p_baseline + mde])
    p_bar = p.mean()
    top = norm.ppf(1 - alpha / 2) * np.sqrt(2 * p_bar * (1 - p_bar)) + norm.ppf(power) * np.sqrt(np.sum(p * (1 - p)))
    return np.int64(-np.floor(-(top / (p[1] - p[0])) ** 2))
''',
        },
        "wrong": {
            # Never checks that the treated rate stays inside (0, 1).
            "p_baseline + mde not validated": '''
def sample_size_per_group(p_baseline, mde, alpha=0.05, power=0.8):
    if not 0 < p_baseline < 1 or mde == 0 or not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError("bad input")
    p1, p2 = p_baseline, p_baseline + mde
    p_bar = (p1 + p2) / 2
    n = (norm.ppf(1 - alpha / 2) * np.sqrt(2 * p_bar * (1 - p_bar))
         + norm.ppf(power) * np.sqrt(abs(p1 * (1 - p1) + p2 * (1 - p2)))) ** 2 / mde ** 2
    return math.ceil(n)
''',
            # mde = 0 divides by zero: ZeroDivisionError instead of ValueError.
            "mde = 0 not validated": '''
def sample_size_per_group(p_baseline, mde, alpha=0.05, power=0.8):
    p1, p2 = p_baseline, p_baseline + mde
    if not (0 < p1 < 1 and 0 < p2 < 1 and 0 < alpha < 1 and 0 < power < 1):
        raise ValueError("bad input")
    p_bar = (p1 + p2) / 2
    n = (norm.ppf(1 - alpha / 2) * math.sqrt(2 * p_bar * (1 - p_bar))
         + norm.ppf(power) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / mde ** 2
    return math.ceil(n)
''',
            # Rounded to the nearest integer instead of up.
            "rounded to the nearest integer": '''
def sample_size_per_group(p_baseline, mde, alpha=0.05, power=0.8):
    p1, p2 = p_baseline, p_baseline + mde
    if not (0 < p1 < 1 and 0 < p2 < 1 and mde != 0 and 0 < alpha < 1 and 0 < power < 1):
        raise ValueError("bad input")
    p_bar = (p1 + p2) / 2
    n = (norm.ppf(1 - alpha / 2) * math.sqrt(2 * p_bar * (1 - p_bar))
         + norm.ppf(power) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / mde ** 2
    return int(round(n))
''',
        },
    },
    "retrieval_recall": {
        "correct": {
            # Ranks from a stable argsort of the negated similarities (ties keep the lower id first).
            "stable argsort": '''
def retrieval_recall_at_k(embeddings, queries, targets, ks):
    E = np.asarray(embeddings, dtype=float)
    queries, targets = np.asarray(queries, dtype=int), np.asarray(targets, dtype=int)
    if len(queries) == 0:
        raise ValueError("no queries")
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    U = np.divide(E, norms, out=np.zeros_like(E), where=norms > 0)
    ranks = []
    for q, t in zip(queries, targets):
        sims = U @ U[q]
        order = [i for i in np.argsort(-sims, kind="stable") if i != q]
        ranks.append(order.index(t))
    ranks = np.array(ranks)
    return np.array([np.mean(ranks < k) for k in ks])
''',
            # The rank as the count of items that beat the target, all queries at once.
            "count of items that beat the target": '''
def retrieval_recall_at_k(embeddings, queries, targets, ks):
    q = np.asarray(list(queries), dtype=int)
    t = np.asarray(list(targets), dtype=int)
    if q.size == 0:
        raise ValueError("retrieval_recall_at_k needs at least one query")
    E = np.array(embeddings, dtype=float)
    n = np.linalg.norm(E, axis=1)
    E[n > 0] /= n[n > 0][:, None]
    S = E[q] @ E.T
    s_t = S[np.arange(len(q)), t][:, None]
    ids = np.arange(len(E))[None, :]
    beats = (S > s_t) | ((S == s_t) & (ids < t[:, None]))
    beats[np.arange(len(q)), q] = False
    rank = beats.sum(axis=1)
    return (rank[:, None] < np.asarray(ks)[None, :]).mean(axis=0)
''',
        },
        "wrong": {
            # An empty list of queries gives NaN (0 / 0) instead of raising.
            "no queries gives NaN": '''
def retrieval_recall_at_k(embeddings, queries, targets, ks):
    E = np.asarray(embeddings, dtype=float)
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    U = np.divide(E, norms, out=np.zeros_like(E), where=norms > 0)
    hits = np.zeros(len(ks))
    for q, t in zip(queries, targets):
        sims = U @ U[q]
        order = [i for i in np.argsort(-sims, kind="stable") if i != q]
        hits += order.index(t) < np.asarray(ks)
    with np.errstate(invalid="ignore"):
        return hits / len(queries)
''',
            # The query is "excluded" by giving it similarity -1, the lowest cosine: it still ties with an
            # opposite item of higher id.
            "query masked with similarity -1": '''
def retrieval_recall_at_k(embeddings, queries, targets, ks):
    if len(queries) == 0:
        raise ValueError("no queries")
    E = np.asarray(embeddings, dtype=float)
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    U = np.divide(E, norms, out=np.zeros_like(E), where=norms > 0)
    hits = np.zeros(len(ks))
    for q, t in zip(queries, targets):
        sims = U @ U[q]
        sims[q] = -1.0
        order = list(np.argsort(-sims, kind="stable"))
        hits += order.index(t) < np.asarray(ks)
    return hits / len(queries)
''',
        },
    },
    "ivf_search": {
        "correct": {
            # Sorted Python lists with tuple keys for both stages; squared distances.
            "sorted with tuple keys": '''
def ivf_search(vectors, centroids, assignment, queries, k, nprobe):
    V, C = np.asarray(vectors, dtype=float), np.asarray(centroids, dtype=float)
    assignment = np.asarray(assignment)
    queries = list(queries)
    neighbours = np.full((len(queries), k), -1, dtype=int)
    scanned = np.zeros(len(queries), dtype=int)
    for row, q in enumerate(queries):
        v = V[q]
        d2 = ((C - v) ** 2).sum(axis=1)
        probe = sorted(range(len(C)), key=lambda c: (d2[c], c))[:nprobe]
        pool = [i for i in range(len(V)) if assignment[i] in probe and i != q]
        scanned[row] = len(pool)
        best = sorted(pool, key=lambda i: (-float(V[i] @ v), i))[:k]
        neighbours[row, :len(best)] = best
    return neighbours, scanned
''',
            # np.lexsort for both stages, the inverted lists built once.
            "inverted lists and lexsort": '''
def ivf_search(vectors, centroids, assignment, queries, k, nprobe):
    vectors = np.asarray(vectors, dtype=float)
    centroids = np.asarray(centroids, dtype=float)
    assignment = np.asarray(assignment)
    lists = {c: np.flatnonzero(assignment == c) for c in range(len(centroids))}
    out, counts = [], []
    for q in np.asarray(queries, dtype=int):
        x = vectors[q]
        dist = np.linalg.norm(centroids - x, axis=1)
        ids = np.arange(len(centroids))
        probe = np.lexsort((ids, dist))[:nprobe]
        pool = np.sort(np.concatenate([lists[c] for c in probe]))
        pool = pool[pool != q]
        counts.append(len(pool))
        scores = vectors[pool] @ x
        top = pool[np.lexsort((pool, -scores))][:k]
        out.append(np.concatenate([top, -np.ones(k - len(top), dtype=int)]))
    return np.array(out, dtype=np.int64).reshape(-1, k), np.array(counts, dtype=np.int64)
''',
        },
        "wrong": {
            # np.zeros instead of -1 for the missing neighbours.
            "pads with 0": '''
def ivf_search(vectors, centroids, assignment, queries, k, nprobe):
    V = np.asarray(vectors, dtype=float)
    neighbours = np.zeros((len(queries), k), dtype=int)
    scanned = np.zeros(len(queries), dtype=int)
    for row, q in enumerate(queries):
        dist = np.linalg.norm(centroids - V[q], axis=1)
        probe = np.argsort(dist, kind="stable")[:nprobe]
        pool = np.flatnonzero(np.isin(assignment, probe))
        pool = pool[pool != q]
        scanned[row] = len(pool)
        top = pool[np.argsort(-(V[pool] @ V[q]), kind="stable")][:k]
        neighbours[row, :len(top)] = top
    return neighbours, scanned
''',
            # The fine search by Euclidean distance (the same as the dot product only for unit vectors).
            "fine search by Euclidean distance": '''
def ivf_search(vectors, centroids, assignment, queries, k, nprobe):
    V = np.asarray(vectors, dtype=float)
    neighbours = np.full((len(queries), k), -1, dtype=int)
    scanned = np.zeros(len(queries), dtype=int)
    for row, q in enumerate(queries):
        dist = np.linalg.norm(centroids - V[q], axis=1)
        probe = np.argsort(dist, kind="stable")[:nprobe]
        pool = np.flatnonzero(np.isin(assignment, probe))
        pool = pool[pool != q]
        scanned[row] = len(pool)
        top = pool[np.argsort(np.linalg.norm(V[pool] - V[q], axis=1), kind="stable")][:k]
        neighbours[row, :len(top)] = top
    return neighbours, scanned
''',
            # The coarse search by dot product (the same as the distance only when the centroids have one norm).
            "coarse search by dot product": '''
def ivf_search(vectors, centroids, assignment, queries, k, nprobe):
    V = np.asarray(vectors, dtype=float)
    neighbours = np.full((len(queries), k), -1, dtype=int)
    scanned = np.zeros(len(queries), dtype=int)
    for row, q in enumerate(queries):
        probe = np.argsort(-(centroids @ V[q]), kind="stable")[:nprobe]
        pool = np.flatnonzero(np.isin(assignment, probe))
        pool = pool[pool != q]
        scanned[row] = len(pool)
        top = pool[np.argsort(-(V[pool] @ V[q]), kind="stable")][:k]
        neighbours[row, :len(top)] = top
    return neighbours, scanned
''',
        },
    },
    "multilabel_metrics": {
        "correct": {
            # Boolean logic, one label at a time.
            "boolean masks per label": '''
def multilabel_scores(Y_true, Y_pred):
    T, P = np.asarray(Y_true), np.asarray(Y_pred)
    if T.ndim != 2 or P.ndim != 2:
        raise ValueError("both arrays must be 2-D")
    if T.shape != P.shape:
        raise ValueError("the arrays differ in shape")
    if T.size == 0:
        raise ValueError("the arrays are empty")
    T, P = T.astype(bool), P.astype(bool)
    f1s = []
    for j in range(T.shape[1]):
        tp = np.sum(T[:, j] & P[:, j])
        fp = np.sum(~T[:, j] & P[:, j])
        fn = np.sum(T[:, j] & ~P[:, j])
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    tp, fp, fn = np.sum(T & P), np.sum(~T & P), np.sum(T & ~P)
    return {"hamming_loss": float(np.mean(T != P)), "subset_accuracy": float(np.mean(np.all(T == P, axis=1))),
            "micro_f1": float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else 0.0, "macro_f1": float(np.mean(f1s))}
''',
            # Integer arithmetic on counts, np.divide with where=, numpy scalars returned.
            "counts and np.divide": '''
def multilabel_scores(Y_true, Y_pred):
    T = np.array(Y_true, dtype=np.int64)
    P = np.array(Y_pred, dtype=np.int64)
    if T.ndim != 2 or T.shape != P.shape or min(T.shape) == 0:
        raise ValueError("need two non-empty 2-D 0/1 arrays of the same shape")
    tp = (T * P).sum(axis=0)
    fp = ((1 - T) * P).sum(axis=0)
    fn = (T * (1 - P)).sum(axis=0)
    den = 2 * tp + fp + fn
    per_label = np.divide(2 * tp, den, out=np.zeros(T.shape[1]), where=den > 0)
    total = den.sum()
    return {"hamming_loss": np.abs(T - P).sum() / T.size,
            "subset_accuracy": (np.abs(T - P).sum(axis=1) == 0).mean(),
            "micro_f1": 2 * tp.sum() / total if total > 0 else np.float64(0.0),
            "macro_f1": per_label.mean()}
''',
        },
        "wrong": {
            # Micro-F1 as 0/0 = NaN when there is no positive at all.
            "micro-F1 NaN without positives": '''
def multilabel_scores(Y_true, Y_pred):
    T, P = np.asarray(Y_true), np.asarray(Y_pred)
    if T.ndim != 2 or T.shape != P.shape or T.size == 0:
        raise ValueError("bad shapes")
    tp, fp, fn = (T * P).sum(0), ((1 - T) * P).sum(0), (T * (1 - P)).sum(0)
    den = 2 * tp + fp + fn
    macro = np.divide(2 * tp, den, out=np.zeros(T.shape[1]), where=den > 0).mean()
    with np.errstate(invalid="ignore", divide="ignore"):
        micro = 2 * tp.sum() / np.float64(den.sum())
    return {"hamming_loss": float((T != P).mean()), "subset_accuracy": float((T == P).all(1).mean()),
            "micro_f1": float(micro), "macro_f1": float(macro)}
''',
            # Never checks for empty input: NaN means instead of a ValueError.
            "empty input not rejected": '''
def multilabel_scores(Y_true, Y_pred):
    T, P = np.asarray(Y_true), np.asarray(Y_pred)
    if T.ndim != 2 or T.shape != P.shape:
        raise ValueError("bad shapes")
    tp, fp, fn = (T * P).sum(0), ((1 - T) * P).sum(0), (T * (1 - P)).sum(0)
    den = 2 * tp + fp + fn
    macro = np.divide(2 * tp, den, out=np.zeros(T.shape[1]), where=den > 0).mean() if T.shape[1] else 0.0
    micro = 2 * tp.sum() / den.sum() if den.sum() > 0 else 0.0
    with np.errstate(invalid="ignore"):
        return {"hamming_loss": float(np.mean(T != P)) if T.size else float("nan"),
                "subset_accuracy": float(np.mean((T == P).all(1))) if len(T) else float("nan"),
                "micro_f1": float(micro), "macro_f1": float(macro)}
''',
            # Works on the inputs as given: on Python lists, `!=` compares the whole lists at once.
            "lists not converted to arrays": '''
def multilabel_scores(Y_true, Y_pred):
    if np.ndim(Y_true) != 2 or np.shape(Y_true) != np.shape(Y_pred) or np.size(Y_true) == 0:
        raise ValueError("bad shapes")
    T, P = Y_true, Y_pred
    wrong = T != P
    tp = np.sum(np.multiply(T, P), axis=0)
    fp = np.sum(np.multiply(np.subtract(1, T), P), axis=0)
    fn = np.sum(np.multiply(T, np.subtract(1, P)), axis=0)
    den = 2 * tp + fp + fn
    macro = np.divide(2 * tp, den, out=np.zeros(len(tp)), where=den > 0).mean()
    micro = 2 * tp.sum() / den.sum() if den.sum() > 0 else 0.0
    return {"hamming_loss": float(np.mean(wrong)), "subset_accuracy": float(np.mean(np.all(T == P, axis=1))),
            "micro_f1": float(micro), "macro_f1": float(macro)}
''',
        },
    },
    "window_features": {
        "correct": {
            # Row by row with boolean masks; columns in another order, n_prev as a float.
            "masks per event, other column order": '''
def window_features(events, window):
    card = events["card"].to_numpy()
    ts = events["ts"].to_numpy(dtype=float)
    amount = events["amount"].to_numpy(dtype=float)
    since, total, count = [], [], []
    for c, t in zip(card, ts):
        earlier = (card == c) & (ts < t)
        inside = earlier & (ts >= t - window)
        count.append(float(inside.sum()))
        total.append(float(amount[inside].sum()))
        since.append(t - ts[earlier].max() if earlier.any() else np.nan)
    return pd.DataFrame({"secs_since_prev": since, "sum_prev": total, "n_prev": count}, index=events.index)
''',
            # Per card, sorted timestamps and searchsorted on cumulative sums of the amounts.
            "searchsorted per card": '''
def window_features(events, window):
    out = pd.DataFrame(index=events.index, columns=["n_prev", "sum_prev", "secs_since_prev"], dtype=float)
    for _, group in events.groupby("card", sort=False):
        order = np.argsort(group["ts"].to_numpy(), kind="stable")
        t = group["ts"].to_numpy(dtype=float)[order]
        cum = np.concatenate([[0.0], np.cumsum(group["amount"].to_numpy(dtype=float)[order])])
        end = np.searchsorted(t, t, side="left")            # events strictly before t
        start = np.searchsorted(t, t - window, side="left")  # first event at or after t - window
        start = np.minimum(start, end)
        prev = np.where(end > 0, t - t[np.maximum(end - 1, 0)], np.nan)
        rows = group.index[order]
        out.loc[rows, "n_prev"] = (end - start).astype(float)
        out.loc[rows, "sum_prev"] = cum[end] - cum[start]
        out.loc[rows, "secs_since_prev"] = prev
    out["n_prev"] = out["n_prev"].astype(int)
    return out
''',
        },
        "wrong": {
            # Unpacks the rows by position: right only while the columns come as card, ts, amount.
            "columns read by position": '''
def window_features(events, window):
    rows = list(events.itertuples(index=False, name=None))
    n_prev, sum_prev, since = [], [], []
    for card, t, _ in rows:
        earlier = [(ts, amount) for c, ts, amount in rows if c == card and ts < t]
        inside = [amount for ts, amount in earlier if ts >= t - window]
        n_prev.append(len(inside))
        sum_prev.append(float(sum(inside)))
        since.append(t - max(ts for ts, _ in earlier) if earlier else np.nan)
    return pd.DataFrame({"n_prev": n_prev, "sum_prev": sum_prev, "secs_since_prev": since}, index=events.index)
''',
            # Returns the events with the three feature columns added.
            "the events with the features appended": '''
def window_features(events, window):
    out = events.copy()
    card = events["card"].to_numpy()
    ts = events["ts"].to_numpy(dtype=float)
    amount = events["amount"].to_numpy(dtype=float)
    n_prev, sum_prev, since = [], [], []
    for c, t in zip(card, ts):
        earlier = (card == c) & (ts < t)
        inside = earlier & (ts >= t - window)
        n_prev.append(int(inside.sum()))
        sum_prev.append(float(amount[inside].sum()))
        since.append(t - ts[earlier].max() if earlier.any() else np.nan)
    out["n_prev"], out["sum_prev"], out["secs_since_prev"] = n_prev, sum_prev, since
    return out
''',
        },
    },
    "rolling_origin": {
        "correct": {
            # A while loop, sklearn's mean_absolute_error, a list turned into an array at the end.
            "while loop and mean_absolute_error": '''
def rolling_origin_errors(X, y, model, initial, horizon, window=None):
    from sklearn.base import clone
    from sklearn.metrics import mean_absolute_error

    X, y = np.asarray(X), np.asarray(y)
    errors, origin = [], initial
    while origin + horizon <= len(y):
        start = 0 if window is None else max(0, origin - window)
        fitted = clone(model).fit(X[start:origin], y[start:origin])
        errors.append(mean_absolute_error(y[origin:origin + horizon], fitted.predict(X[origin:origin + horizon])))
        origin += horizon
    return np.array(errors, dtype=float)
''',
            # Index arrays for the blocks; works on frames as well as arrays.
            "index arrays": '''
def rolling_origin_errors(X, y, model, initial, horizon, window=None):
    from sklearn.base import clone

    n = len(y)
    y = np.asarray(y, dtype=float)
    take = (lambda rows: X.iloc[rows]) if hasattr(X, "iloc") else (lambda rows: np.asarray(X)[rows])
    origins = np.arange(initial, n - horizon + 1, horizon)
    out = np.empty(len(origins))
    for i, origin in enumerate(origins):
        train = np.arange(origin - window if window is not None else 0, origin)
        train = train[train >= 0]
        test = np.arange(origin, origin + horizon)
        estimator = clone(model)
        estimator.fit(take(train), y[train])
        out[i] = np.abs(estimator.predict(take(test)) - y[test]).mean()
    return out
''',
        },
        "wrong": {
            # A fresh model of the same class, which drops the hyperparameters of the one given.
            "type(model)() instead of clone(model)": '''
def rolling_origin_errors(X, y, model, initial, horizon, window=None):
    X, y = np.asarray(X), np.asarray(y)
    errors = []
    for origin in range(initial, len(y) - horizon + 1, horizon):
        start = 0 if window is None else max(0, origin - window)
        fresh = type(model)()
        fresh.fit(X[start:origin], y[start:origin])
        errors.append(np.mean(np.abs(fresh.predict(X[origin:origin + horizon]) - y[origin:origin + horizon])))
    return np.array(errors)
''',
            # origin - window goes negative when the window is longer than the history: the slice wraps around.
            "negative slice start": '''
def rolling_origin_errors(X, y, model, initial, horizon, window=None):
    from sklearn.base import clone

    X, y = np.asarray(X), np.asarray(y)
    errors = []
    for origin in range(initial, len(y) - horizon + 1, horizon):
        rows = slice(0, origin) if window is None else slice(origin - window, origin)
        fitted = clone(model).fit(X[rows], y[rows])
        errors.append(np.mean(np.abs(fitted.predict(X[origin:origin + horizon]) - y[origin:origin + horizon])))
    return np.array(errors)
''',
        },
    },
}
