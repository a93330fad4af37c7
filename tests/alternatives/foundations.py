"""Other solutions to the tasks of assignment 1, written from each task's statement alone.

``ALTERNATIVES[task_id]["correct"]``: full sources of solution cells that do what the statement asks
in another way than the reference (another library route, another legitimate order, dtype or tie
rule); each must pass. ``["wrong"]``: common mistakes that pass the visible check; each must fail
the hidden tests with a one-line message that names what is wrong.
"""

ALTERNATIVES = {
    "pca_svd": {
        "correct": {
            # scikit-learn's own PCA: its sign convention differs from the raw SVD's.
            "scikit-learn's PCA": '''
def pca_svd(X, n_components):
    from sklearn.decomposition import PCA
    X = np.asarray(X, dtype=float)
    if not 1 <= n_components <= min(X.shape):
        raise ValueError("n_components out of range")
    pca = PCA(n_components=n_components, svd_solver="full").fit(X)
    return pca.components_, pca.explained_variance_ratio_
''',
            # The eigenvectors of the covariance matrix, largest eigenvalue first.
            "eigh of the covariance matrix": '''
def pca_svd(X, n_components):
    X = np.asarray(X, dtype=float)
    n, p = X.shape
    if n_components < 1 or n_components > min(n, p):
        raise ValueError("n_components out of range")
    C = np.cov(X, rowvar=False)
    values, vectors = np.linalg.eigh(C)
    order = np.argsort(values)[::-1]
    values = np.clip(values[order], 0, None)
    return vectors[:, order[:n_components]].T, values[:n_components] / values.sum()
''',
        },
        "wrong": {
            # Centres X in place: the results are right, the caller's data is changed.
            "centres X in place": '''
def pca_svd(X, n_components):
    X -= X.mean(axis=0)
    n, p = X.shape
    if not 1 <= n_components <= min(n, p):
        raise ValueError("n_components out of range")
    _, s, vt = np.linalg.svd(X, full_matrices=False)
    return vt[:n_components], (s ** 2)[:n_components] / (s ** 2).sum()
''',
            # Never checks n_components.
            "no range check": '''
def pca_svd(X, n_components):
    X = np.asarray(X, dtype=float)
    _, s, vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
    return vt[:n_components], (s ** 2)[:n_components] / (s ** 2).sum()
''',
        },
    },
    "stratified_split": {
        "correct": {
            # One permutation per class, rounding half up, test rows returned sorted.
            "a permutation per class, rounding half up": """
def stratified_split(y, test_size=0.25, seed=0):
    if not 0 < test_size < 1:
        raise ValueError("test_size must be strictly between 0 and 1")
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    test = []
    for c in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == c))
        test.extend(rows[: int(np.floor(test_size * len(rows) + 0.5))])
    test = np.sort(np.array(test, dtype=int))
    return np.setdiff1d(np.arange(len(y)), test), test
""",
            # One random key per row drawn up front; each class sends its rows with the smallest keys; Python's round.
            "random keys for all rows, classes in order of appearance": """
def stratified_split(y, test_size=0.25, seed=0):
    if not (0 < test_size < 1):
        raise ValueError("test_size must lie strictly between 0 and 1")
    labels = list(y)
    keys = np.random.default_rng(seed).random(len(labels))
    by_class = {}
    for i, label in enumerate(labels):
        by_class.setdefault(label, []).append(i)
    test = []
    for rows in by_class.values():
        rows = sorted(rows, key=lambda i: keys[i])
        test += rows[: round(test_size * len(rows))]
    in_test = np.zeros(len(labels), dtype=bool)
    in_test[test] = True
    return np.flatnonzero(~in_test), np.array(test, dtype=np.int64)
""",
        },
        "wrong": {
            # Never checks test_size.
            "no test_size check": """
def stratified_split(y, test_size=0.25, seed=0):
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    test = []
    for c in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == c))
        test.extend(rows[: int(round(test_size * len(rows)))])
    test = np.sort(np.array(test, dtype=int))
    return np.setdiff1d(np.arange(len(y)), test), test
""",
            # Sends at least one row of every class to the test set, even when test_size * n_c rounds to 0.
            "at least one test row per class": """
def stratified_split(y, test_size=0.25, seed=0):
    if not 0 < test_size < 1:
        raise ValueError("test_size must be strictly between 0 and 1")
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    test = []
    for c in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == c))
        test.extend(rows[: max(1, int(round(test_size * len(rows))))])
    test = np.sort(np.array(test, dtype=int))
    return np.setdiff1d(np.arange(len(y)), test), test
""",
            # Reads the labels as numbers: string labels fail.
            "labels read as numbers": """
def stratified_split(y, test_size=0.25, seed=0):
    if not 0 < test_size < 1:
        raise ValueError("test_size must be strictly between 0 and 1")
    y = np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    test = []
    for c in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == c))
        test.extend(rows[: int(round(test_size * len(rows)))])
    test = np.sort(np.array(test, dtype=int))
    return np.setdiff1d(np.arange(len(y)), test), test
""",
        },
    },
    "kfold_cv": {
        "correct": {
            # np.array_split gives KFold's fold sizes.
            "np.array_split and clone": """
def kfold_scores(model, X, y, k=5):
    from sklearn.base import clone
    X, y = np.asarray(X), np.asarray(y)
    n = len(y)
    if k < 2 or k > n:
        raise ValueError("k must be between 2 and the number of rows")
    scores = []
    for fold in np.array_split(np.arange(n), k):
        mask = np.ones(n, dtype=bool)
        mask[fold] = False
        scores.append(clone(model).fit(X[mask], y[mask]).score(X[fold], y[fold]))
    return np.array(scores)
""",
            # Fold boundaries worked out by hand; training rows by np.delete; scores as a list.
            "fold bounds by hand, a list of scores": """
def kfold_scores(model, X, y, k=5):
    import sklearn.base
    X = np.asarray(X)
    y = np.asarray(y)
    n = X.shape[0]
    if not 2 <= k <= n:
        raise ValueError(f"k={k} must satisfy 2 <= k <= {n}")
    size, extra = divmod(n, k)
    start, scores = 0, []
    for i in range(k):
        stop = start + size + (1 if i < extra else 0)
        rows = np.arange(start, stop)
        fitted = sklearn.base.clone(model).fit(np.delete(X, rows, axis=0), np.delete(y, rows))
        scores.append(float(fitted.score(X[start:stop], y[start:stop])))
        start = stop
    return scores
""",
        },
        "wrong": {
            # Fits the model passed in for every fold instead of a fresh clone.
            "refits the model passed in": """
def kfold_scores(model, X, y, k=5):
    X, y = np.asarray(X), np.asarray(y)
    n = len(y)
    if k < 2 or k > n:
        raise ValueError("k must be between 2 and the number of rows")
    scores = []
    for fold in np.array_split(np.arange(n), k):
        train = np.setdiff1d(np.arange(n), fold)
        scores.append(model.fit(X[train], y[train]).score(X[fold], y[fold]))
    return np.array(scores)
""",
            # Folds of n // k rows, the last one taking the remainder (KFold puts the extra rows first).
            "the remainder in the last fold": """
def kfold_scores(model, X, y, k=5):
    from sklearn.base import clone
    X, y = np.asarray(X), np.asarray(y)
    n = len(y)
    if k < 2 or k > n:
        raise ValueError("k must be between 2 and the number of rows")
    size = n // k
    scores = []
    for i in range(k):
        fold = np.arange(i * size, n if i == k - 1 else (i + 1) * size)
        train = np.setdiff1d(np.arange(n), fold)
        scores.append(clone(model).fit(X[train], y[train]).score(X[fold], y[fold]))
    return np.array(scores)
""",
            # Only checks k < 2; with k > n, np.array_split makes empty folds.
            "no check of k against the number of rows": """
def kfold_scores(model, X, y, k=5):
    from sklearn.base import clone
    X, y = np.asarray(X), np.asarray(y)
    if k < 2:
        raise ValueError("k must be at least 2")
    scores = []
    for fold in np.array_split(np.arange(len(y)), k):
        if len(fold) == 0:
            scores.append(np.nan)
            continue
        train = np.setdiff1d(np.arange(len(y)), fold)
        scores.append(clone(model).fit(X[train], y[train]).score(X[fold], y[fold]))
    return np.array(scores)
""",
        },
    },
    "confusion_prf": {
        "correct": {
            # A Python loop over pairs; the matrix as nested lists of ints.
            "a loop over pairs": """
def confusion_report(y_true, y_pred, positive=1):
    y_true, y_pred = list(y_true), list(y_pred)
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred must have the same length")
    tn = fp = fn = tp = 0
    for t, p in zip(y_true, y_pred):
        t, p = t == positive, p == positive
        if t and p:
            tp += 1
        elif t:
            fn += 1
        elif p:
            fp += 1
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"matrix": [[tn, fp], [fn, tp]], "precision": precision, "recall": recall, "f1": f1}
""",
            # np.bincount of 2·actual + predicted, reshaped to 2×2; NumPy floats.
            "np.bincount of 2·actual + predicted": """
def confusion_report(y_true, y_pred, positive=1):
    t = np.asarray(y_true) == positive
    p = np.asarray(y_pred) == positive
    if t.shape != p.shape:
        raise ValueError("y_true and y_pred have different lengths")
    matrix = np.bincount(2 * t.astype(int) + p.astype(int), minlength=4).reshape(2, 2)
    (tn, fp), (fn, tp) = matrix
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.float64(tp) / (tp + fp) if tp + fp > 0 else np.float64(0)
        recall = np.float64(tp) / (tp + fn) if tp + fn > 0 else np.float64(0)
    f1 = np.float64(2 * tp) / (2 * tp + fp + fn) if tp + fp + fn > 0 else np.float64(0)
    return {"matrix": matrix, "precision": precision, "recall": recall, "f1": f1}
""",
        },
        "wrong": {
            # Counts the label 1 as positive whatever `positive` says.
            "ignores the positive argument": """
def confusion_report(y_true, y_pred, positive=1):
    t = np.asarray(y_true) == 1
    p = np.asarray(y_pred) == 1
    if t.shape != p.shape:
        raise ValueError("different lengths")
    tp = int(np.sum(t & p)); fp = int(np.sum(~t & p)); fn = int(np.sum(t & ~p)); tn = int(np.sum(~t & ~p))
    ratio = lambda a, b: a / b if b else 0.0
    return {"matrix": np.array([[tn, fp], [fn, tp]]), "precision": ratio(tp, tp + fp),
            "recall": ratio(tp, tp + fn), "f1": ratio(2 * tp, 2 * tp + fp + fn)}
""",
            # Divides with NumPy and lets 0 / 0 become NaN.
            "NaN when a denominator is 0": """
def confusion_report(y_true, y_pred, positive=1):
    t = np.asarray(y_true) == positive
    p = np.asarray(y_pred) == positive
    if t.shape != p.shape:
        raise ValueError("different lengths")
    tp = np.sum(t & p); fp = np.sum(~t & p); fn = np.sum(t & ~p); tn = np.sum(~t & ~p)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = float(np.float64(tp) / (tp + fp))
        recall = float(np.float64(tp) / (tp + fn))
        f1 = float(2 * precision * recall / (precision + recall))
    return {"matrix": np.array([[tn, fp], [fn, tp]]), "precision": precision, "recall": recall, "f1": f1}
""",
            # Counts as negative only the label 0, so other labels of multiclass data are lost.
            "negative means the label 0": """
def confusion_report(y_true, y_pred, positive=1):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if len(y_true) != len(y_pred):
        raise ValueError("different lengths")
    tp = int(np.sum((y_true == positive) & (y_pred == positive)))
    fp = int(np.sum((y_true != positive) & (y_pred == positive)))
    fn = int(np.sum((y_true == positive) & (y_pred != positive)))
    tn = int(np.sum((y_true == 0) & (y_pred == 0)))
    ratio = lambda a, b: a / b if b else 0.0
    return {"matrix": np.array([[tn, fp], [fn, tp]]), "precision": ratio(tp, tp + fp),
            "recall": ratio(tp, tp + fn), "f1": ratio(2 * tp, 2 * tp + fp + fn)}
""",
            # Never compares the lengths: a single prediction broadcasts against every label.
            "no length check": """
def confusion_report(y_true, y_pred, positive=1):
    t = np.asarray(y_true) == positive
    p = np.asarray(y_pred) == positive
    tp = int(np.sum(t & p)); fp = int(np.sum(~t & p)); fn = int(np.sum(t & ~p)); tn = int(np.sum(~t & ~p))
    ratio = lambda a, b: a / b if b else 0.0
    return {"matrix": np.array([[tn, fp], [fn, tp]]), "precision": ratio(tp, tp + fp),
            "recall": ratio(tp, tp + fn), "f1": ratio(2 * tp, 2 * tp + fp + fn)}
""",
        },
    },
    "scale_train_only": {
        "correct": {
            # scikit-learn's StandardScaler ignores NaN when fitting and keeps it when transforming.
            "scikit-learn's StandardScaler": """
def standardize_train_test(X_train, X_test):
    from sklearn.preprocessing import StandardScaler
    X_train = np.array(X_train, dtype=float)
    X_test = np.array(X_test, dtype=float)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test)
""",
            # pandas' mean and std skip NaN; ddof=0 for the population standard deviation.
            "pandas statistics": """
def standardize_train_test(X_train, X_test):
    import pandas as pd
    train = pd.DataFrame(np.asarray(X_train, dtype=float))
    test = pd.DataFrame(np.asarray(X_test, dtype=float))
    mean = train.mean()
    std = train.std(ddof=0).replace(0.0, 1.0)
    return ((train - mean) / std).to_numpy(), ((test - mean) / std).to_numpy()
""",
        },
        "wrong": {
            # np.mean and np.std do not skip NaN: a column with one missing value becomes NaN everywhere.
            "statistics that do not skip NaN": """
def standardize_train_test(X_train, X_test):
    X_train = np.array(X_train, dtype=float)
    X_test = np.array(X_test, dtype=float)
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (X_train - mean) / std, (X_test - mean) / std
""",
            # Fills the missing values with 0 (the mean) in the output instead of keeping NaN.
            "missing values filled with 0": """
def standardize_train_test(X_train, X_test):
    X_train = np.array(X_train, dtype=float)
    X_test = np.array(X_test, dtype=float)
    mean = np.nanmean(X_train, axis=0)
    std = np.nanstd(X_train, axis=0)
    std[std == 0] = 1.0
    return np.nan_to_num((X_train - mean) / std), np.nan_to_num((X_test - mean) / std)
""",
        },
    },
    "degree_by_validation": {
        "correct": {
            # np.polyfit / np.polyval.
            "np.polyfit": """
def polynomial_validation_curve(x_train, y_train, x_val, y_val, degrees, tolerance=0.0):
    x_train, y_train = np.asarray(x_train, dtype=float), np.asarray(y_train, dtype=float)
    x_val, y_val = np.asarray(x_val, dtype=float), np.asarray(y_val, dtype=float)
    degrees = list(degrees)
    for d in degrees:
        if d < 0 or d >= len(x_train):
            raise ValueError(f"degree {d} must be in 0..{len(x_train) - 1}")
    train_mse = np.empty(len(degrees))
    val_mse = np.empty(len(degrees))
    for i, d in enumerate(degrees):
        coef = np.polyfit(x_train, y_train, d)
        train_mse[i] = np.mean((np.polyval(coef, x_train) - y_train) ** 2)
        val_mse[i] = np.mean((np.polyval(coef, x_val) - y_val) ** 2)
    limit = val_mse.min() * (1 + tolerance)
    best = min(d for d, v in zip(degrees, val_mse) if v <= limit)
    return {"train_mse": train_mse, "val_mse": val_mse, "best_degree": int(best)}
""",
            # NumPy's Polynomial.fit (a scaled domain: better conditioned, other last digits); lists out.
            "Polynomial.fit, lists out": """
def polynomial_validation_curve(x_train, y_train, x_val, y_val, degrees, tolerance=0.0):
    from numpy.polynomial import Polynomial
    n = len(x_train)
    if any(int(d) != d or d < 0 or d >= n for d in degrees):
        raise ValueError("every degree must be a whole number in 0..n_train-1")
    x_train, y_train, x_val, y_val = (np.asarray(a, dtype=float) for a in (x_train, y_train, x_val, y_val))
    train_mse, val_mse = [], []
    for d in degrees:
        p = Polynomial.fit(x_train, y_train, deg=int(d))
        train_mse.append(float(np.mean((p(x_train) - y_train) ** 2)))
        val_mse.append(float(np.mean((p(x_val) - y_val) ** 2)))
    lowest = min(val_mse)
    ok = [int(d) for d, v in zip(degrees, val_mse) if v <= (1 + tolerance) * lowest]
    return {"train_mse": train_mse, "val_mse": val_mse, "best_degree": min(ok)}
""",
        },
        "wrong": {
            # Takes the first acceptable degree in the order given, not the smallest.
            "the first acceptable degree in the given order": """
def polynomial_validation_curve(x_train, y_train, x_val, y_val, degrees, tolerance=0.0):
    x_train, y_train = np.asarray(x_train, dtype=float), np.asarray(y_train, dtype=float)
    x_val, y_val = np.asarray(x_val, dtype=float), np.asarray(y_val, dtype=float)
    if any(d < 0 or d >= len(x_train) for d in degrees):
        raise ValueError("bad degree")
    train_mse, val_mse = [], []
    for d in degrees:
        coef = np.polyfit(x_train, y_train, d)
        train_mse.append(np.mean((np.polyval(coef, x_train) - y_train) ** 2))
        val_mse.append(np.mean((np.polyval(coef, x_val) - y_val) ** 2))
    val = np.array(val_mse)
    first = int(np.flatnonzero(val <= val.min() * (1 + tolerance))[0])
    return {"train_mse": np.array(train_mse), "val_mse": val, "best_degree": int(degrees[first])}
""",
            # Allows a degree equal to the number of training points (an interpolating fit is not unique).
            "allows degree = n_train": """
def polynomial_validation_curve(x_train, y_train, x_val, y_val, degrees, tolerance=0.0):
    x_train, y_train = np.asarray(x_train, dtype=float), np.asarray(y_train, dtype=float)
    x_val, y_val = np.asarray(x_val, dtype=float), np.asarray(y_val, dtype=float)
    if any(d < 0 or d > len(x_train) for d in degrees):
        raise ValueError("bad degree")
    train_mse, val_mse = [], []
    for d in degrees:
        coef = np.polyfit(x_train, y_train, d)
        train_mse.append(np.mean((np.polyval(coef, x_train) - y_train) ** 2))
        val_mse.append(np.mean((np.polyval(coef, x_val) - y_val) ** 2))
    val = np.array(val_mse)
    best = int(np.min(np.array(degrees)[val <= val.min() * (1 + tolerance)]))
    return {"train_mse": np.array(train_mse), "val_mse": val, "best_degree": best}
""",
        },
    },
    "lasso_cd": {
        "correct": {
            # The residual form of the update; an all-zero column is skipped.
            "residual updates": """
def lasso_coordinate_descent(X, y, alpha, max_iter=1000, tol=1e-8):
    X = np.array(X, dtype=float)
    y = np.array(y, dtype=float)
    if alpha < 0:
        raise ValueError("alpha must be non-negative")
    if X.shape[0] != y.shape[0]:
        raise ValueError("X and y have different numbers of rows")
    n, p = X.shape
    w = np.zeros(p)
    r = y.copy()
    norms = (X ** 2).sum(axis=0) / n
    for _ in range(max_iter):
        biggest = 0.0
        for j in range(p):
            if norms[j] == 0:
                continue
            rho = X[:, j] @ r / n + norms[j] * w[j]
            new = np.sign(rho) * max(abs(rho) - alpha, 0.0) / norms[j]
            change = new - w[j]
            if change != 0:
                r -= X[:, j] * change
                w[j] = new
            biggest = max(biggest, abs(change))
        if biggest < tol:
            break
    return w
""",
            # The Gram-matrix form: G = XᵀX / n and c = Xᵀy / n computed once.
            "Gram matrix updates": """
def lasso_coordinate_descent(X, y, alpha, max_iter=1000, tol=1e-8):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if alpha < 0 or len(X) != len(y):
        raise ValueError("alpha must be >= 0 and X, y must have the same number of rows")
    n = len(y)
    G = X.T @ X / n
    c = X.T @ y / n
    w = np.zeros(X.shape[1])
    for _ in range(max_iter):
        w_before = w.copy()
        for j in range(len(w)):
            if G[j, j] == 0.0:
                w[j] = 0.0
                continue
            z = c[j] - G[j] @ w + G[j, j] * w[j]
            w[j] = np.sign(z) * np.maximum(np.abs(z) - alpha, 0.0) / G[j, j]
        if np.all(np.abs(w - w_before) < tol):
            break
    return w
""",
        },
        "wrong": {
            # Divides by the column's squared norm even when it is 0.
            "an all-zero column divides by zero": """
def lasso_coordinate_descent(X, y, alpha, max_iter=1000, tol=1e-8):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if alpha < 0 or len(X) != len(y):
        raise ValueError("bad input")
    n, p = X.shape
    w = np.zeros(p)
    for _ in range(max_iter):
        w_old = w.copy()
        for j in range(p):
            r = y - X @ w + X[:, j] * w[j]
            rho = X[:, j] @ r / n
            with np.errstate(invalid="ignore", divide="ignore"):
                w[j] = np.sign(rho) * max(abs(rho) - alpha, 0.0) / (X[:, j] @ X[:, j] / n)
        if np.max(np.abs(w - w_old)) < tol:
            break
    return w
""",
            # Sweeps the coefficients from the last to the first.
            "sweeps in reverse order": """
def lasso_coordinate_descent(X, y, alpha, max_iter=1000, tol=1e-8):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if alpha < 0 or len(X) != len(y):
        raise ValueError("bad input")
    n, p = X.shape
    w = np.zeros(p)
    for _ in range(max_iter):
        w_old = w.copy()
        for j in reversed(range(p)):
            z = X[:, j] @ X[:, j] / n
            if z == 0:
                continue
            rho = X[:, j] @ (y - X @ w + X[:, j] * w[j]) / n
            w[j] = np.sign(rho) * max(abs(rho) - alpha, 0.0) / z
        if np.max(np.abs(w - w_old)) < tol:
            break
    return w
""",
            # Ignores tol and always runs max_iter sweeps.
            "ignores tol": """
def lasso_coordinate_descent(X, y, alpha, max_iter=1000, tol=1e-8):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if alpha < 0 or len(X) != len(y):
        raise ValueError("bad input")
    n, p = X.shape
    w = np.zeros(p)
    for _ in range(max_iter):
        for j in range(p):
            z = X[:, j] @ X[:, j] / n
            if z == 0:
                continue
            rho = X[:, j] @ (y - X @ w + X[:, j] * w[j]) / n
            w[j] = np.sign(rho) * max(abs(rho) - alpha, 0.0) / z
    return w
""",
            # Never checks alpha.
            "no check of alpha": """
def lasso_coordinate_descent(X, y, alpha, max_iter=1000, tol=1e-8):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(X) != len(y):
        raise ValueError("bad input")
    n, p = X.shape
    w = np.zeros(p)
    for _ in range(max_iter):
        w_old = w.copy()
        for j in range(p):
            z = X[:, j] @ X[:, j] / n
            if z == 0:
                continue
            rho = X[:, j] @ (y - X @ w + X[:, j] * w[j]) / n
            w[j] = np.sign(rho) * max(abs(rho) - alpha, 0.0) / z
        if np.max(np.abs(w - w_old)) < tol:
            break
    return w
""",
        },
    },
    "gini_split": {
        "correct": {
            # A loop over the distinct values with np.unique counts.
            "a loop over midpoints": """
def best_split(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y)
    if len(x) == 0 or len(x) != len(y) or np.isnan(x).any():
        raise ValueError("x and y must be non-empty, of equal length, and x without NaN")
    def gini(labels):
        _, counts = np.unique(labels, return_counts=True)
        p = counts / counts.sum()
        return 1.0 - float(np.sum(p ** 2))
    values = np.unique(x)
    if len(values) == 1:
        return np.nan, gini(y)
    best = None
    for lo, hi in zip(values[:-1], values[1:]):
        t = (lo + hi) / 2
        left, right = y[x <= t], y[x > t]
        imp = (len(left) * gini(left) + len(right) * gini(right)) / len(y)
        if best is None or imp < best[1] - 1e-12:
            best = (t, imp)
    return float(best[0]), float(best[1])
""",
            # Sorting once and cumulative one-hot class counts give every candidate at once.
            "cumulative class counts": """
def best_split(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y)
    if x.size == 0 or x.shape != y.shape:
        raise ValueError("x and y must be non-empty and of the same length")
    if np.isnan(x).any():
        raise ValueError("x contains NaN")
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    _, codes = np.unique(ys, return_inverse=True)
    onehot = np.eye(codes.max() + 1)[codes]
    left = np.cumsum(onehot, axis=0)[:-1]
    right = onehot.sum(axis=0) - left
    n = len(xs)
    n_left = np.arange(1, n)
    valid = xs[1:] != xs[:-1]
    total = onehot.sum(axis=0)
    if not valid.any():
        return float("nan"), float(1 - np.sum((total / n) ** 2))
    g_left = 1 - np.sum((left / n_left[:, None]) ** 2, axis=1)
    g_right = 1 - np.sum((right / (n - n_left)[:, None]) ** 2, axis=1)
    imp = (n_left * g_left + (n - n_left) * g_right) / n
    imp = np.where(valid, imp, np.inf)
    i = int(np.flatnonzero(imp <= imp.min() + 1e-12)[0])
    return (xs[i] + xs[i + 1]) / 2, imp[i]
""",
        },
        "wrong": {
            # Keeps the last of equally good thresholds.
            "ties go to the largest threshold": """
def best_split(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y)
    if len(x) == 0 or len(x) != len(y) or np.isnan(x).any():
        raise ValueError("bad input")
    def gini(labels):
        _, counts = np.unique(labels, return_counts=True)
        return 1.0 - float(np.sum((counts / counts.sum()) ** 2))
    values = np.unique(x)
    best_t, best_imp = np.nan, gini(y)
    for lo, hi in zip(values[:-1], values[1:]):
        t = (lo + hi) / 2
        left, right = y[x <= t], y[x > t]
        imp = (len(left) * gini(left) + len(right) * gini(right)) / len(y)
        if np.isnan(best_t) or imp <= best_imp + 1e-12:
            best_t, best_imp = t, imp
    return best_t, best_imp
""",
            # Without a split, returns an impurity of 0 instead of the node's own.
            "no split gives impurity 0": """
def best_split(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y)
    if len(x) == 0 or len(x) != len(y) or np.isnan(x).any():
        raise ValueError("bad input")
    def gini(labels):
        _, counts = np.unique(labels, return_counts=True)
        return 1.0 - float(np.sum((counts / counts.sum()) ** 2))
    values = np.unique(x)
    best_t, best_imp = np.nan, 0.0
    for lo, hi in zip(values[:-1], values[1:]):
        t = (lo + hi) / 2
        left, right = y[x <= t], y[x > t]
        imp = (len(left) * gini(left) + len(right) * gini(right)) / len(y)
        if np.isnan(best_t) or imp < best_imp - 1e-12:
            best_t, best_imp = t, imp
    return best_t, best_imp
""",
            # np.argmin picks the exact minimum: of two equally good thresholds, rounding may favour the larger one.
            "np.argmin over the impurities": """
def best_split(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y)
    if len(x) == 0 or len(x) != len(y) or np.isnan(x).any():
        raise ValueError("bad input")
    def gini(labels):
        _, counts = np.unique(labels, return_counts=True)
        return 1.0 - float(np.sum((counts / counts.sum()) ** 2))
    values = np.unique(x)
    if len(values) == 1:
        return np.nan, gini(y)
    thresholds = (values[:-1] + values[1:]) / 2
    impurities = [(np.sum(x <= t) * gini(y[x <= t]) + np.sum(x > t) * gini(y[x > t])) / len(y) for t in thresholds]
    i = int(np.argmin(impurities))
    return thresholds[i], impurities[i]
""",
            # Counts classes with np.bincount: only non-negative integer labels work.
            "labels counted with np.bincount": """
def best_split(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y)
    if len(x) == 0 or len(x) != len(y) or np.isnan(x).any():
        raise ValueError("bad input")
    def gini(labels):
        counts = np.bincount(labels)
        return 1.0 - float(np.sum((counts / counts.sum()) ** 2))
    values = np.unique(x)
    best_t, best_imp = np.nan, gini(y)
    for lo, hi in zip(values[:-1], values[1:]):
        t = (lo + hi) / 2
        left, right = y[x <= t], y[x > t]
        imp = (len(left) * gini(left) + len(right) * gini(right)) / len(y)
        if np.isnan(best_t) or imp < best_imp - 1e-12:
            best_t, best_imp = t, imp
    return best_t, best_imp
""",
        },
    },
    "gradient_descent": {
        "correct": {
            # Residuals, then both gradients from the same residuals.
            "vectorised updates": """
def gradient_descent(X, y, lr=0.1, n_iters=500):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if np.isnan(X).any() or np.isnan(y).any() or X.shape[0] != y.shape[0]:
        raise ValueError("X and y must have no NaN and the same number of rows")
    n = len(y)
    w, b = np.zeros(X.shape[1]), 0.0
    losses = np.empty(n_iters)
    for t in range(n_iters):
        r = X @ w + b - y
        losses[t] = r @ r / n
        w, b = w - lr * 2 / n * (X.T @ r), b - lr * 2 / n * r.sum()
    return w, float(b), losses
""",
            # One parameter vector θ = (w, b) on X with a column of ones; losses collected in a list.
            "a column of ones for the intercept": """
def gradient_descent(X, y, lr=0.1, n_iters=500):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    if len(X) != len(y):
        raise ValueError("X and y have different numbers of rows")
    if np.isnan(X).any() or np.isnan(y).any():
        raise ValueError("NaN in the input")
    A = np.hstack([X, np.ones((len(y), 1))])
    theta = np.zeros(A.shape[1])
    losses = []
    for _ in range(n_iters):
        err = A @ theta - y
        losses.append(np.mean(err ** 2))
        theta = theta - lr * (2.0 / len(y)) * A.T @ err
    return theta[:-1], float(theta[-1]), np.array(losses, dtype=float)
""",
        },
        "wrong": {
            # Updates b with the residuals of the new w (not simultaneous).
            "b from the new w": """
def gradient_descent(X, y, lr=0.1, n_iters=500):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if np.isnan(X).any() or np.isnan(y).any() or len(X) != len(y):
        raise ValueError("bad input")
    n = len(y)
    w, b = np.zeros(X.shape[1]), 0.0
    losses = []
    for _ in range(n_iters):
        r = X @ w + b - y
        losses.append(np.mean(r ** 2))
        w = w - lr * 2 / n * (X.T @ r)
        b = b - lr * 2 / n * np.sum(X @ w + b - y)
    return w, b, np.array(losses)
""",
            # Never checks for NaN.
            "no NaN check": """
def gradient_descent(X, y, lr=0.1, n_iters=500):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(X) != len(y):
        raise ValueError("bad input")
    n = len(y)
    w, b = np.zeros(X.shape[1]), 0.0
    losses = []
    for _ in range(n_iters):
        r = X @ w + b - y
        losses.append(np.mean(r ** 2))
        w, b = w - lr * 2 / n * (X.T @ r), b - lr * 2 / n * np.sum(r)
    return w, b, np.array(losses)
""",
            # Clips each step to keep the iterates bounded, so a divergent learning rate stays hidden.
            "clipped steps": """
def gradient_descent(X, y, lr=0.1, n_iters=500):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if np.isnan(X).any() or np.isnan(y).any() or len(X) != len(y):
        raise ValueError("bad input")
    n = len(y)
    w, b = np.zeros(X.shape[1]), 0.0
    losses = []
    for _ in range(n_iters):
        r = X @ w + b - y
        losses.append(np.mean(r ** 2))
        w = w - np.clip(lr * 2 / n * (X.T @ r), -100, 100)
        b = b - float(np.clip(lr * 2 / n * np.sum(r), -100, 100))
    return w, b, np.array(losses)
""",
        },
    },
    "activations": {
        "correct": {
            # scipy.special.expit is the overflow-free sigmoid.
            "scipy.special.expit": """
def activation(z, kind):
    from scipy.special import expit
    z = np.asarray(z, dtype=float)
    if kind == "relu":
        return np.where(z > 0, z, 0.0), np.where(z > 0, 1.0, 0.0)
    if kind == "sigmoid":
        s = expit(z)
        return s, s * (1 - s)
    if kind == "tanh":
        t = np.tanh(z)
        return t, 1 - t * t
    raise ValueError(f"unknown activation {kind!r}: use 'relu', 'sigmoid' or 'tanh'")
""",
            # The sigmoid from exp(-|z|); tanh as 2·σ(2z) - 1; a dict of functions.
            "exp(-|z|) and tanh from the sigmoid": """
def activation(z, kind):
    z = np.array(z, dtype=np.float64)
    def sigmoid(v):
        e = np.exp(-np.abs(v))
        return np.where(v >= 0, 1 / (1 + e), e / (1 + e))
    def relu(v):
        return np.maximum(v, 0.0), (v > 0).astype(np.float64)
    def sig(v):
        s = sigmoid(v)
        return s, s * (1 - s)
    def tanh(v):
        t = 2 * sigmoid(2 * v) - 1
        return t, 1 - t ** 2
    table = {"relu": relu, "sigmoid": sig, "tanh": tanh}
    if kind not in table:
        raise ValueError("kind must be relu, sigmoid or tanh")
    return table[kind](z)
""",
        },
        "wrong": {
            # np.maximum(z, 0) keeps the integer dtype of integer input.
            "ReLU of integers stays integer": """
def activation(z, kind):
    from scipy.special import expit
    if kind == "relu":
        return np.maximum(z, 0), (np.asarray(z) > 0) * 1
    z = np.asarray(z, dtype=float)
    if kind == "sigmoid":
        s = expit(z)
        return s, s * (1 - s)
    if kind == "tanh":
        return np.tanh(z), 1 - np.tanh(z) ** 2
    raise ValueError(kind)
""",
            # Flattens z: a matrix of pre-activations comes back 1-D.
            "flattens z": """
def activation(z, kind):
    from scipy.special import expit
    z = np.asarray(z, dtype=float).ravel()
    if kind == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(float)
    if kind == "sigmoid":
        s = expit(z)
        return s, s * (1 - s)
    if kind == "tanh":
        return np.tanh(z), 1 - np.tanh(z) ** 2
    raise ValueError(kind)
""",
            # Any other name falls through to tanh instead of raising.
            "no ValueError for an unknown kind": """
def activation(z, kind):
    from scipy.special import expit
    z = np.asarray(z, dtype=float)
    if kind == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(float)
    if kind == "sigmoid":
        s = expit(z)
        return s, s * (1 - s)
    return np.tanh(z), 1 - np.tanh(z) ** 2
""",
        },
    },
    "roc_auc": {
        "correct": {
            # Sorting, cumulative counts at the last sample of each group of tied scores, np.trapezoid.
            "cumulative counts at distinct scores": """
def roc_auc(y_true, scores):
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    if y.shape != s.shape:
        raise ValueError("y_true and scores must have the same length")
    if not np.isin(y, [0, 1]).all():
        raise ValueError("labels must be 0 or 1")
    if np.isnan(s).any():
        raise ValueError("scores contain NaN")
    y = y.astype(int)
    if y.min() == y.max():
        raise ValueError("both classes are needed")
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    tps = np.cumsum(y)[last]
    fps = (last + 1) - tps
    fpr = np.r_[0.0, fps / fps[-1]]
    tpr = np.r_[0.0, tps / tps[-1]]
    return fpr, tpr, float(np.trapezoid(tpr, fpr))
""",
            # A loop over the distinct thresholds; the AUC as the Mann-Whitney statistic (ties count 1/2).
            "threshold loop and rank statistic": """
def roc_auc(y_true, scores):
    y = np.array(y_true)
    s = np.array(scores, dtype=float)
    if len(y) != len(s):
        raise ValueError("lengths differ")
    if np.isnan(s).any():
        raise ValueError("NaN score")
    if not all(v in (0, 1) for v in y.tolist()):
        raise ValueError("labels must be 0/1")
    pos, neg = s[y == 1], s[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("a single class: the AUC is undefined")
    fpr, tpr = [0.0], [0.0]
    for t in np.unique(s)[::-1]:
        tpr.append(np.sum(pos >= t) / len(pos))
        fpr.append(np.sum(neg >= t) / len(neg))
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return np.array(fpr), np.array(tpr), (greater + 0.5 * ties) / (len(pos) * len(neg))
""",
        },
        "wrong": {
            # Accepts a single class and returns NaN.
            "no check for a single class": """
def roc_auc(y_true, scores):
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    if y.shape != s.shape or np.isnan(s).any() or not np.isin(y, [0, 1]).all():
        raise ValueError("bad input")
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    tps = np.cumsum(y)[last]
    fps = (last + 1) - tps
    with np.errstate(invalid="ignore", divide="ignore"):
        fpr = np.r_[0.0, fps / fps[-1]]
        tpr = np.r_[0.0, tps / tps[-1]]
    return fpr, tpr, float(np.trapezoid(tpr, fpr))
""",
            # Requires an integer dtype, so boolean labels are refused.
            "rejects boolean labels": """
def roc_auc(y_true, scores):
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    if not np.issubdtype(y.dtype, np.integer) or not np.isin(y, [0, 1]).all():
        raise ValueError("y_true must hold the integers 0 and 1")
    if y.shape != s.shape or np.isnan(s).any() or len(np.unique(y)) < 2:
        raise ValueError("bad input")
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    tps = np.cumsum(y)[last]
    fps = np.cumsum(1 - y)[last]
    fpr = np.r_[0.0, fps / fps[-1]]
    tpr = np.r_[0.0, tps / tps[-1]]
    return fpr, tpr, float(np.trapezoid(tpr, fpr))
""",
            # Accepts any labels, counting every non-zero label as positive.
            "no check of the labels": """
def roc_auc(y_true, scores):
    y = (np.asarray(y_true) != 0).astype(int)
    s = np.asarray(scores, dtype=float)
    if y.shape != s.shape or np.isnan(s).any() or len(np.unique(y)) < 2:
        raise ValueError("bad input")
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    tps = np.cumsum(y)[last]
    fps = (last + 1) - tps
    fpr = np.r_[0.0, fps / fps[-1]]
    tpr = np.r_[0.0, tps / tps[-1]]
    return fpr, tpr, float(np.trapezoid(tpr, fpr))
""",
        },
    },
    "distance_contrast": {
        "correct": {
            # SciPy's pdist gives the distances of the pairs i < j.
            "scipy pdist": """
def relative_contrast(X):
    from scipy.spatial.distance import pdist
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] < 2 or np.isnan(X).any():
        raise ValueError("X must be 2-D with at least two rows and no NaN")
    d = pdist(X)
    if d.min() == 0:
        return np.inf
    return float((d.max() - d.min()) / d.min())
""",
            # Centre first (distances do not change), then the Gram-matrix form is accurate.
            "the Gram form after centring": """
def relative_contrast(X):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError("X must be 2-D")
    if len(X) < 2:
        raise ValueError("X needs at least two rows")
    if np.isnan(X).any():
        raise ValueError("X contains NaN")
    Xc = X - X.mean(axis=0)
    sq = (Xc ** 2).sum(axis=1)
    D2 = sq[:, None] + sq[None, :] - 2 * Xc @ Xc.T
    i, j = np.triu_indices(len(X), k=1)
    diff_zero = np.all(X[i] == X[j], axis=1)
    d = np.sqrt(np.clip(D2[i, j], 0, None))
    d[diff_zero] = 0.0
    lo = d.min()
    return np.inf if lo == 0 else (d.max() - lo) / lo
""",
        },
        "wrong": {
            # ‖a‖² + ‖b‖² - 2a·b on the raw points loses precision far from the origin.
            "the Gram shortcut on raw points": """
def relative_contrast(X):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] < 2 or np.isnan(X).any():
        raise ValueError("bad X")
    sq = (X ** 2).sum(axis=1)
    D2 = sq[:, None] + sq[None, :] - 2 * X @ X.T
    d = np.sqrt(np.clip(D2[np.triu_indices(len(X), k=1)], 0, None))
    return np.inf if d.min() == 0 else float((d.max() - d.min()) / d.min())
""",
            # Drops zero distances to get rid of the self-pairs, so coinciding rows are missed.
            "drops every zero distance": """
def relative_contrast(X):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] < 2 or np.isnan(X).any():
        raise ValueError("bad X")
    D = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))
    d = D[D > 0]
    return float((d.max() - d.min()) / d.min())
""",
            # Never checks for NaN.
            "no NaN check": """
def relative_contrast(X):
    from scipy.spatial.distance import pdist
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] < 2:
        raise ValueError("bad X")
    d = pdist(X)
    return np.inf if d.min() == 0 else float((d.max() - d.min()) / d.min())
""",
        },
    },
}
