"""Coding tasks of assignment 2 for question S14: the two-proportion z-test and the sample size of an A/B test."""
from __future__ import annotations

import math

import numpy as np

from .._expect import CheckFailure, call, expect
from .._task import Task
from . import A

KEYS = ("diff", "z", "p_value", "ci_low", "ci_high")


def reference_ztest(conv_a, n_a, conv_b, n_b, alpha=0.05) -> dict:
    """Pooled two-sided z-test of p_b - p_a and the unpooled Wald interval of the difference."""
    from scipy.stats import norm

    p_a, p_b = conv_a / n_a, conv_b / n_b
    diff = p_b - p_a
    pooled = (conv_a + conv_b) / (n_a + n_b)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = diff / se0 if se0 > 0 else 0.0
    se1 = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    half = norm.ppf(1 - alpha / 2) * se1
    return {"diff": diff, "z": z, "p_value": float(2 * norm.sf(abs(z))), "ci_low": diff - half, "ci_high": diff + half}


def reference_sample_size(p_baseline, mde, alpha=0.05, power=0.8) -> float:
    """Users per group (before rounding up) to detect p_baseline -> p_baseline + mde with a two-sided test."""
    from scipy.stats import norm

    p1, p2 = p_baseline, p_baseline + mde
    pbar = (p1 + p2) / 2
    num = norm.ppf(1 - alpha / 2) * math.sqrt(2 * pbar * (1 - pbar)) + norm.ppf(power) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return num ** 2 / mde ** 2


def _ztest_data(seed: int) -> dict:
    if seed == 0:
        return {"conv_a": 200, "n_a": 2000, "conv_b": 250, "n_b": 2100, "alpha": 0.05}
    rng = np.random.default_rng(seed)
    n_a, n_b = (int(v) for v in rng.integers(300, 5000, 2))
    p = rng.uniform(0.03, 0.4)
    return {"conv_a": int(rng.binomial(n_a, p)), "n_a": n_a, "conv_b": int(rng.binomial(n_b, p * rng.uniform(0.9, 1.25))),
            "n_b": n_b, "alpha": float(rng.choice([0.01, 0.05, 0.1]))}


def _ztest_checks(fn, data):
    out = call(fn, data["conv_a"], data["n_a"], data["conv_b"], data["n_b"], alpha=data["alpha"])
    expect(isinstance(out, dict), f"two_proportion_test should return a dict, got {type(out).__name__}.")
    missing = [k for k in KEYS if k not in out]
    expect(not missing, f"The result is missing the key(s) {', '.join(missing)}.")
    try:
        got = {k: float(out[k]) for k in KEYS}
    except (TypeError, ValueError):
        raise CheckFailure("Every value of the result should be a number.") from None
    ref = reference_ztest(**data)
    expect(abs(got["diff"] - ref["diff"]) < 1e-12, "diff should be p_b - p_a (treatment minus control), each a conversion rate.")
    expect(np.sign(got["z"]) == np.sign(ref["z"]), "z has the wrong sign: it is (p_b - p_a) / SE.")
    expect(abs(got["z"] - ref["z"]) < 1e-9 * max(1, abs(ref["z"])),
           "z is wrong: under the null hypothesis both groups share one rate, so the standard error uses the pooled "
           "rate (conv_a + conv_b) / (n_a + n_b).")
    expect(abs(got["p_value"] - ref["p_value"]) < 1e-9,
           "p_value is wrong: the test is two-sided, so it is the probability of a |Z| at least as large as |z|.")
    expect(got["ci_low"] < got["ci_high"], "ci_low should be below ci_high.")
    expect(abs(got["ci_low"] - ref["ci_low"]) < 1e-9 and abs(got["ci_high"] - ref["ci_high"]) < 1e-9,
           "The confidence interval is wrong: diff ± z_(1-alpha/2) · SE, where this SE is *unpooled*, "
           "sqrt(p_a(1-p_a)/n_a + p_b(1-p_b)/n_b), because the interval does not assume the rates are equal.")


def _size_data(seed: int) -> dict:
    if seed == 0:
        return {"p_baseline": 0.10, "mde": 0.02, "alpha": 0.05, "power": 0.8}
    rng = np.random.default_rng(seed)
    p = float(rng.uniform(0.02, 0.5))
    return {"p_baseline": p, "mde": float(rng.choice([-1, 1]) * p * rng.uniform(0.05, 0.3)),
            "alpha": float(rng.choice([0.01, 0.05, 0.1])), "power": float(rng.choice([0.8, 0.9]))}


def acceptable_sizes(**data) -> set:
    """The reference size, allowing for a rounding tie when the exact value is a whole number."""
    raw = reference_sample_size(**data)
    return {math.ceil(raw - 1e-7), math.ceil(raw + 1e-7)} if abs(raw - round(raw)) < 1e-7 else {math.ceil(raw)}


def _size_checks(fn, data):
    n = call(fn, data["p_baseline"], data["mde"], alpha=data["alpha"], power=data["power"])
    expect(isinstance(n, (int, np.integer)) and not isinstance(n, bool),
           f"sample_size_per_group should return a whole number (int), got {type(n).__name__}: round up with math.ceil.")
    ok = acceptable_sizes(**data)
    ref = min(ok)
    if n not in ok:
        if n < ref:
            raise CheckFailure("The sample size is too small: is the test two-sided (z at 1 - alpha/2), is power's z "
                               "at `power`, and did you square the whole numerator?")
        raise CheckFailure("The sample size is too large: the first term uses the average rate "
                           "p̄ = (p1 + p2) / 2 in sqrt(2 p̄ (1 - p̄)), the second sqrt(p1(1-p1) + p2(1-p2)).")


TASKS = [
    Task(
        id="ab_ztest",
        assignment=A,
        question="S14",
        title="Two-proportion z-test and confidence interval",
        function="two_proportion_test",
        points=3,
        hints=(
            "Conversion rates p_a = conv_a / n_a and p_b = conv_b / n_b; the test statistic is their difference divided "
            "by its standard error, and the p-value comes from the standard normal distribution (scipy.stats.norm).",
            "Two different standard errors: the test assumes H0 (one shared rate, pooled over both groups); the interval "
            "does not (each group keeps its own rate).",
            "p_value = 2 * norm.sf(abs(z)); the interval is diff ± norm.ppf(1 - alpha / 2) * se_unpooled. Check the "
            "inputs first and raise ValueError for impossible counts.",
        ),
        checks=(_ztest_checks,),
        make_data=_ztest_data,
    ),
    Task(
        id="ab_sample_size",
        assignment=A,
        question="S14",
        title="Sample size for a minimum detectable effect",
        function="sample_size_per_group",
        points=2,
        hints=(
            "Two normal quantiles: one for the significance level of a two-sided test, one for the power.",
            "z_alpha = norm.ppf(1 - alpha / 2), z_beta = norm.ppf(power); p2 = p_baseline + mde, p̄ = (p1 + p2) / 2.",
            "n = (z_alpha·sqrt(2 p̄(1-p̄)) + z_beta·sqrt(p1(1-p1) + p2(1-p2)))² / mde², rounded up with math.ceil.",
        ),
        checks=(_size_checks,),
        make_data=_size_data,
    ),
]
