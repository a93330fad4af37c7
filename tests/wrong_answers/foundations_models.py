"""Typical wrong answers to the tasks of assignment 1, questions F11–F20.

``WRONG[task_id]`` is the full source of a solution cell that makes one typical mistake; put in place
of the reference solution, it must make the task's graded test cell fail.
"""

WRONG = {
    # Forgets the 1/n of scikit-learn's Lasso objective: it minimises ½‖y − Xw‖² + alpha‖w‖₁, so the
    # penalty is n times too weak (and an all-zero column divides by zero).
    "lasso_cd": '''
def lasso_coordinate_descent(X, y, alpha, max_iter=1000, tol=1e-8):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, p = X.shape
    w = np.zeros(p)
    for _ in range(max_iter):
        w_old = w.copy()
        for j in range(p):
            partial = y - X @ w + X[:, j] * w[j]
            rho = X[:, j] @ partial
            w[j] = np.sign(rho) * max(abs(rho) - alpha, 0.0) / (X[:, j] @ X[:, j])
        if np.max(np.abs(w - w_old)) < tol:
            break
    return w
''',
    # SVD of the raw data: without centring, the first direction points towards the mean.
    "pca_svd": '''
def pca_svd(X, n_components):
    X = np.asarray(X, dtype=float)
    _, s, vt = np.linalg.svd(X, full_matrices=False)
    return vt[:n_components], (s ** 2 / np.sum(s ** 2))[:n_components]
''',
    # Entropy (information gain) instead of the Gini impurity the task asks for.
    "gini_split": '''
def best_split(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y)
    def entropy(labels):
        if len(labels) == 0:
            return 0.0
        _, counts = np.unique(labels, return_counts=True)
        p = counts / counts.sum()
        return float(-np.sum(p * np.log2(p)))
    values = np.unique(x)
    best_t, best_imp = np.nan, entropy(y)
    for lo, hi in zip(values[:-1], values[1:]):
        t = (lo + hi) / 2
        left, right = y[x <= t], y[x > t]
        imp = (len(left) * entropy(left) + len(right) * entropy(right)) / len(y)
        if np.isnan(best_t) or imp < best_imp - 1e-12:
            best_t, best_imp = t, imp
    return best_t, best_imp
''',
    # Sums the gradient over samples instead of averaging: steps are n times too large and diverge.
    "gradient_descent": '''
def gradient_descent(X, y, lr=0.1, n_iters=500):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    losses = []
    for _ in range(n_iters):
        r = X @ w + b - y
        losses.append(np.mean(r ** 2))
        w = w - lr * 2 * (X.T @ r)
        b = b - lr * 2 * r.sum()
    return w, b, np.array(losses)
''',
    # The textbook sigmoid 1 / (1 + exp(-z)) overflows (with a RuntimeWarning) for large negative z.
    "activations": '''
def activation(z, kind):
    z = np.asarray(z, dtype=float)
    if kind == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(float)
    if kind == "sigmoid":
        a = 1.0 / (1.0 + np.exp(-z))
        return a, a * (1.0 - a)
    if kind == "tanh":
        a = np.tanh(z)
        return a, 1.0 - a ** 2
    raise ValueError(kind)
''',
    # One ROC point per sample: tied scores are split into several points in arbitrary order.
    "roc_auc": '''
def roc_auc(y_true, scores):
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    order = np.argsort(-s)
    y_sorted = y[order]
    tpr = np.r_[0.0, np.cumsum(y_sorted) / y.sum()]
    fpr = np.r_[0.0, np.cumsum(1 - y_sorted) / (len(y) - y.sum())]
    return fpr, tpr, float(np.trapezoid(tpr, fpr))
''',
    # Takes the minimum over the full distance matrix, whose diagonal (each point to itself) is 0.
    "distance_contrast": '''
def relative_contrast(X):
    X = np.asarray(X, dtype=float)
    D = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))
    return float((D.max() - D.min()) / D.min())
''',
}
