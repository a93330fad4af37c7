"""Coding tasks of assignment 2 for question S3: the Population Stability Index and a per-feature drift report."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, expect, expect_close, scalar
from .._task import Task
from . import A


# --- PSI ------------------------------------------------------------------------------------------

def _psi_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    return {
        "reference": rng.normal(50, 10, size=2000),
        "current": rng.normal(50 + rng.uniform(2, 5), 10 * rng.uniform(1.0, 1.3), size=1500),
        "n_bins": int(rng.choice([5, 10, 20])),
    }


# Hand-worked examples (reference, current, n_bins, PSI). With reference 1..8 and 2 bins the cut is the
# median 4.5, so p = (1/2, 1/2); current (1, 2, 3, 6) gives q = (3/4, 1/4) and PSI = ¼·ln 3. With 4 bins of
# (1, ..., 7, 100) the quantile cuts are 2.75, 4.5 and 6.25 (not equal widths): q = (1, 2, 1, 4) / 8 against
# p = ¼ each, PSI = ½·ln 2. Current (1, 2, 3) leaves the upper bin empty: q is floored at 1e-4.
_EXAMPLES = (
    ([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 6], 2, 0.2746530721670274),
    ([1, 2, 3, 4, 5, 6, 7, 100], [1, 3, 4, 5, 7, 8, 8, 8], 4, 0.34657359027997264),
    ([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3], 2, 4.60431846666895),
)
_EXAMPLE_ADVICE = (
    "the bins are cut at the reference's quantiles 1/n_bins, ..., (n_bins-1)/n_bins (np.quantile), open at both ends, "
    "with a value equal to a cut going to the upper bin",
    "the bins are cut at the reference's quantiles, not at equal widths over its range",
    "empty bins: floor both proportions at `floor` (default 1e-4) before taking logarithms",
)


def _psi_matches(fn, data):
    ref, cur, n_bins = data["reference"], data["current"], data["n_bins"]
    same = scalar(call(fn, ref, ref, n_bins=n_bins), "psi(reference, reference)")
    expect(abs(same) < 1e-12, "The PSI of a sample against itself should be 0: both histograms must use the same bins.")
    value = scalar(call(fn, ref, cur, n_bins=n_bins), "psi(reference, current)")
    expect(np.isfinite(value), "psi returned NaN or inf: floor the bin proportions before taking logarithms.")
    expect(value > 0, "The PSI of two different samples should be positive: each term (q - p)·ln(q / p) is ≥ 0.")
    for (r, c, k, want), advice in zip(_EXAMPLES, _EXAMPLE_ADVICE):
        got = scalar(call(fn, np.array(r, dtype=float), np.array(c, dtype=float), n_bins=k),
                     f"psi on a small example with n_bins={k}")
        if abs(got - want) > 1e-9 * max(1.0, want):
            raise CheckFailure(f"psi is wrong on a small hand-worked example with n_bins={k}: {advice}; "
                               "use proportions (counts divided by each sample's size), not counts.")
    moved = scalar(call(fn, 3 * ref + 7, 3 * cur + 7, n_bins=n_bins), "psi after rescaling both samples")
    expect(abs(moved - value) < 1e-9 * max(1.0, value),
           "Rescaling both samples (3x + 7) changed the PSI: the bins must come from the reference sample's quantiles.")
    shuffled = np.random.default_rng(0).permutation(cur)
    with_nan = np.concatenate([shuffled, [np.nan, np.nan]])
    again = scalar(call(fn, np.concatenate([ref, [np.nan]]), with_nan, n_bins=n_bins), "psi with missing values")
    expect(abs(again - value) < 1e-9 * max(1.0, value),
           "Adding NaN to the samples (or shuffling them) changed the PSI: drop the missing values first; the order of "
           "the values does not matter.")


# --- drift report ---------------------------------------------------------------------------------

def _report_data(seed: int) -> dict:
    from ...datasets.production import drift_frames

    ref, cur = drift_frames(seed)
    return {"reference": ref, "current": cur, "alpha": 0.01, "psi_threshold": 0.2}


# drift_frames plants the drift: income and sessions move a lot; age does not move; tenure moves a little,
# enough for a KS test on thousands of rows but too little to matter by PSI.
_PLANTED = {"age": False, "income": True, "sessions": True, "tenure": False}


def _report_matches(fn, data):
    import pandas as pd
    from scipy.stats import ks_2samp

    ref, cur, alpha, thr = data["reference"], data["current"], data["alpha"], data["psi_threshold"]
    ref_copy, cur_copy = ref.copy(), cur.copy()
    report = call(fn, ref, cur, alpha=alpha, psi_threshold=thr)
    expect(isinstance(report, pd.DataFrame), f"drift_report should return a pandas DataFrame, got {type(report).__name__}.")
    expect(ref.equals(ref_copy) and cur.equals(cur_copy), "drift_report must not modify the tables it is given.")
    expect(list(report.index) == list(ref.columns),
           "The report should have one row per feature, indexed by the feature names in the reference's column order.")
    missing = [c for c in ("ks_stat", "p_value", "psi", "drifted") if c not in report.columns]
    expect(not missing, f"The report is missing the column(s) {missing}.")
    tests = [ks_2samp(ref[c].dropna().to_numpy(float), cur[c].dropna().to_numpy(float)) for c in ref.columns]
    expect_close(report["ks_stat"], [t.statistic for t in tests], "The ks_stat column", rtol=1e-9,
                 hint="Use scipy.stats.ks_2samp(reference_column, current_column).statistic.")
    expect_close(report["p_value"], [t.pvalue for t in tests], "The p_value column", rtol=1e-6, atol=1e-300)
    psi = as_array(report["psi"], "The psi column")
    expect(np.isfinite(psi).all() and np.all(psi >= 0), "The psi column should hold finite, non-negative PSI values.")
    flags = as_array(report["drifted"].astype(bool), "The drifted column").astype(bool)
    p_values = report["p_value"].to_numpy(float)
    expect(np.array_equal(flags, (p_values < alpha) & (psi >= thr)),
           "The drifted column is wrong: a feature has drifted when its KS p-value is below alpha AND its PSI is at least psi_threshold.")
    planted = [_PLANTED.get(c) for c in ref.columns]
    expect(all(want is None or bool(f) == want for f, want in zip(flags, planted)),
           "The drifted column disagrees with the drift planted in these tables (income and sessions move, age and, "
           "in practice, tenure do not): call your psi(reference_column, current_column) with its default n_bins and floor.")


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
        needs=("psi_drift",),
    ),
]
