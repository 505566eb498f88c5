"""Small statistics for reports: Wilson intervals for pass rates and nearest-rank percentiles for latency.

A pass rate over 12 cases is not a pass rate over 1,200; the Wilson interval says how much the number can
be trusted, and it behaves at 0 % and 100 % where the normal approximation collapses to a point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["percentile", "wilson_interval"]


def wilson_interval(passed: int, total: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """95 % Wilson score interval for ``passed`` successes out of ``total`` (``(0, 1)`` when total is 0)."""
    if total < 0 or passed < 0 or passed > total:
        raise ValueError(f"need 0 <= passed <= total, got {passed}/{total}")
    if total == 0:
        return 0.0, 1.0
    p = passed / total
    z2 = z * z
    denom = 1 + z2 / total
    center = (p + z2 / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / denom
    return max(0.0, center - half), min(1.0, center + half)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100); None for no values. Nearest-rank never invents a latency
    that no turn had."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]
