"""Intervals that count a cell's samples as one cluster, and how often samples agree, against figures
worked out by hand (z = 1.96, z² = 3.8416; docs/definitions.md has the formulas)."""

from __future__ import annotations

import pytest

from ai_visibility.stats import clustered_wilson, sample_agreement, wilson_interval


def rounded(result: tuple[tuple[float, float] | None, float]) -> tuple[list[float] | None, float]:
    interval, effective_n = result
    return ([round(interval[0], 4), round(interval[1], 4)] if interval else None), round(effective_n, 4)


def test_one_sample_per_cell_is_the_plain_wilson_interval_bit_for_bit() -> None:
    cells = [(1, 1)] * 31 + [(0, 1)] * 14
    assert clustered_wilson(cells) == (wilson_interval(31, 45), 45)
    assert clustered_wilson([]) == (None, 0)


def test_cells_whose_samples_move_together_shrink_the_effective_sample_size() -> None:
    # 4 cells × 3 samples, mentioned 3, 1, 2, 0 times: p = 6/12 = .5.
    # Residuals y − p·m: 1.5, −.5, .5, −1.5; squares sum to 5.
    # Cluster-robust variance = k/(k−1) · Σ / n² = 4/3 · 5/144 = .046296;
    # as if independent: p(1−p)/n = .25/12 = .020833; design effect 2.2222, n_eff = 12/2.2222 = 5.4.
    # Wilson at n = 5.4: z²/n = .711407, denom 1.711407, centre .5,
    # half = 1.96·√(.25/5.4 + 3.8416/116.64)/1.711407 = 1.96·√.079232/1.711407 = .322372.
    assert rounded(clustered_wilson([(3, 3), (1, 3), (2, 3), (0, 3)])) == ([0.1776, 0.8224], 5.4)
    # Independent samples would give the narrower Wilson(6, 12) = [.2538, .7462].
    assert rounded((wilson_interval(6, 12), 12)) == ([0.2538, 0.7462], 12)


def test_the_effective_size_is_never_below_the_number_of_cells() -> None:
    # 2 cells of 3, mentioned 3 and 1: p = 4/6; residuals 1, −1; robust = 2/1 · 2/36 = .111111;
    # independent = (2/9)/6 = .037037 -> n_eff = 2 = k (every sample copies its cell).
    # Wilson(2/3 at n = 2): denom 2.9208; centre (.666667 + .9604)/2.9208 = .557069;
    # half = 1.96·√(.111111 + .2401)/2.9208 = .397689.
    assert rounded(clustered_wilson([(3, 3), (1, 3)])) == ([0.1594, 0.9547], 2)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # One cell: its samples say nothing about other cells, so it counts once.
        # Wilson(.5 at n = 1): denom 4.8416, centre .5, half = 1.96·√(.25 + .9604)/4.8416 = .445379.
        ([(1, 2)], ([0.0546, 0.9454], 1)),
        # Every sample unmentioned: the clustering cannot be estimated, so the cells are the units.
        # Wilson(0 at n = 2): high = 3.8416/(2 + 3.8416) = .657620.
        ([(0, 2), (0, 3)], ([0.0, 0.6576], 2)),
        # Each cell's samples split evenly: no variation between cells, so no more than n = 4.
        ([(1, 2), (1, 2)], ([0.15, 0.85], 4)),
    ],
)
def test_where_the_design_effect_cannot_be_estimated(
    cells: list[tuple[int, int]], expected: tuple[list[float], float]
) -> None:
    assert rounded(clustered_wilson(cells)) == expected


def test_sample_agreement_counts_unanimous_cells_and_agreeing_pairs() -> None:
    # Pairs agreeing within a cell of 3 (3 pairs): 3 of 3 mentioned -> 1; 1 of 3 -> 1/3; 2 of 3 -> 1/3;
    # 0 of 3 -> 1. Mean (1 + 1/3 + 1/3 + 1)/4 = .6667; unanimous: 2 of 4.
    assert sample_agreement([(3, 3), (1, 3), (2, 3), (0, 3)]) == {
        "cells": 4,
        "unanimous": 2,
        "unanimous_share": 0.5,
        "pairwise": 0.6667,
    }
    # A cell with one successful sample has nothing to agree with.
    assert sample_agreement([(1, 1), (2, 2)]) == {"cells": 1, "unanimous": 1, "unanimous_share": 1.0, "pairwise": 1.0}
    assert sample_agreement([(1, 1)]) == {"cells": 0, "unanimous": 0, "unanimous_share": None, "pairwise": None}
