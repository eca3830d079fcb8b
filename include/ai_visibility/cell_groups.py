"""Cells in groups: with `cells_per_task` above 1, one mapped task of `process_org` works on several
cells of one model, so an org larger than Airflow's `max_map_length`, or one whose task instances
would outrun the scheduler, runs. How a group runs a step is `steps.groups`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ai_visibility.errors import InputError


@dataclass(frozen=True)
class QueuedCell:
    """A cell as `build_queue` hands it on, with what its group needs to know."""

    key: str
    label: str
    provider: str
    model_key: str
    model_label: str


def tasks_needed(cells_per_model: int, models: int, cells_per_task: int) -> int:
    """Mapped tasks for a matrix: a group holds cells of one model, so that its AI calls share one pool."""
    return models * math.ceil(cells_per_model / cells_per_task)


def group_cells(cells: Sequence[QueuedCell], cells_per_task: int, calls: int) -> list[dict[str, object]]:
    """The mapped items: up to `cells_per_task` cells of one model each, in queue order, labelled
    "cells 1–50 · gpt-4o" (the model's cells, counted from 1). `calls` is how many AI calls one
    group makes at once (never more than its cells), which it takes from its provider's pool."""
    by_model: dict[str, list[QueuedCell]] = {}
    for cell in cells:
        by_model.setdefault(cell.model_key, []).append(cell)
    groups: list[tuple[int, dict[str, object]]] = []
    order = {cell.key: position for position, cell in enumerate(cells)}
    for members in by_model.values():
        for start in range(0, len(members), cells_per_task):
            chunk = members[start : start + cells_per_task]
            first, last = start + 1, start + len(chunk)
            numbers = f"cell {first}" if first == last else f"cells {first}–{last}"
            group: dict[str, object] = {
                "cells": [c.key for c in chunk],
                "label": f"{numbers} · {chunk[0].model_label}",
                "provider": chunk[0].provider,
                "calls": max(1, min(calls, len(chunk))),
            }
            groups.append((order[chunk[0].key], group))
    # By their first cell: the models' groups alternate, so every provider's calls start early.
    return [group for _, group in sorted(groups, key=lambda g: g[0])]


def require_groupable(cells_per_task: int, execution: str) -> None:
    """Groups run in the Airflow worker: ECS mode runs each cell's step in a container of its own."""
    if cells_per_task > 1 and execution == "ecs":
        raise InputError(
            f"cells_per_task {cells_per_task}: groups of cells run in the Airflow worker, but "
            "AI_VISIBILITY_EXECUTION=ecs runs each cell's step in a container of its own; use cells_per_task 1 "
            "(the run conf or the org file) in ECS mode"
        )
