"""schedule_orgs triggers process_org for each org that is due, at most once per org and period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from ai_visibility.db import Database
from ai_visibility.org_spec import read_org_file
from ai_visibility.org_store import save_org
from ai_visibility.scheduling import due_orgs, period_of
from tests.e2e.conftest import ROOT, states

pytestmark = pytest.mark.e2e
MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("sqlite_url"))


@pytest.fixture
def three_orgs(demo_db: Database, tmp_path: Any) -> Database:
    """brightpath (weekly on Monday, from the demo file), a daily org and a weekly-on-Friday org."""
    from ai_visibility.demo import DEMO_ORG_FILE

    text = DEMO_ORG_FILE.read_text()
    for org_id, schedule in (("dailyco", "{cadence: daily}"), ("fridayco", "{cadence: weekly, weekday: friday}")):
        path = tmp_path / f"{org_id}.yaml"
        path.write_text(
            text.replace("id: brightpath", f"id: {org_id}").replace(
                "schedule: {cadence: weekly, weekday: monday}", f"schedule: {schedule}"
            )
        )
        save_org(demo_db, read_org_file(path))
    return demo_db


def test_due_orgs_follow_their_cadence(three_orgs: Database) -> None:
    monday = [d["conf"] for d in due_orgs(three_orgs, date(2026, 11, 30))]
    friday = [d["conf"] for d in due_orgs(three_orgs, date(2026, 12, 4))]
    assert monday == [{"org_id": "brightpath"}, {"org_id": "dailyco"}]
    assert friday == [{"org_id": "dailyco"}, {"org_id": "fridayco"}]
    assert period_of("weekly", date(2026, 11, 30)) == period_of("weekly", date(2026, 12, 6)) == "2026-W49"


def test_the_cron_run_triggers_each_due_org_once(
    three_orgs: Database, app_env: Callable[..., None], airflow_db: Any
) -> None:
    from airflow.dag_processing.dagbag import DagBag
    from airflow.models import DagRun
    from airflow.utils.session import create_session

    app_env(three_orgs.url)
    bag = DagBag(dag_folder=str(ROOT / "dags"))
    scheduler = bag.dags["schedule_orgs"]
    first = scheduler.test(logical_date=MONDAY, run_after=MONDAY)
    assert first.state == "success"
    assert {(k, s) for k, s in states(first).items() if k[0] == "trigger_process_org"} == {
        (("trigger_process_org", 0), "success"),
        (("trigger_process_org", 1), "success"),
    }
    again = scheduler.test(logical_date=MONDAY.replace(hour=7), run_after=MONDAY.replace(hour=7))
    assert {s for k, s in states(again).items() if k[0] == "trigger_process_org"} == {"skipped"}
    with create_session() as session:
        runs = {
            r.run_id: r.conf
            for r in session.query(DagRun).filter(DagRun.dag_id == "process_org")
            if r.run_id.startswith("scheduled__")
        }
    assert runs == {
        "scheduled__brightpath__2026-W49": {"org_id": "brightpath"},
        "scheduled__dailyco__2026-11-30": {"org_id": "dailyco"},
    }
