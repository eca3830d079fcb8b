"""Whether a trend figure moved beyond noise between two queues, over their matched cells.

Proportions (visibility, top-1 share) take a pooled two-proportion z-test; means (share of voice,
rank, net sentiment as the mean of +1/0/-1 per run) take a two-sample z-test with each side's own
variance (Welch's statistic, read against the normal distribution). Both at 95%, two-sided
(`docs/definitions.md`, "Trend").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ai_visibility.analytics import RunFacts

Z95 = 1.959964
SENTIMENT_VALUE = {"positive": 1.0, "neutral": 0.0, "negative": -1.0}


def _mentioned(runs: Sequence[RunFacts]) -> list[RunFacts]:
    return [r for r in runs if r.metrics.target_mentioned]


def _ranks(runs: Sequence[RunFacts]) -> list[int]:
    return [r.metrics.target_rank for r in _mentioned(runs) if r.metrics.target_rank is not None]


def _sentiment(run: RunFacts) -> float:
    target = run.target
    return SENTIMENT_VALUE.get(target.sentiment_label or "", 0.0) if target else 0.0


# Each trend figure: whether it is a proportion, its per-run values, and how many points one unit of
# its change is (None: rank is a position, not a percentage).
FIGURES: dict[str, tuple[bool, Callable[[Sequence[RunFacts]], list[float]], float | None]] = {
    "visibility": (True, lambda runs: [float(r.metrics.target_mentioned) for r in runs], 100.0),
    "share_of_voice": (False, lambda runs: [r.metrics.share_of_voice for r in runs], 1.0),
    "rank": (False, lambda runs: [float(rank) for rank in _ranks(runs)], None),
    "top1_share": (True, lambda runs: [float(rank == 1) for rank in _ranks(runs)], 100.0),
    "sentiment_net": (False, lambda runs: [_sentiment(r) for r in _mentioned(runs)], 100.0),
}


def two_proportion_z(k_now: float, n_now: int, k_before: float, n_before: int) -> float | None:
    """The pooled z statistic of k_now/n_now − k_before/n_before; None when a side is empty or when
    the pooled rate is 0 or 1 (then the two rates are equal)."""
    if not n_now or not n_before:
        return None
    pooled = (k_now + k_before) / (n_now + n_before)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_now + 1 / n_before))
    return (k_now / n_now - k_before / n_before) / se if se else None


def mean_difference_z(now: Sequence[float], before: Sequence[float]) -> float | None:
    """(mean now − mean before) ÷ √(s²_now/n_now + s²_before/n_before), sample variances; None with
    fewer than two values on a side or when both sides are constant (no spread to judge against)."""
    if len(now) < 2 or len(before) < 2:
        return None
    difference = _mean(now) - _mean(before)
    se = math.sqrt(_variance(now) / len(now) + _variance(before) / len(before))
    return difference / se if se else None


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _variance(values: Sequence[float]) -> float:
    mean = _mean(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def judge_change(
    name: str, change: dict[str, Any], now: Sequence[RunFacts], before: Sequence[RunFacts]
) -> dict[str, Any]:
    """`change` (a trend figure) with `points` (the change in percentage points) and `beyond_noise`."""
    proportion, values, unit = FIGURES[name]
    a, b = values(now), values(before)
    z = two_proportion_z(sum(a), len(a), sum(b), len(b)) if proportion else mean_difference_z(a, b)
    delta = change["change"]
    return {
        **change,
        "points": round(delta * unit, 2) if delta is not None and unit is not None else None,
        "beyond_noise": z is not None and abs(z) > Z95,
    }
