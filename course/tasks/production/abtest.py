"""Coding tasks of assignment 2 for question S14: the two-proportion z-test and the sample size of an A/B test."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, call, expect
from .._task import Task
from . import A

KEYS = ("diff", "z", "p_value", "ci_low", "ci_high")


# Hand-worked examples: (conv_a, n_a, conv_b, n_b, alpha) -> the expected values of the KEYS.
# First: p_a = 0.1, p_b = 250/2100, pooled rate 450/4100, z = diff / sqrt(p̄(1-p̄)(1/2000 + 1/2100)).
_ZTEST_EXAMPLES = (
    ((200, 2000, 250, 2100, 0.05), (0.019047619047619035, 1.9503141920113944, 0.05113868215224067,
                                    -4.977470656292865e-05, 0.038145012801801)),
    ((30, 1000, 90, 1500, 0.1), (0.03, 3.4376193638557924, 0.000586852003205332,
                                 0.016566469250857238, 0.04343353074914276)),
)
_ZTEST_ADVICE = {
    "diff": "diff should be p_b - p_a (treatment minus control), each a conversion rate.",
    "z": "z is wrong: under the null hypothesis both groups share one rate, so the standard error uses the pooled "
         "rate (conv_a + conv_b) / (n_a + n_b).",
    "p_value": "p_value is wrong: the test is two-sided, so it is the probability of a |Z| at least as large as |z|.",
    "ci_low": "The confidence interval is wrong: diff ± z_(1-alpha/2) · SE, where this SE is *unpooled*, "
              "sqrt(p_a(1-p_a)/n_a + p_b(1-p_b)/n_b), because the interval does not assume the rates are equal.",
}
_ZTEST_ADVICE["ci_high"] = _ZTEST_ADVICE["ci_low"]


def _ztest_data(seed: int) -> dict:
    if seed == 0:
        return {"conv_a": 200, "n_a": 2000, "conv_b": 250, "n_b": 2100, "alpha": 0.05}
    rng = np.random.default_rng(seed)
    n_a, n_b = (int(v) for v in rng.integers(300, 5000, 2))
    p = rng.uniform(0.03, 0.4)
    return {"conv_a": int(rng.binomial(n_a, p)), "n_a": n_a, "conv_b": int(rng.binomial(n_b, p * rng.uniform(0.9, 1.25))),
            "n_b": n_b, "alpha": float(rng.choice([0.01, 0.05, 0.1]))}


def _ztest_result(fn, conv_a, n_a, conv_b, n_b, alpha) -> dict:
    out = call(fn, conv_a, n_a, conv_b, n_b, alpha=alpha)
    expect(isinstance(out, dict), f"two_proportion_test should return a dict, got {type(out).__name__}.")
    missing = [k for k in KEYS if k not in out]
    expect(not missing, f"The result is missing the key(s) {', '.join(missing)}.")
    try:
        return {k: float(out[k]) for k in KEYS}
    except (TypeError, ValueError):
        raise CheckFailure("Every value of the result should be a number.") from None


def _ztest_checks(fn, data):
    from scipy.stats import norm

    got = _ztest_result(fn, **data)
    expect(abs(got["diff"] - (data["conv_b"] / data["n_b"] - data["conv_a"] / data["n_a"])) < 1e-12, _ZTEST_ADVICE["diff"])
    expect(np.sign(got["z"]) == np.sign(got["diff"]), "z has the wrong sign: it is (p_b - p_a) / SE.")
    expect(abs(got["p_value"] - 2 * norm.sf(abs(got["z"]))) < 1e-9, _ZTEST_ADVICE["p_value"])
    expect(got["ci_low"] < got["ci_high"], "ci_low should be below ci_high.")
    expect(abs((got["ci_low"] + got["ci_high"]) / 2 - got["diff"]) < 1e-12, "The confidence interval should be centred on diff.")
    wider = _ztest_result(fn, **dict(data, alpha=data["alpha"] / 5))
    ratio = (wider["ci_high"] - wider["ci_low"]) / (got["ci_high"] - got["ci_low"])
    expect(abs(ratio - norm.ppf(1 - data["alpha"] / 10) / norm.ppf(1 - data["alpha"] / 2)) < 1e-9
           and abs(wider["z"] - got["z"]) < 1e-12,
           "Changing alpha should only change the interval's normal quantile, z_(1-alpha/2), not z or the standard error.")
    for args, want in _ZTEST_EXAMPLES:
        example = _ztest_result(fn, *args)
        for key, value in zip(KEYS, want):
            if abs(example[key] - value) > 1e-9 * max(1.0, abs(value)):
                raise CheckFailure(f"On a hand-worked example ({args[0]}/{args[1]} against {args[2]}/{args[3]}): "
                                   f"{_ZTEST_ADVICE[key]}")


def _size_data(seed: int) -> dict:
    if seed == 0:
        return {"p_baseline": 0.10, "mde": 0.02, "alpha": 0.05, "power": 0.8}
    rng = np.random.default_rng(seed)
    p = float(rng.uniform(0.02, 0.5))
    return {"p_baseline": p, "mde": float(rng.choice([-1, 1]) * p * rng.uniform(0.05, 0.3)),
            "alpha": float(rng.choice([0.01, 0.05, 0.1])), "power": float(rng.choice([0.8, 0.9]))}


# Hand-worked examples: (p_baseline, mde, alpha, power) -> users per group, rounded up.
_SIZE_EXAMPLES = (((0.10, 0.02, 0.05, 0.8), 3841), ((0.3, -0.05, 0.01, 0.9), 2371))


def _size(fn, p_baseline, mde, alpha, power, what="") -> int:
    n = call(fn, p_baseline, mde, alpha=alpha, power=power)
    expect(isinstance(n, (int, np.integer)) and not isinstance(n, bool),
           f"sample_size_per_group should return a whole number (int){what}, got {type(n).__name__}: round up with math.ceil.")
    return int(n)


def _size_checks(fn, data):
    p, mde, alpha, power = data["p_baseline"], data["mde"], data["alpha"], data["power"]
    n = _size(fn, p, mde, alpha, power)
    expect(n > 0, "The sample size should be a positive number of users.")
    expect(_size(fn, p + mde, -mde, alpha, power, " (the same two rates, swapped)") == n,
           "Swapping the two rates (baseline p + mde, effect -mde) should not change the sample size: the formula is "
           "symmetric in p1 and p2.")
    expect(_size(fn, p, mde, alpha, min(power + 0.05, 0.99), " (more power)") >= n,
           "More power needs at least as many users: is power's z taken at `power`?")
    expect(_size(fn, p, 2 * mde if 0 < p + 2 * mde < 1 else mde / 2, alpha, power) != n,
           "The sample size should depend on the minimum detectable effect (it shrinks like 1 / mde²).")
    for (p1, effect, a, pw), want in _SIZE_EXAMPLES:
        got = _size(fn, p1, effect, a, pw)
        if got != want:
            if got < want:
                raise CheckFailure(f"The sample size is too small on a hand-worked example (p_baseline={p1}, mde={effect}): "
                                   "is the test two-sided (z at 1 - alpha/2), is power's z at `power`, and did you square "
                                   "the whole numerator?")
            raise CheckFailure(f"The sample size is too large on a hand-worked example (p_baseline={p1}, mde={effect}): the "
                               "first term uses the average rate p̄ = (p1 + p2) / 2 in sqrt(2 p̄ (1 - p̄)), the second "
                               "sqrt(p1(1-p1) + p2(1-p2)).")


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
