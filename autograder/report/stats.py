"""Classical test statistics, defined as Moodle's quiz statistics report defines them.

Sources: Moodle's developer page "Quiz statistics calculations" and its implementation
(``mod/quiz/report/statistics/classes/calculator.php`` for the test,
``question/classes/statistics/questions/calculator.php`` for the items). Notation: students
:math:`s = 1..S`, items :math:`i = 1..p` with marks :math:`x_i(s)` out of :math:`m_i`, the test
score :math:`T(s) = \\sum_i x_i(s)` and the rest of the test :math:`X_i(s) = T(s) - x_i(s)`.
Variances and covariances divide by :math:`S - 1`.

Test statistics
    * mean and median of :math:`T`; :math:`SD = \\sqrt{\\sum_s (T(s) - \\bar T)^2 / (S - 1)}`.
    * skewness :math:`k_3 / k_2^{3/2}` and kurtosis :math:`k_4 / k_2^2` from the k-statistics
      :math:`k_2 = S m_2/(S-1)`, :math:`k_3 = S^2 m_3/((S-1)(S-2))`,
      :math:`k_4 = S^2((S+1) m_4 - 3(S-1) m_2^2)/((S-1)(S-2)(S-3))` of the central moments
      :math:`m_r`: these are ``scipy.stats.skew(T, bias=False)`` and
      ``scipy.stats.kurtosis(T, fisher=True, bias=False)`` (0 for a normal distribution).
      Skewness needs :math:`S \\ge 3`, kurtosis :math:`S \\ge 4`.
    * Cronbach's :math:`\\alpha` (Moodle's coefficient of internal consistency, CIC; the same as
      KR-20 when every item is right or wrong):
      :math:`\\alpha = \\frac{p}{p-1}\\left(1 - \\frac{\\sum_i V(x_i)}{V(T)}\\right)`.
    * error ratio :math:`ER = \\sqrt{1 - \\alpha}` and standard error :math:`SE = ER \\cdot SD`, the
      standard error of measurement of one student's score.
    * a 95 % confidence interval for :math:`\\alpha` (Feldt, Woodruff and Salih 1987, formulas 6
      and 7): :math:`1 - (1 - \\alpha) F_{0.975}` to :math:`1 - (1 - \\alpha) F_{0.025}`, with
      :math:`F_q` the quantile of the F distribution with :math:`S - 1` and
      :math:`(S - 1)(p - 1)` degrees of freedom (``scipy.stats.f.ppf``). Not part of Moodle's
      report; it says how far :math:`\\alpha` can be trusted with few students.

Item statistics
    * facility :math:`F_i = \\bar x_i / m_i` (for a right/wrong item, the share of students right).
    * standard deviation :math:`SD_i = \\sqrt{V(x_i)} / m_i`.
    * discrimination index :math:`D_i = C(x_i, X_i) / \\sqrt{V(x_i) V(X_i)}`: the Pearson
      correlation of the item with the *rest* of the test, so the item does not correlate with itself.
    * discriminative efficiency :math:`DE_i = C(x_i, X_i) / C_{max}(x_i, X_i)`, where
      :math:`C_{max}` is the covariance of the item's marks and the rest's marks each sorted in
      increasing order: the largest covariance these marks allow. Moodle calls an item *dubious*
      when :math:`DE_i` is below 15 %.

Moodle reports :math:`D_i`, :math:`DE_i` and :math:`\\alpha` in per cent; these functions
return fractions. An undefined value (too few students, no spread) is NaN, never a division by zero.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

#: Spread below this (in squared points) counts as none: marks are multiples of a point or half-point.
_NO_SPREAD = 1e-12


@dataclass(frozen=True)
class ScoreStatistics:
    """Statistics of the test scores :math:`T` (points); see the module docstring for definitions."""

    n: int
    n_items: int
    max_score: float
    mean: float
    median: float
    sd: float
    skewness: float
    kurtosis: float
    alpha: float
    alpha_low: float
    alpha_high: float
    error_ratio: float
    standard_error: float

    def as_dict(self) -> dict:
        return asdict(self)


def score_statistics(marks: np.ndarray, max_scores: np.ndarray) -> ScoreStatistics:
    """Test-level statistics of a students × items matrix of marks.

    Parameters
    ----------
    marks : ndarray of shape (S, p)
        Each student's marks on each item, in points.
    max_scores : ndarray of shape (p,)
        The items' maximum marks.

    Returns
    -------
    ScoreStatistics
        Scores in points; statistics that need more students or some spread are NaN.

    Examples
    --------
    >>> t = score_statistics(np.array([[1, 1], [1, 0], [0, 0]]), np.array([1, 1]))
    >>> round(t.mean, 3), round(t.alpha, 3)
    (1.0, 0.667)
    """
    marks = np.asarray(marks, dtype=float)
    n, p = marks.shape
    total = marks.sum(axis=1)
    nan = float("nan")
    mean = float(total.mean()) if n else nan
    median = float(np.median(total)) if n else nan
    var_total = float(total.var(ddof=1)) if n > 1 else nan
    spread = n > 1 and var_total > _NO_SPREAD
    sd = math.sqrt(var_total) if n > 1 else nan
    skewness = float(stats.skew(total, bias=False)) if spread and n > 2 else nan
    kurtosis = float(stats.kurtosis(total, fisher=True, bias=False)) if spread and n > 3 else nan
    alpha = alpha_low = alpha_high = error_ratio = standard_error = nan
    if spread and n > 2 and p > 1:
        alpha = cronbach_alpha(marks)
        alpha_low, alpha_high = alpha_interval(alpha, n, p)
        error_ratio = math.sqrt(max(0.0, 1.0 - alpha))
        standard_error = error_ratio * sd
    return ScoreStatistics(n, p, float(np.sum(max_scores)), mean, median, sd, skewness, kurtosis,
                          alpha, alpha_low, alpha_high, error_ratio, standard_error)


def cronbach_alpha(marks: np.ndarray) -> float:
    """Cronbach's α of a students × items matrix: ``p/(p-1) * (1 - Σ V(x_i) / V(T))``.

    NaN with fewer than two students or items, or when the total scores have no spread.
    """
    marks = np.asarray(marks, dtype=float)
    n, p = marks.shape
    if n < 2 or p < 2:
        return float("nan")
    var_total = marks.sum(axis=1).var(ddof=1)
    if var_total <= _NO_SPREAD:
        return float("nan")
    return float(p / (p - 1) * (1 - marks.var(axis=0, ddof=1).sum() / var_total))


def alpha_interval(alpha: float, n: int, p: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt's confidence interval for Cronbach's α from ``n`` students and ``p`` items."""
    if not (n > 1 and p > 1 and math.isfinite(alpha)):
        return float("nan"), float("nan")
    dfn, dfd = n - 1, (n - 1) * (p - 1)
    tail = (1 - level) / 2
    low = 1 - (1 - alpha) * stats.f.ppf(1 - tail, dfn, dfd)
    high = 1 - (1 - alpha) * stats.f.ppf(tail, dfn, dfd)
    return float(low), float(high)


