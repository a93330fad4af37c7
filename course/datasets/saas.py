"""Synthetic data of a subscription (SaaS) business: accounts, trial leads and module usage.

Everything is generated offline from a seed, so every run and every learner sees the same rows.
The generative models are written out in the docstrings: knowing the truth is what lets a
notebook show what imputation, explanations, calibration or drift detection get right and wrong.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["load_saas_accounts", "load_saas_leads", "load_saas_module_usage", "SAAS_PLANS", "SAAS_MODULES"]

SAAS_PLANS = ("free", "basic", "pro", "enterprise")
_REGIONS = ("AMER", "EMEA", "APAC")
_PRICE = {"free": 0.0, "basic": 12.0, "pro": 35.0, "enterprise": 60.0}      # USD per seat and month
_PLAN_MIX = (0.40, 0.30, 0.22, 0.08)
_PLAN_CHURN = np.array([0.55, 0.25, 0.0, -0.6])                              # log-odds by plan
_PLAN_CHURN_DRIFT = np.array([0.0, 0.3, 0.6, 1.0])
_START = pd.Timestamp("2023-01-01")


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _new_accounts(rng, n: int, tenure_at_start: bool) -> dict:
    """Static attributes and the latent state of ``n`` new accounts."""
    plan = rng.choice(4, size=n, p=_PLAN_MIX)
    lo = np.array([1, 1, 3, 20])[plan]
    scale = np.array([0.5, 0.9, 0.9, 1.0])[plan]
    seats = np.maximum(lo, np.round(lo * np.exp(rng.normal(0.4, scale)))).astype(int)
    seats = np.where(plan == 0, np.minimum(seats, 3), seats)
    return {
        "plan": plan,
        "region": rng.choice(3, size=n, p=(0.45, 0.35, 0.20)),
        "seats": seats,
        "mu": rng.normal(0.0, 0.8, size=n),                      # long-run engagement of the account
        "frailty": rng.normal(0.0, 0.5, size=n),                 # unobserved propensity to leave
        "engagement": rng.normal(0.0, 1.0, size=n),
        "tenure": rng.integers(0, 48, size=n) if tenure_at_start else np.full(n, -1),
    }


def load_saas_accounts(n_accounts: int = 800, n_months: int = 24, seed: int = 0,
                       drift_month: int | None = 16) -> pd.DataFrame:
    """Monthly snapshots of the accounts of a SaaS product, with a churn label.

    Each month every active account contributes one row. An account that churns leaves after
    that month's snapshot and a new sign-up takes its place, so about ``n_accounts`` rows are
    written per month.

    Parameters
    ----------
    n_accounts : int, default 800
        Accounts active at any time.
    n_months : int, default 24
        Number of monthly snapshots, the first on 2023-01-01.
    seed : int, default 0
        Seed of the random generator; the same arguments always give the same frame.
    drift_month : int or None, default 16
        Index of the first month (0-based) in which customers react to a price change (concept
        drift, below); ``None`` for no drift.

    Returns
    -------
    pandas.DataFrame
        One row per account and month, sorted by ``month`` then ``account_id``, with columns

        ``account_id`` : int
            Stable id of the account.
        ``month`` : datetime64
            First day of the snapshot month.
        ``plan`` : str
            ``"free"``, ``"basic"``, ``"pro"`` or ``"enterprise"`` (fixed per account).
        ``region`` : str
            ``"AMER"``, ``"EMEA"`` or ``"APAC"`` (fixed; no effect on churn).
        ``seats`` : int
            Paid seats (free accounts: 1 to 3).
        ``tenure_months`` : int
            Whole months since sign-up at the snapshot.
        ``logins`` : int
            Logins of all users of the account during the month (usage frequency).
        ``days_since_last_login`` : float
            Days from the last login to the snapshot; ``NaN`` when not recorded (MAR, below).
        ``support_tickets`` : float
            Tickets opened during the month; ``NaN`` when the help-desk export failed (MCAR).
        ``modules_used`` : int
            Product modules (of 12) used during the month.
        ``csat`` : float
            Answer to the last satisfaction survey, 1 (bad) to 5 (good); ``NaN`` when the
            customer did not answer (MNAR, below).
        ``monthly_revenue`` : float
            Billed revenue in USD: seats x the plan's price per seat (basic 12, pro 35,
            enterprise 60), 10 % off from 10 seats and 20 % off from 50; 0 for free accounts.
        ``churned`` : int
            1 if the account cancels before the next snapshot, else 0 (the label).

    Notes
    -----
    **How rows are generated.** Each account has a latent engagement that follows an AR(1)
    process around its own long-run level. Logins are Poisson with a mean that grows with seats
    and engagement; days since the last login follow from the logins (an account with no login
    this month carries its gap over). Support tickets are Poisson, more frequent for disengaged
    and larger accounts. Satisfaction falls with tickets and rises with engagement.

    **The churn model.** The probability that an account cancels before the next snapshot is
    ``sigmoid(z)`` with

        z = -2.75 - 0.85 * e + 0.55 * gap - 0.04 * min(tenure, 36) + plan effect
            + 0.30 * tickets - 0.15 * modules - 0.35 * (satisfaction - 3) + frailty

    where ``e`` is the current engagement, ``gap`` the true days since the last login over 30,
    ``tickets`` the true ticket count (capped at 4), ``satisfaction`` the true satisfaction
    (before rounding and survey non-response) and ``frailty`` an unobserved trait of the account
    (normal, standard deviation 0.5). The plan effect is +0.55 (free), +0.25 (basic), 0 (pro) and
    -0.6 (enterprise). About 4.5 % of accounts churn per month.

    **Concept drift.** From month ``drift_month`` on (think of a price increase per seat and a
    competitor's cheaper offer), the same inputs mean a different risk: the engagement weight
    falls from -0.85 to -0.3, the gap weight from 0.55 to 0.25, the ticket weight rises from 0.30
    to 0.6, and the plan effect becomes ``[0, 0.3, 0.6, 1.0][plan] + 0.5 * log(seats) - 0.45``:
    large accounts, which were the safest, become the riskiest. The distribution of the inputs
    does not jump at that month, so monitoring the inputs alone would hardly see it; a model
    trained before the change loses much of its ranking quality (monthly AUC from about 0.82 to 0.68).

    **Missing values, three mechanisms.**

    * ``support_tickets`` is missing completely at random (MCAR): 8 % of cells, independent of
      everything.
    * ``days_since_last_login`` is missing at random (MAR): the free plan's lightweight clients
      do not report the login time, so the value is missing with probability
      ``sigmoid(-2.6 + 1.5 * free + 1.4 * [logins < 5])`` — depending only on observed columns
      (about 57 % of quiet free accounts, 7 % of busy paid ones). Since quiet free accounts
      churn more, deleting these rows biases the churn rate down.
    * ``csat`` is missing not at random (MNAR): unhappy customers answer surveys less, so the
      chance of a missing answer grows as satisfaction falls. The probability depends on the
      unrecorded answer itself; observed columns (tickets, logins) explain only part of it.

    Examples
    --------
    >>> df = load_saas_accounts(n_accounts=100, n_months=6, seed=1)
    >>> df["month"].nunique(), df["churned"].isin([0, 1]).all()
    (6, np.True_)
    """
    if n_accounts < 1 or n_months < 1:
        raise ValueError(f"n_accounts and n_months must be at least 1, got {n_accounts} and {n_months}.")
    rng = np.random.default_rng(seed)
    acc = _new_accounts(rng, n_accounts, tenure_at_start=True)
    ids = np.arange(1, n_accounts + 1)
    next_id = n_accounts + 1
    gap = rng.uniform(0, 10, size=n_accounts)
    frames = []
    for t in range(n_months):
        n = len(ids)
        plan, seats = acc["plan"], acc["seats"]
        e = acc["engagement"] = 0.75 * acc["engagement"] + 0.25 * acc["mu"] + rng.normal(0, 0.55, size=n)
        lam = np.exp(1.2 + 0.75 * np.log(seats) + 0.65 * e)
        logins = rng.poisson(lam)
        # Days since the last login: within the month when there were logins, else the gap grows.
        within = np.minimum(29.0, rng.exponential(30.0 / (logins + 1.0)))
        gap = np.where(logins > 0, np.floor(within), np.minimum(gap + 30.0, 365.0))
        tickets = rng.poisson(np.exp(-1.3 + 0.25 * np.log(seats) - 0.45 * e))
        modules = 1 + rng.binomial(11, _sigmoid(-1.6 + 0.8 * e + 0.4 * plan))
        satisfaction = np.clip(3.4 + 0.55 * e - 0.35 * np.minimum(tickets, 4) + rng.normal(0, 0.8, size=n), 1, 5)
        csat = np.round(satisfaction)
        discount = np.where(seats >= 50, 0.8, np.where(seats >= 10, 0.9, 1.0))
        revenue = np.round(seats * np.array([_PRICE[p] for p in SAAS_PLANS])[plan] * discount, 2)

        drifted = drift_month is not None and t >= drift_month
        if drifted:   # after the price change: usage protects less, big bills and tickets drive churn
            w_e, w_gap, w_t, plan_effect = -0.3, 0.25, 0.6, _PLAN_CHURN_DRIFT[plan] + 0.5 * np.log(seats) - 0.45
        else:
            w_e, w_gap, w_t, plan_effect = -0.85, 0.55, 0.30, _PLAN_CHURN[plan]
        z = (-2.75 + w_e * e + w_gap * gap / 30.0 - 0.04 * np.minimum(acc["tenure"], 36) + plan_effect
             + w_t * np.minimum(tickets, 4) - 0.15 * modules - 0.35 * (satisfaction - 3) + acc["frailty"])
        churned = (rng.random(n) < _sigmoid(z)).astype(int)

        # Missingness: MCAR tickets, MAR last-login gap, MNAR satisfaction.
        tickets_obs = np.where(rng.random(n) < 0.08, np.nan, tickets.astype(float))
        p_gap = _sigmoid(-2.6 + 1.5 * (plan == 0) + 1.4 * (logins < 5))
        gap_obs = np.where(rng.random(n) < p_gap, np.nan, gap)
        p_csat = _sigmoid(-0.2 - 0.9 * (satisfaction - 3))
        csat_obs = np.where(rng.random(n) < p_csat, np.nan, csat)

        frames.append(pd.DataFrame({
            "account_id": ids, "month": _START + pd.DateOffset(months=t),
            "plan": np.array(SAAS_PLANS, dtype=object)[plan], "region": np.array(_REGIONS, dtype=object)[acc["region"]],
            "seats": seats, "tenure_months": acc["tenure"].copy(), "logins": logins,
            "days_since_last_login": gap_obs, "support_tickets": tickets_obs, "modules_used": modules,
            "csat": csat_obs, "monthly_revenue": revenue, "churned": churned,
        }))

        # Churned accounts leave; new sign-ups take their places.
        stay = churned == 0
        k = int((~stay).sum())
        fresh = _new_accounts(rng, k, tenure_at_start=False)
        acc = {key: np.concatenate([acc[key][stay], fresh[key]]) for key in acc}
        acc["tenure"] = acc["tenure"] + 1
        gap = np.concatenate([gap[stay], rng.uniform(0, 5, size=k)])
        ids = np.concatenate([ids[stay], np.arange(next_id, next_id + k)])
        next_id += k
    df = pd.concat(frames, ignore_index=True)
    df["month"] = pd.to_datetime(df["month"])
    return df.sort_values(["month", "account_id"], kind="stable").reset_index(drop=True)


_SOURCES = ("organic", "paid_search", "referral", "webinar", "outbound")
_SOURCE_EFFECT = np.array([0.0, -0.3, 0.8, 0.4, -0.7])
_INDUSTRIES = ("software", "retail", "finance", "health", "education")
_INDUSTRY_EFFECT = np.array([0.3, 0.0, -0.2, -0.3, 0.1])


def load_saas_leads(n_leads: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Trial sign-ups (leads) of a SaaS product and whether each became a paying customer.

    Parameters
    ----------
    n_leads : int, default 2000
        Number of leads.
    seed : int, default 0
        Seed of the random generator; the same arguments always give the same frame.

    Returns
    -------
    pandas.DataFrame
        One row per lead, with columns

        ``lead_id`` : int
            Id of the lead.
        ``source`` : str
            Acquisition channel: ``"organic"``, ``"paid_search"``, ``"referral"``, ``"webinar"``
            or ``"outbound"``.
        ``industry`` : str
            ``"software"``, ``"retail"``, ``"finance"``, ``"health"`` or ``"education"``.
        ``company_size`` : int
            Employees of the lead's company (log-normal, 1 to about 5,000).
        ``pages_viewed`` : int
            Pages of the marketing site and docs viewed before sign-up.
        ``trial_logins`` : int
            Logins during the first week of the trial.
        ``teammates_invited`` : int
            Colleagues invited during the trial.
        ``demo_requested`` : int
            1 if the lead asked for a sales demo.
        ``converted`` : int
            1 if the lead became a paying customer by the end of the trial (the label).

    Notes
    -----
    Each lead has a latent intent (standard normal) that drives pages viewed, trial logins,
    invitations and demo requests. Conversion is a logistic model of the *observed* columns plus
    the intent and noise:

        z = -3.6 + source effect + industry effect + 0.55 * log1p(trial_logins)
            + 0.45 * min(teammates_invited, 4) + 0.9 * demo_requested
            + 0.15 * log(company_size) + 0.5 * intent

    Source effects: organic 0, paid_search -0.3, referral +0.8, webinar +0.4, outbound -0.7.
    About 19 % of leads convert. There are no missing values.
    """
    if n_leads < 1:
        raise ValueError(f"n_leads must be at least 1, got {n_leads}.")
    rng = np.random.default_rng(seed)
    source = rng.choice(5, size=n_leads, p=(0.35, 0.25, 0.12, 0.10, 0.18))
    industry = rng.choice(5, size=n_leads, p=(0.3, 0.2, 0.15, 0.15, 0.2))
    intent = rng.normal(0, 1, size=n_leads)
    size = np.clip(np.round(np.exp(rng.normal(3.0, 1.4, size=n_leads))), 1, 5000).astype(int)
    pages = rng.poisson(np.exp(1.6 + 0.4 * intent))
    logins = rng.poisson(np.exp(1.0 + 0.6 * intent))
    invited = rng.poisson(np.exp(-0.8 + 0.5 * intent + 0.15 * np.log(size)))
    demo = (rng.random(n_leads) < _sigmoid(-2.0 + 0.8 * intent + 0.2 * np.log(size))).astype(int)
    z = (-3.6 + _SOURCE_EFFECT[source] + _INDUSTRY_EFFECT[industry] + 0.55 * np.log1p(logins)
         + 0.45 * np.minimum(invited, 4) + 0.9 * demo + 0.15 * np.log(size) + 0.5 * intent)
    converted = (rng.random(n_leads) < _sigmoid(z)).astype(int)
    return pd.DataFrame({
        "lead_id": np.arange(1, n_leads + 1),
        "source": np.array(_SOURCES, dtype=object)[source],
        "industry": np.array(_INDUSTRIES, dtype=object)[industry],
        "company_size": size, "pages_viewed": pages, "trial_logins": logins,
        "teammates_invited": invited, "demo_requested": demo, "converted": converted,
    })


SAAS_MODULES = ("crm", "email_campaigns", "web_forms", "social", "analytics", "helpdesk",
                "live_chat", "knowledge_base", "invoicing", "inventory", "payroll", "projects")
_PERSONAS = (
    ("crm", "email_campaigns", "web_forms", "social", "analytics"),          # sales and marketing
    ("helpdesk", "live_chat", "knowledge_base", "web_forms"),               # customer support
    ("invoicing", "inventory", "payroll", "analytics"),                     # finance and operations
    ("projects", "live_chat", "knowledge_base"),                            # team collaboration
)


def load_saas_module_usage(n_accounts: int = 300, seed: int = 0) -> pd.DataFrame:
    """Which of a suite's 12 product modules each account uses (an implicit-feedback matrix).

    Parameters
    ----------
    n_accounts : int, default 300
        Number of accounts (rows).
    seed : int, default 0
        Seed of the random generator; the same arguments always give the same frame.

    Returns
    -------
    pandas.DataFrame
        Index ``account_id`` (1 to ``n_accounts``); one column per module of
        :data:`SAAS_MODULES` holding 1 if the account uses the module, else 0. Every account uses
        at least one module.

    Notes
    -----
    Each account has one job to be done (70 %) or two (30 %), drawn from four personas: sales
    and marketing (CRM, e-mail campaigns, web forms, social, analytics), customer support
    (help desk, live chat, knowledge base, web forms), finance and operations (invoicing,
    inventory, payroll, analytics) and team collaboration (projects, live chat, knowledge base).
    It uses each module of its personas with probability 0.7 and any other module with
    probability 0.04. Modules shared by personas (web forms, analytics, live chat, knowledge
    base) link the bundles, as they do in real product suites.
    """
    if n_accounts < 1:
        raise ValueError(f"n_accounts must be at least 1, got {n_accounts}.")
    rng = np.random.default_rng(seed)
    col = {m: j for j, m in enumerate(SAAS_MODULES)}
    p = np.full((n_accounts, len(SAAS_MODULES)), 0.04)
    first = rng.choice(4, size=n_accounts, p=(0.35, 0.25, 0.2, 0.2))
    second = np.where(rng.random(n_accounts) < 0.3, rng.integers(0, 4, size=n_accounts), first)
    for i in range(n_accounts):
        for persona in {first[i], second[i]}:
            p[i, [col[m] for m in _PERSONAS[persona]]] = 0.7
    used = (rng.random(p.shape) < p).astype(int)
    empty = used.sum(axis=1) == 0
    used[empty, rng.integers(0, len(SAAS_MODULES), size=int(empty.sum()))] = 1
    frame = pd.DataFrame(used, columns=list(SAAS_MODULES), index=pd.RangeIndex(1, n_accounts + 1, name="account_id"))
    return frame
