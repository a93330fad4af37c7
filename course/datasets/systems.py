"""Offline, seeded data of assignment 3 ("AI/ML systems"): card transactions, customer accounts,
loan applicants, a Bernoulli bandit and a small grid world.

Every generator writes out its model in the docstring: knowing the truth is what lets the notebook
show what a rule, an encoder, a serving path or a fairness fix gets right and wrong.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "load_transactions", "load_customers", "load_applicants", "bernoulli_bandit", "cliff_world",
    "SUPPORT_TIERS", "PLANS", "COUNTRIES", "ACTIONS",
]

# The values of the customer table's categorical columns (support tiers in their order).
SUPPORT_TIERS = ("bronze", "silver", "gold", "platinum")
PLANS = ("basic", "pro", "team")
COUNTRIES = ("DE", "FR", "IN", "UK", "US", "BR")


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def load_transactions(n: int = 4000, seed: int = 0, adapted: bool = False) -> tuple[pd.DataFrame, np.ndarray]:
    """Card transactions with a fraud label (about 5 % fraud).

    Legitimate and fraudulent rows are drawn from different distributions. Fraud is large,
    often foreign, at night, from young accounts and in bursts (many transactions in 24 h).
    With ``adapted=True`` the fraudsters have learned the bank's old rules: they keep amounts
    between 150 and 499, rarely use foreign cards and avoid the night, but they still use young
    accounts and bursts, which they cannot hide.

    Returns
    -------
    X : DataFrame
        ``amount`` (USD), ``hour`` (0–23), ``foreign`` (0/1), ``account_age_days``, ``tx_24h``.
    y : ndarray of int
        1 for fraud.
    """
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.05).astype(int)
    fraud = y == 1
    m = int(fraud.sum())
    amount = np.exp(rng.normal(3.8, 0.9, n))
    hour = rng.choice(24, size=n, p=_day_profile())
    foreign = (rng.random(n) < 0.06).astype(int)
    age = rng.exponential(900, n)
    tx = rng.poisson(2.0, n)
    if adapted:
        amount[fraud] = rng.uniform(150, 499, m)
        hour[fraud] = rng.choice(24, size=m, p=_day_profile())
        foreign[fraud] = (rng.random(m) < 0.10).astype(int)
    else:
        amount[fraud] = np.exp(rng.normal(5.6, 1.0, m))
        night = rng.random(m) < 0.5
        hour[fraud] = np.where(night, rng.integers(0, 6, m), rng.choice(24, size=m, p=_day_profile()))
        foreign[fraud] = (rng.random(m) < 0.6).astype(int)
    age[fraud] = rng.exponential(250, m)
    tx[fraud] = rng.poisson(3.5, m)
    X = pd.DataFrame({
        "amount": np.round(amount, 2), "hour": hour, "foreign": foreign,
        "account_age_days": np.round(age).astype(int), "tx_24h": tx,
    })
    return X, y


def _day_profile() -> np.ndarray:
    p = np.array([1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.5, 4, 5, 5.5, 6, 6.5, 6, 5.5, 5.5, 6, 6.5, 7, 6.5, 5.5, 4, 3, 2])
    return p / p.sum()


def load_customers(n: int = 1500, seed: int = 0, n_cities: int = 200) -> tuple[pd.DataFrame, np.ndarray]:
    """Customer accounts of a software product with a churn label (about 25 % churn).

    Columns: ``plan`` (nominal: basic, pro, team), ``country`` (nominal, 6 values),
    ``support_tier`` (ordinal: bronze < silver < gold < platinum), ``city`` (high cardinality:
    ``n_cities`` values, Zipf-like frequencies, each city with its own hidden churn effect),
    ``tenure_months`` (int), ``monthly_spend`` (USD, 5 % missing), ``seats`` (int).

    Churn log-odds: ``-0.1 + plan effect - 0.35 * tier index - 0.04 * tenure
    + 0.6 * log(spend / 50) + city effect`` with plan effects basic +0.5, pro 0, team -0.6 and
    city effects drawn from N(0, 0.8²).
    """
    rng = np.random.default_rng(seed)
    plan = rng.choice(3, size=n, p=(0.5, 0.35, 0.15))
    country = rng.choice(len(COUNTRIES), size=n, p=(0.2, 0.15, 0.15, 0.15, 0.25, 0.1))
    tier = rng.choice(4, size=n, p=(0.4, 0.3, 0.2, 0.1))
    freq = 1.0 / np.arange(1, n_cities + 1) ** 0.8
    city = rng.choice(n_cities, size=n, p=freq / freq.sum())
    city_effect = np.random.default_rng(12345).normal(0, 0.8, n_cities)
    tenure = rng.integers(1, 60, size=n)
    seats = np.maximum(1, np.round(np.exp(rng.normal(0.3, 0.6, n)) * np.array([1, 2, 5])[plan])).astype(int)
    spend = np.round(seats * np.array([12.0, 30.0, 25.0])[plan] * np.exp(rng.normal(0, 0.25, n)), 2)
    z = -0.1 + np.array([0.5, 0.0, -0.6])[plan] - 0.35 * tier - 0.04 * tenure + 0.6 * np.log(spend / 50) + city_effect[city]
    y = (rng.random(n) < _sigmoid(z)).astype(int)
    spend = spend.astype(float)
    spend[rng.random(n) < 0.05] = np.nan
    X = pd.DataFrame({
        "plan": np.array(PLANS)[plan],
        "country": np.array(COUNTRIES)[country],
        "support_tier": np.array(SUPPORT_TIERS)[tier],
        "city": np.char.add("city_", np.char.zfill(city.astype(str), 3)),
        "tenure_months": tenure,
        "monthly_spend": spend,
        "seats": seats,
    })
    return X, y


def load_applicants(n: int = 4000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Loan applicants with a repayment label and a sensitive attribute ``group`` ("A" or "B").

    Group B is 30 % of applicants. The true ability to repay, ``ability ~ N(0, 1)``, is
    distributed the same way in both groups, but the recorded features are worse for group B:
    its credit history is shorter (so ``history_years`` is lower and noisier) and its
    ``income`` is recorded with more noise. ``repaid = 1`` with probability
    ``sigmoid(1.2 + 1.6 * ability)``. A model trained on the features is therefore less sure
    about group B and scores its good applicants lower: the bias comes from the measurement,
    not from the label.

    Returns
    -------
    X : DataFrame
        ``income`` (thousand USD), ``history_years``, ``debt_ratio``, ``late_payments``.
    y : ndarray of int
        1 if the loan was repaid.
    group : ndarray of str
        "A" or "B".
    """
    rng = np.random.default_rng(seed)
    b = rng.random(n) < 0.3
    ability = rng.normal(0, 1, n)
    noise = np.where(b, 1.6, 0.6)
    income = np.exp(3.8 + 0.25 * ability + 0.25 * noise * rng.normal(0, 1, n))
    history = np.clip(np.where(b, 3.0, 8.0) + 2.0 * ability * np.where(b, 0.5, 1.0) + rng.normal(0, 2, n) * noise, 0, None)
    debt = np.clip(0.35 - 0.08 * ability + rng.normal(0, 0.1, n) * noise, 0.01, 1.5)
    late = rng.poisson(np.exp(0.3 - 0.7 * ability + 0.3 * rng.normal(0, 1, n) * noise))
    y = (rng.random(n) < _sigmoid(1.2 + 1.6 * ability)).astype(int)
    X = pd.DataFrame({
        "income": np.round(income, 1), "history_years": np.round(history, 1),
        "debt_ratio": np.round(debt, 3), "late_payments": late,
    })
    return X, y, np.where(b, "B", "A")


