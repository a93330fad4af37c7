"""Offline, seeded data of assignment 2 ("ML in production").

Every generator is deterministic in its ``seed`` and plants a known structure (a concept drift, a
leaking column, topics of items, stolen cards...), so the notebook can show what a method finds and
what it misses.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "drifting_stream", "drift_frames", "baskets", "churn_frame", "moons_with_noise", "fraud_table", "LEAK_NAMES",
    "shop_sessions", "card_events", "drifting_series",
]


# --- S1: a labelled stream with a concept drift ---------------------------------------------------

def drifting_stream(n: int, n_features: int = 5, drift_at: float = 0.5, seed: int = 0):
    """A labelled stream whose decision rule changes abruptly after ``drift_at`` of the rows.

    Before the change the label is the sign of ``X @ w1`` (plus noise), after it the sign of
    ``X @ w2``, where ``w2`` keeps only part of ``w1``: a concept drift (S1, S20).
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features))
    w1 = rng.normal(size=n_features)
    w2 = 0.3 * w1 + rng.normal(size=n_features)
    cut = int(drift_at * n)
    logits = np.concatenate([X[:cut] @ w1, X[cut:] @ w2])
    y = (logits + rng.normal(scale=0.5, size=n) > 0).astype(int)
    return X, y


# --- S3: feature tables with known drift ----------------------------------------------------------

def drift_frames(seed: int, n_ref: int = 3000, n_cur: int = 2000):
    """Reference and current feature tables with known drift: income and sessions move, age does not,
    tenure moves only slightly (significant for a KS test, too small to matter by PSI)."""
    import pandas as pd

    rng = np.random.default_rng(seed)

    def table(n, income_shift, sessions_rate, tenure_shift):
        return pd.DataFrame({
            "age": rng.normal(40, 12, n).round(),
            "income": rng.lognormal(10.5 + income_shift, 0.5, n),
            "sessions": rng.poisson(sessions_rate, n).astype(float),
            "tenure": rng.exponential(24, n) + tenure_shift,
        })

    return table(n_ref, 0.0, 5.0, 0.0), table(n_cur, 0.35, 8.0, 1.5)


# --- S7: users × items with planted genres --------------------------------------------------------

def baskets(seed: int = 0, n_users: int = 600, n_items: int = 40, n_genres: int = 4):
    """A user × item 0/1 matrix with planted structure: each user mostly picks items of one genre.

    Returns ``(interactions, genre)`` where ``genre[j]`` is item j's hidden genre.
    """
    rng = np.random.default_rng(seed)
    genre = rng.permutation(np.arange(n_items) % n_genres)
    favourite = rng.integers(0, n_genres, size=n_users)
    popularity = rng.lognormal(0.0, 0.8, size=n_items)         # a few blockbusters, many niche items
    p = np.minimum(np.where(genre[None, :] == favourite[:, None], 0.25, 0.04) * popularity[None, :], 1.0)
    return (rng.random((n_users, n_items)) < p).astype(int), genre


# --- S11: a churn table with missing values, categories and an hour of day ------------------------

