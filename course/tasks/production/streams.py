"""Coding tasks of assignment 2 for questions S19 and S20: point-in-time window features over an event
stream, and rolling-origin evaluation of a model under concept drift."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A

WINDOW_COLUMNS = ("n_prev", "sum_prev", "secs_since_prev")


# --- S19: sliding-window features without look-ahead ------------------------------------------------

def card_events(seed: int = 0, n_cards: int = 25, horizon_s: int = 6 * 3600):
    """Card transactions over six hours: ``(events, is_fraud)``.

    ``events`` has columns card, ts (seconds) and amount, sorted by time. Some cards are stolen
    part-way through: from then on they make bursts of quick, larger purchases (``is_fraud`` = 1).
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    rows = []
    for card in range(n_cards):
        n = int(rng.integers(4, 20))
        ts = np.sort(rng.integers(0, horizon_s, n))
        stolen_at = rng.integers(horizon_s // 3, horizon_s) if rng.random() < 0.3 else None
        for t in ts:
            rows.append((card, int(t), float(np.round(rng.lognormal(3.2, 0.7), 2)), 0))
        if stolen_at is not None:
            t = int(stolen_at)
            for _ in range(int(rng.integers(3, 8))):
                rows.append((card, t, float(np.round(rng.lognormal(4.2, 0.5), 2)), 1))
                t += int(rng.integers(0, 240))  # 0: two charges in the same second
    df = pd.DataFrame(rows, columns=["card", "ts", "amount", "fraud"]).sort_values(["ts", "card"], kind="stable")
    df = df.reset_index(drop=True)
    return df[["card", "ts", "amount"]], df["fraud"].to_numpy()


def reference_window_features(events, window):
    import pandas as pd

    out = pd.DataFrame(index=events.index, columns=list(WINDOW_COLUMNS), dtype=float)
    for _, g in events.groupby("card"):
        t = g["ts"].to_numpy(dtype=float)
        a = g["amount"].to_numpy(dtype=float)
        earlier = t[None, :] < t[:, None]  # [i, j]: event j happened strictly before event i
        inside = earlier & (t[None, :] >= t[:, None] - window)
        last = np.where(earlier, t[None, :], -np.inf).max(axis=1)
        out.loc[g.index, "n_prev"] = inside.sum(axis=1)
        out.loc[g.index, "sum_prev"] = (inside * a[None, :]).sum(axis=1)
        out.loc[g.index, "secs_since_prev"] = np.where(np.isfinite(last), t - last, np.nan)
    return out


def _window_data(seed: int) -> dict:
    events, _ = card_events(seed)
    if seed > 0:  # rows in any order, and an index that is not 0..n-1
        events = events.sample(frac=1.0, random_state=seed)
        events.index = events.index * 10 + 3
    return {"events": events, "window": 600 if seed % 2 == 0 else 900}


def _window_checks(fn, data):
    import pandas as pd

    events, window = data["events"], data["window"]
    before = events.copy()
    out = call(fn, events, window)
    expect(isinstance(out, pd.DataFrame), f"window_features should return a pandas DataFrame, got {type(out).__name__}.")
    expect(events.equals(before), "window_features changed the events frame it was given: work on a copy.")
    missing = [c for c in WINDOW_COLUMNS if c not in out.columns]
    expect(not missing, f"The result is missing the column(s) {', '.join(missing)}.")
    expect(len(out) == len(events) and out.index.equals(events.index),
           "The result should have one row per event, with the same index as the events (same order too).")
    ref = reference_window_features(events, window)
    got = out[list(WINDOW_COLUMNS)].to_numpy(dtype=float)
    exp = ref.to_numpy(dtype=float)
    n_got, n_exp = got[:, 0], exp[:, 0]
    if np.any(n_got > n_exp):
        raise CheckFailure("n_prev counts events it may not see: the current event itself, another event in the same "
                           "second, or a later one. Only events with t - window <= ts < t belong to the window.")
    expect(np.array_equal(n_got, n_exp), "n_prev is too small for some events: the window is [t - window, t), "
                                         "both ends in seconds, and it includes its left edge.")
    expect(np.allclose(got[:, 1], exp[:, 1]), "sum_prev is wrong: the sum of the amounts of exactly the events counted "
                                              "by n_prev (0 when there are none).")
    expect(np.array_equal(np.isnan(got[:, 2]), np.isnan(exp[:, 2])),
           "secs_since_prev should be NaN exactly when the card has no strictly earlier event.")
    expect(np.allclose(got[:, 2], exp[:, 2], equal_nan=True),
           "secs_since_prev is wrong: t minus the time of the card's last strictly earlier event (however old).")


# --- S20: rolling-origin evaluation under concept drift ----------------------------------------------

def drifting_series(seed: int = 0, n: int = 900, change_at: int = 450):
    """A regression target whose relation to ``X`` changes: an abrupt change at ``change_at``,
    then a slow drift. Returns ``(X, y)`` in time order."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    X = rng.normal(size=(n, 3))
    w1 = np.where(t < change_at, 2.0, -1.0) + 0.004 * np.maximum(t - change_at, 0)
    y = w1 * X[:, 0] + 1.0 * X[:, 1] - 0.5 * X[:, 2] + 0.5 * np.sin(2 * np.pi * t / 100) + rng.normal(0, 0.5, n)
    return X, y


def reference_rolling_origin(X, y, model, initial, horizon, window=None):
    from sklearn.base import clone

    X, y = np.asarray(X), np.asarray(y)
    errors = []
    for origin in range(initial, len(y) - horizon + 1, horizon):
        start = 0 if window is None else max(0, origin - window)
        m = clone(model).fit(X[start:origin], y[start:origin])
        errors.append(np.mean(np.abs(m.predict(X[origin:origin + horizon]) - y[origin:origin + horizon])))
    return np.array(errors)


def _rolling_data(seed: int) -> dict:
    X, y = drifting_series(seed, n=900 if seed == 0 else 830)
    return {"X": X, "y": y, "initial": 200 if seed == 0 else 150, "horizon": 50 if seed == 0 else 60,
            "window": 150 if seed == 0 else 100}


def _rolling_checks(fn, data):
    from sklearn.linear_model import LinearRegression

    X, y, initial, horizon, window = data["X"], data["y"], data["initial"], data["horizon"], data["window"]
    n_origins = len(range(initial, len(y) - horizon + 1, horizon))
    for w in (None, window):
        model = LinearRegression()
        label = "expanding window (window=None)" if w is None else f"sliding window (window={w})"
        err = as_array(call(fn, X, y, model, initial, horizon, window=w), f"rolling_origin_errors, {label},", ndim=1)
        expect(not hasattr(model, "coef_"), "The model you were given was fitted: fit a fresh sklearn.base.clone(model) at "
                                            "each origin and leave the original untouched.")
        expect(len(err) == n_origins, f"With {len(y)} rows, initial={initial} and horizon={horizon} there are {n_origins} "
                                      f"origins (full test blocks only), got {len(err)} errors ({label}).")
        ref = reference_rolling_origin(X, y, model, initial, horizon, w)
        if not np.allclose(err, ref, rtol=1e-8):
            if np.mean(err) < np.mean(ref) - 1e-9:
                raise CheckFailure(f"Your errors are lower than an honest backtest's ({label}): does the model see rows at "
                                   "or after the origin? Train on rows before the origin only.")
            raise CheckFailure(f"The errors are wrong ({label}): train on rows [origin - window, origin) (or [0, origin) "
                               "when window is None), test on [origin, origin + horizon), report the mean absolute error.")


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
