"""Repeated samples through the pipeline: the queue asks each question × model × location several
times, each sample a cell of its own (key, label, AI call, ledger row, run, latest flag), and a queue
with one sample per cell keeps every key it had before samples existed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from ai_visibility import keys
from ai_visibility.db import Database
from ai_visibility.db.models import ProcessingQueue, QuestionRun, QueueCell, UsageEntry
from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.errors import InputError
from ai_visibility.latest_flags import update_latest_flags
from ai_visibility.org_spec import MAX_SAMPLES, read_org_file
from ai_visibility.org_store import save_org
from ai_visibility.run_conf import parse_run_conf
from ai_visibility.simulator.answers import compose
from tests.helpers import only_queue, queue_cells, run_queue

CONF = {"org_id": "brightpath", "questions": ["best-crm-startups"], "locations": ["US"]}


def test_sample_one_keeps_the_keys_cells_had_before_samples() -> None:
    # Values computed by the code before samples existed: earlier queues' rows, latest flags and
    # trends must keep matching.
    assert keys.queue_id("brightpath", "manual__2026-11-30T06:00:00+00:00") == "q_9c44e600aabf5a95685cf07ba5a417a1"
    before = "c_798520b4c285f6a6cfac06b9d60d12eb"
    assert keys.cell_key("q_abc", "best-crm-startups", "gpt-4o", "US") == before
    assert keys.cell_key("q_abc", "best-crm-startups", "gpt-4o", "US", 1) == before
    assert keys.cell_key("q_abc", "best-crm-startups", "gpt-4o", "US", 2) == "c_963d39ec5d727a3e335f0eab7139eee0"


def test_one_sample_per_cell_builds_the_queue_it_built_before(demo_db: Database) -> None:
    cells = queue_cells(demo_db, CONF, "manual__1")
    queue = only_queue(demo_db)
    assert [c["label"] for c in cells] == [
        "Which CRM is best for startups? · Gemini 2.5 Flash · US",
        "Which CRM is best for startups? · gpt-4o · US",
        "Which CRM is best for startups? · Perplexity Sonar · US",
    ]
    assert [c["cell_key"] for c in cells] == [
        keys.cell_key(queue, "best-crm-startups", model, "US") for model in ("gemini-flash", "gpt-4o", "sonar")
    ]


def test_conf_samples_makes_each_sample_a_labelled_cell_of_its_own(demo_db: Database) -> None:
    single = queue_cells(demo_db, CONF, "manual__1")
    cells = queue_cells(demo_db, {**CONF, "samples": 3}, "manual__3")
    assert len(cells) == 3 * len(single) == 9
    with demo_db.transaction() as s:
        queue = s.scalars(select(ProcessingQueue).where(ProcessingQueue.dag_run_id == "manual__3")).one()
        estimates = dict(s.execute(select(ProcessingQueue.dag_run_id, ProcessingQueue.estimated_cost_usd)).all())
        rows = s.scalars(select(QueueCell).where(QueueCell.queue_id == queue.id).order_by(QueueCell.position)).all()
    # A cell's samples sit together; every sample is in the grid label.
    assert [(r.model_key, r.sample) for r in rows[:4]] == [
        ("gemini-flash", 1),
        ("gemini-flash", 2),
        ("gemini-flash", 3),
        ("gpt-4o", 1),
    ]
    assert [c["label"] for c in cells[3:6]] == [
        f"Which CRM is best for startups? · gpt-4o · US · #{n}" for n in (1, 2, 3)
    ]
    assert [c["cell_key"] for c in cells[3:6]] == [
        keys.cell_key(queue.id, "best-crm-startups", "gpt-4o", "US", n) for n in (1, 2, 3)
    ]
    # Each sample is one more call in the estimate.
    assert estimates["manual__3"] == pytest.approx(3 * (estimates["manual__1"] or 0), abs=1e-6)
    assert queue.selection["samples"] == 3


def test_the_org_sets_samples_and_the_conf_overrides_it(demo_db: Database) -> None:
    save_org(demo_db, read_org_file(DEMO_ORG_FILE).model_copy(update={"samples": 2}))
    assert len(queue_cells(demo_db, CONF, "manual__org")) == 6
    assert len(queue_cells(demo_db, {**CONF, "samples": 1}, "manual__conf")) == 3


def test_samples_count_against_max_map_length_and_the_budget(demo_db: Database) -> None:
    with pytest.raises(
        InputError,
        match=r"^45 cells \(5 questions × 3 models × 3 locations\) exceed Airflow's \[core\] max_map_length of 40: "
        r"narrow the run with conf.questions, conf.models or conf.locations, raise cells_per_task \(conf or org "
        r"file\), or raise max_map_length$",
    ):
        queue_cells(demo_db, {"org_id": "brightpath"}, "r", max_cells=40)
    with pytest.raises(
        InputError,
        match=r"^18 cells \(1 questions × 3 models × 1 locations × 6 samples\) exceed Airflow's \[core\] "
        r"max_map_length of 10: narrow the run with conf.questions, conf.models, conf.locations or fewer conf.samples",
    ):
        queue_cells(demo_db, {**CONF, "samples": 6}, "r", max_cells=10)
    with pytest.raises(
        InputError,
        match=r"estimated cost of this run is \$0\.\d+ for 9 cells \(3 samples per question × model × location\), "
        r"over conf.budget_usd \$0\.0010: narrow the run \(questions, models, locations, samples\)",
    ):
        queue_cells(demo_db, {**CONF, "samples": 3, "budget_usd": 0.001}, "r")
    with demo_db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ProcessingQueue)) == 0


def test_each_sample_is_its_own_call_run_and_latest_answer(demo_db: Database) -> None:
    run_queue(demo_db, "manual__1", **{**CONF, "models": ["gpt-4o"], "samples": 2})
    queue = only_queue(demo_db)
    update_latest_flags(demo_db, queue)
    with demo_db.transaction() as s:
        runs = s.scalars(select(QuestionRun).order_by(QuestionRun.sample)).all()
        ledger = s.execute(select(UsageEntry.cell_key, UsageEntry.purpose)).all()
    assert [(r.sample, r.status, r.is_latest) for r in runs] == [(1, "answered", True), (2, "answered", True)]
    assert sorted(ledger) == sorted((r.id, "answer") for r in runs)
    # The simulator answers the second sample differently, as an engine would.
    assert runs[0].answer_text != runs[1].answer_text
    # Another queue with one sample takes sample 1's flag; sample 2 keeps its latest answer.
    run_queue(demo_db, "manual__2", **{**CONF, "models": ["gpt-4o"]})
    newer = next(q for q in _queues(demo_db) if q != queue)
    update_latest_flags(demo_db, newer)
    with demo_db.transaction() as s:
        latest = s.execute(select(QuestionRun.queue_id, QuestionRun.sample).where(QuestionRun.is_latest)).all()
    assert sorted(latest, key=lambda r: r.sample) == [(newer, 1), (queue, 2)]


def _queues(db: Database) -> list[str]:
    with db.transaction() as s:
        return list(s.scalars(select(ProcessingQueue.id)).all())


def test_the_simulator_draws_another_answer_per_sample_and_the_same_one_for_sample_1() -> None:
    prompt = "I am located in the United States. Which CRM is best for startups?"
    answers = [compose(prompt, "sonar", sample=n)[0] for n in range(1, 9)]
    assert answers[0] == compose(prompt, "sonar")[0]
    assert len(set(answers)) == 8
    # Across samples the brands named change too, which is what sample agreement measures.
    named = [{b for b in ("HubSpot", "Pipedrive", "Zoho", "Salesforce", "Brightpath") if b in a} for a in answers]
    assert len({frozenset(n) for n in named}) > 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "samples: Input should be greater than or equal to 1"),
        (str(MAX_SAMPLES + 1), f"samples: Input should be less than or equal to {MAX_SAMPLES}"),
        ("true", "samples: Input should be a valid integer"),
    ],
)
def test_bad_samples_are_refused_naming_the_field(tmp_path: Path, value: str, message: str) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(DEMO_ORG_FILE.read_text() + f"samples: {value}\n")
    with pytest.raises(InputError, match=message):
        read_org_file(org)
    with pytest.raises(InputError, match=f'{message}.*"samples" \\(a whole number from 1 to {MAX_SAMPLES}'):
        parse_run_conf({"org_id": "brightpath", "samples": yaml.safe_load(value)})
