"""Whether a trend figure moved beyond noise, against statistics worked out by hand."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from ai_visibility.noise import judge_change, mean_difference_z, two_proportion_z


def test_two_proportion_z_is_the_pooled_statistic() -> None:
    # 30/50 vs 15/50: pooled .45, se = √(.45 · .55 · (1/50 + 1/50)) = √.0099 = .099499, z = .3/.099499
    assert two_proportion_z(30, 50, 15, 50) == pytest.approx(3.0151, abs=1e-4)
    # 3/3 vs 2/3: pooled 5/6, se = √(5/36 · 2/3) = .304290, z = .333333/.304290
    assert two_proportion_z(3, 3, 2, 3) == pytest.approx(1.0954, abs=1e-4)
    assert two_proportion_z(0, 5, 0, 5) is None  # nothing to compare: both rates are 0
    assert two_proportion_z(1, 0, 1, 4) is None


def test_mean_difference_z_uses_each_sides_sample_variance() -> None:
    # means 2 and 1.5; s² 1 and .5; se = √(1/3 + .5/2) = .763763; z = .5/.763763
    assert mean_difference_z([1, 2, 3], [2, 1]) == pytest.approx(0.6547, abs=1e-4)
    # Both sides constant: no spread to judge a difference against, so it is not called beyond noise.
    assert mean_difference_z([1, 1], [2, 2]) is None
    assert mean_difference_z([1], [2, 3]) is None  # one value has no variance to judge by


def run(mentioned: bool, sov: float = 0.0, rank: int | None = None, label: str | None = None) -> Any:
    """What the test reads of a run: its metrics and the org's mention."""
    metrics = SimpleNamespace(target_mentioned=mentioned, share_of_voice=sov, target_rank=rank)
    return SimpleNamespace(metrics=metrics, target=SimpleNamespace(sentiment_label=label) if mentioned else None)


def test_a_drop_from_12_of_20_to_3_of_20_is_beyond_noise_and_in_points() -> None:
    before = [run(True, 20, 1, "positive")] * 12 + [run(False)] * 8
    now = [run(True, 20, 1, "positive")] * 3 + [run(False)] * 17
    # pooled 15/40 = .375, se = √(.375 · .625 · .1) = .153093, z = -.45/.153093 = -2.94
    change = {"now": 0.15, "before": 0.6, "change": -0.45}
    assert judge_change("visibility", change, now, before) == {**change, "points": -45.0, "beyond_noise": True}
    # share of voice: 60/20 = 3 against 240/20 = 12; s² = (3·17² + 17·3²)/19 = 53.68 and (12·8² + 8·12²)/19
    # = 101.05; se = √(53.68/20 + 101.05/20) = 2.782, z = -9/2.782 = -3.2: beyond noise
    sov = {"now": 3.0, "before": 12.0, "change": -9.0}
    assert judge_change("share_of_voice", sov, now, before) == {**sov, "points": -9.0, "beyond_noise": True}
    # rank 1 in every mentioned run of both queues: no change, none beyond noise, and no points
    rank = {"now": 1.0, "before": 1.0, "change": 0.0}
    assert judge_change("rank", rank, now, before) == {**rank, "points": None, "beyond_noise": False}


def test_a_small_drop_on_few_cells_is_within_noise() -> None:
    before = [run(True, 10, 1, "positive")] * 3 + [run(False)]
    now = [run(True, 10, 2, "neutral")] * 2 + [run(False)] * 2
    # 2/4 vs 3/4: pooled 5/8, se = √(.625 · .375 · .5) = .342327, z = -.25/.342327 = -.73
    change = {"now": 0.5, "before": 0.75, "change": -0.25}
    assert judge_change("visibility", change, now, before)["beyond_noise"] is False
    # net sentiment 0 (neutral, neutral) against +1 (three positives): both constant, not judged
    net = {"now": 0.0, "before": 1.0, "change": -1.0}
    assert judge_change("sentiment_net", net, now, before) == {**net, "points": -100.0, "beyond_noise": False}