def bernoulli_bandit(probs, seed: int = 0):
    """A ``pull(arm) -> 0.0 or 1.0`` function: arm ``a`` pays 1 with probability ``probs[a]``."""
    probs = np.asarray(probs, dtype=float)
    rng = np.random.default_rng(seed)

    def pull(arm):
        return float(rng.random() < probs[int(arm)])

    return pull


# Actions of the grid world, in this order.
ACTIONS = ("up", "right", "down", "left")
_MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))


def cliff_world(rows: int = 4, cols: int = 6, cliff_penalty: float = -100.0) -> dict:
    """A deterministic cliff walk as transition tables.

    The agent starts in the bottom-left corner and must reach the bottom-right corner. The cells
    between them on the bottom row are a cliff. Every step costs -1; stepping into the cliff
    costs ``cliff_penalty`` and ends the episode; reaching the goal ends it too. Moving into a
    wall leaves the agent where it is.

    Returns
    -------
    dict
        ``next_state`` (int, n_states × 4), ``reward`` (float, n_states × 4), ``terminal``
        (bool, n_states), ``start`` (int), ``shape`` ((rows, cols)); states are numbered
        ``row * cols + col`` and actions are up, right, down, left.
    """
    n = rows * cols
    nxt = np.zeros((n, 4), dtype=int)
    rew = np.full((n, 4), -1.0)
    terminal = np.zeros(n, dtype=bool)
    cliff = [(rows - 1) * cols + c for c in range(1, cols - 1)]
    goal = rows * cols - 1
    terminal[cliff] = True
    terminal[goal] = True
    for s in range(n):
        r, c = divmod(s, cols)
        for a, (dr, dc) in enumerate(_MOVES):
            rr, cc = min(max(r + dr, 0), rows - 1), min(max(c + dc, 0), cols - 1)
            s2 = rr * cols + cc
            nxt[s, a] = s2
            if s2 in cliff:
                rew[s, a] = cliff_penalty
        if terminal[s]:
            nxt[s] = s
            rew[s] = 0.0
    return {"next_state": nxt, "reward": rew, "terminal": terminal, "start": (rows - 1) * cols, "shape": (rows, cols)}
