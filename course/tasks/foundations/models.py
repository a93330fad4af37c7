"""Coding tasks of assignment 1 for questions F11–F20: regularization, PCA, trees, optimisation, ROC."""
from __future__ import annotations

import numpy as np

from .._expect import as_array, call, call_without_warnings, expect, expect_close, scalar, unpack
from .._task import Task
from . import A


# --- F11: the Lasso by coordinate descent ---------------------------------------------------------

def _lasso_data(seed: int) -> dict:
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(y), size=200, replace=False)
    X = X[rows]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    y = y[rows] - y[rows].mean()
    alpha_max = np.abs(X.T @ y).max() / len(y)
    return {"X": X, "y": y, "alpha": float(rng.choice([0.03, 0.1, 0.3])) * alpha_max}


def _lasso_matches_sklearn(fn, data):
    from sklearn.linear_model import Lasso

    X, y, alpha = data["X"], data["y"], data["alpha"]
    w = as_array(call(fn, X, y, alpha), "lasso_coordinate_descent(X, y, alpha)", ndim=1)
    expect(w.shape == (X.shape[1],), f"The coefficients should have one entry per column of X: shape ({X.shape[1]},), got {w.shape}.")
    expect(np.isfinite(w).all(), "The coefficients contain NaN or inf: check for a division by zero or a diverging update.")
    ref = Lasso(alpha=alpha, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y).coef_
    expect(np.array_equal(w == 0, ref == 0),
           "Your coefficients are not zero exactly where the Lasso's are: the update must soft-threshold "
           "(set a coefficient to exactly 0 when its correlation with the residual is within alpha), with the "
           "1/n_samples scaling of the objective.")
    expect_close(w, ref, "The Lasso coefficients", rtol=1e-5, atol=1e-5 * max(1.0, np.abs(ref).max()),
                 hint="Compare your objective with (1 / (2 n)) ||y - Xw||² + alpha ||w||₁ and iterate until the changes are below tol.")


# --- F13: PCA through the SVD ----------------------------------------------------------------------

def _pca_data(seed: int) -> dict:
    from sklearn.datasets import load_wine

    X, _ = load_wine(return_X_y=True)
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(X), size=120, replace=False)
    X = X[rows]
    # Standardize so no single feature's unit dominates; then PCA's centring is still the learner's job:
    # shift every column by a random offset so an uncentred SVD gives clearly different directions.
    X = (X - X.mean(axis=0)) / X.std(axis=0) + rng.uniform(1, 3, size=X.shape[1])
    return {"X": X, "n_components": int(rng.integers(2, 5))}


def _pca_matches_sklearn(fn, data):
    from sklearn.decomposition import PCA

    X, k = data["X"], data["n_components"]
    components, ratio = unpack(call(fn, X, k), 2, "pca_svd")
    components = as_array(components, "components", ndim=2)
    ratio = as_array(ratio, "explained_variance_ratio", ndim=1)
    expect(components.shape == (k, X.shape[1]),
           f"components should have one row per component and one column per feature: shape ({k}, {X.shape[1]}), got {components.shape}.")
    expect(ratio.shape == (k,), f"explained_variance_ratio should have one entry per component: shape ({k},), got {ratio.shape}.")
    expect(np.isfinite(components).all() and np.isfinite(ratio).all(), "Your result contains NaN or inf.")
    expect(np.allclose(components @ components.T, np.eye(k), atol=1e-8),
           "The components should be orthonormal rows (unit length, mutually orthogonal): take them from the rows of Vᵀ.")
    ref = PCA(n_components=k, svd_solver="full").fit(X)
    expect_close(ratio, ref.explained_variance_ratio_, "explained_variance_ratio", rtol=1e-6,
                 hint="It is each component's variance divided by the total variance of the centred data.")
    agreement = np.abs(np.sum(components * ref.components_, axis=1))
    expect(np.allclose(agreement, 1.0, atol=1e-6),
           "Your components do not point along PCA's principal directions (signs may differ, directions may not): "
           "did you centre each column before the SVD, and sort by decreasing singular value?")


