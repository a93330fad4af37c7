"""Other solutions to the tasks of assignment 3, written from each task's statement alone.

``ALTERNATIVES[task_id]["correct"]``: full sources of solution cells that do what the statement asks
in another way than the reference (another library route, another legitimate order, dtype or tie
rule); each must pass. ``["wrong"]``: common mistakes that pass the visible check; each must fail
the hidden tests with a one-line message that names what is wrong.
"""

ALTERNATIVES = {
    "rule_vs_model": {
        "correct": {
            # Counts of the confusion matrix by hand, the rule's output kept as booleans.
            "confusion counts by hand": '''
def compare_rule_and_model(rule, model, X_train, y_train, X_test, y_test):
    from sklearn.base import clone

    y = np.asarray(y_test).astype(bool)

    def scores(pred):
        pred = np.asarray(pred).astype(bool)
        tp = np.sum(pred & y)
        fp = np.sum(pred & ~y)
        fn = np.sum(~pred & y)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": f}

    fitted = clone(model).fit(X_train, y_train)
    return {"rule": scores(rule(X_test)), "model": scores(fitted.predict(X_test))}
''',
            # precision_recall_fscore_support in one call; NumPy floats in the result.
            "precision_recall_fscore_support": '''
def compare_rule_and_model(rule, model, X_train, y_train, X_test, y_test):
    from sklearn.base import clone
    from sklearn.metrics import precision_recall_fscore_support

    def scores(pred):
        p, r, f, _ = precision_recall_fscore_support(np.asarray(y_test).astype(int), np.asarray(pred).astype(int),
                                                     average="binary", zero_division=0)
        return dict(precision=p, recall=r, f1=f)

    m = clone(model)
    m.fit(X_train, y_train)
    return {"model": scores(m.predict(X_test)), "rule": scores(np.where(rule(X_test), 1, 0))}
''',
        },
        "wrong": {
            # A rule that never fires scores precision 1 instead of 0.
            "zero_division=1": '''
def compare_rule_and_model(rule, model, X_train, y_train, X_test, y_test):
    from sklearn.base import clone
    from sklearn.metrics import f1_score, precision_score, recall_score

    def scores(pred):
        return {"precision": precision_score(y_test, pred, zero_division=1),
                "recall": recall_score(y_test, pred, zero_division=1),
                "f1": f1_score(y_test, pred, zero_division=1)}

    fitted = clone(model).fit(X_train, y_train)
    return {"rule": scores(np.asarray(rule(X_test)).astype(int)), "model": scores(fitted.predict(X_test))}
''',
            # Fits the model on the training and the test rows: the test labels leak into the model.
            "fits on train and test rows": '''
def compare_rule_and_model(rule, model, X_train, y_train, X_test, y_test):
    from sklearn.base import clone
    from sklearn.metrics import f1_score, precision_score, recall_score

    def scores(pred):
        return {"precision": precision_score(y_test, pred, zero_division=0),
                "recall": recall_score(y_test, pred, zero_division=0),
                "f1": f1_score(y_test, pred, zero_division=0)}

    X_all = pd.concat([X_train, X_test], ignore_index=True)
    y_all = np.concatenate([np.asarray(y_train), np.asarray(y_test)])
    fitted = clone(model).fit(X_all, y_all)
    return {"rule": scores(np.asarray(rule(X_test)).astype(int)), "model": scores(fitted.predict(X_test))}
''',
        },
    },
    "mlp_hidden_features": {
        "correct": {
            # A table of activation functions, scipy's expit for the logistic one.
            "table of activations": '''
def hidden_features(mlp, X):
    from scipy.special import expit

    functions = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "logistic": expit, "identity": lambda z: z}
    f = functions[mlp.activation]
    h = np.asarray(X, dtype=float)
    for W, b in list(zip(mlp.coefs_, mlp.intercepts_))[:-1]:
        h = f(h @ W + b)
    return h
''',
            # Index loop, transposed products, ReLU by clipping.
            "index loop and clipping": '''
def hidden_features(mlp, X):
    h = np.array(X, dtype=np.float64)
    for i in range(mlp.n_layers_ - 2):
        z = (mlp.coefs_[i].T @ h.T).T + mlp.intercepts_[i]
        if mlp.activation == "relu":
            h = np.clip(z, 0, None)
        elif mlp.activation == "tanh":
            h = np.tanh(z)
        elif mlp.activation == "logistic":
            h = np.exp(-np.logaddexp(0.0, -z))
        else:
            h = z
    return h
''',
        },
        "wrong": {
            # Stops after the first hidden layer ("there may be several").
            "first hidden layer only": '''
def hidden_features(mlp, X):
    z = np.asarray(X, dtype=float) @ mlp.coefs_[0] + mlp.intercepts_[0]
    return {"relu": np.maximum(z, 0), "tanh": np.tanh(z), "logistic": 1 / (1 + np.exp(-z)), "identity": z}[mlp.activation]
''',
            # Always applies ReLU, whatever mlp.activation says.
            "always ReLU": '''
def hidden_features(mlp, X):
    h = np.asarray(X, dtype=float)
    for W, b in zip(mlp.coefs_[:-1], mlp.intercepts_[:-1]):
        h = np.maximum(h @ W + b, 0)
    return h
''',
        },
    },
    "categorical_preprocessor": {
        "correct": {
            # The four transformers in another order, dense one-hot output, explicit Pipelines.
            "transformers in another order": """
def categorical_preprocessor(nominal, ordinal, high_cardinality, numeric):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler, TargetEncoder

    columns = list(ordinal)
    return ColumnTransformer([
        ("numeric", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), list(numeric)),
        ("target", TargetEncoder(target_type="binary"), list(high_cardinality)),
        ("ordinal", OrdinalEncoder(categories=[list(ordinal[c]) for c in columns], handle_unknown="use_encoded_value",
                                   unknown_value=-1), columns),
        ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False), list(nominal)),
    ], remainder="drop")
""",
            # make_pipeline for the numeric block, infrequent_if_exist (all zeros for an unseen category too).
            "make_pipeline and infrequent_if_exist": """
def categorical_preprocessor(nominal, ordinal, high_cardinality, numeric):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler, TargetEncoder

    transformers = [
        ("ordinal", OrdinalEncoder(categories=list(ordinal.values()), handle_unknown="use_encoded_value",
                                   unknown_value=-1, dtype=np.float32), list(ordinal.keys())),
        ("onehot", OneHotEncoder(handle_unknown="infrequent_if_exist"), nominal),
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("target", TargetEncoder(), high_cardinality),
    ]
    return ColumnTransformer(transformers)
""",
        },
        "wrong": {
            # Imputes the mean, not the median.
            "mean imputation": """
def categorical_preprocessor(nominal, ordinal, high_cardinality, numeric):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler, TargetEncoder

    return ColumnTransformer([
        ("onehot", OneHotEncoder(handle_unknown="ignore"), list(nominal)),
        ("ordinal", OrdinalEncoder(categories=list(ordinal.values()), handle_unknown="use_encoded_value",
                                   unknown_value=-1), list(ordinal)),
        ("target", TargetEncoder(), list(high_cardinality)),
        ("numeric", make_pipeline(SimpleImputer(), StandardScaler()), list(numeric)),
    ])
""",
            # Standardises first and imputes afterwards: the scaler's mean and scale ignore the filled rows.
            "scales before imputing": """
def categorical_preprocessor(nominal, ordinal, high_cardinality, numeric):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler, TargetEncoder

    return ColumnTransformer([
        ("onehot", OneHotEncoder(handle_unknown="ignore"), list(nominal)),
        ("ordinal", OrdinalEncoder(categories=list(ordinal.values()), handle_unknown="use_encoded_value",
                                   unknown_value=-1), list(ordinal)),
        ("target", TargetEncoder(), list(high_cardinality)),
        ("numeric", make_pipeline(StandardScaler(), SimpleImputer(strategy="median")), list(numeric)),
    ])
""",
        },
    },
    "oof_target_encoding": {
        "correct": {
            # pandas groupby on the other folds.
            "pandas groupby per fold": """
def oof_target_encoding(categories, y, n_splits=5, smoothing=10.0):
    cats = pd.Series(list(categories))
    y = pd.Series(np.asarray(y, dtype=float))
    out = np.empty(len(y))
    for fold in np.array_split(np.arange(len(y)), n_splits):
        rest = np.setdiff1d(np.arange(len(y)), fold)
        prior = y.iloc[rest].mean()
        stats = y.iloc[rest].groupby(cats.iloc[rest].to_numpy()).agg(["sum", "count"])
        s = cats.iloc[fold].map(stats["sum"])
        n = cats.iloc[fold].map(stats["count"])
        enc = (s + smoothing * prior) / (n + smoothing)
        out[fold] = enc.where(n.notna(), prior).to_numpy(dtype=float)
    return out
""",
            # Integer codes and bincount; totals minus the fold's own sums.
            "bincount of codes": """
def oof_target_encoding(categories, y, n_splits=5, smoothing=10.0):
    _, codes = np.unique(np.asarray(categories), return_inverse=True)
    codes = codes.ravel()
    y = np.asarray(y, dtype=float).ravel()
    m = codes.max() + 1
    total_s = np.bincount(codes, weights=y, minlength=m)
    total_n = np.bincount(codes, minlength=m).astype(float)
    result = np.zeros_like(y)
    for idx in np.array_split(np.arange(y.size), n_splits):
        s = total_s - np.bincount(codes[idx], weights=y[idx], minlength=m)
        n = total_n - np.bincount(codes[idx], minlength=m)
        prior = (y.sum() - y[idx].sum()) / (y.size - idx.size)
        c = codes[idx]
        with np.errstate(invalid="ignore", divide="ignore"):
            enc = (s[c] + smoothing * prior) / (n[c] + smoothing)
        result[idx] = np.where(n[c] > 0, enc, prior)
    return result
""",
        },
        "wrong": {
            # No special case for a category absent from the other folds: 0/0 when smoothing is 0.
            "no prior for an absent category": """
def oof_target_encoding(categories, y, n_splits=5, smoothing=10.0):
    categories = np.asarray(categories, dtype=object)
    y = np.asarray(y, dtype=float)
    out = np.zeros(len(y))
    for fold in np.array_split(np.arange(len(y)), n_splits):
        other = np.ones(len(y), dtype=bool)
        other[fold] = False
        prior = y[other].mean()
        for i in fold:
            same = other & (categories == categories[i])
            out[i] = (y[same].sum() + smoothing * prior) / (same.sum() + smoothing)
    return out
""",
            # Casts the target to integers: fine for 0/1 labels, wrong for a continuous y.
            "casts y to int": """
def oof_target_encoding(categories, y, n_splits=5, smoothing=10.0):
    categories = np.asarray(categories, dtype=object)
    y = np.asarray(y).astype(int)
    out = np.zeros(len(y))
    for fold in np.array_split(np.arange(len(y)), n_splits):
        other = np.ones(len(y), dtype=bool)
        other[fold] = False
        prior = y[other].mean()
        for i in fold:
            same = other & (categories == categories[i])
            n = same.sum()
            out[i] = (y[same].sum() + smoothing * prior) / (n + smoothing) if n else prior
    return out
""",
        },
    },
    "scaled_dot_product_attention": {
        "correct": {
            # -inf for masked scores, the maximum of the allowed scores subtracted, zeros where nothing is allowed.
            "minus infinity and swapaxes": """
def attention(Q, K, V, mask=None):
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    scores = np.matmul(Q, np.swapaxes(K, -1, -2)) / np.sqrt(Q.shape[-1])
    if mask is None:
        allowed = np.ones(scores.shape, dtype=bool)
    else:
        allowed = np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape)
    scores = np.where(allowed, scores, -np.inf)
    top = scores.max(axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    e = np.where(allowed, np.exp(scores - top), 0.0)
    total = e.sum(axis=-1, keepdims=True)
    weights = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    return np.matmul(weights, V), weights
""",
            # einsum, scipy's softmax on a large negative fill, fully masked rows zeroed afterwards.
            "einsum and scipy softmax": """
def attention(Q, K, V, mask=None):
    from scipy.special import softmax

    Q = np.asarray(Q, dtype=float)
    d_k = Q.shape[-1]
    s = np.einsum("...qd,...kd->...qk", Q, np.asarray(K, dtype=float)) / np.sqrt(d_k)
    m = np.ones_like(s, dtype=bool) if mask is None else np.broadcast_to(mask, s.shape).astype(bool)
    w = softmax(np.where(m, s, np.finfo(float).min / 2), axis=-1)
    w = np.where(m, w, 0.0)
    w = w * m.any(axis=-1, keepdims=True)
    return np.einsum("...qk,...kv->...qv", w, np.asarray(V, dtype=float)), w
""",
        },
        "wrong": {
            # K.T transposes every axis: right for a single sequence, wrong with batch dimensions.
            "K.T with batch dimensions": """
def attention(Q, K, V, mask=None):
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    scores = Q @ K.T / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    top = np.max(scores, axis=-1, keepdims=True)
    e = np.exp(scores - np.where(np.isfinite(top), top, 0))
    s = e.sum(axis=-1, keepdims=True)
    w = np.where(s > 0, e / np.where(s > 0, s, 1), 0.0)
    return w @ V, w
""",
            # A large negative fill: a query whose keys are all masked gets uniform weights, not zeros.
            "uniform weights for a fully masked query": """
def attention(Q, K, V, mask=None):
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -1e30)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    if mask is not None:
        e = np.where(mask, e, 0.0) + np.where(np.asarray(mask).any(axis=-1, keepdims=True), 0.0, 1.0)
    w = e / e.sum(axis=-1, keepdims=True)
    return w @ V, w
""",
        },
    },
    "predict_one_request": {
        "correct": {
            # reindex adds the absent columns as NaN; None replaced by NaN afterwards.
            "reindex": """
def predict_one(pipeline, request):
    cols = list(pipeline.feature_names_in_)
    row = pd.DataFrame([{k: v for k, v in request.items() if k in cols}]).reindex(columns=cols)
    row = row.astype(object).where(row.notna(), np.nan).infer_objects()
    return float(pipeline.predict_proba(row)[0, 1])
""",
            # A dict comprehension, the class-1 column looked up in classes_.
            "dict of columns and classes_": """
def predict_one(pipeline, request):
    values = {}
    for column in pipeline.feature_names_in_:
        v = request.get(column)
        values[column] = [np.nan if v is None else v]
    proba = pipeline.predict_proba(pd.DataFrame(values, columns=pipeline.feature_names_in_))
    return proba[0, list(pipeline.classes_).index(1)].item()
""",
        },
        "wrong": {
            # `or` turns a legitimate 0 into a missing value.
            "a zero treated as missing": """
def predict_one(pipeline, request):
    cols = list(pipeline.feature_names_in_)
    row = pd.DataFrame([{c: request.get(c) or np.nan for c in cols}], columns=cols)
    return float(pipeline.predict_proba(row)[0, 1])
""",
            # JSON numbers cast to int: a fractional value loses its decimals.
            "numbers cast to int": """
def predict_one(pipeline, request):
    cols = list(pipeline.feature_names_in_)
    row = {}
    for c in cols:
        v = request.get(c)
        if v is None:
            v = np.nan
        elif isinstance(v, (int, float)) and not np.isnan(v):
            v = int(v)
        row[c] = v
    return float(pipeline.predict_proba(pd.DataFrame([row], columns=cols))[0, 1])
""",
        },
    },
    "serving_skew": {
        "correct": {
            # NaN-aware comparison with isnan; sparse output expanded with toarray.
            "isnan masks": """
def serving_skew(preprocessor, raw, served, atol=1e-6):
    Z = preprocessor.transform(raw)
    Z = np.asarray(Z.toarray() if hasattr(Z, "toarray") else Z, dtype=float)
    S = np.asarray(served, dtype=float)
    if S.shape != Z.shape:
        raise ValueError(f"served has shape {S.shape} but the recomputed features have shape {Z.shape}")
    both_nan = np.isnan(S) & np.isnan(Z)
    differ = ~both_nan & ~(np.abs(S - Z) <= atol)
    names = preprocessor.get_feature_names_out()
    return {str(n): float(differ[:, j].mean()) for j, n in enumerate(names)}
""",
            # np.isclose with rtol=0 and equal_nan, a pandas mean per column.
            "isclose with rtol=0": """
def serving_skew(preprocessor, raw, served, atol=1e-6):
    import scipy.sparse as sp

    Z = preprocessor.transform(raw)
    if sp.issparse(Z):
        Z = Z.toarray()
    Z = np.asarray(Z, dtype=float)
    served = np.asarray(served, dtype=float)
    if served.shape != Z.shape:
        raise ValueError(f"shape of served {served.shape} != shape of the recomputed features {Z.shape}")
    same = np.isclose(served, Z, rtol=0.0, atol=atol, equal_nan=True)
    return pd.DataFrame(~same, columns=preprocessor.get_feature_names_out()).mean().to_dict()
""",
        },
        "wrong": {
            # np.isclose's default rtol=1e-5 hides differences larger than atol on large values.
            "isclose with its default rtol": """
def serving_skew(preprocessor, raw, served, atol=1e-6):
    Z = preprocessor.transform(raw)
    Z = np.asarray(Z.toarray() if hasattr(Z, "toarray") else Z, dtype=float)
    served = np.asarray(served, dtype=float)
    if served.shape != Z.shape:
        raise ValueError(f"served has shape {served.shape}, the features {Z.shape}")
    differ = ~np.isclose(served, Z, atol=atol, equal_nan=True)
    return {n: float(differ[:, j].mean()) for j, n in enumerate(preprocessor.get_feature_names_out())}
""",
            # abs(diff) > atol is False for a NaN: a served NaN against a real value counts as agreement.
            "a NaN against a number counts as agreement": """
def serving_skew(preprocessor, raw, served, atol=1e-6):
    Z = preprocessor.transform(raw)
    Z = np.asarray(Z.toarray() if hasattr(Z, "toarray") else Z, dtype=float)
    served = np.asarray(served, dtype=float)
    if served.shape != Z.shape:
        raise ValueError(f"served has shape {served.shape}, the features {Z.shape}")
    with np.errstate(invalid="ignore"):
        differ = np.abs(served - Z) > atol
    return {n: float(differ[:, j].mean()) for j, n in enumerate(preprocessor.get_feature_names_out())}
""",
            # No shape check: NumPy broadcasts a single served row against every recomputed row.
            "no shape check": """
def serving_skew(preprocessor, raw, served, atol=1e-6):
    Z = preprocessor.transform(raw)
    Z = np.asarray(Z.toarray() if hasattr(Z, "toarray") else Z, dtype=float)
    served = np.asarray(served, dtype=float)
    differ = ~((np.abs(served - Z) <= atol) | (np.isnan(served) & np.isnan(Z)))
    return {n: float(differ[:, j].mean()) for j, n in enumerate(preprocessor.get_feature_names_out())}
""",
        },
    },
    "epsilon_greedy_bandit": {
        "correct": {
            # Draws the random arm at every step, used only when exploring: another order of the draws.
            "both draws at every step": """
def epsilon_greedy(pull, n_arms, n_steps, epsilon, seed=0):
    rng = np.random.default_rng(seed)
    Q = np.zeros(n_arms)
    N = np.zeros(n_arms, dtype=int)
    arms, rewards = [], []
    for _ in range(n_steps):
        explore = rng.random() < epsilon
        random_arm = int(rng.integers(n_arms))
        a = random_arm if explore else int(np.argmax(Q))
        r = float(pull(a))
        N[a] += 1
        Q[a] += (r - Q[a]) / N[a]
        arms.append(a)
        rewards.append(r)
    return {"arms": np.array(arms), "rewards": np.array(rewards), "estimates": Q, "counts": N}
""",
            # rng.choice for the random arm, sums and counts instead of the incremental mean.
            "rng.choice and running sums": """
def epsilon_greedy(pull, n_arms, n_steps, epsilon, seed=0):
    rng = np.random.default_rng(seed)
    sums = np.zeros(n_arms)
    counts = np.zeros(n_arms)
    arms = np.empty(n_steps, dtype=np.int64)
    rewards = np.empty(n_steps)
    for t in range(n_steps):
        means = np.divide(sums, counts, out=np.zeros(n_arms), where=counts > 0)
        if rng.uniform() < epsilon:
            a = rng.choice(n_arms)
        else:
            a = int(np.flatnonzero(means == means.max())[0])
        r = pull(a)
        sums[a] += r
        counts[a] += 1
        arms[t], rewards[t] = a, r
    return {"arms": arms, "rewards": rewards,
            "estimates": np.divide(sums, counts, out=np.zeros(n_arms), where=counts > 0), "counts": counts.astype(int)}
""",
        },
        "wrong": {
            # Explores among the other arms only: the random arm is never the greedy one.
            "explores among the other arms only": """
def epsilon_greedy(pull, n_arms, n_steps, epsilon, seed=0):
    rng = np.random.default_rng(seed)
    Q, N = np.zeros(n_arms), np.zeros(n_arms, dtype=int)
    arms, rewards = np.zeros(n_steps, dtype=int), np.zeros(n_steps)
    for t in range(n_steps):
        best = int(np.argmax(Q))
        if rng.random() < epsilon:
            others = [a for a in range(n_arms) if a != best] or [best]
            a = int(others[rng.integers(len(others))])
        else:
            a = best
        r = float(pull(a))
        N[a] += 1
        Q[a] += (r - Q[a]) / N[a]
        arms[t], rewards[t] = a, r
    return {"arms": arms, "rewards": rewards, "estimates": Q, "counts": N}
""",
            # A fresh unseeded generator: the run cannot be reproduced.
            "ignores the seed": """
def epsilon_greedy(pull, n_arms, n_steps, epsilon, seed=0):
    rng = np.random.default_rng()
    Q, N = np.zeros(n_arms), np.zeros(n_arms, dtype=int)
    arms, rewards = np.zeros(n_steps, dtype=int), np.zeros(n_steps)
    for t in range(n_steps):
        a = int(rng.integers(n_arms)) if rng.random() < epsilon else int(np.argmax(Q))
        r = float(pull(a))
        N[a] += 1
        Q[a] += (r - Q[a]) / N[a]
        arms[t], rewards[t] = a, r
    return {"arms": arms, "rewards": rewards, "estimates": Q, "counts": N}
""",
        },
    },
    "tabular_q_learning": {
        "correct": {
            # A while loop and the update written as a weighted average; returns as a list.
            "while loop, weighted average": """
def q_learning(env, n_episodes, alpha, gamma, epsilon, seed=0, max_steps=100):
    nxt, rew, term = np.asarray(env["next_state"]), np.asarray(env["reward"], dtype=float), np.asarray(env["terminal"])
    n_states, n_actions = nxt.shape
    Q = np.zeros((n_states, n_actions))
    rng = np.random.default_rng(seed)
    returns = []
    for _ in range(n_episodes):
        s = int(env["start"])
        total, steps = 0.0, 0
        while not term[s] and steps < max_steps:
            if rng.random() < epsilon:
                a = int(rng.integers(n_actions))
            else:
                a = int(np.argmax(Q[s]))
            s2, r = int(nxt[s, a]), float(rew[s, a])
            target = r if term[s2] else r + gamma * np.max(Q[s2])
            Q[s, a] = (1 - alpha) * Q[s, a] + alpha * target
            total += r
            steps += 1
            s = s2
        returns.append(total)
    return Q, returns
""",
            # A helper for the policy, np.where for the target.
            "policy helper": """
def q_learning(env, n_episodes, alpha, gamma, epsilon, seed=0, max_steps=100):
    rng = np.random.default_rng(seed)
    P, R, T = env["next_state"], env["reward"], env["terminal"]
    Q = np.zeros(P.shape, dtype=float)
    returns = np.zeros(n_episodes)

    def act(state):
        return rng.integers(P.shape[1]) if rng.random() < epsilon else Q[state].argmax()

    for i in range(n_episodes):
        s = env["start"]
        for _ in range(max_steps):
            if T[s]:
                break
            a = act(s)
            s_next = P[s, a]
            returns[i] += R[s, a]
            Q[s, a] += alpha * (R[s, a] + np.where(T[s_next], 0.0, gamma * Q[s_next].max()) - Q[s, a])
            s = s_next
    return Q, returns
""",
        },
        "wrong": {
            # Runs every episode to the end: max_steps is ignored.
            "ignores max_steps": """
def q_learning(env, n_episodes, alpha, gamma, epsilon, seed=0, max_steps=100):
    P, R, T = env["next_state"], env["reward"], env["terminal"]
    rng = np.random.default_rng(seed)
    Q = np.zeros(P.shape)
    returns = np.zeros(n_episodes)
    for i in range(n_episodes):
        s = env["start"]
        while not T[s]:
            a = int(rng.integers(P.shape[1])) if rng.random() < epsilon else int(np.argmax(Q[s]))
            s2, r = int(P[s, a]), float(R[s, a])
            Q[s, a] += alpha * ((r if T[s2] else r + gamma * Q[s2].max()) - Q[s, a])
            returns[i] += r
            s = s2
    return Q, returns
""",
            # A new generator in every episode: each episode repeats the same random draws.
            "a new generator per episode": """
def q_learning(env, n_episodes, alpha, gamma, epsilon, seed=0, max_steps=100):
    P, R, T = env["next_state"], env["reward"], env["terminal"]
    Q = np.zeros(P.shape)
    returns = np.zeros(n_episodes)
    for i in range(n_episodes):
        rng = np.random.default_rng(seed)
        s = env["start"]
        for _ in range(max_steps):
            a = int(rng.integers(P.shape[1])) if rng.random() < epsilon else int(np.argmax(Q[s]))
            s2, r = int(P[s, a]), float(R[s, a])
            Q[s, a] += alpha * ((r if T[s2] else r + gamma * Q[s2].max()) - Q[s, a])
            returns[i] += r
            s = s2
            if T[s]:
                break
    return Q, returns
""",
        },
    },
    "regression_metrics": {
        "correct": {
            # scikit-learn's own functions behind explicit checks.
            "scikit-learn functions": """
def regression_metrics(y_true, y_pred):
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError("y_true and y_pred must be non-empty and of the same length")
    return {"rmse": float(np.sqrt(mean_squared_error(y_true, y_pred))),
            "mae": float(mean_absolute_error(y_true, y_pred)),
            "r2": float(r2_score(y_true, y_pred))}
""",
            # Plain NumPy sums, NumPy scalars in the result.
            "numpy sums": """
def regression_metrics(y_true, y_pred):
    t = np.array(y_true, dtype=np.float64).ravel()
    p = np.array(y_pred, dtype=np.float64).ravel()
    if len(t) == 0 or len(t) != len(p):
        raise ValueError("need two non-empty inputs of equal length")
    err = t - p
    ss_res = np.sum(err ** 2)
    ss_tot = np.sum((t - t.mean()) ** 2)
    if ss_tot == 0:
        r2 = np.float64(1.0 if ss_res == 0 else 0.0)
    else:
        r2 = 1 - ss_res / ss_tot
    return {"rmse": np.sqrt(np.mean(err ** 2)), "mae": np.mean(np.abs(err)), "r2": r2}
""",
        },
        "wrong": {
            # A constant target always scores R² = 0, even when every prediction is exact.
            "R² 0 for every constant target": """
def regression_metrics(y_true, y_pred):
    t, p = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if t.size == 0 or t.shape != p.shape:
        raise ValueError("bad input")
    ss_tot = ((t - t.mean()) ** 2).sum()
    r2 = 1 - ((t - p) ** 2).sum() / ss_tot if ss_tot > 0 else 0.0
    return {"rmse": float(np.sqrt(np.mean((t - p) ** 2))), "mae": float(np.mean(np.abs(t - p))), "r2": float(r2)}
""",
            # Never checks the inputs: NumPy broadcasts a single prediction, an empty input gives NaN.
            "no input checks": """
def regression_metrics(y_true, y_pred):
    t, p = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    ss_res = ((t - p) ** 2).sum()
    ss_tot = ((t - t.mean()) ** 2).sum()
    r2 = 1 - ss_res / ss_tot if ss_tot > 0 else (1.0 if ss_res == 0 else 0.0)
    return {"rmse": float(np.sqrt(np.mean((t - p) ** 2))), "mae": float(np.mean(np.abs(t - p))), "r2": float(r2)}
""",
        },
    },
    "ndcg_at_k": {
        "correct": {
            # Per query with a Python loop, top-k by slicing.
            "loop per query": """
def ndcg_at_k(relevance, scores, k=None):
    rel = np.atleast_2d(np.asarray(relevance, dtype=float))
    sc = np.atleast_2d(np.asarray(scores, dtype=float))
    values = []
    for r, s in zip(rel, sc):
        top = r[np.argsort(-s)][:k]
        ideal = np.sort(r)[::-1][:k]
        discount = 1.0 / np.log2(np.arange(2, len(top) + 2))
        best = float(ideal @ discount)
        values.append(float(top @ discount) / best if best > 0 else 0.0)
    return float(np.mean(values))
""",
            # Vectorised over queries: take_along_axis and a discount that is 0 beyond k.
            "vectorised with a zero discount beyond k": """
def ndcg_at_k(relevance, scores, k=None):
    rel = np.asarray(relevance, dtype=float)
    sc = np.asarray(scores, dtype=float)
    if rel.ndim == 1:
        rel, sc = rel[None, :], sc[None, :]
    n = rel.shape[1]
    discount = 1 / np.log2(np.arange(n) + 2)
    if k is not None:
        discount[k:] = 0
    ranked = np.take_along_axis(rel, np.argsort(sc, axis=1)[:, ::-1], axis=1)
    ideal = -np.sort(-rel, axis=1)
    dcg, idcg = ranked @ discount, ideal @ discount
    out = np.zeros(len(rel))
    np.divide(dcg, idcg, out=out, where=idcg > 0)
    return out.mean()
""",
        },
        "wrong": {
            # A discount of length k: breaks when k is larger than the number of items.
            "a discount of length k": """
def ndcg_at_k(relevance, scores, k=None):
    rel = np.atleast_2d(np.asarray(relevance, dtype=float))
    sc = np.atleast_2d(np.asarray(scores, dtype=float))
    k = rel.shape[1] if k is None else k
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    total = 0.0
    for r, s in zip(rel, sc):
        dcg = np.sum(r[np.argsort(-s)][:k] * discount)
        idcg = np.sum(np.sort(r)[::-1][:k] * discount)
        total += dcg / idcg if idcg > 0 else 0.0
    return total / len(rel)
""",
            # Refuses a k larger than the number of items instead of keeping them all.
            "rejects k larger than the number of items": """
def ndcg_at_k(relevance, scores, k=None):
    rel = np.atleast_2d(np.asarray(relevance, dtype=float))
    sc = np.atleast_2d(np.asarray(scores, dtype=float))
    n = rel.shape[1]
    if k is None:
        k = n
    if k > n:
        raise ValueError("k is larger than the number of items")
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    out = []
    for r, s in zip(rel, sc):
        idcg = np.sort(r)[::-1][:k] @ discount
        out.append(r[np.argsort(-s)][:k] @ discount / idcg if idcg > 0 else 0.0)
    return float(np.mean(out))
""",
        },
    },
    "mean_average_precision": {
        "correct": {
            # Cumulative sums of the ranked relevance.
            "cumsum of hits": """
def mean_average_precision(relevance, scores):
    rel = np.atleast_2d(np.asarray(relevance))
    sc = np.atleast_2d(np.asarray(scores, dtype=float))
    aps = []
    for r, s in zip(rel, sc):
        hits = (r[np.argsort(-s)] == 1).astype(float)
        if hits.sum() == 0:
            aps.append(0.0)
            continue
        precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
        aps.append(float((precision * hits).sum() / hits.sum()))
    return float(np.mean(aps))
""",
            # scikit-learn's average_precision_score per query, 0 for a query without relevant items.
            "average_precision_score per query": """
def mean_average_precision(relevance, scores):
    from sklearn.metrics import average_precision_score

    rel = np.asarray(relevance).reshape(-1, np.shape(relevance)[-1])
    sc = np.asarray(scores, dtype=float).reshape(rel.shape)
    return float(np.mean([average_precision_score(r, s) if r.sum() > 0 else 0.0 for r, s in zip(rel, sc)]))
""",
        },
        "wrong": {
            # Assumes a 2-D input: a 1-D pair is read as one-item queries.
            "a 1-D pair as one-item queries": """
def mean_average_precision(relevance, scores):
    rel, sc = np.asarray(relevance), np.asarray(scores, dtype=float)
    if rel.ndim == 1:
        rel, sc = rel[:, None], sc[:, None]
    aps = []
    for r, s in zip(rel, sc):
        ranked = r[np.argsort(-s)]
        hits = np.flatnonzero(ranked == 1)
        aps.append(np.mean([(ranked[:i + 1] == 1).sum() / (i + 1) for i in hits]) if len(hits) else 0.0)
    return float(np.mean(aps))
""",
            # No special case for a 1-D pair: iterating over it yields single numbers, not a query.
            "no special case for a 1-D pair": """
def mean_average_precision(relevance, scores):
    rel, sc = np.asarray(relevance), np.asarray(scores, dtype=float)
    aps = []
    for r, s in zip(rel, sc):
        ranked = r[np.argsort(-s)]
        if ranked.sum() == 0:
            aps.append(0.0)
            continue
        precision = np.cumsum(ranked) / np.arange(1, len(ranked) + 1)
        aps.append(float((precision * ranked).sum() / ranked.sum()))
    return float(np.mean(aps))
""",
        },
    },
    "infer_schema": {
        "correct": {
            # The pandas type predicates, distinct values through drop_duplicates.
            "pandas type predicates": """
def infer_schema(df):
    schema = {}
    for name in df.columns:
        col = df[name]
        nullable = bool(col.isna().any())
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            observed = col.dropna()
            schema[name] = {"type": "numeric", "nullable": nullable,
                            "min": float(observed.min()), "max": float(observed.max())}
        else:
            values = col.dropna().drop_duplicates().tolist()
            schema[name] = {"type": "categorical", "nullable": nullable, "categories": sorted(values)}
    return schema
""",
            # select_dtypes picks the numeric columns; NumPy scalars kept for min and max.
            "select_dtypes": """
def infer_schema(df):
    numeric = set(df.select_dtypes(include="number", exclude="bool").columns)
    out = {}
    for c in df.columns:
        s = df[c]
        if c in numeric:
            out[c] = {"type": "numeric", "nullable": s.isnull().sum() > 0, "min": s.min(skipna=True) * 1.0,
                      "max": s.max(skipna=True) * 1.0}
        else:
            out[c] = {"type": "categorical", "nullable": s.isnull().sum() > 0,
                      "categories": sorted(set(s[s.notna()]))}
    return out
""",
        },
        "wrong": {
            # Text and booleans are categorical, everything else numeric: a pandas Categorical is taken for a number.
            "text and bool dtypes only": """
def infer_schema(df):
    schema = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_string_dtype(s) or pd.api.types.is_bool_dtype(s):
            schema[c] = {"type": "categorical", "nullable": bool(s.isna().any()), "categories": sorted(s.dropna().unique().tolist())}
        else:
            schema[c] = {"type": "numeric", "nullable": bool(s.isna().any()), "min": float(s.min()), "max": float(s.max())}
    return schema
""",
            # A pandas Categorical's declared categories, not the values it holds.
            "declared categories of a Categorical": """
def infer_schema(df):
    schema = {}
    for c in df.columns:
        s = df[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            schema[c] = {"type": "categorical", "nullable": bool(s.isna().any()), "categories": sorted(s.cat.categories.tolist())}
        elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            schema[c] = {"type": "numeric", "nullable": bool(s.isna().any()), "min": float(s.min()), "max": float(s.max())}
        else:
            schema[c] = {"type": "categorical", "nullable": bool(s.isna().any()), "categories": sorted(s.dropna().unique().tolist())}
    return schema
""",
        },
    },
    "validate_request": {
        "correct": {
            # One problem per field in a dict, unexpected keys first: another order than the schema's.
            "dict of problems, unexpected first": """
def validate_request(request, schema):
    import math
    import numbers

    problems = {}
    for key in request:
        if key not in schema:
            problems[key] = "unexpected"
    for field, spec in schema.items():
        if field not in request:
            if not spec["nullable"]:
                problems[field] = "missing"
            continue
        value = request[field]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            if not spec["nullable"]:
                problems[field] = "null"
        elif spec["type"] == "numeric":
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                problems[field] = "type"
            elif not spec["min"] <= value <= spec["max"]:
                problems[field] = "range"
        elif value not in spec["categories"]:
            problems[field] = "category"
    return list(problems.items())
""",
            # Sorted by problem name; NumPy numbers accepted through np.issubdtype.
            "sorted by problem": """
def validate_request(request, schema):
    found = []
    for field in sorted(set(request) | set(schema)):
        if field not in schema:
            found.append((field, "unexpected"))
            continue
        spec = schema[field]
        if field not in request:
            if not spec["nullable"]:
                found.append((field, "missing"))
            continue
        v = request[field]
        if v is None or (isinstance(v, (float, np.floating)) and np.isnan(v)):
            if not spec["nullable"]:
                found.append((field, "null"))
        elif spec["type"] == "numeric":
            is_real = isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
            if not is_real:
                found.append((field, "type"))
            elif v < spec["min"] or v > spec["max"]:
                found.append((field, "range"))
        elif v not in set(spec["categories"]):
            found.append((field, "category"))
    return sorted(found, key=lambda pair: (pair[1], pair[0]))
""",
        },
        "wrong": {
            # Only Python's int and float count as numbers: NumPy's are reported as type errors.
            "NumPy numbers are type errors": """
def validate_request(request, schema):
    import math

    out = []
    for field, spec in schema.items():
        if field not in request:
            if not spec["nullable"]:
                out.append((field, "missing"))
            continue
        v = request[field]
        if v is None or (isinstance(v, float) and math.isnan(v)):
            if not spec["nullable"]:
                out.append((field, "null"))
        elif spec["type"] == "numeric":
            if type(v) not in (int, float):
                out.append((field, "type"))
            elif not spec["min"] <= v <= spec["max"]:
                out.append((field, "range"))
        elif v not in spec["categories"]:
            out.append((field, "category"))
    out += [(k, "unexpected") for k in request if k not in schema]
    return out
""",
            # Only None counts as null: a NaN in a required numeric field slips through the range check.
            "NaN is not null": """
def validate_request(request, schema):
    import numbers

    out = []
    for field, spec in schema.items():
        if field not in request:
            if not spec["nullable"]:
                out.append((field, "missing"))
            continue
        v = request[field]
        if v is None:
            if not spec["nullable"]:
                out.append((field, "null"))
        elif spec["type"] == "numeric":
            if isinstance(v, bool) or not isinstance(v, numbers.Real):
                out.append((field, "type"))
            elif v < spec["min"] or v > spec["max"]:
                out.append((field, "range"))
        elif v not in spec["categories"]:
            out.append((field, "category"))
    out += [(k, "unexpected") for k in request if k not in schema]
    return out
""",
        },
    },
    "fairness_gaps": {
        "correct": {
            # pandas groupby; the TPR of a group without positives is the mean of an empty selection (NaN).
            "pandas groupby": """
def fairness_gaps(y_true, y_pred, group):
    df = pd.DataFrame({"y": np.asarray(y_true), "p": np.asarray(y_pred), "g": np.asarray(group)})
    selection = df.groupby("g")["p"].mean()
    tpr = df[df["y"] == 1].groupby("g")["p"].mean().reindex(selection.index)
    known = tpr.dropna()
    return {"selection_rate": {g: float(v) for g, v in selection.items()},
            "tpr": {g: float(v) for g, v in tpr.items()},
            "demographic_parity_difference": float(selection.max() - selection.min()),
            "equal_opportunity_difference": float(known.max() - known.min()) if len(known) else float("nan")}
""",
            # A loop over np.unique with boolean masks, nanmax and nanmin for the gap.
            "masks and nanmax": """
def fairness_gaps(y_true, y_pred, group):
    y_true, y_pred, group = np.asarray(y_true), np.asarray(y_pred), np.asarray(group)
    sel, tpr = {}, {}
    for g in np.unique(group):
        m = group == g
        sel[g] = y_pred[m].mean()
        pos = m & (y_true == 1)
        tpr[g] = y_pred[pos].mean() if pos.any() else np.nan
    rates = np.array(list(tpr.values()), dtype=float)
    eo = np.nanmax(rates) - np.nanmin(rates) if not np.isnan(rates).all() else np.nan
    return {"selection_rate": sel, "tpr": tpr,
            "demographic_parity_difference": max(sel.values()) - min(sel.values()),
            "equal_opportunity_difference": eo}
""",
        },
        "wrong": {
            # NaN rates are not ignored: a group without positives makes the gap NaN.
            "NaN rates in the gap": """
def fairness_gaps(y_true, y_pred, group):
    y_true, y_pred, group = np.asarray(y_true), np.asarray(y_pred), np.asarray(group)
    sel, tpr = {}, {}
    for g in np.unique(group):
        m = group == g
        sel[g] = float(y_pred[m].mean())
        pos = m & (y_true == 1)
        tpr[g] = float(y_pred[pos].mean()) if pos.any() else float("nan")
    rates = np.array(list(tpr.values()))
    return {"selection_rate": sel, "tpr": tpr,
            "demographic_parity_difference": max(sel.values()) - min(sel.values()),
            "equal_opportunity_difference": float(rates.max() - rates.min())}
""",
            # A group without positives gets TPR 0 instead of NaN.
            "TPR 0 without positives": """
def fairness_gaps(y_true, y_pred, group):
    y_true, y_pred, group = np.asarray(y_true), np.asarray(y_pred), np.asarray(group)
    sel, tpr = {}, {}
    for g in np.unique(group):
        m = group == g
        sel[g] = float(y_pred[m].mean())
        n_pos = np.sum(m & (y_true == 1))
        tpr[g] = float(np.sum(m & (y_true == 1) & (y_pred == 1)) / n_pos) if n_pos else 0.0
    return {"selection_rate": sel, "tpr": tpr,
            "demographic_parity_difference": max(sel.values()) - min(sel.values()),
            "equal_opportunity_difference": max(tpr.values()) - min(tpr.values())}
""",
            # Written for two groups: the first and the last one only.
            "two groups only": """
def fairness_gaps(y_true, y_pred, group):
    y_true, y_pred, group = np.asarray(y_true), np.asarray(y_pred), np.asarray(group)
    sel, tpr = {}, {}
    for g in np.unique(group):
        m = group == g
        sel[g] = float(y_pred[m].mean())
        pos = m & (y_true == 1)
        tpr[g] = float(y_pred[pos].mean()) if pos.any() else float("nan")
    first, last = np.unique(group)[0], np.unique(group)[-1]
    return {"selection_rate": sel, "tpr": tpr,
            "demographic_parity_difference": abs(sel[first] - sel[last]),
            "equal_opportunity_difference": abs(tpr[first] - tpr[last])}
""",
        },
    },
    "group_thresholds": {
        "correct": {
            # The smallest k with k / n >= target, found by counting (no ceil of a product).
            "smallest k by counting": """
def group_thresholds(scores, y_true, group, target_tpr):
    scores, y_true, group = np.asarray(scores, dtype=float), np.asarray(y_true), np.asarray(group)
    out = {}
    for g in np.unique(group):
        pos = np.sort(scores[(group == g) & (y_true == 1)])[::-1]
        n = len(pos)
        k = next(k for k in range(1, n + 1) if k / n >= target_tpr)
        out[g] = float(pos[k - 1])
    return out
""",
            # Every distinct positive score as a candidate, the highest whose TPR reaches the target.
            "candidate thresholds": """
def group_thresholds(scores, y_true, group, target_tpr):
    scores, y_true, group = np.asarray(scores, dtype=float), np.asarray(y_true), np.asarray(group)
    result = {}
    for g in sorted(set(group.tolist())):
        pos = scores[(group == g) & (y_true == 1)]
        n = pos.size
        best = None
        for t in np.unique(pos)[::-1]:
            if np.count_nonzero(pos >= t) / n >= target_tpr:
                best = t
                break
        result[g] = float(best)
    return result
""",
        },
        "wrong": {
            # ceil of the float product: 0.07 * 100 is 7.000000000000001, so one positive too many.
            "ceil of the product": """
def group_thresholds(scores, y_true, group, target_tpr):
    import math

    scores, y_true, group = np.asarray(scores, dtype=float), np.asarray(y_true), np.asarray(group)
    out = {}
    for g in np.unique(group):
        pos = np.sort(scores[(group == g) & (y_true == 1)])[::-1]
        k = max(1, math.ceil(target_tpr * len(pos)))
        out[g] = float(pos[k - 1])
    return out
""",
            # floor + 1 is not ceil: one positive too many when the product is a whole number.
            "floor + 1 for ceil": """
def group_thresholds(scores, y_true, group, target_tpr):
    scores, y_true, group = np.asarray(scores, dtype=float), np.asarray(y_true), np.asarray(group)
    out = {}
    for g in np.unique(group):
        pos = np.sort(scores[(group == g) & (y_true == 1)])[::-1]
        k = min(len(pos), int(np.floor(target_tpr * len(pos) + 1e-9)) + 1)
        out[g] = float(pos[k - 1])
    return out
""",
        },
    },
}
