"""Deterministic keys: the same queue and cell always get the same id, so rewrites replace rows."""

from __future__ import annotations

import hashlib


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def queue_id(org_id: str, dag_run_id: str) -> str:
    return "q_" + _digest("queue", org_id, dag_run_id)


def cell_key(queue: str, question_key: str, model_key: str, location_key: str, sample: int = 1) -> str:
    """Sample 1 keeps the key cells had before samples existed, so earlier queues' rows still match."""
    parts = (queue, question_key, model_key, location_key) + ((str(sample),) if sample != 1 else ())
    return "c_" + _digest("cell", *parts)