def item_statistics(marks: np.ndarray, max_scores: np.ndarray) -> dict[str, np.ndarray]:
    """Facility, SD, discrimination index and discriminative efficiency of every item (column).

    Parameters
    ----------
    marks : ndarray of shape (S, p)
        Marks in points.
    max_scores : ndarray of shape (p,)
        Maximum marks of the items.

    Returns
    -------
    dict of ndarray, each of shape (p,)
        ``facility``, ``sd`` (fractions of the maximum), ``discrimination_index`` and
        ``discriminative_efficiency`` (fractions; NaN with fewer than two students or when the item
        or the rest of the test has no spread).
    """
    marks = np.asarray(marks, dtype=float)
    max_scores = np.asarray(max_scores, dtype=float)
    n, p = marks.shape
    nan = np.full(p, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        facility = np.where(max_scores > 0, marks.mean(axis=0) / max_scores, np.nan) if n else nan.copy()
    if n < 2:
        return {"facility": facility, "sd": nan.copy(), "discrimination_index": nan.copy(),
                "discriminative_efficiency": nan.copy()}
    rest = marks.sum(axis=1, keepdims=True) - marks
    item_dev, rest_dev = marks - marks.mean(axis=0), rest - rest.mean(axis=0)
    var_item = (item_dev ** 2).sum(axis=0) / (n - 1)
    var_rest = (rest_dev ** 2).sum(axis=0) / (n - 1)
    cov = (item_dev * rest_dev).sum(axis=0) / (n - 1)
    cov_max = ((np.sort(marks, axis=0) - marks.mean(axis=0)) * (np.sort(rest, axis=0) - rest.mean(axis=0))).sum(axis=0) / (n - 1)
    defined = (var_item > _NO_SPREAD) & (var_rest > _NO_SPREAD)
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.where(max_scores > 0, np.sqrt(var_item) / max_scores, np.nan)
        discrimination = np.where(defined, cov / np.sqrt(var_item * var_rest), np.nan)
        efficiency = np.where(defined & (cov_max > _NO_SPREAD), cov / cov_max, np.nan)
    return {"facility": facility, "sd": sd, "discrimination_index": discrimination,
            "discriminative_efficiency": efficiency}
