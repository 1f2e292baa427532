"""Small statistics the figures need: percentiles and a mean with its 95 % confidence interval."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

# two-sided 95 % critical values of Student's t for 1..30 degrees of freedom
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
_Z975 = 1.959963984540054


def pct(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, to one place (None for nothing to share)."""
    return round(100 * part / whole, 1) if whole else None


def t_critical(df: int) -> float:
    """Student's t for a two-sided 95 % interval (a table to 30, Cornish-Fisher beyond)."""
    if df < 1:
        raise ValueError("at least one degree of freedom")
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass(frozen=True)
class MeanCI:
    n: int
    mean: float
    low: float | None  # None with fewer than two values
    high: float | None


def mean_ci(values: Sequence[float]) -> MeanCI | None:
    """Mean and 95 % confidence interval (t distribution); None for no values."""
    n = len(values)
    if n == 0:
        return None
    mean = statistics.fmean(values)
    if n < 2:
        return MeanCI(n, mean, None, None)
    half = t_critical(n - 1) * statistics.stdev(values) / math.sqrt(n)
    return MeanCI(n, mean, mean - half, mean + half)
