"""Cells in groups (`cells_per_task`): how a queue is cut into groups, and how a group runs a step over
its cells so that one cell's failure neither stops nor redoes the others."""

from __future__ import annotations

import threading
from typing import Any, cast

import pytest
from sqlalchemy import select

from ai_visibility.cell_groups import QueuedCell, group_cells, require_groupable, tasks_needed
from ai_visibility.db import Database
from ai_visibility.db.models import Citation, Claim, Mention, QuestionRun, QueueCell, RunMetrics, UsageEntry
from ai_visibility.errors import InputError, ProviderCallFailed
from ai_visibility.org_spec import OrgSpec, read_org_file
from ai_visibility.run_conf import parse_run_conf
from ai_visibility.steps import call_ai, extract_claims, groups
from ai_visibility.steps.context import StepContext
from ai_visibility.steps.registry import STEP_NAMES, run_step
from tests.helpers import queue_cells, run_cell, simulator_endpoints, step_context


def _cells(model: str, count: int, provider: str = "openai") -> list[QueuedCell]:
    return [QueuedCell(f"c_{model}_{i}", f"Q{i} · {model} · US", provider, model, model.upper()) for i in range(count)]


def test_groups_hold_one_models_cells_and_are_labelled_by_their_place_among_them() -> None:
    # Queue order interleaves models (question × model × location); a group keeps to one model.
    gpt, sonar = _cells("gpt", 5), _cells("sonar", 5, "perplexity")
    queue = [cell for pair in zip(gpt, sonar, strict=True) for cell in pair]
    made = group_cells(queue, cells_per_task=2, calls=3)
    assert [(g["label"], g["provider"], g["calls"]) for g in made] == [
        ("cells 1–2 · GPT", "openai", 2),
        ("cells 1–2 · SONAR", "perplexity", 2),
        ("cells 3–4 · GPT", "openai", 2),
        ("cells 3–4 · SONAR", "perplexity", 2),
        ("cell 5 · GPT", "openai", 1),
        ("cell 5 · SONAR", "perplexity", 1),
    ]
    assert made[0]["cells"] == ["c_gpt_0", "c_gpt_1"]
    assert sorted(k for g in made for k in cast(list[str], g["cells"])) == sorted(c.key for c in queue)  # each once
    assert len(made) == tasks_needed(cells_per_model=5, models=2, cells_per_task=2)


def test_a_run_larger_than_max_map_length_is_grouped_and_the_limit_counts_groups(demo_db: Database) -> None:
    conf = {"org_id": "brightpath", "cells_per_task": 5}
    made = queue_cells(demo_db, conf, "grouped", max_cells=10)  # 45 cells, 9 groups of 5
    assert len(made) == 9 and all(len(g["cells"]) == 5 for g in made)
    with demo_db.transaction() as s:
        assert len(s.scalars(select(QueueCell.key)).all()) == 45  # the queue still has one row per cell
    with pytest.raises(InputError, match=r"45 cells .* in groups of 2 need 24 tasks, which exceed .* of 10: .*"):
        queue_cells(demo_db, {"org_id": "brightpath", "cells_per_task": 2}, "too-many", max_cells=10)


def test_with_one_cell_per_task_the_mapped_items_are_the_cells_as_before(demo_db: Database) -> None:
    made = queue_cells(demo_db, {"org_id": "brightpath", "questions": ["best-crm-startups"], "locations": ["US"]}, "r")
    assert [(m["label"], m["provider"]) for m in made] == [
        ("Which CRM is best for startups? · Gemini 2.5 Flash · US", "gemini"),
        ("Which CRM is best for startups? · gpt-4o · US", "openai"),
        ("Which CRM is best for startups? · Perplexity Sonar · US", "perplexity"),
    ]
    assert all(set(m) == {"cell_key", "label", "provider"} for m in made)


def test_the_org_file_sets_cells_per_task_and_the_conf_overrides_it(demo_db: Database) -> None:
    from ai_visibility.demo import DEMO_ORG_FILE
    from ai_visibility.load_org import load_org
    from ai_visibility.org_store import save_org

    save_org(demo_db, read_org_file(DEMO_ORG_FILE).model_copy(update={"cells_per_task": 20}))
    resolve = simulator_endpoints()
    assert load_org(demo_db, parse_run_conf({"org_id": "brightpath"}), "r1", resolve)["cells_per_task"] == 20
    conf = parse_run_conf({"org_id": "brightpath", "cells_per_task": 3})
    assert load_org(demo_db, conf, "r2", resolve)["cells_per_task"] == 3


