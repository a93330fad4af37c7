"""Coding tasks for A8 and A9: a data schema learned from training data, and request validation."""
from __future__ import annotations

import math
import numbers

import numpy as np

from .._expect import CheckFailure, call, expect
from .._task import Task
from . import A

PROBLEMS = ("missing", "unexpected", "null", "type", "range", "category")


# --- A8: infer the schema of the training data -------------------------------------------------------

# The roles of the customer table's columns (course.datasets.systems.load_customers), known from how it
# is generated; every other column of the tasks' frames (text, the boolean flag) is categorical.
NUMERIC_COLUMNS = ("tenure_months", "monthly_spend", "seats")


def _schema_data(seed: int) -> dict:
    from ...datasets.systems import load_customers

    X, _ = load_customers(n=300, seed=700 + seed)
    X = X.drop(columns="city")
    X["referred"] = np.random.default_rng(seed).random(len(X)) < 0.3     # a boolean flag: categorical
    X.loc[X.index[::17], "country"] = None                                # a nullable text column
    return {"df": X}


def _schema_correct(fn, data):
    df = data["df"]
    schema = call(fn, df)
    if not isinstance(schema, dict):
        raise CheckFailure(f"infer_schema should return a dict {{column: spec}}, got {type(schema).__name__}.")
    expect(list(schema) == list(df.columns), "The schema should have one entry per column, in the frame's column order.")
    for col in df.columns:
        got, s = schema[col], df[col]
        if not isinstance(got, dict):
            raise CheckFailure(f"schema[{col!r}] should be a dict, got {type(got).__name__}.")
        kind = "numeric" if col in NUMERIC_COLUMNS else "categorical"
        expect(got.get("type") == kind,
               f"schema[{col!r}]['type'] is wrong: numeric columns (not booleans) are 'numeric', everything else "
               "'categorical' (pd.api.types.is_numeric_dtype and is_bool_dtype tell them apart).")
        expect(isinstance(got.get("nullable"), (bool, np.bool_)) and bool(got["nullable"]) == bool(s.isna().any()),
               f"schema[{col!r}]['nullable'] is wrong: True exactly when the column has a missing value.")
        observed = s.dropna()
        if kind == "numeric":
            values = observed.to_numpy(dtype=float)
            for key in ("min", "max"):
                v = got.get(key)
                ok = isinstance(v, numbers.Real) and not isinstance(v, bool)
                if ok:
                    inside = (values >= v) if key == "min" else (values <= v)
                    ok = bool(inside.all()) and bool(np.any(values == v))
                expect(ok,
                       f"schema[{col!r}][{key!r}] is wrong or missing: the {key}imum of the observed (non-missing) values, as a float.")
        else:
            cats = got.get("categories")
            expect(isinstance(cats, list), f"schema[{col!r}]['categories'] should be a list.")
            expect(not any(c is None or (isinstance(c, float) and math.isnan(c)) for c in cats),
                   f"schema[{col!r}]['categories'] should not hold missing values (None or NaN).")
            expect(len(set(cats)) == len(cats) and set(cats) == set(observed.tolist()),
                   f"schema[{col!r}]['categories'] is wrong: each distinct observed value once, without missing values.")
            expect(cats == sorted(cats), f"schema[{col!r}]['categories'] should be sorted.")


# --- A9: validate a request against the schema -----------------------------------------------------

