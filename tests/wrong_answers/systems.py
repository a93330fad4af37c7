"""Typical wrong answers for the tasks of assignment 3 (03_systems): one per task, each the full
replacement source of the solution cell. The suite proves that every one of them fails its task."""

WRONG = {
    # Scores the model on the rows it was trained on: in-sample scores flatter the model.
    "rule_vs_model": '''
def compare_rule_and_model(rule, model, X_train, y_train, X_test, y_test):
    from sklearn.base import clone

    def scores(y, pred):
        return {"precision": precision_score(y, pred, zero_division=0),
                "recall": recall_score(y, pred, zero_division=0),
                "f1": f1_score(y, pred, zero_division=0)}

    fitted = clone(model).fit(X_train, y_train)
    return {"rule": scores(y_test, np.asarray(rule(X_test)).astype(int)),
            "model": scores(y_train, fitted.predict(X_train))}
''',
    # Forgets the activation: returns the pre-activations of the first layer.
    "mlp_hidden_features": '''
def hidden_features(mlp, X):
    return np.asarray(X, dtype=float) @ mlp.coefs_[0] + mlp.intercepts_[0]
''',
    # Lets OrdinalEncoder sort the levels alphabetically (bronze, gold, platinum, silver).
    "categorical_preprocessor": '''
def categorical_preprocessor(nominal, ordinal, high_cardinality, numeric):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler, TargetEncoder

    return ColumnTransformer([
        ("onehot", OneHotEncoder(handle_unknown="ignore"), list(nominal)),
        ("ordinal", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), list(ordinal)),
        ("target", TargetEncoder(), list(high_cardinality)),
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), list(numeric)),
    ])
''',
    # Encodes every row with statistics of all rows, its own label included: the leak.
    "oof_target_encoding": '''
def oof_target_encoding(categories, y, n_splits=5, smoothing=10.0):
    categories = np.asarray(categories, dtype=object)
    y = np.asarray(y, dtype=float)
    prior = y.mean()
    stats = pd.DataFrame({"c": categories, "y": y}).groupby("c")["y"].agg(["sum", "count"])
    s = pd.Series(categories).map(stats["sum"]).to_numpy(dtype=float)
    n = pd.Series(categories).map(stats["count"]).to_numpy(dtype=float)
    return (s + smoothing * prior) / (n + smoothing)
''',
    # Forgets to divide the scores by sqrt(d_k).
    "scaled_dot_product_attention": '''
def attention(Q, K, V, mask=None):
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    scores = Q @ np.swapaxes(K, -1, -2)
    if mask is not None:
        scores = np.where(np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape), scores, -np.inf)
    top = scores.max(axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    e = np.exp(scores - top)
    total = e.sum(axis=-1, keepdims=True)
    weights = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    return weights @ V, weights
''',
    # Turns the request into a frame as it is: a missing optional field breaks the pipeline.
    "predict_one_request": '''
def predict_one(pipeline, request):
    return float(pipeline.predict_proba(pd.DataFrame([request]))[0, 1])
''',
    # Compares with exact equality: float32 rounding in the logs is reported as skew.
    "serving_skew": '''
def serving_skew(preprocessor, raw, served, atol=1e-6):
    offline = np.asarray(preprocessor.transform(raw), dtype=float)
    served = np.asarray(served, dtype=float)
    same = offline == served
    return {str(n): float(1.0 - same[:, j].mean()) for j, n in enumerate(preprocessor.get_feature_names_out())}
''',
    # Keeps the last reward of each arm instead of its running average.
    "epsilon_greedy_bandit": '''
def epsilon_greedy(pull, n_arms, n_steps, epsilon, seed=0):
    rng = np.random.default_rng(seed)
    Q, N = np.zeros(n_arms), np.zeros(n_arms, dtype=int)
    arms, rewards = np.zeros(n_steps, dtype=int), np.zeros(n_steps)
    for t in range(n_steps):
        a = int(rng.integers(n_arms)) if rng.random() < epsilon else int(np.argmax(Q))
        r = float(pull(a))
        N[a] += 1
        Q[a] = r
        arms[t], rewards[t] = a, r
    return {"arms": arms, "rewards": rewards, "estimates": Q, "counts": N}
''',
    # SARSA's target (the next action actually chosen) instead of the max: learns the safe path, not the optimal one.
    "tabular_q_learning": '''
def q_learning(env, n_episodes, alpha, gamma, epsilon, seed=0, max_steps=100):
    P, R, terminal = env["next_state"], env["reward"], env["terminal"]
    n_states, n_actions = P.shape
    rng = np.random.default_rng(seed)
    Q = np.zeros((n_states, n_actions))
    returns = np.zeros(n_episodes)

    def choose(s):
        return int(rng.integers(n_actions)) if rng.random() < epsilon else int(np.argmax(Q[s]))

    for episode in range(n_episodes):
        s, total = env["start"], 0.0
        a = choose(s)
        for _ in range(max_steps):
            s2, r = int(P[s, a]), float(R[s, a])
            a2 = choose(s2)
            target = r if terminal[s2] else r + gamma * Q[s2, a2]
            Q[s, a] += alpha * (target - Q[s, a])
            total += r
            s, a = s2, a2
            if terminal[s]:
                break
        returns[episode] = total
    return Q, returns
''',
    # Divides by zero for a constant target instead of following scikit-learn's convention.
    "regression_metrics": '''
def regression_metrics(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if len(y_true) == 0 or len(y_true) != len(y_pred):
        raise ValueError("bad input")
    e = y_true - y_pred
    r2 = 1 - np.sum(e ** 2) / np.sum((y_true - y_true.mean()) ** 2)
    return {"rmse": float(np.sqrt(np.mean(e ** 2))), "mae": float(np.mean(np.abs(e))), "r2": float(r2)}
''',
    # Uses the exponential gain 2^rel - 1 of many search papers, not scikit-learn's linear gain.
    "ndcg_at_k": '''
def ndcg_at_k(relevance, scores, k=None):
    rel = np.atleast_2d(np.asarray(relevance, dtype=float))
    sc = np.atleast_2d(np.asarray(scores, dtype=float))
    k = rel.shape[1] if k is None else min(int(k), rel.shape[1])
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    values = []
    for r, s in zip(rel, sc):
        gain = 2 ** r - 1
        dcg = np.sum(gain[np.argsort(-s)][:k] * discount)
        idcg = np.sum(np.sort(gain)[::-1][:k] * discount)
        values.append(dcg / idcg if idcg > 0 else 0.0)
    return float(np.mean(values))
''',
    # Averages precision over every rank instead of only the ranks of relevant items.
    "mean_average_precision": '''
def mean_average_precision(relevance, scores):
    rel = np.atleast_2d(np.asarray(relevance, dtype=float))
    sc = np.atleast_2d(np.asarray(scores, dtype=float))
    ap = []
    for r, s in zip(rel, sc):
        hits = r[np.argsort(-s)] > 0
        ap.append(float(np.mean(np.cumsum(hits) / np.arange(1, len(hits) + 1))) if hits.any() else 0.0)
    return float(np.mean(ap))
''',
    # Treats a boolean column as numeric (is_numeric_dtype is True for booleans).
    "infer_schema": '''
def infer_schema(df):
    schema = {}
    for col in df.columns:
        s = df[col]
        spec = {"nullable": bool(s.isna().any())}
        if pd.api.types.is_numeric_dtype(s):
            spec.update(type="numeric", min=float(s.min()), max=float(s.max()))
        else:
            spec.update(type="categorical", categories=sorted(s.dropna().unique().tolist()))
        schema[col] = spec
    return schema
''',
    # Accepts booleans as numbers: True is an int in Python.
    "validate_request": '''
def validate_request(request, schema):
    import math

    problems = []
    for field, spec in schema.items():
        value = request.get(field)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            if not spec["nullable"]:
                problems.append((field, "missing" if field not in request else "null"))
            continue
        if spec["type"] == "numeric":
            if not isinstance(value, (int, float)):
                problems.append((field, "type"))
            elif not spec["min"] <= value <= spec["max"]:
                problems.append((field, "range"))
        elif value not in spec["categories"]:
            problems.append((field, "category"))
    problems += [(key, "unexpected") for key in request if key not in schema]
    return problems
''',
    # Measures equal opportunity with precision (share of the selected who are positive) instead of the TPR.
    "fairness_gaps": '''
def fairness_gaps(y_true, y_pred, group):
    y_true, y_pred, group = np.asarray(y_true), np.asarray(y_pred), np.asarray(group)
    selection, tpr = {}, {}
    for g in pd.unique(group):
        m = group == g
        selection[g] = float(y_pred[m].mean())
        chosen = m & (y_pred == 1)
        tpr[g] = float(y_true[chosen].mean()) if chosen.any() else float("nan")
    rates = [r for r in tpr.values() if not np.isnan(r)]
    return {"selection_rate": selection, "tpr": tpr,
            "demographic_parity_difference": max(selection.values()) - min(selection.values()),
            "equal_opportunity_difference": max(rates) - min(rates)}
''',
    # Takes a quantile of the positives' scores: np.quantile interpolates, so the target is missed.
    "group_thresholds": '''
def group_thresholds(scores, y_true, group, target_tpr):
    scores, y_true, group = np.asarray(scores, dtype=float), np.asarray(y_true), np.asarray(group)
    return {g: float(np.quantile(scores[(group == g) & (y_true == 1)], 1 - target_tpr)) for g in pd.unique(group)}
''',
}
