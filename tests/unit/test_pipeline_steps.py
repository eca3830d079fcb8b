"""The micro-steps and queue steps against a real database (each test runs on SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ai_visibility.analytics import generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import (
    AIResponse,
    ProcessingQueue,
    QuestionRun,
    QueueCell,
)
from ai_visibility.errors import InputError
from ai_visibility.latest_flags import update_latest_flags
from ai_visibility.queue import CellsFailed, progress, require_all_completed
from ai_visibility.run_conf import parse_run_conf
from ai_visibility.steps.registry import STEP_NAMES, run_step
from tests.helpers import (
    analytics_document,
    only_queue,
    queue_cells,
    row_counts,
    run_cell,
    run_cells,
    run_queue,
    simulator_endpoints,
    step_context,
    stored_document,
)


def test_a_queue_stores_one_run_per_cell_with_mentions_citations_and_metrics(demo_db: Database) -> None:
    cells = run_queue(demo_db, "manual__1", questions=["best-crm-startups", "brightpath-review"])
    assert len(cells) == 18
    counts = row_counts(demo_db)
    assert counts["question_runs"] == counts["run_metrics"] == 18
    assert counts["mentions"] >= 18 * 5  # the org and four competitors, mentioned or not
    assert counts["citations"] > 0 and counts["claims"] > 0
    with demo_db.transaction() as s:
        run = s.scalars(select(QuestionRun).where(QuestionRun.model_key == "gpt-4o")).first()
        assert run is not None and run.synthetic and run.cost_usd > 0.025  # search fee plus tokens
        assert run.location_method == "native"
        gemini = s.scalars(select(QuestionRun).where(QuestionRun.model_key == "gemini-flash")).first()
        assert gemini is not None and gemini.location_method == "prompt"
    assert progress(demo_db, only_queue(demo_db)).completed == 18


def test_running_a_cell_again_rewrites_the_same_rows(demo_db: Database) -> None:
    cells = run_queue(demo_db, "manual__1", questions=["brightpath-review"], locations=["US"])
    update_latest_flags(demo_db, only_queue(demo_db))
    generate_analytics(demo_db, only_queue(demo_db))
    before = row_counts(demo_db)
    run_cell(demo_db, cells[1]["cell_key"])  # what a cleared mapped instance does
    update_latest_flags(demo_db, only_queue(demo_db))
    generate_analytics(demo_db, only_queue(demo_db))
    queue_cells(
        demo_db, {"org_id": "brightpath", "questions": ["brightpath-review"], "locations": ["US"]}, "manual__1"
    )  # a retried build
    assert row_counts(demo_db) == before
    with demo_db.transaction() as s:
        cell = s.get(QueueCell, cells[1]["cell_key"])
        assert cell is not None and cell.status == "completed" and cell.attempts == 2


def test_a_run_keeps_the_wording_its_ai_call_asked_when_the_question_is_edited_after(demo_db: Database) -> None:
    from ai_visibility.db.models import Question

    asked = "Is Brightpath CRM a good choice for a small sales team?"
    edited = "Is Brightpath CRM worth it for a five-person sales team?"
    cells = run_queue(demo_db, "manual__1", questions=["brightpath-review"], models=["gpt-4o"], locations=["US"])
    key = cells[0]["cell_key"]

    def wordings() -> tuple[str | None, str | None, str]:
        with demo_db.transaction() as s:
            run, response = s.get(QuestionRun, key), s.get(AIResponse, key)
            assert run is not None and response is not None
            return run.question_text, response.question_text, response.request["messages"][0]["content"]

    assert wordings() == (asked, asked, asked)
    with demo_db.transaction() as s:
        question = s.get(Question, ("brightpath", "brightpath-review"))
        assert question is not None
        question.text = edited
    run_step("record_question_run", demo_db, key, step_context())  # a cleared instance of the step
    assert wordings() == (asked, asked, asked)
    run_cell(demo_db, key)  # the whole cell cleared: a new AI call asks the new wording
    assert wordings() == (edited, edited, edited)


def test_a_run_cleared_after_a_question_is_reworded_names_its_cells_in_the_new_wording_everywhere(
    demo_db: Database,
) -> None:
    from ai_visibility.db.models import Question

    conf = {
        "org_id": "brightpath",
        "questions": ["brightpath-review"],
        "models": ["gpt-4o", "sonar"],
        "locations": ["US"],
    }
    sonar_down = simulator_endpoints(fail="http_500", fail_models=["sonar"])
    first = queue_cells(demo_db, conf, "manual__1")
    run_cells(demo_db, [c["cell_key"] for c in first], sonar_down)
    with demo_db.transaction() as s:
        question = s.get(Question, ("brightpath", "brightpath-review"))
        assert question is not None
        question.text = "Is Brightpath CRM worth it for a five-person sales team?"
    grid = queue_cells(demo_db, conf, "manual__1")  # the whole run cleared: the build runs again
    run_cells(demo_db, [c["cell_key"] for c in grid], sonar_down)

    queue = only_queue(demo_db)
    sonar = "Is Brightpath CRM worth it for a five-person sales team? · Perplexity Sonar · US"
    assert [c["label"] for c in grid] == [sonar.replace("Perplexity Sonar", "gpt-4o"), sonar]
    with pytest.raises(CellsFailed) as failed:
        require_all_completed(demo_db, queue)
    assert f"  - {sonar} [call_ai]: " in str(failed.value)  # as the grid names it
    document = analytics_document(demo_db, queue)
    assert [f["label"] for f in document["coverage"]["failures"]] == [sonar]
    assert document["questions"]["brightpath-review"] == sonar.partition(" · ")[0]  # what the rerun asked


def test_a_group_cleared_after_a_rewording_keeps_the_asked_wording_of_the_cells_it_does_not_rerun(
    demo_db: Database,
) -> None:
    from ai_visibility.db.models import Question

    conf: dict[str, Any] = {"org_id": "brightpath", "questions": ["brightpath-review"], "cells_per_task": 2}
    conf |= {"models": ["gpt-4o", "sonar"], "locations": ["US"]}
    keys = [key for group in queue_cells(demo_db, conf, "manual__1") for key in group["cells"]]
    run_cells(demo_db, keys, simulator_endpoints(fail="http_500", fail_models=["sonar"]))
    with demo_db.transaction() as s:
        question = s.get(Question, ("brightpath", "brightpath-review"))
        assert question is not None
        question.text = "Is Brightpath CRM worth it for a five-person sales team?"
    queue_cells(demo_db, conf, "manual__1")  # the whole run cleared: its groups rerun the failed cell only
    with demo_db.transaction() as s:
        labels = dict(s.execute(select(QueueCell.key, QueueCell.label)).all())
    assert [labels[key].partition(" · ")[0] for key in keys] == [
        "Is Brightpath CRM a good choice for a small sales team?",  # completed: asked in this wording
        "Is Brightpath CRM worth it for a five-person sales team?",  # failed: its rerun asks this one
    ]


def test_a_failing_model_fails_its_cells_with_the_reason_and_spares_the_others(demo_db: Database) -> None:
    failing = simulator_endpoints(fail="http_500", fail_models=["sonar"])
    run_queue(demo_db, "manual__1", failing, questions=["best-crm-startups"])
    queue = only_queue(demo_db)
    summary = update_latest_flags(demo_db, queue)
    assert summary["status"] == "partial" and summary["failed"] == 3 and summary["completed"] == 6
    with demo_db.transaction() as s:
        failed = s.scalars(select(QueueCell).where(QueueCell.status == "failed")).all()
        assert {c.model_key for c in failed} == {"sonar"}
        assert all(c.failed_step == "call_ai" and "HTTP 500" in (c.error or "") for c in failed)
        assert "sk-test" not in " ".join(c.error or "" for c in failed)
    generate_analytics(demo_db, queue)
    assert stored_document(demo_db, queue)["coverage"] | {"failures": None, "reasons": None} == {
        "attempted": 9,
        "succeeded": 6,
        "failed": 3,
        "failures": None,
        "reasons": None,
    }
    with pytest.raises(CellsFailed, match="3 of 9 cells did not complete"):
        require_all_completed(demo_db, queue)


def test_latest_flags_move_to_the_newer_queue_but_keep_answers_of_cells_that_failed(demo_db: Database) -> None:
    conf = {"questions": ["affordable-crm"], "locations": ["US"]}
    run_queue(demo_db, "run_1", **conf)
    first = only_queue(demo_db)
    update_latest_flags(demo_db, first)
    cells = queue_cells(demo_db, {"org_id": "brightpath", **conf}, "run_2")
    second = next(q for q in _queues(demo_db) if q != first)
    run_cells(
        demo_db, [c["cell_key"] for c in cells], simulator_endpoints(fail="http_500", fail_models=["gemini-2.5-flash"])
    )
    update_latest_flags(demo_db, second)
    with demo_db.transaction() as s:
        latest = {r.model_key: r.queue_id for r in s.scalars(select(QuestionRun).where(QuestionRun.is_latest))}
    assert latest == {"gpt-4o": second, "sonar": second, "gemini-flash": first}
    update_latest_flags(demo_db, first)  # an older queue finishing late never takes the flag back
    with demo_db.transaction() as s:
        again = {r.model_key: r.queue_id for r in s.scalars(select(QuestionRun).where(QuestionRun.is_latest))}
    assert again == latest
    generate_analytics(demo_db, second)
    trend = stored_document(demo_db, second)["trend"]
    assert trend["previous_queue"] == first and trend["matched_cells"] == 2 and trend["flagged"] is False


def _queues(db: Database) -> list[str]:
    with db.transaction() as s:
        return list(s.scalars(select(ProcessingQueue.id)).all())


def test_conf_that_names_unknown_keys_is_refused_before_anything_is_stored(demo_db: Database) -> None:
    with pytest.raises(InputError, match=r"conf.models: unknown keys \['gpt-5'\]; this org has"):
        queue_cells(demo_db, {"org_id": "brightpath", "models": ["gpt-5"]}, "r")
    with pytest.raises(InputError, match="exceed Airflow's \\[core\\] max_map_length of 40"):
        queue_cells(demo_db, {"org_id": "brightpath"}, "r", max_cells=40)
    assert row_counts(demo_db)["processing_queues"] == 0


def test_an_org_with_nothing_to_ask_is_refused_naming_what_is_missing(demo_db: Database) -> None:
    from sqlalchemy import delete

    from ai_visibility.db.models import Location, Question
    from ai_visibility.load_org import load_org

    assert load_org(demo_db, parse_run_conf({"org_id": "brightpath"}), "r", simulator_endpoints())["questions"] == 5
    with demo_db.transaction() as s:
        s.execute(delete(Question))
        s.execute(delete(Location))
    with pytest.raises(InputError, match="org 'brightpath' has no questions and no locations"):
        load_org(demo_db, parse_run_conf({"org_id": "brightpath"}), "r", simulator_endpoints())


def test_every_call_is_billed_once_in_the_ledger_and_totals_derive_from_it(demo_db: Database) -> None:
    from ai_visibility.ai.pricing import PRICES
    from ai_visibility.db.models import UsageEntry

    cells = run_queue(demo_db, "manual__cost", questions=["best-crm-startups"], locations=["US"])
    sonar = next(c for c in cells if "Perplexity Sonar" in c["label"])
    run_cell(demo_db, sonar["cell_key"])  # Airflow retried this cell once
    queue = only_queue(demo_db)
    cost = analytics_document(demo_db, queue)["cost"]
    with demo_db.transaction() as s:
        ledger = s.scalars(select(UsageEntry).order_by(UsageEntry.cell_key, UsageEntry.attempt)).all()
        run = s.get(QuestionRun, sonar["cell_key"])
        assert run is not None
        runs_cost = s.scalar(select(func.sum(QuestionRun.cost_usd)))
    assert len(ledger) == 4  # three cells, one of them answered twice
    entry = next(e for e in ledger if e.cell_key == sonar["cell_key"] and e.attempt == 2)
    price = PRICES["sonar"]
    expected = entry.input_tokens / 1e6 * price.input_per_mtok + entry.output_tokens / 1e6 * price.output_per_mtok
    assert entry.cost_usd == pytest.approx(expected + price.search_per_call)
    assert entry.price_source.startswith("table:") and entry.search_calls == 1
    assert run.cost_usd == entry.cost_usd
    assert cost["calls"] == 4
    assert cost["spent_usd"] == pytest.approx(sum(e.cost_usd for e in ledger))
    assert cost["kept_answers_usd"] == pytest.approx(runs_cost)
    assert cost["estimated_usd"] > 0


def test_a_budget_below_the_estimate_refuses_the_run_before_any_call(demo_db: Database) -> None:
    with pytest.raises(InputError, match=r"estimated cost of this run is \$0\.\d+ for 45 cells, over conf.budget_usd"):
        queue_cells(demo_db, {"org_id": "brightpath", "budget_usd": 0.01}, "r")
    assert row_counts(demo_db)["processing_queues"] == 0
    queue_cells(demo_db, {"org_id": "brightpath", "budget_usd": 5}, "r")
    with demo_db.transaction() as s:
        queue = s.scalars(select(ProcessingQueue)).one()
    assert queue.budget_usd == 5 and 0.1 < (queue.estimated_cost_usd or 0) < 5


def test_api_keys_never_reach_the_database(demo_db: Database) -> None:
    run_queue(
        demo_db,
        "manual__keys",
        simulator_endpoints(fail="http_401", fail_models=["sonar"]),
        questions=["best-crm-startups"],
        locations=["US"],
    )
    with demo_db.transaction() as s:
        stored = [str(r.request) + str(r.raw_response) for r in s.scalars(select(AIResponse))]
        errors = [c.error or "" for c in s.scalars(select(QueueCell))]
    assert stored and any("HTTP 401" in e for e in errors)
    assert not any("sk-test" in text for text in stored + errors)


def test_a_sibling_step_that_runs_after_a_failure_does_not_hide_it(demo_db: Database) -> None:
    from ai_visibility.steps.cell_status import track_step

    cells = queue_cells(
        demo_db,
        {"org_id": "brightpath", "questions": ["affordable-crm"], "models": ["sonar"], "locations": ["US"]},
        "r",
    )
    key = cells[0]["cell_key"]
    for step in STEP_NAMES[:2]:
        run_step(step, demo_db, key, step_context())
    with pytest.raises(RuntimeError), track_step(demo_db, key, "extract_claims"):
        raise RuntimeError("claims extractor crashed")
    run_step("extract_citations", demo_db, key, step_context())  # its sibling, scheduled later
    with demo_db.transaction() as s:
        cell = s.get(QueueCell, key)
        assert cell is not None
        assert (cell.status, cell.failed_step) == ("failed", "extract_claims")
    run_step("extract_claims", demo_db, key, step_context())  # cleared and rerun: the failure heals
    run_step("extract_mentions", demo_db, key, step_context())
    run_step("calculate_metrics", demo_db, key, step_context())
    with demo_db.transaction() as s:
        cell = s.get(QueueCell, key)
        assert cell is not None and cell.status == "completed" and cell.error is None


def test_generated_aliases_are_stored_for_review_and_can_be_excluded(demo_db: Database, tmp_path: Any) -> None:
    from ai_visibility.demo import DEMO_ORG_FILE
    from ai_visibility.org_spec import read_org_file
    from ai_visibility.org_store import read_org, save_org

    with demo_db.transaction() as s:
        assert "brightpathcrm" in read_org(s, "brightpath").target.aliases
    edited = tmp_path / "org.yaml"
    edited.write_text(
        DEMO_ORG_FILE.read_text().replace("negative_terms:", "exclude_aliases: [brightpathcrm]\nnegative_terms:")
    )
    save_org(demo_db, read_org_file(edited))
    with demo_db.transaction() as s:
        assert "brightpathcrm" not in read_org(s, "brightpath").target.aliases


def test_a_retried_build_of_a_grouped_queue_names_no_cell_by_key_in_its_queries(demo_db: Database) -> None:
    # PostgreSQL binds at most 65,535 parameters per statement: a retried build that compared the
    # labels of a big grouped queue's cells by an IN list of their keys would be refused there.
    from sqlalchemy import event

    conf = {"org_id": "brightpath", "samples": 3, "cells_per_task": 4}
    built = queue_cells(demo_db, conf, "manual__1", max_cells=10_000)
    statements: list[tuple[str, Any, bool]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        statements.append((statement, parameters, many))

    event.listen(demo_db.engine, "before_cursor_execute", seen)
    try:
        assert queue_cells(demo_db, conf, "manual__1", max_cells=10_000) == built  # a retried build
    finally:
        event.remove(demo_db.engine, "before_cursor_execute", seen)
    with demo_db.transaction() as s:
        cells = s.scalar(select(func.count()).select_from(QueueCell))
    assert cells is not None and cells > 100
    # The cells are inserted in batches; no other statement binds a parameter per cell.
    for statement, parameters, many in statements:
        if not statement.lstrip().upper().startswith("INSERT"):
            bound = len(parameters[0] if many else parameters)
            assert bound < 20, statement
