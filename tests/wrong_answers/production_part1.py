"""Typical wrong answers to the tasks of assignment 2, questions S1–S10.

``WRONG[task_id]`` is the full source of a solution cell that makes one typical mistake; put in place
of the reference solution, it must make the task's graded test cell fail.
"""

WRONG = {
    # Train, then test: every batch is scored by a model that has already seen it (optimistic).
    "prequential_partial_fit": '''
def prequential_scores(model, X, y, batch_size, classes):
    from sklearn.base import clone
    model = clone(model)
    scores = []
    for i, start in enumerate(range(0, len(y), batch_size)):
        Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        model.partial_fit(Xb, yb, classes=classes)
        if i > 0:
            scores.append(model.score(Xb, yb))
    return model, np.array(scores)
''',
    # Equal-width bins over the reference's range instead of the reference's quantiles.
    "psi_drift": '''
def psi(reference, current, n_bins=10, floor=1e-4):
    ref = np.asarray(reference, dtype=float)
    cur = np.asarray(current, dtype=float)
    ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    cuts = np.linspace(ref.min(), ref.max(), n_bins + 1)[1:-1]
    p = np.bincount(np.searchsorted(cuts, ref, side="right"), minlength=n_bins) / ref.size
    q = np.bincount(np.searchsorted(cuts, cur, side="right"), minlength=n_bins) / cur.size
    p, q = np.maximum(p, floor), np.maximum(q, floor)
    return float(np.sum((q - p) * np.log(q / p)))
''',
    # Flags a feature when EITHER signal fires: with thousands of rows the KS test flags tiny shifts.
    "drift_report": '''
def drift_report(reference, current, alpha=0.01, psi_threshold=0.2):
    from scipy.stats import ks_2samp
    rows = {}
    for col in reference.columns:
        a = reference[col].dropna().to_numpy(dtype=float)
        b = current[col].dropna().to_numpy(dtype=float)
        ks = ks_2samp(a, b)
        value = psi(a, b)
        rows[col] = {"ks_stat": ks.statistic, "p_value": ks.pvalue, "psi": value,
                     "drifted": bool(ks.pvalue < alpha or value >= psi_threshold)}
    return pd.DataFrame.from_dict(rows, orient="index")
''',
    # Hashes the hyperparameters only: two models trained on different data share a "version".
    "model_fingerprint": '''
def model_fingerprint(model, X, y):
    import hashlib
    return hashlib.sha256(repr(sorted(model.get_params().items())).encode()).hexdigest()
''',
    # Restores the model and epoch but re-creates the shuffling generator from the seed on resume.
    "checkpoint_resume": '''
def train_sgd_checkpointed(X, y, n_epochs, ckpt_path, batch_size=32, seed=0, stop_after=None):
    from sklearn.linear_model import SGDClassifier
    rng = np.random.default_rng(seed)
    if os.path.exists(ckpt_path):
        with open(ckpt_path, "rb") as f:
            state = pickle.load(f)
        model, epoch = state["model"], state["epoch"]
    else:
        model, epoch = SGDClassifier(loss="log_loss", random_state=seed), 0
    classes = np.unique(y)
    while epoch < n_epochs and (stop_after is None or epoch < stop_after):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            rows = order[start:start + batch_size]
            model.partial_fit(X[rows], y[rows], classes=classes)
        epoch += 1
        with open(ckpt_path, "wb") as f:
            pickle.dump({"model": model, "epoch": epoch, "rng_state": rng.bit_generator.state}, f)
    return model
''',
    # Compares the SHAP values with probabilities: TreeExplainer works in log-odds for this model.
    "shap_tree_explainer": '''
def explain_with_shap(model, X):
    import shap
    explainer = shap.TreeExplainer(model)
    values = np.asarray(explainer.shap_values(X))
    base = float(np.ravel(explainer.expected_value)[0])
    raw = model.predict_proba(X)[:, 1]
    importance = pd.Series(np.abs(values).mean(axis=0), index=X.columns).sort_values(ascending=False)
    return {"values": values, "base_value": base, "raw_output": raw, "importance": importance}
''',
    # Factorizes raw co-occurrence counts: popular items dominate, no PMI correction.
    "cooccurrence_embeddings": '''
def cooccurrence_embeddings(interactions, dim):
    X = (np.asarray(interactions) > 0).astype(float)
    C = X.T @ X
    np.fill_diagonal(C, 0.0)
    U, S, _ = np.linalg.svd(C)
    E = U[:, :dim] * np.sqrt(S[:dim])
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    return np.divide(E, norms, out=np.zeros_like(E), where=norms > 1e-10)
''',
    # Draws a separate gap per feature: the new point leaves the segment between the two neighbours.
    "smote_oversampler": '''
def smote(X_min, n_new, k=5, seed=0):
    X_min = np.asarray(X_min, dtype=float)
    n, d = X_min.shape
    if n_new == 0:
        return np.empty((0, d))
    d2 = ((X_min[:, None, :] - X_min[None, :, :]) ** 2).sum(axis=-1)
    np.fill_diagonal(d2, np.inf)
    neighbours = np.argsort(d2, axis=1)[:, :k]
    rng = np.random.default_rng(seed)
    base = rng.integers(0, n, size=n_new)
    partner = neighbours[base, rng.integers(0, k, size=n_new)]
    gap = rng.random((n_new, d))
    return X_min[base] + gap * (X_min[partner] - X_min[base])
''',
    # Rounds the number of positives to catch down instead of up: the recall ends below the target.
    "recall_threshold": '''
def threshold_for_recall(y_true, scores, target_recall):
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    positives = np.sort(s[y == 1])[::-1]
    m = max(int(target_recall * positives.size), 1)
    return float(positives[m - 1])
''',
    # Truncates instead of rounding when converting to int8: errors up to a whole step.
    "int8_quantization": '''
def quantize_int8(W):
    W = np.asarray(W, dtype=float)
    scale = np.abs(W).max(axis=0) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(W / scale, -127, 127).astype(np.int8)
    return q, scale
''',
}
