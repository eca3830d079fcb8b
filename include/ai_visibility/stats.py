"""Small statistics helpers for rates reported with their counts.

A *cell* here is one question × model × location; it may hold several samples (answers to the same
request), given as (successes, samples) pairs. docs/definitions.md has the formulas.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

Z95 = 1.959964


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval (95% by default) of successes/n; None when n is 0."""
    if n == 0:
        return None
    return _wilson(successes / n, n, z)


def _wilson(p: float, n: float, z: float) -> tuple[float, float]:
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def clustered_wilson(cells: Sequence[tuple[int, int]], z: float = Z95) -> tuple[tuple[float, float] | None, float]:
    """The Wilson interval of the pooled rate Σy / Σm when a cell's samples are not independent, and
    the effective sample size it uses: n / design effect, the design effect being the cluster-robust
    variance of the rate over the variance it would have if every sample were independent.

    The effective size stays between the number of cells (samples of a cell as copies of one
    another) and the number of samples (independent). It is the number of cells when the clustering
    cannot be estimated: one cell, or every sample on the same side. One sample per cell is the plain
    Wilson interval.
    """
    k, n, y = len(cells), sum(m for _, m in cells), sum(s for s, _ in cells)
    if n == 0:
        return None, 0
    if k == n:
        return wilson_interval(y, n, z), n
    p = y / n
    if k == 1 or y in (0, n):
        n_eff: float = k
    else:
        robust = k / (k - 1) * sum((s - p * m) ** 2 for s, m in cells) / (n * n)
        independent = p * (1 - p) / n
        n_eff = n if robust == 0 else min(n, max(k, n * independent / robust))
    return (wilson_interval(y, n, z) if n_eff == n else _wilson(p, n_eff, z)), n_eff


def sample_agreement(cells: Sequence[tuple[int, int]]) -> dict[str, Any]:
    """How often the samples of one cell agree, over the cells with two samples or more: cells whose
    samples all agree, and the mean share of agreeing sample pairs within a cell (Fleiss' P_i)."""
    compared = [(s, m) for s, m in cells if m >= 2]
    unanimous = sum(s in (0, m) for s, m in compared)
    pairs = [(s * (s - 1) + (m - s) * (m - s - 1)) / (m * (m - 1)) for s, m in compared]
    return {
        "cells": len(compared),
        "unanimous": unanimous,
        "unanimous_share": ratio(unanimous, len(compared)),
        "pairwise": ratio(sum(pairs), len(pairs)),
    }


def ratio(numerator: float, denominator: float, digits: int = 4) -> float | None:
    return round(numerator / denominator, digits) if denominator else None
