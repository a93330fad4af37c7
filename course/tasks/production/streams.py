"""Coding tasks of assignment 2 for questions S19 and S20: point-in-time window features over an event
stream, and rolling-origin evaluation of a model under concept drift."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A

WINDOW_COLUMNS = ("n_prev", "sum_prev", "secs_since_prev")


# --- S19: sliding-window features without look-ahead ------------------------------------------------

def _window_data(seed: int) -> dict:
    from ...datasets.production import card_events

    events, _ = card_events(seed)
    if seed > 0:  # rows in any order, and an index that is not 0..n-1
        events = events.sample(frac=1.0, random_state=seed)
        events.index = events.index * 10 + 3
    return {"events": events, "window": 600 if seed % 2 == 0 else 900}


# A hand-worked example, window = 600 s, rows in no particular order. Card 1 pays twice at t = 100 (neither
# sees the other), then at 400 (sees both: 2 events, 15.0, 300 s since), 700 (the window [100, 700) keeps its
# left edge: 3 events, 35.0, 300 s) and 1000 (window [400, 1000): 2 events, 21.0, 300 s). Card 2 pays at 50
# and at 650 (window [50, 650): 1 event, 7.0, 600 s).
_TINY_EVENTS = {"card": [1, 2, 1, 1, 2, 1, 1], "ts": [400, 650, 100, 1000, 50, 700, 100],
                "amount": [20.0, 3.0, 10.0, 2.0, 7.0, 1.0, 5.0]}
_TINY_INDEX = [17, 3, 12, 40, 8, 21, 5]
_TINY_FEATURES = {"n_prev": [2, 1, 0, 2, 0, 3, 0], "sum_prev": [15.0, 7.0, 0.0, 21.0, 0.0, 35.0, 0.0],
                  "secs_since_prev": [300.0, 600.0, np.nan, 300.0, np.nan, 300.0, np.nan]}


def _features(fn, events, window):
    import pandas as pd

    out = call(fn, events, window)
    expect(isinstance(out, pd.DataFrame), f"window_features should return a pandas DataFrame, got {type(out).__name__}.")
    missing = [c for c in WINDOW_COLUMNS if c not in out.columns]
    expect(not missing, f"The result is missing the column(s) {', '.join(missing)}.")
    expect(len(out) == len(events) and out.index.equals(events.index),
           "The result should have one row per event, with the same index as the events (same order too).")
    return out[list(WINDOW_COLUMNS)].to_numpy(dtype=float)


def _window_checks(fn, data):
    import pandas as pd

    events, window = data["events"], data["window"]
    before = events.copy()
    got = _features(fn, events, window)
    expect(events.equals(before), "window_features changed the events frame it was given: work on a copy.")
    tiny = pd.DataFrame(_TINY_EVENTS, index=_TINY_INDEX)
    small = _features(fn, tiny, 600)
    want = np.column_stack([_TINY_FEATURES[c] for c in WINDOW_COLUMNS])
    if np.any(small[:, 0] > want[:, 0]):
        raise CheckFailure("n_prev counts events it may not see on a small hand-worked example: the current event itself, "
                           "another event in the same second, or a later one. Only events with t - window <= ts < t "
                           "belong to the window.")
    expect(np.array_equal(small[:, 0], want[:, 0]), "n_prev is too small on a small hand-worked example: the window is "
                                                    "[t - window, t), both ends in seconds, and it includes its left edge.")
    expect(np.allclose(small[:, 1], want[:, 1]), "sum_prev is wrong on a small hand-worked example: the sum of the amounts of "
                                                 "exactly the events counted by n_prev (0 when there are none).")
    expect(np.allclose(small[:, 2], want[:, 2], equal_nan=True),
           "secs_since_prev is wrong on a small hand-worked example: t minus the time of the card's last strictly earlier "
           "event (however old).")
    n, total, since = got[:, 0], got[:, 1], got[:, 2]
    expect(np.all(n >= 0) and np.all(n == np.round(n)), "n_prev should count events: whole numbers, never negative.")
    expect(np.array_equal(n == 0, total == 0), "sum_prev should be 0 exactly when n_prev is 0 (the amounts are positive).")
    first = (events["ts"] == events.groupby("card")["ts"].transform("min")).to_numpy()
    expect(np.array_equal(np.isnan(since), first),
           "secs_since_prev should be NaN exactly when the card has no strictly earlier event.")
    expect(np.all(since[~first] > 0), "secs_since_prev counts back to a strictly earlier event, so it is positive.")
    expect(np.array_equal(n >= 1, np.nan_to_num(since, nan=np.inf) <= window),
           "n_prev should be at least 1 exactly when the card's previous event is at most `window` seconds old: the "
           "window is [t - window, t), both ends in seconds, and it includes its left edge.")
    # With an unbounded window, an event sees every strictly earlier event of its card; with window 0, none.
    everything = _features(fn, events, 10**9)
    earlier = (events.groupby("card")["ts"].rank(method="min") - 1).to_numpy()
    expect(np.array_equal(everything[:, 0], earlier) and np.allclose(everything[:, 2], since, equal_nan=True),
           "With a huge window n_prev should count every strictly earlier event of the same card, and secs_since_prev "
           "should not depend on the window.")
    expect(np.all(_features(fn, events, 0)[:, 0] == 0),
           "With window = 0 the window [t, t) is empty: n_prev should be 0 everywhere.")


# --- S20: rolling-origin evaluation under concept drift ----------------------------------------------

def _rolling_data(seed: int) -> dict:
    from ...datasets.production import drifting_series

    X, y = drifting_series(seed, n=900 if seed == 0 else 830)
    return {"X": X, "y": y, "initial": 200 if seed == 0 else 150, "horizon": 50 if seed == 0 else 60,
            "window": 150 if seed == 0 else 100}


# A hand-worked example with a model that predicts the training mean: y = 0, 1, ..., 10, initial 4, horizon 2.
# Origins 4, 6 and 8 (origin 10 has no full test block). Expanding: the mean of 0..3 is 1.5 against 4 and 5,
# an error of 3; then 4 and 5. A sliding window of 2 rows: the mean of 2, 3 is 2.5 against 4, 5: 2 each time.
_TINY_ERRORS = {None: [3.0, 4.0, 5.0], 2: [2.0, 2.0, 2.0]}


def _errors(fn, X, y, model, initial, horizon, window, label):
    return as_array(call(fn, X, y, model, initial, horizon, window=window), f"rolling_origin_errors, {label},", ndim=1)


def _rolling_checks(fn, data):
    from sklearn.dummy import DummyRegressor
    from sklearn.linear_model import LinearRegression

    X, y, initial, horizon, window = data["X"], data["y"], data["initial"], data["horizon"], data["window"]
    n_origins = len(range(initial, len(y) - horizon + 1, horizon))
    for w in (None, window):
        model = LinearRegression()
        label = "expanding window (window=None)" if w is None else f"sliding window (window={w})"
        err = _errors(fn, X, y, model, initial, horizon, w, label)
        expect(not hasattr(model, "coef_"), "The model you were given was fitted: fit a fresh sklearn.base.clone(model) at "
                                            "each origin and leave the original untouched.")
        expect(len(err) == n_origins, f"With {len(y)} rows, initial={initial} and horizon={horizon} there are {n_origins} "
                                      f"origins (full test blocks only), got {len(err)} errors ({label}).")
        expect(np.all(err >= 0), "Mean absolute errors are never negative.")
        small = _errors(fn, np.zeros((11, 1)), np.arange(11.0), DummyRegressor(), 4, 2, None if w is None else 2,
                        f"a small example ({label})")
        if len(small) != 3 or not np.allclose(small, _TINY_ERRORS[None if w is None else 2]):
            if len(small) == 3 and np.mean(small) < np.mean(_TINY_ERRORS[None if w is None else 2]) - 1e-9:
                raise CheckFailure(f"Your errors are lower than an honest backtest's on a small hand-worked example ({label}): "
                                   "does the model see rows at or after the origin? Train on rows before the origin only.")
            raise CheckFailure(f"The errors are wrong on a small hand-worked example ({label}): train on rows [origin - window, "
                               "origin) (or [0, origin) when window is None), test on [origin, origin + horizon), report the "
                               "mean absolute error.")
        if w is not None:
            # Rows older than every window of the later origins cannot change those origins' errors.
            y_old = y.copy()
            y_old[:initial] += 100.0
            later = np.array([o - w >= initial for o in range(initial, len(y) - horizon + 1, horizon)])
            moved = _errors(fn, X, y_old, LinearRegression(), initial, horizon, w, f"{label}, older rows changed")
            expect(len(moved) == n_origins and np.allclose(moved[later], err[later], rtol=1e-9, atol=1e-12),
                   f"Changing rows before the first origin changed the errors of origins whose window of {w} rows does "
                   "not reach back to them: train on the last `window` rows before the origin only.")


TASKS = [
    Task(
        id="window_features",
        assignment=A,
        question="S19",
        title="Sliding-window features over an event stream, without look-ahead",
        function="window_features",
        points=3,
        hints=(
            "Treat each card separately (groupby('card')); an event may only see the same card's events with a strictly "
            "earlier timestamp, and the window ones among those with ts >= t - window.",
            "Within one card, an n × n comparison of timestamps (t[None, :] < t[:, None]) marks which events are earlier "
            "than which; a second mask adds the window's left edge. Sum the masks (and the masked amounts) along a row.",
            "secs_since_prev: the largest earlier timestamp (np.where(earlier, t[None, :], -np.inf).max(axis=1)), NaN "
            "when there is none. Write the results back with .loc[group.index, column] so the row order is kept.",
        ),
        checks=(_window_checks,),
        make_data=_window_data,
    ),
    Task(
        id="rolling_origin",
        assignment=A,
        question="S20",
        title="Rolling-origin evaluation under concept drift",
        function="rolling_origin_errors",
        points=3,
        hints=(
            "The origin walks forward: initial, initial + horizon, ... as long as a full test block of `horizon` rows fits.",
            "At each origin: training rows are everything before the origin (window=None) or the last `window` rows "
            "before it; test rows are [origin, origin + horizon).",
            "for origin in range(initial, n - horizon + 1, horizon): fit sklearn.base.clone(model) on the training slice, "
            "predict the test slice, append np.mean(np.abs(pred - y_test)).",
        ),
        checks=(_rolling_checks,),
        make_data=_rolling_data,
    ),
]