# --- F15: the best Gini split of one feature -------------------------------------------------------

def _split_data(seed: int) -> dict:
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(y), size=100, replace=False)
    return {"x": X[rows, seed % 4], "y": y[rows]}


def _split_matches_stump(fn, data):
    from sklearn.tree import DecisionTreeClassifier

    x, y = data["x"], data["y"]
    threshold, impurity = unpack(call(fn, x, y), 2, "best_split")
    threshold = scalar(threshold, "The threshold")
    impurity = scalar(impurity, "The impurity")
    expect(np.isfinite(threshold), "The threshold should be a finite number: this feature has several distinct values, so a split exists.")
    expect(0.0 <= impurity <= 1.0, "A weighted Gini impurity lies between 0 and 1.")
    stump = DecisionTreeClassifier(max_depth=1, random_state=0).fit(x.reshape(-1, 1), y).tree_
    n = stump.n_node_samples
    ref_impurity = (n[1] * stump.impurity[1] + n[2] * stump.impurity[2]) / n[0]
    expect(abs(impurity - ref_impurity) < 1e-9,
           "The impurity of your split is not the weighted Gini impurity of the best split: Gini is 1 - Σ p_k², "
           "weighted by the share of samples on each side.")
    expect(abs(threshold - stump.threshold[0]) < 1e-6,
           "Your threshold is not the one a depth-1 decision tree chooses: thresholds are midpoints between "
           "consecutive distinct sorted values, and samples with x <= threshold go left.")


# --- F16: batch gradient descent for linear regression --------------------------------------------

def _gd_data(seed: int) -> dict:
    from sklearn.datasets import make_regression

    X, y = make_regression(n_samples=200, n_features=5, noise=10.0, random_state=seed)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return {"X": X, "y": y + 50.0, "lr": 0.1, "n_iters": 300}


def _gd_reaches_least_squares(fn, data):
    from sklearn.linear_model import LinearRegression

    X, y, lr, n_iters = data["X"], data["y"], data["lr"], data["n_iters"]
    w, b, losses = unpack(call(fn, X, y, lr=lr, n_iters=n_iters), 3, "gradient_descent")
    w = as_array(w, "w", ndim=1)
    b = scalar(b, "b")
    losses = as_array(losses, "losses", ndim=1)
    expect(w.shape == (X.shape[1],), f"w should have one weight per feature: shape ({X.shape[1]},), got {w.shape}.")
    expect(losses.shape == (n_iters,), f"losses should hold one value per iteration: shape ({n_iters},), got {losses.shape}.")
    expect(np.isfinite(w).all() and np.isfinite(losses).all(),
           "Your weights or losses contain NaN or inf: the iterations diverge. Check the sign of the step and "
           "that the gradient is an average over samples, not a sum.")
    expect(abs(losses[0] - np.mean(y ** 2)) < 1e-8 * max(1.0, np.mean(y ** 2)),
           "losses[0] should be the mean squared error of the starting point w = 0, b = 0 (before any update).")
    expect(np.all(np.diff(losses) <= 1e-9 * losses[0]),
           "With this small learning rate the loss should never increase: check the gradient formula.")
    ref = LinearRegression().fit(X, y)
    expect_close(w, ref.coef_, "w", rtol=1e-6, atol=1e-6,
                 hint="After enough iterations w should reach the least-squares solution.")
    expect(abs(b - ref.intercept_) < 1e-6 * max(1.0, abs(ref.intercept_)),
           "b has the wrong value on the visible example: is the intercept updated with its own gradient?")


# --- F17: activation functions and their derivatives ----------------------------------------------

def _activation_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    z = np.concatenate([rng.normal(0, 3, size=40), [-1000.0, -50.0, 0.0, 50.0, 1000.0]])
    return {"z": z}