# `true` and "5" too: a JSON conf or YAML file that says them means something else than 1 or 5
# cells per task, or was written by hand in the wrong type; either way it is said, not guessed.
@pytest.mark.parametrize("value", [0, -2, 1001, 2.5, "ten", True, "5"])
def test_a_bad_cells_per_task_is_refused_naming_the_field(value: Any) -> None:
    with pytest.raises(InputError, match=r"cells_per_task: .*\"cells_per_task\" \(a whole number from 1 to 1000\)"):
        parse_run_conf({"org_id": "brightpath", "cells_per_task": value})
    spec = read_org_file(__import__("ai_visibility.demo", fromlist=["DEMO_ORG_FILE"]).DEMO_ORG_FILE).model_dump()
    with pytest.raises(ValueError, match="cells_per_task"):
        OrgSpec.model_validate({**spec, "cells_per_task": value})


def test_ecs_mode_refuses_groups_with_the_fix() -> None:
    require_groupable(1, "ecs")
    require_groupable(50, "local")
    with pytest.raises(InputError, match=r"cells_per_task 50: .*AI_VISIBILITY_EXECUTION=ecs.*use cells_per_task 1"):
        require_groupable(50, "ecs")


def _group(db: Database, size: int, **conf: Any) -> list[str]:
    made = queue_cells(db, {"org_id": "brightpath", "models": ["gpt-4o"], "cells_per_task": size, **conf}, "g")
    return list(made[0]["cells"])


def _statuses(db: Database, keys: list[str]) -> list[tuple[str, str | None, int]]:
    with db.transaction() as s:
        cells = {c.key: c for c in s.scalars(select(QueueCell).where(QueueCell.key.in_(keys)))}
    return [(cells[k].status, cells[k].failed_step, cells[k].attempts) for k in keys]


def _run_all(db: Database, keys: list[str], context: StepContext, calls: int = 3) -> list[groups.GroupOutcome]:
    return [groups.run_group(db, step, keys, context, calls) for step in STEP_NAMES]


