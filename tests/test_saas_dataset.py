"""The synthetic SaaS data of assignment 4: deterministic, documented, and with the properties the notebook relies on."""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from course.datasets.saas import SAAS_MODULES, load_saas_accounts, load_saas_leads, load_saas_module_usage

COLUMNS = ["account_id", "month", "plan", "region", "seats", "tenure_months", "logins", "days_since_last_login",
           "support_tickets", "modules_used", "csat", "monthly_revenue", "churned"]


@pytest.fixture(scope="module")
def accounts() -> pd.DataFrame:
    return load_saas_accounts()


def _month_no(df: pd.DataFrame) -> pd.Series:
    return (df["month"].dt.year - 2023) * 12 + df["month"].dt.month - 1


# --- determinism and speed --------------------------------------------------------------------------------

@pytest.mark.parametrize("loader", [load_saas_accounts, load_saas_leads, load_saas_module_usage])
def test_same_seed_same_frame_other_seed_other_frame(loader):
    pd.testing.assert_frame_equal(loader(seed=3), loader(seed=3))
    assert not loader(seed=3).equals(loader(seed=4))


def test_the_default_accounts_frame_is_fast():
    best = min(_timed(load_saas_accounts) for _ in range(3))
    assert best < 0.5, f"load_saas_accounts() took {best:.2f} s; the notebook calls it often"


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@pytest.mark.parametrize("kwargs", [{"n_accounts": 0}, {"n_months": 0}])
def test_empty_sizes_are_refused_with_a_message(kwargs):
    with pytest.raises(ValueError, match="at least 1"):
        load_saas_accounts(**kwargs)


# --- schema ---------------------------------------------------------------------------------------------

def test_schema_and_documentation(accounts):
    assert list(accounts.columns) == COLUMNS
    assert pd.api.types.is_datetime64_any_dtype(accounts["month"])
    for col in ["account_id", "seats", "tenure_months", "logins", "modules_used", "churned"]:
        assert pd.api.types.is_integer_dtype(accounts[col]), col
    assert set(accounts["plan"]) == {"free", "basic", "pro", "enterprise"}
    assert set(accounts["region"]) == {"AMER", "EMEA", "APAC"}
    assert set(accounts["churned"]) == {0, 1}
    doc = load_saas_accounts.__doc__
    missing = [c for c in COLUMNS if f"``{c}``" not in doc]
    assert not missing, f"columns not documented in the docstring: {missing}"
    for word in ("MCAR", "MAR", "MNAR", "drift"):
        assert word in doc


def test_one_row_per_active_account_and_month(accounts):
    assert accounts["month"].nunique() == 24
    assert (accounts.groupby("month").size() == 800).all(), "churned accounts are replaced one for one"
    assert not accounts.duplicated(["account_id", "month"]).any()
    assert accounts.equals(accounts.sort_values(["month", "account_id"]).reset_index(drop=True))


def test_accounts_are_consecutive_and_leave_after_churning(accounts):
    m = _month_no(accounts)
    by_account = accounts.assign(m=m).groupby("account_id")
    first, last, count = by_account["m"].min(), by_account["m"].max(), by_account.size()
    assert (last - first + 1 == count).all(), "an account's snapshots have no gaps"
    churned_at = accounts.assign(m=m).loc[accounts["churned"] == 1].groupby("account_id")["m"].max()
    assert (last.loc[churned_at.index] == churned_at).all(), "no snapshot after the month an account churns"
    assert accounts.groupby("account_id")["churned"].sum().max() == 1
    survivors = last[(last < 23) & ~last.index.isin(churned_at.index)]
    assert survivors.empty, "an account that does not churn appears again the next month"


def test_values_are_plausible(accounts):
    assert (accounts["seats"] >= 1).all() and (accounts.loc[accounts["plan"] == "free", "seats"] <= 3).all()
    assert (accounts.loc[accounts["plan"] == "free", "monthly_revenue"] == 0).all()
    assert (accounts.loc[accounts["plan"] != "free", "monthly_revenue"] > 0).all()
    assert accounts["modules_used"].between(1, 12).all()
    assert accounts["csat"].dropna().between(1, 5).all()
    assert (accounts["days_since_last_login"].dropna() >= 0).all() and (accounts["logins"] >= 0).all()
    first = accounts.groupby("account_id").first()
    signups = first[first["month"] > accounts["month"].min()]
    assert len(signups) > 0 and (signups["tenure_months"] == 0).all(), "sign-ups replace churners with tenure 0"


# --- the label ---------------------------------------------------------------------------------------------