# Derivatives at z = 0, worked by hand: ReLU'(0) = 0 (the course's convention), σ'(0) = σ(0)(1 - σ(0)) = 1/4,
# tanh'(0) = 1 - tanh(0)² = 1.
_SLOPE_AT_ZERO = {"relu": 0.0, "sigmoid": 0.25, "tanh": 1.0}


def _activation_values_ok(kind, z, a) -> bool:
    """ReLU by its definition; the sigmoid and tanh against SciPy's and NumPy's own implementations."""
    from scipy.special import expit

    if kind == "relu":
        return bool(np.all(a[z > 0] == z[z > 0]) and np.all(a[z <= 0] == 0))
    return bool(np.allclose(a, expit(z) if kind == "sigmoid" else np.tanh(z), rtol=1e-9, atol=1e-12))


def _activations_correct(fn, data):
    z = data["z"]
    h = 1e-5
    smooth = np.abs(z) > 1e-3          # ReLU has a kink at 0: compare slopes by finite differences away from it
    for kind in ("relu", "sigmoid", "tanh"):
        runs = []
        for points in (z, z + h, z - h):
            out = call_without_warnings(fn, points, kind, what=f"activation(z, {kind!r}) for large |z|",
                                        advice="compute it in a form that never overflows.")
            a, da = unpack(out, 2, "activation")
            a = as_array(a, f"the {kind} values", ndim=1)
            da = as_array(da, f"the {kind} derivatives", ndim=1)
            expect(a.shape == z.shape and da.shape == z.shape, f"activation(z, {kind!r}) should return arrays shaped like z.")
            expect(np.isfinite(a).all() and np.isfinite(da).all(), f"activation(z, {kind!r}) returns NaN or inf for large |z|.")
            runs.append((a, da))
        (a, da), (a_up, _), (a_down, _) = runs
        expect(_activation_values_ok(kind, z, a), f"The {kind} values have the wrong value on the visible example.")
        numeric = (a_up - a_down) / (2 * h)    # central finite difference of your own values
        expect(np.allclose(da[smooth], numeric[smooth], rtol=1e-5, atol=1e-7),
               f"The {kind} derivatives do not match the slope of the {kind} values (a finite-difference check): "
               "differentiate with respect to z.")
        at_zero = da[z == 0]
        expect(np.allclose(at_zero, _SLOPE_AT_ZERO[kind], atol=1e-12),
               f"The {kind} derivative at z = 0 is wrong" + (" (the course uses 0 for ReLU at z = 0)." if kind == "relu" else "."))


# --- F19: ROC curve and AUC from scratch ----------------------------------------------------------

def _roc_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    y = (rng.random(300) < 0.3).astype(int)
    scores = np.round(rng.normal(loc=1.2 * y, scale=1.0), 1)  # rounding creates many tied scores
    return {"y_true": y, "scores": scores}


def _roc_matches_sklearn(fn, data):
    from sklearn.metrics import roc_auc_score, roc_curve

    y, s = data["y_true"], data["scores"]
    fpr, tpr, auc = unpack(call(fn, y, s), 3, "roc_auc")
    fpr = as_array(fpr, "fpr", ndim=1)
    tpr = as_array(tpr, "tpr", ndim=1)
    auc = scalar(auc, "auc")
    expect(fpr.shape == tpr.shape, "fpr and tpr should have the same length.")
    expect(fpr[0] == 0 and tpr[0] == 0, "The curve should start at (0, 0): the threshold above every score predicts no positives.")
    expect(np.isclose(fpr[-1], 1) and np.isclose(tpr[-1], 1), "The curve should end at (1, 1): the lowest threshold predicts every sample positive.")
    expect(np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0), "fpr and tpr should never decrease as the threshold goes down.")
    ref_fpr, ref_tpr, _ = roc_curve(y, s, drop_intermediate=False)
    expect(len(fpr) == len(ref_fpr),
           "Your curve has the wrong number of points: one point per distinct score (samples with tied scores "
           "cross the threshold together) plus the starting point (0, 0).")
    expect_close(fpr, ref_fpr, "fpr", rtol=1e-9)
    expect_close(tpr, ref_tpr, "tpr", rtol=1e-9)
    expect(abs(auc - roc_auc_score(y, s)) < 1e-9,
           "auc has the wrong value on the visible example: it is the area under your (fpr, tpr) points by the trapezoidal rule.")


