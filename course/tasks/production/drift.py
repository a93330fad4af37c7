"""Coding tasks of assignment 2 for question S3: the Population Stability Index and a per-feature drift report."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, expect, expect_close
from .._task import Task
from . import A
from ._returns import scalar


def reference_psi(reference, current, n_bins=10, floor=1e-4) -> float:
    """PSI with bins cut at the reference's quantiles (the convention the tasks state)."""
    ref = np.asarray(reference, dtype=float)
    cur = np.asarray(current, dtype=float)
    ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    cuts = np.unique(np.quantile(ref, np.linspace(0, 1, n_bins + 1)[1:-1]))
    p = np.bincount(np.searchsorted(cuts, ref, side="right"), minlength=len(cuts) + 1) / ref.size
    q = np.bincount(np.searchsorted(cuts, cur, side="right"), minlength=len(cuts) + 1) / cur.size
    p, q = np.maximum(p, floor), np.maximum(q, floor)
    return float(np.sum((q - p) * np.log(q / p)))


# --- PSI ------------------------------------------------------------------------------------------

def _psi_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    return {
        "reference": rng.normal(50, 10, size=2000),
        "current": rng.normal(50 + rng.uniform(2, 5), 10 * rng.uniform(1.0, 1.3), size=1500),
        "n_bins": int(rng.choice([5, 10, 20])),
    }


def _psi_matches(fn, data):
    ref, cur, n_bins = data["reference"], data["current"], data["n_bins"]
    same = scalar(call(fn, ref, ref, n_bins=n_bins), "psi(reference, reference)")
    expect(abs(same) < 1e-12, "The PSI of a sample against itself should be 0: both histograms must use the same bins.")
    value = scalar(call(fn, ref, cur, n_bins=n_bins), "psi(reference, current)")
    expect(np.isfinite(value), "psi returned NaN or inf: floor the bin proportions before taking logarithms.")
    expect(value > 0, "The PSI of two different samples should be positive: each term (q - p)·ln(q / p) is ≥ 0.")
    ref_value = reference_psi(ref, cur, n_bins)
    if abs(value - ref_value) > 1e-9 * max(1.0, ref_value):
        hint = ("Cut the bins at the reference's quantiles 1/n_bins, ..., (n_bins-1)/n_bins, with open ends, "
                "and use proportions (counts divided by each sample's size), not counts.")
        raise CheckFailure(f"psi(reference, current, n_bins={n_bins}) has the wrong value on the visible example. {hint}")
    swapped = scalar(call(fn, cur, ref, n_bins=n_bins), "psi(current, reference)")
    expect(abs(swapped - reference_psi(cur, ref, n_bins)) < 1e-9 * max(1.0, swapped),
           "psi(current, reference) is wrong: the bins always come from the first argument, the reference.")


# --- drift report ---------------------------------------------------------------------------------

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


def _report_data(seed: int) -> dict:
    ref, cur = drift_frames(seed)
    return {"reference": ref, "current": cur, "alpha": 0.01, "psi_threshold": 0.2}


def reference_report(ref, cur, alpha, psi_threshold):
    import pandas as pd
    from scipy.stats import ks_2samp

    rows = {}
    for col in ref.columns:
        a, b = ref[col].dropna().to_numpy(float), cur[col].dropna().to_numpy(float)
        ks = ks_2samp(a, b)
        value = reference_psi(a, b)
        rows[col] = {"ks_stat": ks.statistic, "p_value": ks.pvalue, "psi": value,
                     "drifted": bool(ks.pvalue < alpha and value >= psi_threshold)}
    return pd.DataFrame.from_dict(rows, orient="index")


def _report_matches(fn, data):
    import pandas as pd

    ref, cur, alpha, thr = data["reference"], data["current"], data["alpha"], data["psi_threshold"]
    ref_copy, cur_copy = ref.copy(), cur.copy()
    report = call(fn, ref, cur, alpha=alpha, psi_threshold=thr)
    expect(isinstance(report, pd.DataFrame), f"drift_report should return a pandas DataFrame, got {type(report).__name__}.")
    expect(ref.equals(ref_copy) and cur.equals(cur_copy), "drift_report must not modify the tables it is given.")
    expect(list(report.index) == list(ref.columns),
           "The report should have one row per feature, indexed by the feature names in the reference's column order.")
    missing = [c for c in ("ks_stat", "p_value", "psi", "drifted") if c not in report.columns]
    expect(not missing, f"The report is missing the column(s) {missing}.")
    expected = reference_report(ref, cur, alpha, thr)
    expect_close(report["ks_stat"], expected["ks_stat"], "The ks_stat column", rtol=1e-9,
                 hint="Use scipy.stats.ks_2samp(reference_column, current_column).statistic.")
    expect_close(report["p_value"], expected["p_value"], "The p_value column", rtol=1e-6, atol=1e-300)
    expect_close(report["psi"], expected["psi"], "The psi column", rtol=1e-9,
                 hint="Call your psi(reference_column, current_column) with its default n_bins and floor.")
    flags = as_array(report["drifted"].astype(bool), "The drifted column")
    expect(np.array_equal(flags, expected["drifted"].to_numpy(bool)),
           "The drifted column is wrong: a feature has drifted when its KS p-value is below alpha AND its PSI is at least psi_threshold.")


TASKS = [
    Task(
        id="psi_drift",
        assignment=A,
        question="S3",
        title="Population Stability Index by hand",
        function="psi",
        points=3,
        hints=(
            "PSI compares two histograms built on the SAME bins, and the bins come from the reference sample "
            "only: its quantiles, so that each reference bin holds about 1/n_bins of the rows.",
            "Cut points: `np.unique(np.quantile(ref, np.linspace(0, 1, n_bins + 1)[1:-1]))`. Bin index of each "
            "value: `np.searchsorted(cuts, x, side='right')`; count with `np.bincount(..., minlength=len(cuts) + 1)`.",
            "Turn counts into proportions p (reference) and q (current), floor both with `np.maximum(p, floor)`, "
            "then PSI = Σ (q − p) · ln(q / p). Drop NaNs first; raise ValueError if a sample is empty or n_bins < 2.",
        ),
        checks=(_psi_matches,),
        make_data=_psi_data,
    ),
    Task(
        id="drift_report",
        assignment=A,
        question="S3",
        title="Per-feature drift report: KS test and PSI",
        function="drift_report",
        points=2,
        hints=(
            "Loop over the reference's columns; each feature gets a KS test and a PSI, computed on the "
            "non-missing values of that column in both tables.",
            "`scipy.stats.ks_2samp(a, b)` returns an object with `.statistic` and `.pvalue`; your `psi(a, b)` "
            "gives the effect size. Collect one dict per feature and build the table with "
            "`pd.DataFrame.from_dict(rows, orient='index')`.",
            "A feature is flagged only when both agree: `p_value < alpha and psi >= psi_threshold` (significant "
            "AND large enough to matter). Keep the reference's column order.",
        ),
        checks=(_report_matches,),
        make_data=_report_data,
    ),
]