def _is_null(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _customer_schema(X) -> dict:
    """The schema that A9's requests are checked against: the customer table's columns with the categories
    load_customers draws from and the numeric ranges observed in ``X`` (a fixture, not a schema inference)."""
    from ...datasets.systems import COUNTRIES, PLANS, SUPPORT_TIERS

    categories = {"plan": PLANS, "country": COUNTRIES, "support_tier": SUPPORT_TIERS}
    schema = {}
    for col in X.columns:
        spec = {"nullable": bool(X[col].isna().any())}
        if col in NUMERIC_COLUMNS:
            spec.update(type="numeric", min=float(X[col].min()), max=float(X[col].max()))
        else:
            spec.update(type="categorical", categories=sorted(categories[col]))
        schema[col] = spec
    return schema


def _requests(seed: int):
    from ...datasets.systems import load_customers

    X, _ = load_customers(n=400, seed=800 + seed)
    X = X.drop(columns="city")
    schema = _customer_schema(X)
    base = {k: (v.item() if hasattr(v, "item") else v) for k, v in X.iloc[seed % len(X)].items()}
    if _is_null(base["monthly_spend"]):
        base["monthly_spend"] = 50.0
    cases = [dict(base)]
    r = dict(base); del r["monthly_spend"]; cases.append(r)                          # nullable: absent is fine
    r = dict(base); del r["plan"]; r["coupon"] = "WELCOME"; cases.append(r)          # missing + unexpected
    r = dict(base); r["seats"] = "12"; r["country"] = "JP"; cases.append(r)          # type + category
    r = dict(base); r["tenure_months"] = 10_000; r["support_tier"] = None; cases.append(r)  # range + null
    r = dict(base); r["seats"] = True; r["monthly_spend"] = float("nan"); cases.append(r)   # bool is not a number
    return schema, cases


def _validate_data(seed: int) -> dict:
    schema, cases = _requests(seed)
    if seed:   # variants list the same kinds of request in their own order, so no two share the answers
        cases = [cases[i] for i in np.random.default_rng(seed).permutation(len(cases))]
    return {"schema": schema, "requests": cases}


def _kind(request: dict) -> int:
    """Which of ``_requests``' planted cases a request is (its index there), told by what was planted."""
    if "coupon" in request:
        return 2
    if request.get("seats") == "12":
        return 3
    if request.get("tenure_months") == 10_000:
        return 4
    if request.get("seats") is True:
        return 5
    return 0 if "monthly_spend" in request else 1


def _planted_problems(schema) -> list:
    """The problems planted in the requests of ``_requests``, in order (request 0 is a valid training row)."""
    def unless_nullable(field, problem):
        return set() if schema[field]["nullable"] else {(field, problem)}

    return [
        set(),
        unless_nullable("monthly_spend", "missing"),
        {("plan", "missing"), ("coupon", "unexpected")},
        {("seats", "type"), ("country", "category")},
        {("tenure_months", "range")} | unless_nullable("support_tier", "null"),
        {("seats", "type")} | unless_nullable("monthly_spend", "null"),
    ]


def _validate_correct(fn, data):
    schema = data["schema"]
    planted = _planted_problems(schema)
    for i, request in enumerate(data["requests"]):
        want = planted[_kind(request)]
        before = dict(request)
        got = call(fn, request, schema)
        if not isinstance(got, list):
            raise CheckFailure(f"validate_request should return a list of (field, problem) tuples, got {type(got).__name__}.")
        expect(request.keys() == before.keys() and all(request[k] is before[k] or request[k] == before[k] for k in before),
               "validate_request must not change the request it checks.")
        try:
            got_set = {(str(f), str(p)) for f, p in got}
        except (TypeError, ValueError):
            raise CheckFailure("Each problem should be a (field, problem) pair, such as ('seats', 'type').") from None
        expect(len(got_set) == len(got), "Report each (field, problem) pair once.")
        unknown = sorted({p for _, p in got_set} - set(PROBLEMS))
        expect(not unknown, f"Unknown problem name(s) {unknown}: use {', '.join(PROBLEMS)}.")
        if _kind(request) == 0:
            expect(not got_set, "A valid request (taken from the training data) should produce no problems.")
        extra = sorted(got_set - want)
        lacking = sorted(want - got_set)
        if extra:
            field, problem = extra[0]
            raise CheckFailure(f"Request {i} of the visible example: you report {problem!r} for {field!r}, which the rules do "
                               "not call a problem (a nullable field may be absent or None; one problem per field).")
        if lacking:
            field, problem = lacking[0]
            raise CheckFailure(f"Request {i} of the visible example: a problem with {field!r} is not reported (expected one "
                               f"of {', '.join(PROBLEMS)}; booleans and strings are not numbers).")


TASKS = [
    Task(
        id="infer_schema",
        assignment=A,
        question="A8",
        title="Infer a data schema from the training table",
        function="infer_schema",
        points=2,
        hints=(
            "Loop over the columns; for each one decide its type, whether it may be missing, and its allowed values: "
            "a range for numbers, a set of categories for everything else.",
            "numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s); nullable = "
            "bool(s.isna().any()); min/max with float(s.min()) (pandas skips NaN).",
            "For a categorical column: sorted(s.dropna().unique().tolist()). Build {'type', 'nullable', 'min', 'max'} "
            "or {'type', 'nullable', 'categories'} and keep the columns in df's order.",
        ),
        checks=(_schema_correct,),
        make_data=_schema_data,
    ),
    Task(
        id="validate_request",
        assignment=A,
        question="A9",
        title="Validate an incoming request against the training schema",
        function="validate_request",
        points=3,
        hints=(
            "Two passes: over the schema's fields (is each one present, non-null if required, of the right type, "
            "within range or among the known categories?), then over the request's keys (any the schema lacks?).",
            "A value is null if it is None or a float NaN (math.isnan). A nullable field that is absent or null is "
            "fine; otherwise an absent field is 'missing' and a null one 'null'. Report at most one problem per field.",
            "Numbers: isinstance(v, numbers.Real) and not isinstance(v, bool) (True is an int in Python!), else "
            "'type'; outside [min, max] is 'range'. Categories: v not in spec['categories'] is 'category'.",
        ),
        checks=(_validate_correct,),
        make_data=_validate_data,
    ),
]