# --- F20: distance concentration ------------------------------------------------------------------

def _contrast_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    return {"X": rng.random((60, int(rng.choice([3, 30, 300]))))}


# Hand-worked examples: points 0, 1 and 3 on a line have distances 1, 2 and 3, so (3 - 1) / 1 = 2; the corners
# of a unit square have four sides of 1 and two diagonals of √2, so √2 - 1.
_CONTRAST_EXAMPLES = (([[0.0], [1.0], [3.0]], 2.0), ([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], 0.41421356237309515))


def _contrast_properties(fn, data):
    X = data["X"]
    value = scalar(call(fn, X), "relative_contrast(X)")
    expect(np.isfinite(value),
           "relative_contrast(X) returned inf or NaN for points that are all distinct: is each point's zero "
           "distance to itself included in the minimum?")
    expect(value >= 0, "The relative contrast (max - min) / min is never negative.")
    for points, want in _CONTRAST_EXAMPLES:
        got = scalar(call(fn, np.array(points)), "relative_contrast on a small example")
        expect(abs(got - want) < 1e-9,
               "relative_contrast is wrong on a small hand-worked example: use Euclidean (not squared) distances "
               "between distinct pairs of rows.")
    moved = scalar(call(fn, 7.0 * X[::-1] + 1e3), "relative_contrast of the rows moved, rescaled and reordered")
    expect(abs(moved - value) < 1e-6 * max(1.0, value),
           "Moving the points far from the origin, rescaling them or reordering the rows changed the relative contrast: "
           "it depends only on the ratios of the pairwise distances (compute distances from differences, not with "
           "the ‖a‖² + ‖b‖² - 2a·b shortcut).")


