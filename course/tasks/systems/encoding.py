"""Coding tasks for A3: encoding categorical features without leaking the label."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, dense, expect
from .._task import Task
from . import A

NOMINAL = ["plan", "country"]
ORDINAL = {"support_tier": ["bronze", "silver", "gold", "platinum"]}
HIGH_CARDINALITY = ["city"]
NUMERIC = ["tenure_months", "monthly_spend", "seats"]


# --- A3a: one ColumnTransformer for nominal, ordinal, high-cardinality and numeric columns ----------

def _preprocessor_data(seed: int) -> dict:
    from ...datasets.systems import load_customers

    X, y = load_customers(n=700, seed=200 + seed)
    new = X.iloc[:6].copy()
    new.loc[new.index[0], "plan"] = "enterprise"          # a plan launched after training
    new.loc[new.index[1], "country"] = "JP"               # a country never seen in training
    new.loc[new.index[2], "support_tier"] = "diamond"     # an unknown level
    new.loc[new.index[3], "city"] = "city_999"            # a city never seen in training
    new.loc[new.index[4], "monthly_spend"] = np.nan
    nominal, numeric = list(NOMINAL), list(NUMERIC)
    if seed:   # a variant names its own columns, in its own order: the transformer built for one fits no other
        rng = np.random.default_rng(seed)
        nominal = [str(c) for c in rng.permutation(NOMINAL)]
        numeric = [str(c) for c in rng.permutation(NUMERIC)[: int(rng.integers(2, len(NUMERIC) + 1))]]
    return {"nominal": nominal, "ordinal": {k: list(v) for k, v in ORDINAL.items()},
            "high_cardinality": list(HIGH_CARDINALITY), "numeric": numeric,
            "X": X, "y": y, "X_new": new}


def _columns(names, prefix):
    return [i for i, n in enumerate(names) if n.startswith(prefix + "__")]


def _preprocessor_correct(fn, data):
    from sklearn.base import clone
    from sklearn.compose import ColumnTransformer

    d = data
    ct = call(fn, d["nominal"], d["ordinal"], d["high_cardinality"], d["numeric"])
    if not isinstance(ct, ColumnTransformer):
        raise CheckFailure(f"categorical_preprocessor should return a ColumnTransformer, got {type(ct).__name__}.")
    expect(not hasattr(ct, "transformers_"), "Return the ColumnTransformer unfitted: the pipeline that uses it fits it on training data.")
    names = [t[0] for t in ct.transformers]
    missing = [n for n in ("onehot", "ordinal", "target", "numeric") if n not in names]
    expect(not missing, f"Name the transformers 'onehot', 'ordinal', 'target' and 'numeric'; missing: {', '.join(missing)}.")
    X, y, new = d["X"], d["y"], d["X_new"]
    try:
        Z = ct.fit_transform(X, y)
        feature_names = list(ct.get_feature_names_out())
        Z_new = ct.transform(new)
    except Exception as err:  # the learner's configuration may fail in many ways
        raise CheckFailure(f"Fitting or applying your ColumnTransformer raised {type(err).__name__}: {err}") from None
    Z, Z_new = dense(Z), dense(Z_new)
    n_onehot = sum(X[c].nunique() for c in d["nominal"])
    expected_width = n_onehot + len(d["ordinal"]) + len(d["high_cardinality"]) + len(d["numeric"])
    expect(Z.shape == (len(X), expected_width),
           f"The output should have {expected_width} columns (one per nominal category, one per ordinal, target-encoded "
           f"and numeric column), got {Z.shape[1]}.")
    expect(np.isfinite(Z).all() and np.isfinite(Z_new).all(),
           "The output contains NaN: monthly_spend has missing values, so impute the numeric columns before scaling.")
    oh = _columns(feature_names, "onehot")
    expect(len(oh) == n_onehot, "The 'onehot' block should have one column per category of the nominal columns.")
    plan_cols = [i for i in oh if feature_names[i].startswith("onehot__plan_")]
    expect(np.all(Z_new[0, plan_cols] == 0),
           "An unseen plan should give all zeros in its one-hot block: OneHotEncoder(handle_unknown='ignore').")
    ordinal_cols = _columns(feature_names, "ordinal")
    expect(len(ordinal_cols) == len(d["ordinal"]), "The 'ordinal' block should have one column per ordinal feature.")
    tier = ordinal_cols[0]
    levels = d["ordinal"]["support_tier"]
    for i, level in enumerate(levels):
        rows = (X["support_tier"] == level).to_numpy()
        expect(np.all(Z[rows, tier] == i),
               "The ordinal codes do not follow the given order of the levels (bronze < silver < gold < platinum): "
               "pass the levels with OrdinalEncoder(categories=[...]) instead of letting it sort them alphabetically.")
    expect(Z_new[2, tier] == -1,
           "An unknown ordinal level should be encoded as -1: handle_unknown='use_encoded_value', unknown_value=-1.")
    target_cols = _columns(feature_names, "target")
    expect(len(target_cols) == len(d["high_cardinality"]),
           "The 'target' block should have one column per high-cardinality feature (the label is binary).")
    city = target_cols[0]
    refit = clone(ct).fit(X, y)
    again = refit.transform(X)
    again = np.asarray(again.toarray() if hasattr(again, "toarray") else again, dtype=float)
    expect(not np.allclose(again[:, city], Z[:, city]),
           "Your target-encoded training column equals what the fitted encoder gives for the same rows: each row was "
           "encoded with statistics that include its own label. Use an encoder that cross-fits in fit_transform "
           "(sklearn's TargetEncoder).")
    expect(abs(Z_new[3, city] - y.mean()) < 0.02,
           "A city never seen in training should be encoded with (about) the overall target mean.")


# --- A3b: out-of-fold target encoding by hand ------------------------------------------------------

def _oof_data(seed: int) -> dict:
    from ...datasets.systems import load_customers

    X, y = load_customers(n=400, seed=300 + seed, n_cities=60)
    rng = np.random.default_rng(seed)
    return {"categories": X["city"].to_numpy(), "y": y.astype(float),
            "n_splits": int(rng.choice([4, 5])), "smoothing": float(rng.choice([5.0, 10.0]))}


# A hand-worked example: three folds of two rows, smoothing 1. Fold 1 (rows 0, 1) sees rows 2-5: prior 1/2,
# "a" 1 positive in 3 rows -> (1 + 0.5) / (3 + 1), "b" 1 in 1 -> (1 + 0.5) / (1 + 1); and so on.
_TINY = {"categories": np.array(["a", "b", "a", "b", "a", "a"], dtype=object), "y": np.array([1.0, 0, 0, 1, 1, 0]),
         "n_splits": 3, "smoothing": 1.0}
_TINY_ENCODING = [0.375, 0.75, 0.625, 0.25, 0.5, 0.5]


def _encode(fn, categories, y, n_splits, smoothing, what):
    enc = as_array(call(fn, categories, y, n_splits=n_splits, smoothing=smoothing), what, ndim=1)
    expect(enc.shape == np.shape(y), f"Return one encoded value per row: shape {np.shape(y)}, got {enc.shape}.")
    return enc


def _oof_correct(fn, data):
    d = data
    cats, y, k, smoothing = d["categories"], d["y"], d["n_splits"], d["smoothing"]
    enc = _encode(fn, cats, y, k, smoothing, "oof_target_encoding(...)")
    expect(np.isfinite(enc).all(),
           "Some encodings are NaN or inf: a category absent from the other folds should get the prior (the mean of y "
           "on those folds), not 0 / 0.")
    expect(enc.min() >= y.min() - 1e-12 and enc.max() <= y.max() + 1e-12,
           "A smoothed mean of the labels must lie between the smallest and the largest label.")
    tiny = _encode(fn, _TINY["categories"], _TINY["y"], _TINY["n_splits"], _TINY["smoothing"],
                   "oof_target_encoding on a six-row example")
    expect(np.allclose(tiny, _TINY_ENCODING, rtol=1e-9, atol=1e-12),
           "The encoding of a small hand-worked example (six rows, three folds) is wrong: folds are contiguous blocks "
           "of rows (np.array_split of 0..n-1); each row's statistics come only from the other folds, shrunk towards "
           "those folds' mean with weight `smoothing`.")
    # No row may see its own fold's labels: change the labels inside one fold, and that fold's encodings stay put.
    folds = np.array_split(np.arange(len(y)), k)
    inner = folds[len(folds) // 2]
    y_changed = y.copy()
    y_changed[inner] = 1.0 - y_changed[inner]
    again = _encode(fn, cats, y_changed, k, smoothing, "oof_target_encoding with other labels in one fold")
    expect(np.allclose(again[inner], enc[inner], rtol=1e-12, atol=1e-12),
           "Changing the labels of the rows in one fold changed those rows' own encodings: a row's encoding must use "
           "only the labels of the other folds (out of fold), never its own.")
    expect(not np.allclose(again, enc),
           "Changing the labels of the rows in one fold changed no encoding at all: the other folds' encodings are "
           "built from those labels.")
    # With an overwhelming smoothing every row gets its prior: the mean of y outside its fold.
    prior = _encode(fn, cats, y, k, 1e12, "oof_target_encoding with smoothing=1e12")
    outside = np.concatenate([np.full(len(f), (y.sum() - y[f].sum()) / (len(y) - len(f))) for f in folds])
    expect(np.allclose(prior, outside, atol=1e-9),
           "With a huge smoothing every encoding should equal its prior, the mean of y on the other folds (the folds "
           "are n_splits contiguous blocks of rows, as np.array_split makes them).")


def fitted_columns(ct, X, y, X_new) -> dict:
    """What a ColumnTransformer gives, by output feature name (so the order of its transformers is free):
    whether it came back unfitted, and each column of a clone fitted on ``(X, y)``, on ``X`` and on
    ``X_new``. ``fit`` then ``transform``, not ``fit_transform``: TargetEncoder's cross fitting shuffles
    its folds at random unless told a seed, while the encodings ``fit`` learns on all rows are deterministic."""
    from sklearn.base import clone

    unfitted = not hasattr(ct, "transformers_")
    fitted = clone(ct).fit(X, y)
    names = [str(n) for n in fitted.get_feature_names_out()]
    train, new = dense(fitted.transform(X)), dense(fitted.transform(X_new))
    return {"unfitted": unfitted,
            "train": {n: train[:, i] for i, n in enumerate(names)},
            "new": {n: new[:, i] for i, n in enumerate(names)}}


def _preprocessor_graded(fn, data):
    """What grading compares: :func:`fitted_columns` of the learner's transformer on the variant's rows."""
    ct = fn(data["nominal"], data["ordinal"], data["high_cardinality"], data["numeric"])
    return fitted_columns(ct, data["X"], data["y"], data["X_new"])


TASKS = [
    Task(
        id="categorical_preprocessor",
        assignment=A,
        question="A3",
        title="One ColumnTransformer for nominal, ordinal, high-cardinality and numeric columns",
        function="categorical_preprocessor",
        points=3,
        hints=(
            "Four named blocks, each (name, transformer, columns): 'onehot' for nominal columns, 'ordinal' for "
            "ordered levels, 'target' for high-cardinality columns, 'numeric' for numbers. Return it unfitted.",
            "OneHotEncoder(handle_unknown='ignore'); OrdinalEncoder(categories=[levels of each column, in order], "
            "handle_unknown='use_encoded_value', unknown_value=-1); TargetEncoder(); and for numbers a pipeline of "
            "SimpleImputer(strategy='median') and StandardScaler().",
            "The ordinal columns are `list(ordinal)` and their categories `[ordinal[c] for c in ordinal]`. "
            "TargetEncoder cross-fits inside fit_transform, which is what keeps the label out of the training features.",
        ),
        checks=(_preprocessor_correct,),
        make_data=_preprocessor_data,
        call=_preprocessor_graded,
    ),
    Task(
        id="oof_target_encoding",
        assignment=A,
        question="A3",
        title="Out-of-fold target encoding by hand",
        function="oof_target_encoding",
        points=3,
        hints=(
            "Split the rows 0..n-1 into n_splits contiguous folds. A row's encoding may use only the labels of the "
            "rows outside its fold.",
            "For one fold: prior = mean of y outside the fold; for each category, its count n_c and label sum s_c "
            "outside the fold; the encoding is (s_c + smoothing * prior) / (n_c + smoothing).",
            "`np.array_split(np.arange(n), n_splits)` gives the folds; a category with n_c = 0 outside the fold "
            "gets the prior (that is what the formula gives when smoothing > 0; handle smoothing = 0 explicitly).",
        ),
        checks=(_oof_correct,),
        make_data=_oof_data,
    ),
]