def test_one_failed_cell_keeps_the_others_work_and_a_rerun_redoes_only_it(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = _group(demo_db, 4, questions=["best-crm-startups", "affordable-crm"], locations=["US", "GB-london"])
    broken = keys[1]
    calls = iter(range(100))
    real_claims = extract_claims.claims_in  # type: ignore[attr-defined]

    def crashes_on_the_second_cell(*args: Any) -> Any:
        if next(calls) == 1:  # a group's extraction steps take its cells in queue order
            raise RuntimeError("claims extractor crashed")
        return real_claims(*args)

    monkeypatch.setattr(extract_claims, "claims_in", crashes_on_the_second_cell)
    outcomes = _run_all(demo_db, keys, step_context())
    by_step = {o.step: o for o in outcomes}
    assert by_step["extract_claims"].failed == {broken: "RuntimeError: claims extractor crashed"}
    assert by_step["call_ai"].done == 4
    assert by_step["extract_claims"].retryable and by_step["extract_claims"].done == 3
    # The sibling extractions still ran for the failed cell; only the metrics, which need all three, skip it.
    assert by_step["extract_mentions"].done == 4 and by_step["calculate_metrics"].done == 3
    assert _statuses(demo_db, keys) == [
        ("completed", None, 1),
        ("failed", "extract_claims", 1),
        ("completed", None, 1),
        ("completed", None, 1),
    ]
    assert groups.unfinished(demo_db, keys) == [
        "Which affordable CRM has the easiest pipeline management? · gpt-4o · US [extract_claims]: "
        "RuntimeError: claims extractor crashed"
    ]

    # The group cleared and run again (the fault fixed): only the failed cell is asked and processed again.
    again = _run_all(demo_db, keys, step_context())
    assert [(o.done, o.skipped, o.failed) for o in again] == [(1, 3, {})] * len(STEP_NAMES)
    assert _statuses(demo_db, keys) == [("completed", None, 1), ("completed", None, 2)] + [("completed", None, 1)] * 2
    assert groups.unfinished(demo_db, keys) == []


def test_a_retried_ai_call_pays_only_for_the_calls_that_failed(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = _group(demo_db, 3, questions=["best-crm-startups"])  # US, GB-london, DE-berlin
    real_ask, berlin_down = call_ai.ask, [True]  # type: ignore[attr-defined]

    def ask(endpoint: Any, request: Any, deadline_s: float, **clocks: Any) -> Any:
        if berlin_down[0] and "Berlin" in str(request):
            raise ProviderCallFailed("model 'gpt-4o' answered HTTP 503", kind="HTTP 503")
        return real_ask(endpoint, request, deadline_s, **clocks)

    monkeypatch.setattr(call_ai, "ask", ask)
    first = groups.run_group(demo_db, "call_ai", keys, step_context(), 3)
    assert first.done == 2 and list(first.failed.values()) == ["ProviderCallFailed: model 'gpt-4o' answered HTTP 503"]
    assert first.retryable
    berlin_down[0] = False
    retry = groups.run_group(demo_db, "call_ai", keys, step_context(), 3)
    assert (retry.done, retry.skipped) == (1, 2)
    assert sorted(attempts for *_, attempts in _statuses(demo_db, keys)) == [1, 1, 2]
    # The later steps skip nothing that was answered; with no answer a cell is not worked on.
    for step in STEP_NAMES[1:]:
        assert groups.run_group(demo_db, step, keys, step_context()).done == 3
    with demo_db.transaction() as s:
        assert {r.status for r in s.scalars(select(QuestionRun))} == {"answered"}


def test_a_groups_ai_calls_run_concurrently_up_to_its_calls(demo_db: Database) -> None:
    keys = _group(demo_db, 6, questions=["best-crm-startups", "affordable-crm"])
    lock, in_flight, peak = threading.Lock(), [0], [0]
    together = threading.Barrier(3, timeout=30)  # passes only when three calls are in flight at once

    def run(step: str, db: Database, key: str, context: StepContext) -> dict[str, object]:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        try:
            if step == "call_ai":
                together.wait()
            return run_step(step, db, key, context)
        finally:
            with lock:
                in_flight[0] -= 1

    outcome = groups.run_group(demo_db, "call_ai", keys, step_context(), 3, run)
    assert (outcome.done, outcome.failed) == (6, {}) and peak[0] == 3
    peak[0] = 0
    assert groups.run_group(demo_db, "record_question_run", keys, step_context(), 3, run).done == 6
    assert peak[0] == 1  # the other steps run one cell after another


# Columns that differ between two runs of the same cell: its key and queue, and when and how fast it ran.
RUN_BOUND = {"id", "cell_key", "queue_id", "created_at", "recorded_at", "latency_ms"}


def _written(db: Database, keys: list[str]) -> dict[tuple[str, str, str], dict[str, list[dict[str, Any]]]]:
    """Every row the steps wrote for the cells, by question × model × location, without run-bound columns."""
    tables = (QuestionRun, Mention, Claim, Citation, RunMetrics, UsageEntry)
    with db.transaction() as s:
        cells = {c.key: c for c in s.scalars(select(QueueCell).where(QueueCell.key.in_(keys)))}
        written: dict[tuple[str, str, str], dict[str, list[dict[str, Any]]]] = {}
        for key, cell in cells.items():
            rows = written.setdefault((cell.question_key, cell.model_key, cell.location_key), {})
            for table in tables:
                column = table.__table__.c["id" if table is QuestionRun else "cell_key"]
                found = [
                    {c.name: getattr(r, c.name) for c in table.__table__.columns if c.name not in RUN_BOUND}
                    for r in s.scalars(select(table).where(column == key))
                ]
                rows[table.__tablename__] = sorted(found, key=repr)
    return written


def test_a_group_reading_the_org_once_writes_what_its_cells_write_one_at_a_time(demo_db: Database) -> None:
    # Two questions and two locations per model: the group's cells share the org's brands, aliases,
    # questions, models and locations, read once for each step of the group.
    conf = {
        "org_id": "brightpath",
        "questions": ["best-crm-startups", "hubspot-alternatives"],
        "locations": ["US", "DE-berlin"],
    }
    grouped = queue_cells(demo_db, {**conf, "cells_per_task": 4}, "grouped")
    alone = queue_cells(demo_db, conf, "alone")
    assert [len(g["cells"]) for g in grouped] == [4, 4, 4]
    for group in grouped:
        assert all(o.done == 4 for o in _run_all(demo_db, list(group["cells"]), step_context()))
    for item in alone:
        run_cell(demo_db, item["cell_key"])

    in_groups = _written(demo_db, [k for g in grouped for k in g["cells"]])
    assert in_groups == _written(demo_db, [item["cell_key"] for item in alone])
    assert len(in_groups) == 12
    mentioned = {row["brand"] for rows in in_groups.values() for row in rows["mentions"] if row["mentioned"]}
    assert {"brightpath", "hubspot", "salesforce"} <= mentioned  # the answers name the brands they match


def test_a_groups_time_limit_is_the_steps_limit_per_round_of_cells() -> None:
    assert groups.time_limit_s("call_ai", cells=50, calls=8, step_timeout_s=60) == 60 * 7
    assert groups.time_limit_s("extract_claims", cells=50, calls=8, step_timeout_s=60) == 60 * 50
    assert groups.time_limit_s("call_ai", cells=1, calls=1, step_timeout_s=60) == 60