TASKS = [
    Task(
        id="lasso_cd",
        assignment=A,
        question="F11",
        title="The Lasso by coordinate descent",
        function="lasso_coordinate_descent",
        points=4,
        hints=(
            "Optimise one coefficient at a time with the others held fixed: for w_j alone the objective is a "
            "one-dimensional quadratic plus alpha·|w_j|, whose minimiser has a closed form.",
            "Keep a residual r = y - Xw. The part of r that w_j can explain is rho_j = x_jᵀ(r + x_j w_j) / n; "
            "the minimiser is the soft-thresholding of rho_j at alpha, divided by ||x_j||² / n.",
            "Soft-thresholding is S(z, t) = sign(z)·max(|z| - t, 0). After changing w_j, update r by "
            "-x_j·(new - old); stop when a whole sweep changes no coefficient by tol or more. Skip all-zero columns.",
        ),
        checks=(_lasso_matches_sklearn,),
        make_data=_lasso_data,
    ),
    Task(
        id="pca_svd",
        assignment=A,
        question="F13",
        title="PCA through the singular value decomposition",
        function="pca_svd",
        points=3,
        hints=(
            "PCA looks for directions of largest variance around the mean, so the first step is about the mean.",
            "Subtract each column's mean, then `np.linalg.svd(Xc, full_matrices=False)`: the rows of Vᵀ are the "
            "principal directions, already sorted by decreasing singular value.",
            "The variance along component i is s_i² / (n - 1); its share is s_i² / Σ s². Keep the first "
            "n_components rows of Vᵀ and the matching shares, and validate n_components first.",
        ),
        checks=(_pca_matches_sklearn,),
        make_data=_pca_data,
    ),
    Task(
        id="gini_split",
        assignment=A,
        question="F15",
        title="The best Gini split of one feature",
        function="best_split",
        points=3,
        hints=(
            "Sort the samples by x; the only thresholds worth trying lie between two consecutive distinct values.",
            "For a candidate split, Gini(side) = 1 - Σ_k p_k² over the classes on that side, and the split's "
            "impurity is (n_left·Gini(left) + n_right·Gini(right)) / n.",
            "Scan the candidates from the smallest threshold up and keep a new one only if its impurity is "
            "smaller by more than 1e-12, so ties go to the smallest threshold. Cumulative class counts "
            "(np.cumsum of one-hot labels) give every candidate's counts at once.",
        ),
        checks=(_split_matches_stump,),
        make_data=_split_data,
    ),
    Task(
        id="gradient_descent",
        assignment=A,
        question="F16",
        title="Batch gradient descent for linear regression",
        function="gradient_descent",
        points=3,
        hints=(
            "Each iteration: compute the residuals of the current parameters, record the loss, then move both "
            "w and b a step against their gradients.",
            "With r = Xw + b - y, the gradients of mean(r²) are (2/n)·Xᵀr for w and (2/n)·Σr for b.",
            "Record losses[t] before updating, so losses[0] is the loss of w = 0, b = 0; use the old w and b "
            "for both gradients of the same iteration.",
        ),
        checks=(_gd_reaches_least_squares,),
        make_data=_gd_data,
    ),
    Task(
        id="activations",
        assignment=A,
        question="F17",
        title="Activation functions and their derivatives",
        function="activation",
        points=2,
        hints=(
            "Write each derivative in terms of the activation's own value: that is also how backpropagation "
            "reuses the forward pass.",
            "sigmoid' = σ(1 - σ), tanh' = 1 - tanh², ReLU' = 1 where z > 0 and 0 elsewhere.",
            "np.exp(-z) overflows for z = -1000. Either use `scipy.special.expit`, or compute exp(-|z|) and "
            "pick 1 / (1 + e) or e / (1 + e) with np.where depending on the sign of z.",
        ),
        checks=(_activations_correct,),
        make_data=_activation_data,
    ),
    Task(
        id="roc_auc",
        assignment=A,
        question="F19",
        title="ROC curve and AUC from scratch",
        function="roc_auc",
        points=4,
        hints=(
            "Lower the threshold from above the highest score down to the lowest; each time it passes a score, "
            "every sample with that score becomes a predicted positive.",
            "Sort the scores in decreasing order, take cumulative sums of positives and negatives, and keep "
            "only the positions where the next score differs (the last sample of each group of ties).",
            "Divide the cumulative counts by the totals of positives and negatives, prepend (0, 0), and "
            "integrate with the trapezoidal rule: `np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2)` works on every "
            "NumPy version (`np.trapezoid` exists from NumPy 2.0; older versions call it `np.trapz`). Validate the "
            "inputs before anything else.",
        ),
        checks=(_roc_matches_sklearn,),
        make_data=_roc_data,
    ),
    Task(
        id="distance_contrast",
        assignment=A,
        question="F20",
        title="Relative contrast of pairwise distances",
        function="relative_contrast",
        points=2,
        hints=(
            "You need the Euclidean distance of every pair of distinct rows, i < j, and nothing else.",
            "`scipy.spatial.distance.pdist(X)` returns exactly those distances; with NumPy alone, take the "
            "upper triangle (`np.triu_indices(n, k=1)`) of the full distance matrix.",
            "The ‖a‖² + ‖b‖² - 2a·b shortcut loses precision for points far from the origin: centre X first "
            "(distances do not change) or use differences. Return np.inf when the smallest distance is 0.",
        ),
        checks=(_contrast_properties,),
        make_data=_contrast_data,
    ),
]
