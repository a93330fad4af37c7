"""Typical wrong answers to the coding tasks of assignment 1, questions F1–F10.

``WRONG[task_id]`` replaces the source of the task's solution cell; the task's graded test cell must then
fail (on a visible check or a hidden test).
"""

WRONG = {
    # Shuffles all rows and cuts once: the split is random but not stratified, so class shares drift.
    "stratified_split": '''
def stratified_split(y, test_size=0.25, seed=0):
    if not 0 < test_size < 1:
        raise ValueError("test_size must be strictly between 0 and 1")
    y = np.asarray(y)
    rows = np.random.default_rng(seed).permutation(len(y))
    n_test = int(round(test_size * len(y)))
    return np.sort(rows[n_test:]), np.sort(rows[:n_test])
''',
    # Shuffles the rows before cutting the folds: the scores no longer match contiguous KFold folds.
    "kfold_cv": '''
def kfold_scores(model, X, y, k=5):
    from sklearn.base import clone
    X, y = np.asarray(X), np.asarray(y)
    if not 2 <= k <= len(y):
        raise ValueError("k must be between 2 and the number of rows")
    idx = np.random.default_rng(0).permutation(len(y))
    scores = []
    for fold in np.array_split(idx, k):
        train = np.setdiff1d(idx, fold)
        scores.append(clone(model).fit(X[train], y[train]).score(X[fold], y[fold]))
    return np.array(scores)
''',
    # Precision and recall swapped (dividing by the actual instead of the predicted positives).
    "confusion_prf": '''
def confusion_report(y_true, y_pred, positive=1):
    t = np.asarray(y_true) == positive
    p = np.asarray(y_pred) == positive
    if t.shape != p.shape:
        raise ValueError("y_true and y_pred must have the same length")
    tp = int(np.sum(t & p)); fp = int(np.sum(~t & p))
    fn = int(np.sum(t & ~p)); tn = int(np.sum(~t & ~p))
    ratio = lambda a, b: a / b if b else 0.0
    return {
        "matrix": np.array([[tn, fp], [fn, tp]]),
        "precision": ratio(tp, tp + fn),
        "recall": ratio(tp, tp + fp),
        "f1": ratio(2 * tp, 2 * tp + fp + fn),
    }
''',
    # The scaler is fitted on training and test rows together: test statistics leak into the transform.
    "scale_train_only": '''
def standardize_train_test(X_train, X_test):
    X_train = np.array(X_train, dtype=float)
    X_test = np.array(X_test, dtype=float)
    both = np.vstack([X_train, X_test])
    mean = np.nanmean(both, axis=0)
    std = np.nanstd(both, axis=0)
    std = np.where(std > 0, std, 1.0)
    return (X_train - mean) / std, (X_test - mean) / std
''',
    # The degree is chosen by the training error, which always prefers the most flexible model.
    "degree_by_validation": '''
def polynomial_validation_curve(x_train, y_train, x_val, y_val, degrees, tolerance=0.0):
    x_train, y_train = np.asarray(x_train, dtype=float), np.asarray(y_train, dtype=float)
    x_val, y_val = np.asarray(x_val, dtype=float), np.asarray(y_val, dtype=float)
    degrees = [int(d) for d in degrees]
    if any(d < 0 or d >= len(x_train) for d in degrees):
        raise ValueError("every degree must be in 0..n_train - 1")
    train_mse, val_mse = [], []
    for d in degrees:
        coef = np.polyfit(x_train, y_train, d)
        train_mse.append(np.mean((np.polyval(coef, x_train) - y_train) ** 2))
        val_mse.append(np.mean((np.polyval(coef, x_val) - y_val) ** 2))
    train_mse, val_mse = np.array(train_mse), np.array(val_mse)
    acceptable = train_mse <= train_mse.min() * (1 + tolerance)
    return {"train_mse": train_mse, "val_mse": val_mse, "best_degree": int(np.min(np.array(degrees)[acceptable]))}
''',
}