def test_churn_rate_is_plausible(accounts):
    assert 0.03 <= accounts["churned"].mean() <= 0.07, "SaaS churn is a few percent of accounts a month"
    monthly = accounts.groupby("month")["churned"].mean()
    assert monthly.between(0.01, 0.12).all()


def test_churn_follows_usage(accounts):
    quiet = accounts["logins"] <= accounts["logins"].quantile(0.25)
    busy = accounts["logins"] >= accounts["logins"].quantile(0.75)
    assert accounts.loc[quiet, "churned"].mean() > 2 * accounts.loc[busy, "churned"].mean()


def test_drift_changes_only_the_months_after_it():
    drifting, stable = load_saas_accounts(seed=5), load_saas_accounts(seed=5, drift_month=None)
    before = _month_no(drifting) < 16
    pd.testing.assert_frame_equal(drifting[before], stable[_month_no(stable) < 16])
    assert not drifting[~before].reset_index(drop=True).equals(stable[_month_no(stable) >= 16].reset_index(drop=True))


def test_concept_drift_hurts_a_model_trained_before_it(accounts):
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    features = ["seats", "tenure_months", "logins", "days_since_last_login", "support_tickets", "modules_used", "csat"]
    m = _month_no(accounts)
    model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(accounts.loc[m < 10, features], accounts.loc[m < 10, "churned"])

    def auc(rows):
        return roc_auc_score(accounts.loc[rows, "churned"], model.predict_proba(accounts.loc[rows, features])[:, 1])

    assert auc(m.between(10, 15)) - auc(m >= 18) > 0.05


# --- missing values: three mechanisms --------------------------------------------------------------------

def test_only_three_columns_have_gaps(accounts):
    gappy = set(accounts.columns[accounts.isna().any()])
    assert gappy == {"days_since_last_login", "support_tickets", "csat"}


def test_support_tickets_are_missing_completely_at_random(accounts):
    gaps = accounts["support_tickets"].isna()
    assert 0.06 <= gaps.mean() <= 0.10
    by_plan = gaps.groupby(accounts["plan"]).mean()
    assert (by_plan - gaps.mean()).abs().max() < 0.02, "the gap rate does not depend on the plan"
    by_churn = gaps.groupby(accounts["churned"]).mean()
    assert abs(by_churn[1] - by_churn[0]) < 0.03, "nor on the label"


def test_last_login_is_missing_at_random_given_plan_and_usage(accounts):
    gaps = accounts["days_since_last_login"].isna()
    quiet_free = (accounts["plan"] == "free") & (accounts["logins"] < 5)
    busy_paid = (accounts["plan"] != "free") & (accounts["logins"] >= 5)
    assert gaps[quiet_free].mean() > 0.45 and gaps[busy_paid].mean() < 0.12
    # Within one cell of the observed columns, the gaps are unrelated to other observed values.
    cell = busy_paid & (accounts["plan"] == "pro")
    assert abs(accounts.loc[cell & gaps, "tenure_months"].mean() - accounts.loc[cell & ~gaps, "tenure_months"].mean()) < 3


def test_satisfaction_gaps_carry_churn_signal(accounts):
    gaps = accounts["csat"].isna()
    assert 0.25 <= gaps.mean() <= 0.55
    assert accounts.loc[gaps, "churned"].mean() > 1.5 * accounts.loc[~gaps, "churned"].mean()


# --- leads and module usage -------------------------------------------------------------------------------

def test_leads():
    leads = load_saas_leads()
    assert list(leads.columns) == ["lead_id", "source", "industry", "company_size", "pages_viewed", "trial_logins",
                                   "teammates_invited", "demo_requested", "converted"]
    assert len(leads) == 2000 and not leads.isna().any().any()
    assert 0.10 <= leads["converted"].mean() <= 0.30
    rates = leads.groupby("source")["converted"].mean()
    assert rates["referral"] > rates["outbound"]


def test_module_usage():
    usage = load_saas_module_usage()
    assert list(usage.columns) == list(SAAS_MODULES) and usage.index.name == "account_id"
    assert set(np.unique(usage.to_numpy())) == {0, 1}
    assert (usage.sum(axis=1) >= 1).all()
    u = usage.to_numpy(dtype=float)
    cos = (u.T @ u) / np.outer(np.linalg.norm(u, axis=0), np.linalg.norm(u, axis=0))
    col = {m: i for i, m in enumerate(SAAS_MODULES)}
    assert cos[col["helpdesk"], col["live_chat"]] > cos[col["helpdesk"], col["payroll"]] + 0.3, "bundles show in co-usage"
