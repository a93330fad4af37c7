"""Other solutions to the tasks of S1–S10 of assignment 2, written from each task's statement alone.

``ALTERNATIVES[task_id]["correct"]``: full sources of solution cells that do what the statement asks
in another way than the reference (another library route, another legitimate order, dtype or tie
rule); each must pass. ``["wrong"]``: common mistakes that pass the visible check; each must fail
the hidden tests with a one-line message that names what is wrong.
"""

ALTERNATIVES = {
    "prequential_partial_fit": {
        "correct": {
            # A deep copy of the unfitted estimator, a while loop, and accuracy_score on predictions.
            "deepcopy and accuracy_score": '''
def prequential_scores(model, X, y, batch_size, classes):
    import copy
    from sklearn.metrics import accuracy_score
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    model = copy.deepcopy(model)
    scores, start = [], 0
    while start < len(y):
        Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        if start > 0:
            scores.append(accuracy_score(yb, model.predict(Xb)))
        model.partial_fit(Xb, yb, classes=classes)
        start += batch_size
    return model, np.array(scores, dtype=float)
''',
            # The batch boundaries computed first, the scores filled into a preallocated array.
            "precomputed boundaries": '''
def prequential_scores(model, X, y, batch_size, classes):
    from sklearn.base import clone
    if not batch_size >= 1:
        raise ValueError("batch_size must be >= 1")
    X, y = np.asarray(X), np.asarray(y)
    bounds = list(range(0, len(y), batch_size)) + [len(y)]
    batches = list(zip(bounds[:-1], bounds[1:]))
    fitted = clone(model)
    scores = np.empty(max(len(batches) - 1, 0))
    for i, (a, b) in enumerate(batches):
        if i:
            scores[i - 1] = fitted.score(X[a:b], y[a:b])
        fitted.partial_fit(X[a:b], y[a:b], classes=np.asarray(classes))
    return fitted, scores
''',
        },
        "wrong": {
            # Never checks batch_size: a negative one silently gives an unfitted model and no scores.
            "no batch_size check": '''
def prequential_scores(model, X, y, batch_size, classes):
    from sklearn.base import clone
    model = clone(model)
    scores = []
    for i, start in enumerate(range(0, len(y), batch_size)):
        Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        if i > 0:
            scores.append(model.score(Xb, yb))
        model.partial_fit(Xb, yb, classes=classes)
    return model, np.array(scores)
''',
            # Takes the classes from the stream instead of the argument: a class the stream lacks is lost.
            "classes from the stream": '''
def prequential_scores(model, X, y, batch_size, classes):
    from sklearn.base import clone
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    model = clone(model)
    scores = []
    for i, start in enumerate(range(0, len(y), batch_size)):
        Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        if i > 0:
            scores.append(model.score(Xb, yb))
        model.partial_fit(Xb, yb, classes=np.unique(y))
    return model, np.array(scores)
''',
        },
    },
    "psi_drift": {
        "correct": {
            # np.digitize(right=False) is searchsorted(side="right"); pandas drops the NaNs.
            "digitize and pandas": '''
def psi(reference, current, n_bins=10, floor=1e-4):
    ref = pd.Series(np.ravel(np.asarray(reference, dtype=float))).dropna().to_numpy()
    cur = pd.Series(np.ravel(np.asarray(current, dtype=float))).dropna().to_numpy()
    if n_bins < 2 or ref.size == 0 or cur.size == 0:
        raise ValueError("need two non-empty samples and n_bins >= 2")
    cuts = np.unique(np.quantile(ref, [i / n_bins for i in range(1, n_bins)]))
    n = len(cuts) + 1
    p = np.array([np.sum(np.digitize(ref, cuts) == i) for i in range(n)]) / ref.size
    q = np.array([np.sum(np.digitize(cur, cuts) == i) for i in range(n)]) / cur.size
    p, q = np.maximum(p, floor), np.maximum(q, floor)
    return float(((q - p) * np.log(q / p)).sum())
''',
            # Counts with np.add.at, and the sum as a NumPy float64 (a float subclass).
            "add.at counts": '''
def psi(reference, current, n_bins=10, floor=1e-4):
    ref = np.asarray(reference, dtype=float).reshape(-1)
    cur = np.asarray(current, dtype=float).reshape(-1)
    ref, cur = ref[np.isfinite(ref) | np.isinf(ref)], cur[~np.isnan(cur)]
    if n_bins < 2:
        raise ValueError("n_bins must be at least 2")
    if len(ref) == 0 or len(cur) == 0:
        raise ValueError("empty sample")
    cuts = np.unique(np.quantile(ref, np.arange(1, n_bins) / n_bins))
    counts_p = np.zeros(len(cuts) + 1)
    counts_q = np.zeros(len(cuts) + 1)
    np.add.at(counts_p, np.searchsorted(cuts, ref, side="right"), 1)
    np.add.at(counts_q, np.searchsorted(cuts, cur, side="right"), 1)
    p = np.maximum(counts_p / len(ref), floor)
    q = np.maximum(counts_q / len(cur), floor)
    return np.float64(np.dot(q - p, np.log(q / p)))
''',
        },
        "wrong": {
            # side="left": a value equal to a cut point goes to the bin below it.
            "ties go to the lower bin": '''
def psi(reference, current, n_bins=10, floor=1e-4):
    ref = np.asarray(reference, dtype=float).ravel()
    cur = np.asarray(current, dtype=float).ravel()
    ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    if n_bins < 2 or ref.size == 0 or cur.size == 0:
        raise ValueError("bad input")
    cuts = np.unique(np.quantile(ref, np.linspace(0, 1, n_bins + 1)[1:-1]))
    p = np.bincount(np.searchsorted(cuts, ref, side="left"), minlength=len(cuts) + 1) / ref.size
    q = np.bincount(np.searchsorted(cuts, cur, side="left"), minlength=len(cuts) + 1) / cur.size
    p, q = np.maximum(p, floor), np.maximum(q, floor)
    return float(np.sum((q - p) * np.log(q / p)))
''',
            # Floors only the current proportions: an empty reference bin gives an infinite PSI.
            "floors only the current sample": '''
def psi(reference, current, n_bins=10, floor=1e-4):
    ref = np.asarray(reference, dtype=float).ravel()
    cur = np.asarray(current, dtype=float).ravel()
    ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    if n_bins < 2 or ref.size == 0 or cur.size == 0:
        raise ValueError("bad input")
    cuts = np.unique(np.quantile(ref, np.linspace(0, 1, n_bins + 1)[1:-1]))
    p = np.bincount(np.searchsorted(cuts, ref, side="right"), minlength=len(cuts) + 1) / ref.size
    q = np.bincount(np.searchsorted(cuts, cur, side="right"), minlength=len(cuts) + 1) / cur.size
    q = np.maximum(q, floor)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum((q - p) * np.log(q / p)))
''',
            # Checks n_bins but not whether a sample is empty once the NaNs are gone.
            "no empty-sample check": '''
def psi(reference, current, n_bins=10, floor=1e-4):
    ref = np.asarray(reference, dtype=float).ravel()
    cur = np.asarray(current, dtype=float).ravel()
    ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    if n_bins < 2:
        raise ValueError("n_bins must be at least 2")
    cuts = np.unique(np.quantile(ref, np.linspace(0, 1, n_bins + 1)[1:-1]))
    p = np.bincount(np.searchsorted(cuts, ref, side="right"), minlength=len(cuts) + 1) / max(ref.size, 1)
    q = np.bincount(np.searchsorted(cuts, cur, side="right"), minlength=len(cuts) + 1) / max(cur.size, 1)
    p, q = np.maximum(p, floor), np.maximum(q, floor)
    return float(np.sum((q - p) * np.log(q / p)))
''',
        },
    },
    "drift_report": {
        "correct": {
            # Columns in another order, drifted as NumPy bools, built from a dict of lists.
            "other column order": '''
def drift_report(reference, current, alpha=0.01, psi_threshold=0.2):
    from scipy import stats
    out = {"drifted": [], "psi": [], "p_value": [], "ks_stat": []}
    for name in reference.columns:
        a = reference[name].dropna().to_numpy(dtype=float)
        b = current[name].dropna().to_numpy(dtype=float)
        res = stats.ks_2samp(a, b)
        value = psi(a, b)
        out["ks_stat"].append(res.statistic)
        out["p_value"].append(res.pvalue)
        out["psi"].append(value)
        out["drifted"].append(np.bool_(res.pvalue < alpha) & np.bool_(value >= psi_threshold))
    return pd.DataFrame(out, index=pd.Index(reference.columns, name="feature"))
''',
            # One Series per feature, concatenated; the flag computed on the finished table.
            "series per feature": '''
def drift_report(reference, current, alpha=0.01, psi_threshold=0.2):
    from scipy.stats import ks_2samp
    rows = []
    for col in list(reference.columns):
        a = reference[col][reference[col].notna()].astype(float).values
        b = current.loc[current[col].notna(), col].astype(float).values
        stat, pvalue = ks_2samp(a, b)
        rows.append(pd.Series({"ks_stat": float(stat), "p_value": float(pvalue), "psi": psi(a, b)}, name=col))
    table = pd.DataFrame(rows)
    table["drifted"] = (table["p_value"] < alpha) & (table["psi"] >= psi_threshold)
    return table
''',
        },
        "wrong": {
            # Pairs the columns by position: wrong as soon as the current table's columns come in another order.
            "columns paired by position": '''
def drift_report(reference, current, alpha=0.01, psi_threshold=0.2):
    from scipy.stats import ks_2samp
    rows = {}
    for i, col in enumerate(reference.columns):
        a = reference.iloc[:, i].dropna().to_numpy(dtype=float)
        b = current.iloc[:, i].dropna().to_numpy(dtype=float)
        ks = ks_2samp(a, b)
        value = psi(a, b)
        rows[col] = {"ks_stat": ks.statistic, "p_value": ks.pvalue, "psi": value,
                     "drifted": bool(ks.pvalue < alpha and value >= psi_threshold)}
    return pd.DataFrame.from_dict(rows, orient="index")
''',
            # Uses the default thresholds whatever the caller passes.
            "ignores alpha and psi_threshold": '''
def drift_report(reference, current, alpha=0.01, psi_threshold=0.2):
    from scipy.stats import ks_2samp
    rows = {}
    for col in reference.columns:
        a = reference[col].dropna().to_numpy(dtype=float)
        b = current[col].dropna().to_numpy(dtype=float)
        ks = ks_2samp(a, b)
        value = psi(a, b)
        rows[col] = {"ks_stat": ks.statistic, "p_value": ks.pvalue, "psi": value,
                     "drifted": bool(ks.pvalue < 0.01 and value >= 0.2)}
    return pd.DataFrame.from_dict(rows, orient="index")
''',
            # The arguments of psi swapped: the bins come from the production data instead of the reference.
            "psi with the samples swapped": '''
def drift_report(reference, current, alpha=0.01, psi_threshold=0.2):
    from scipy.stats import ks_2samp
    rows = {}
    for col in reference.columns:
        a = reference[col].dropna().to_numpy(dtype=float)
        b = current[col].dropna().to_numpy(dtype=float)
        ks = ks_2samp(a, b)
        value = psi(b, a)
        rows[col] = {"ks_stat": ks.statistic, "p_value": ks.pvalue, "psi": value,
                     "drifted": bool(ks.pvalue < alpha and value >= psi_threshold)}
    return pd.DataFrame.from_dict(rows, orient="index")
''',
        },
    },
    "model_fingerprint": {
        "correct": {
            # One canonical JSON document of everything, hashed at once (another byte layout).
            "one JSON document": '''
def model_fingerprint(model, X, y):
    import hashlib
    import json

    def encode(value):
        a = np.asarray(value) if isinstance(value, (np.ndarray, list, tuple)) else None
        if a is not None and a.dtype != object:
            return {"dtype": str(a.dtype), "shape": list(a.shape), "hex": np.ascontiguousarray(a).tobytes().hex()}
        return {"repr": repr(value)}

    document = {
        "class": type(model).__name__,
        "params": json.dumps(model.get_params(deep=False), sort_keys=True, default=repr),
        "learned": [[name, encode(getattr(model, name))] for name in sorted(vars(model))
                    if name.endswith("_") and not name.startswith("_")],
        "X": encode(np.asarray(X)),
        "y": encode(np.asarray(y)),
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode("utf-8")).hexdigest()
''',
            # The data first, then the model; each piece length-prefixed, with BLAKE-free sha256 updates.
            "length-prefixed pieces": '''
def model_fingerprint(model, X, y):
    import hashlib
    import json
    h = hashlib.sha256()

    def put(b):
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)

    def put_value(v):
        if isinstance(v, np.ndarray) and v.dtype.kind in "biufc":
            put(str(v.dtype).encode()); put(repr(v.shape).encode()); put(np.ascontiguousarray(v).tobytes())
        else:
            put(repr(v).encode())

    put_value(np.asarray(X))
    put_value(np.asarray(y))
    put(type(model).__name__.encode())
    put(json.dumps(model.get_params(deep=False), sort_keys=True, default=repr).encode())
    for name in sorted(k for k in vars(model) if k.endswith("_") and not k.startswith("_")):
        put(name.encode())
        put_value(getattr(model, name))
    return h.hexdigest()
''',
        },
        "wrong": {
            # Hashes every array's raw bytes, object arrays too: those bytes are memory addresses.
            "object arrays by their bytes": '''
def model_fingerprint(model, X, y):
    import hashlib
    import json
    h = hashlib.sha256(type(model).__name__.encode())
    h.update(json.dumps(model.get_params(deep=False), sort_keys=True, default=repr).encode())
    for name in sorted(vars(model)):
        if name.endswith("_") and not name.startswith("_"):
            v = getattr(model, name)
            h.update(name.encode())
            h.update(np.ascontiguousarray(v).tobytes() if isinstance(v, np.ndarray) else repr(v).encode())
    for a in (np.asarray(X), np.asarray(y)):
        h.update(str(a.dtype).encode() + str(a.shape).encode() + np.ascontiguousarray(a).tobytes())
    return h.hexdigest()
''',
            # The data by repr: NumPy abbreviates a large array's repr with "...", so most rows never reach the hash.
            "data by repr": '''
def model_fingerprint(model, X, y):
    import hashlib
    import json
    h = hashlib.sha256(type(model).__name__.encode())
    h.update(json.dumps(model.get_params(deep=False), sort_keys=True, default=repr).encode())
    for name in sorted(vars(model)):
        if name.endswith("_") and not name.startswith("_"):
            v = getattr(model, name)
            h.update(name.encode())
            if isinstance(v, np.ndarray) and v.dtype != object:
                h.update(str(v.dtype).encode() + str(v.shape).encode() + np.ascontiguousarray(v).tobytes())
            else:
                h.update(repr(v).encode())
    h.update(repr(np.asarray(X)).encode() + repr(np.asarray(y)).encode())
    return h.hexdigest()
''',
            # Leaves out the class name: two estimator classes with the same parameters and weights collide.
            "no class name": '''
def model_fingerprint(model, X, y):
    import hashlib
    import json
    h = hashlib.sha256()
    h.update(json.dumps(model.get_params(deep=False), sort_keys=True, default=repr).encode())
    for name in sorted(vars(model)):
        if name.endswith("_") and not name.startswith("_"):
            v = getattr(model, name)
            h.update(name.encode())
            if isinstance(v, np.ndarray) and v.dtype != object:
                h.update(str(v.dtype).encode() + str(v.shape).encode() + np.ascontiguousarray(v).tobytes())
            else:
                h.update(repr(v).encode())
    for a in (np.asarray(X), np.asarray(y)):
        h.update(str(a.dtype).encode() + str(a.shape).encode() + np.ascontiguousarray(a).tobytes())
    return h.hexdigest()
''',
        },
    },
    "checkpoint_resume": {
        "correct": {
            # The number of epochs to reach computed first, a for loop, the temporary file via tempfile.
            "for loop and mkstemp": '''
def train_sgd_checkpointed(X, y, n_epochs, ckpt_path, batch_size=32, seed=0, stop_after=None):
    import tempfile
    from sklearn.linear_model import SGDClassifier
    if os.path.exists(ckpt_path):
        with open(ckpt_path, "rb") as fh:
            state = pickle.load(fh)
        model, done = state["model"], state["epoch"]
        rng = np.random.default_rng()
        rng.bit_generator.state = state["rng_state"]
    else:
        model, done, rng = SGDClassifier(loss="log_loss", random_state=seed), 0, np.random.default_rng(seed)
    last = n_epochs if stop_after is None else min(n_epochs, stop_after)
    labels = np.unique(y)
    for epoch in range(done + 1, last + 1):
        order = rng.permutation(len(y))
        for i in range(0, len(order), batch_size):
            rows = order[i:i + batch_size]
            model.partial_fit(X[rows], y[rows], classes=labels)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(ckpt_path)))
        with os.fdopen(fd, "wb") as fh:
            pickle.dump({"model": model, "epoch": epoch, "rng_state": rng.bit_generator.state}, fh)
        os.replace(tmp, ckpt_path)
    return model
''',
            # A while loop with the stopping rule in one helper, and the checkpoint written by a helper.
            "helpers and while loop": '''
def train_sgd_checkpointed(X, y, n_epochs, ckpt_path, batch_size=32, seed=0, stop_after=None):
    from sklearn.linear_model import SGDClassifier

    def save(state):
        tmp = ckpt_path + ".tmp"
        with open(tmp, "wb") as fh:
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, ckpt_path)

    def keep_going(epoch):
        return epoch < n_epochs and (stop_after is None or epoch < stop_after)

    state = None
    if os.path.exists(ckpt_path):
        with open(ckpt_path, "rb") as fh:
            state = pickle.load(fh)
    if state is None:
        model, epoch, rng = SGDClassifier(loss="log_loss", random_state=seed), 0, np.random.default_rng(seed)
    else:
        model, epoch = state["model"], int(state["epoch"])
        rng = np.random.default_rng()
        rng.bit_generator.state = state["rng_state"]
    while keep_going(epoch):
        order = rng.permutation(len(y))
        chunks = [order[s:s + batch_size] for s in range(0, len(y), batch_size)]
        for rows in chunks:
            model.partial_fit(X[rows], y[rows], classes=np.unique(y))
        epoch += 1
        save({"model": model, "epoch": epoch, "rng_state": rng.bit_generator.state})
    return model
''',
        },
        "wrong": {
            # stop_after counted from the start of this call, not as the total number of epochs done.
            "stop_after relative to the resume point": '''
def train_sgd_checkpointed(X, y, n_epochs, ckpt_path, batch_size=32, seed=0, stop_after=None):
    from sklearn.linear_model import SGDClassifier
    if os.path.exists(ckpt_path):
        with open(ckpt_path, "rb") as f:
            state = pickle.load(f)
        model, epoch = state["model"], state["epoch"]
        rng = np.random.default_rng()
        rng.bit_generator.state = state["rng_state"]
    else:
        model, epoch, rng = SGDClassifier(loss="log_loss", random_state=seed), 0, np.random.default_rng(seed)
    done_here = 0
    while epoch < n_epochs and (stop_after is None or done_here < stop_after):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            rows = order[start:start + batch_size]
            model.partial_fit(X[rows], y[rows], classes=np.unique(y))
        epoch += 1
        done_here += 1
        with open(ckpt_path + ".tmp", "wb") as f:
            pickle.dump({"model": model, "epoch": epoch, "rng_state": rng.bit_generator.state}, f)
        os.replace(ckpt_path + ".tmp", ckpt_path)
    return model
''',
            # With stop_after given, trains up to stop_after epochs even past n_epochs.
            "stop_after overrides n_epochs": '''
def train_sgd_checkpointed(X, y, n_epochs, ckpt_path, batch_size=32, seed=0, stop_after=None):
    from sklearn.linear_model import SGDClassifier
    if os.path.exists(ckpt_path):
        with open(ckpt_path, "rb") as f:
            state = pickle.load(f)
        model, epoch = state["model"], state["epoch"]
        rng = np.random.default_rng()
        rng.bit_generator.state = state["rng_state"]
    else:
        model, epoch, rng = SGDClassifier(loss="log_loss", random_state=seed), 0, np.random.default_rng(seed)
    limit = n_epochs if stop_after is None else stop_after
    while epoch < limit:
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            rows = order[start:start + batch_size]
            model.partial_fit(X[rows], y[rows], classes=np.unique(y))
        epoch += 1
        with open(ckpt_path + ".tmp", "wb") as f:
            pickle.dump({"model": model, "epoch": epoch, "rng_state": rng.bit_generator.state}, f)
        os.replace(ckpt_path + ".tmp", ckpt_path)
    return model
''',
        },
    },
    "shap_tree_explainer": {
        "correct": {
            # The Explanation API (explainer(X)) and getattr for the raw output.
            "Explanation object": '''
def explain_with_shap(model, X):
    import shap
    explanation = shap.TreeExplainer(model)(X)
    values = np.asarray(explanation.values, dtype=float)
    base = float(np.ravel(explanation.base_values)[0])
    raw_fn = getattr(model, "decision_function", None) or model.predict
    raw = np.asarray(raw_fn(X), dtype=float).ravel()
    if np.max(np.abs(base + values.sum(axis=1) - raw)) > 1e-6:
        raise RuntimeError("SHAP values do not add up to the model output")
    importance = pd.Series(np.abs(values).mean(axis=0), index=list(X.columns)).sort_values(ascending=False, kind="stable")
    return {"values": values, "base_value": base, "raw_output": raw, "importance": importance}
''',
            # Importance sorted with numpy (ties in another order), base value through .item().
            "numpy argsort": '''
def explain_with_shap(model, X):
    import shap
    explainer = shap.TreeExplainer(model)
    values = np.array(explainer.shap_values(X))
    base = np.asarray(explainer.expected_value, dtype=float).reshape(-1)[0].item()
    if hasattr(model, "decision_function"):
        raw = model.decision_function(X).astype(float)
    else:
        raw = model.predict(X).astype(float)
    assert np.all(np.abs(values.sum(axis=1) + base - raw) <= 1e-6), "local accuracy fails"
    mean_abs = np.abs(values).mean(axis=0)
    order = np.argsort(-mean_abs)[::1]
    importance = pd.Series(mean_abs[order], index=X.columns[order])
    return {"values": values, "base_value": float(base), "raw_output": raw, "importance": importance}
''',
        },
        "wrong": {
            # Always calls decision_function: a regressor has none.
            "decision_function only": '''
def explain_with_shap(model, X):
    import shap
    explainer = shap.TreeExplainer(model)
    values = np.asarray(explainer.shap_values(X))
    base = float(np.ravel(explainer.expected_value)[0])
    raw = np.asarray(model.decision_function(X), dtype=float)
    if np.abs(base + values.sum(axis=1) - raw).max() > 1e-6:
        raise ValueError("local accuracy fails")
    importance = pd.Series(np.abs(values).mean(axis=0), index=X.columns).sort_values(ascending=False)
    return {"values": values, "base_value": base, "raw_output": raw, "importance": importance}
''',
            # Never checks local accuracy: an explanation that does not add up to the served output goes unnoticed.
            "no local-accuracy check": '''
def explain_with_shap(model, X):
    import shap
    explainer = shap.TreeExplainer(model)
    values = np.asarray(explainer.shap_values(X))
    base = float(np.ravel(explainer.expected_value)[0])
    raw = np.asarray(model.decision_function(X) if hasattr(model, "decision_function") else model.predict(X), dtype=float)
    importance = pd.Series(np.abs(values).mean(axis=0), index=X.columns).sort_values(ascending=False)
    return {"values": values, "base_value": base, "raw_output": raw, "importance": importance}
''',
        },
    },
    "cooccurrence_embeddings": {
        "correct": {
            # The SVD of a symmetric matrix through hermitian=True (other column signs), log2 PMI (a
            # uniform scale that the normalisation removes).
            "hermitian SVD and log2": '''
def cooccurrence_embeddings(interactions, dim):
    X = (np.asarray(interactions) > 0).astype(float)
    n_items = X.shape[1]
    if not (1 <= dim <= n_items):
        raise ValueError("dim must be between 1 and the number of items")
    C = X.T @ X
    np.fill_diagonal(C, 0.0)
    if not C.any():
        return np.zeros((n_items, dim))
    c = C.sum(axis=1)
    T = C.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log2(C * T / np.outer(c, c))
    ppmi = np.where(C > 0, np.maximum(pmi, 0.0), 0.0)
    U, S, _ = np.linalg.svd(ppmi, hermitian=True)
    E = U[:, :dim] * np.sqrt(S[:dim])
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    return np.where(norms >= 1e-10, E / np.where(norms >= 1e-10, norms, 1.0), 0.0)
''',
            # scipy's SVD, every column's sign flipped to make its largest entry positive, masked PMI.
            "scipy SVD with a sign convention": '''
def cooccurrence_embeddings(interactions, dim):
    import scipy.linalg
    A = np.asarray(interactions, dtype=float)
    X = np.where(A > 0, 1.0, 0.0)
    if dim < 1 or dim > X.shape[1]:
        raise ValueError("dim out of range")
    C = X.T.dot(X) * (1 - np.eye(X.shape[1]))
    E = np.zeros((X.shape[1], dim))
    if np.all(C == 0):
        return E
    row = C.sum(1)
    total = C.sum()
    ppmi = np.zeros_like(C)
    i, j = np.nonzero(C)
    ppmi[i, j] = np.maximum(np.log(C[i, j] * total / (row[i] * row[j])), 0)
    U, S, _ = scipy.linalg.svd(ppmi)
    U = U * np.sign(U[np.abs(U).argmax(axis=0), range(U.shape[1])])
    E = U[:, :dim] * np.sqrt(S[:dim])
    for r in range(E.shape[0]):
        n = np.sqrt((E[r] ** 2).sum())
        E[r] = E[r] / n if n >= 1e-10 else 0.0
    return E
''',
        },
        "wrong": {
            # Counts any non-zero entry, negative ones (dislikes) too.
            "non-zero instead of positive": '''
def cooccurrence_embeddings(interactions, dim):
    X = (np.asarray(interactions) != 0).astype(float)
    if not 1 <= dim <= X.shape[1]:
        raise ValueError("dim out of range")
    C = X.T @ X
    np.fill_diagonal(C, 0)
    if not C.any():
        return np.zeros((X.shape[1], dim))
    c, T = C.sum(axis=1), C.sum()
    with np.errstate(divide="ignore"):
        ppmi = np.where(C > 0, np.maximum(np.log(C * T / np.outer(c, c)), 0), 0)
    U, S, _ = np.linalg.svd(ppmi)
    E = U[:, :dim] * np.sqrt(S[:dim])
    n = np.linalg.norm(E, axis=1, keepdims=True)
    return np.divide(E, n, out=np.zeros_like(E), where=n >= 1e-10)
''',
            # Never checks dim.
            "no dim check": '''
def cooccurrence_embeddings(interactions, dim):
    X = (np.asarray(interactions) > 0).astype(float)
    C = X.T @ X
    np.fill_diagonal(C, 0)
    if not C.any():
        return np.zeros((X.shape[1], dim))
    c, T = C.sum(axis=1), C.sum()
    with np.errstate(divide="ignore"):
        ppmi = np.where(C > 0, np.maximum(np.log(C * T / np.outer(c, c)), 0), 0)
    U, S, _ = np.linalg.svd(ppmi)
    E = U[:, :dim] * np.sqrt(S[:dim])
    n = np.linalg.norm(E, axis=1, keepdims=True)
    return np.divide(E, n, out=np.zeros_like(E), where=n >= 1e-10)
''',
        },
    },
    "smote_oversampler": {
        "correct": {
            # scikit-learn's NearestNeighbors, and every random number drawn in vectorized blocks.
            "NearestNeighbors, vectorized draws": '''
def smote(X_min, n_new, k=5, seed=0):
    from sklearn.neighbors import NearestNeighbors
    X = np.asarray(X_min, dtype=float)
    if n_new < 0:
        raise ValueError("n_new must be >= 0")
    if not 1 <= k <= len(X) - 1:
        raise ValueError("k must be between 1 and n_min - 1")
    if n_new == 0:
        return np.empty((0, X.shape[1]))
    _, idx = NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X)
    neighbours = idx[:, 1:]
    rng = np.random.default_rng(seed)
    base = rng.integers(0, len(X), size=n_new)
    pick = rng.integers(0, k, size=n_new)
    gap = rng.random(n_new)[:, None]
    x, z = X[base], X[neighbours[base, pick]]
    return x + gap * (z - x)
''',
            # A loop per new row: the gap drawn first, then the base row, then the neighbour.
            "loop, gap drawn first": '''
def smote(X_min, n_new, k=5, seed=0):
    X = np.array(X_min, dtype=float, copy=True)
    n = X.shape[0]
    if n_new < 0 or k < 1 or k > n - 1:
        raise ValueError("need n_new >= 0 and 1 <= k <= n_min - 1")
    D = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    D[np.arange(n), np.arange(n)] = np.inf
    nn = np.argsort(D, axis=1)[:, :k]
    rng = np.random.default_rng(seed)
    out = np.zeros((n_new, X.shape[1]))
    for r in range(n_new):
        g = rng.uniform(0.0, 1.0)
        i = rng.choice(n)
        j = nn[i, rng.choice(k)]
        out[r] = X[i] + g * (X[j] - X[i])
    return out
''',
        },
        "wrong": {
            # Counts the row itself among its k neighbours: a third or more of the new rows are copies.
            "the row is its own neighbour": '''
def smote(X_min, n_new, k=5, seed=0):
    X = np.asarray(X_min, dtype=float)
    if n_new < 0 or not 1 <= k <= len(X) - 1:
        raise ValueError("bad arguments")
    d = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    nn = np.argsort(d, axis=1)[:, :k]
    rng = np.random.default_rng(seed)
    base = rng.integers(0, len(X), size=n_new)
    z = X[nn[base, rng.integers(0, k, size=n_new)]]
    g = rng.random((n_new, 1))
    return X[base] + g * (z - X[base])
''',
            # n_new = 0 returns a flat empty array instead of shape (0, n_features).
            "flat empty array for n_new = 0": '''
def smote(X_min, n_new, k=5, seed=0):
    X = np.asarray(X_min, dtype=float)
    if n_new < 0 or not 1 <= k <= len(X) - 1:
        raise ValueError("bad arguments")
    if n_new == 0:
        return np.array([])
    d = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    nn = np.argsort(d, axis=1)[:, :k]
    rng = np.random.default_rng(seed)
    base = rng.integers(0, len(X), size=n_new)
    z = X[nn[base, rng.integers(0, k, size=n_new)]]
    g = rng.random((n_new, 1))
    return X[base] + g * (z - X[base])
''',
            # Always interpolates towards the nearest neighbour, never another of the k.
            "nearest neighbour only": '''
def smote(X_min, n_new, k=5, seed=0):
    X = np.asarray(X_min, dtype=float)
    if n_new < 0 or not 1 <= k <= len(X) - 1:
        raise ValueError("bad arguments")
    d = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    nearest = np.argmin(d, axis=1)
    rng = np.random.default_rng(seed)
    base = rng.integers(0, len(X), size=n_new)
    g = rng.random((n_new, 1))
    return X[base] + g * (X[nearest[base]] - X[base])
''',
        },
    },
    "recall_threshold": {
        "correct": {
            # Positives' scores sorted, the count needed computed exactly from the decimal target.
            "Fraction and sorted positives": '''
def threshold_for_recall(y_true, scores, target_recall):
    from fractions import Fraction
    from math import ceil
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    if np.isnan(s).any():
        raise ValueError("scores contain NaN")
    if not 0 < target_recall <= 1:
        raise ValueError("target_recall must be in (0, 1]")
    pos = np.sort(s[y == 1])[::-1]
    if len(pos) == 0:
        raise ValueError("no positive")
    need = ceil(Fraction(repr(float(target_recall))) * len(pos))
    return float(pos[need - 1])
''',
            # Tries the positives' distinct scores from the highest down, recall as a division.
            "scan from the top": '''
def threshold_for_recall(y_true, scores, target_recall):
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    if (y == 1).sum() == 0:
        raise ValueError("y_true has no positive")
    if np.any(s != s):
        raise ValueError("NaN score")
    if target_recall <= 0 or target_recall > 1:
        raise ValueError("target_recall out of (0, 1]")
    positives = s[y == 1]
    for t in sorted(set(positives.tolist()), reverse=True):
        if (positives >= t).sum() / len(positives) >= target_recall:
            return float(t)
    return float(positives.min())
''',
        },
        "wrong": {
            # ceil(target * n_pos) without a guard: 0.07 * 100 is 7.000000000000001, so ceil gives 8.
            "ceil of an inexact product": '''
def threshold_for_recall(y_true, scores, target_recall):
    import math
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    if np.isnan(s).any() or not 0 < target_recall <= 1 or (y == 1).sum() == 0:
        raise ValueError("bad input")
    pos = np.sort(s[y == 1])[::-1]
    return float(pos[math.ceil(target_recall * len(pos)) - 1])
''',
            # Accepts target_recall = 0 (the interval is open at 0).
            "target_recall 0 accepted": '''
def threshold_for_recall(y_true, scores, target_recall):
    import math
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    if np.isnan(s).any() or not 0 <= target_recall <= 1 or (y == 1).sum() == 0:
        raise ValueError("bad input")
    pos = np.sort(s[y == 1])[::-1]
    need = max(math.ceil(round(target_recall * len(pos), 9)), 1)
    return float(pos[need - 1])
''',
            # No check for missing positives: an empty array is indexed and raises IndexError.
            "no check for positives": '''
def threshold_for_recall(y_true, scores, target_recall):
    import math
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    if np.isnan(s).any() or not 0 < target_recall <= 1:
        raise ValueError("bad input")
    pos = np.sort(s[y == 1])[::-1]
    need = math.ceil(round(target_recall * len(pos), 9))
    return float(pos[need - 1])
''',
        },
    },
    "int8_quantization": {
        "correct": {
            # np.rint (the same half-to-even rule as np.round) and np.where for zero columns.
            "rint and where": '''
def quantize_int8(W):
    W = np.asarray(W)
    if W.ndim != 2 or not np.isfinite(W).all():
        raise ValueError("W must be a finite 2-D array")
    peak = np.abs(W).max(axis=0)
    scale = np.where(peak > 0, peak / 127.0, 1.0)
    q = np.clip(np.rint(W / scale), -127, 127).astype(np.int8)
    return q, scale
''',
            # A loop over the columns into a preallocated int8 array.
            "column loop": '''
def quantize_int8(W):
    A = np.array(W, dtype=float)
    if A.ndim != 2:
        raise ValueError("W must be 2-D")
    if np.isnan(A).any() or np.isinf(A).any():
        raise ValueError("W must be finite")
    q = np.empty(A.shape, dtype=np.int8)
    scale = np.empty(A.shape[1])
    for j in range(A.shape[1]):
        m = np.max(np.abs(A[:, j])) if A.shape[0] else 0.0
        scale[j] = m / 127 if m != 0 else 1.0
        q[:, j] = np.clip(np.round(A[:, j] / scale[j]), -127, 127)
    return q, scale
''',
        },
        "wrong": {
            # No guard for an all-zero column: 0 / 0 gives NaN scales and garbage codes.
            "no zero-column guard": '''
def quantize_int8(W):
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or not np.isfinite(W).all():
        raise ValueError("W must be a finite 2-D array")
    scale = np.abs(W).max(axis=0) / 127
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.clip(np.round(W / scale), -127, 127).astype(np.int8)
    return q, scale
''',
            # Rounds half away from zero (floor(x + 0.5) style) instead of NumPy's half-to-even np.round.
            "rounds halves away from zero": '''
def quantize_int8(W):
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or not np.isfinite(W).all():
        raise ValueError("W must be a finite 2-D array")
    peak = np.abs(W).max(axis=0)
    scale = np.where(peak == 0, 1.0, peak / 127)
    r = W / scale
    q = np.clip(np.sign(r) * np.floor(np.abs(r) + 0.5), -127, 127).astype(np.int8)
    return q, scale
''',
            # Never validates W.
            "no input check": '''
def quantize_int8(W):
    W = np.asarray(W, dtype=float)
    peak = np.abs(W).max(axis=0)
    scale = np.where(peak == 0, 1.0, peak / 127)
    q = np.clip(np.round(W / scale), -127, 127).astype(np.int8)
    return q, scale
''',
        },
    },
}