def churn_frame(seed: int = 0, n_train: int = 400, n_test: int = 120):
    """A synthetic churn table with missing values, categories and a cyclic hour of day.

    Returns ``(train, y_train, test, y_test)``; ``test`` holds a region never seen in ``train``.
    Churn depends on the hour through ``cos(2π·hour/24)``: customers who sign up around midnight
    churn more, and 23:00 is as close to midnight as 01:00 is.
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    n = n_train + n_test
    tenure = rng.integers(1, 72, n).astype(float)
    spend = np.round(rng.gamma(2.0, 30.0, n), 2)
    tickets = rng.poisson(1.2, n).astype(float)
    plan = rng.choice(["basic", "plus", "pro"], n, p=[0.5, 0.3, 0.2]).astype(object)
    region = rng.choice(["north", "south", "east", "west"], n).astype(object)
    hour = rng.integers(0, 24, n)
    logit = (-0.04 * tenure + 0.01 * spend + 0.5 * tickets + np.where(plan == "basic", 0.8, -0.3)
             + 1.2 * np.cos(2 * np.pi * hour / 24) + rng.normal(0, 0.5, n))
    y = (logit > np.median(logit)).astype(int)
    df = pd.DataFrame({"tenure_months": tenure, "monthly_spend": spend, "support_tickets": tickets,
                       "plan": plan, "region": region, "signup_hour": hour})
    df.loc[rng.random(n) < 0.1, "monthly_spend"] = np.nan
    df.loc[rng.random(n) < 0.05, "plan"] = np.nan
    train = df.iloc[:n_train].reset_index(drop=True)
    test = df.iloc[n_train:].reset_index(drop=True)
    test.loc[rng.random(n_test) < 0.1, "region"] = "unknown"
    return train, y[:n_train], test, y[n_train:]


# --- S12: a small problem where C and gamma matter ------------------------------------------------

def moons_with_noise(seed: int = 0, n: int = 240):
    """Two interleaving half-moons plus two pure-noise columns: an RBF-SVM problem where C and gamma matter."""
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n, noise=0.3, random_state=seed)
    rng = np.random.default_rng(seed)
    return np.column_stack([X, rng.normal(size=(n, 2))]), y


# --- S13: transactions with one leaking column ----------------------------------------------------

LEAK_NAMES = ("refund_amount", "chargeback_fee", "dispute_payout", "reversal_total")


def fraud_table(seed: int = 0, n: int = 200, n_noise: int = 60):
    """Transactions labelled fraud (1) or not (0), with weak real signals, many noise columns and one leak.

    The leak is a column filled in *after* the outcome (money paid back on disputed transactions):
    it is almost the label itself, and it does not exist when a new transaction must be scored.
    Returns ``(X, y, leak_name)``; column order is shuffled and two columns have missing values.
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    amount = np.round(rng.lognormal(4 + 0.5 * y, 0.8), 2)
    age = np.round(rng.exponential(400 - 150 * y) + 1)
    disputes = rng.poisson(0.3 + 0.5 * y).astype(float)
    risk = np.round(rng.normal(0.4 * y, 1), 3)
    paid_back = np.where(y == 1, rng.random(n) < 0.85, rng.random(n) < 0.04)
    leak = np.round(np.where(paid_back, amount * np.where(y == 1, rng.uniform(0.5, 1, n), rng.uniform(0.05, 0.3, n)), 0.0), 2)
    cols = {"amount": amount, "account_age_days": age, "prior_disputes": disputes, "merchant_risk": risk}
    for j in range(n_noise):
        cols[f"f{j:03d}"] = np.round(rng.normal(size=n), 3)
    leak_name = LEAK_NAMES[seed % len(LEAK_NAMES)]
    cols[leak_name] = leak
    df = pd.DataFrame(cols)
    order = list(df.columns)
    rng.shuffle(order)
    df = df[order]
    for c in ("amount", "account_age_days"):
        df.loc[rng.random(n) < 0.08, c] = np.nan
    return df, y, leak_name


# --- S15: shopping sessions over topics -----------------------------------------------------------

def shop_sessions(seed: int = 0, n_items: int = 60, n_topics: int = 6, n_sessions: int = 900):
    """Shopping sessions (lists of item ids) from a shop whose items fall into topics.

    A session picks one topic and draws 2-7 items, mostly from that topic (popular items more often),
    sometimes from anywhere. Returns ``(sessions, topic_of_item)``.
    """
    rng = np.random.default_rng(seed)
    topic = np.arange(n_items) % n_topics
    rng.shuffle(topic)
    popularity = 1.0 / np.arange(1, n_items + 1) ** 0.8
    rng.shuffle(popularity)
    sessions = []
    for _ in range(n_sessions):
        t = rng.integers(n_topics)
        in_topic = np.flatnonzero(topic == t)
        w = popularity[in_topic] / popularity[in_topic].sum()
        size = int(rng.integers(2, 8))
        items = [int(rng.choice(in_topic, p=w)) if rng.random() < 0.85 else int(rng.integers(n_items)) for _ in range(size)]
        sessions.append(items)
    return sessions, topic


# --- S19: a stream of card transactions -----------------------------------------------------------

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


# --- S20: a regression target that drifts ---------------------------------------------------------

def drifting_series(seed: int = 0, n: int = 900, change_at: int = 450):
    """A regression target whose relation to ``X`` changes: an abrupt change at ``change_at``,
    then a slow drift. Returns ``(X, y)`` in time order."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    X = rng.normal(size=(n, 3))
    w1 = np.where(t < change_at, 2.0, -1.0) + 0.004 * np.maximum(t - change_at, 0)
    y = w1 * X[:, 0] + 1.0 * X[:, 1] - 0.5 * X[:, 2] + 0.5 * np.sin(2 * np.pi * t / 100) + rng.normal(0, 0.5, n)
    return X, y
