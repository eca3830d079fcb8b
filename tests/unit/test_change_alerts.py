"""Change alerts: what crosses an org's thresholds in hand-made documents, the thresholds' checks,
and the message as a local webhook receives it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from ai_visibility.alerts import send_alert
from ai_visibility.change_alerts import ChangeAlert, find_change_alerts, notify_changes
from ai_visibility.db import Database
from ai_visibility.db.models import AlertDelivery, AnalyticsReport, Org, ProcessingQueue
from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.errors import InputError
from ai_visibility.org_spec import AlertSpec, read_org_file
from tests.webhook_receiver import running_receiver

DEFAULTS = AlertSpec()


def figure(before: float, now: float, points: float | None, beyond_noise: bool) -> dict[str, Any]:
    return {"now": now, "before": before, "change": now - before, "points": points, "beyond_noise": beyond_noise}


def brand(key: str, name: str, kind: str, visibility: float, sov: float) -> dict[str, Any]:
    return {
        "brand": key,
        "name": name,
        "kind": kind,
        "visibility": {"rate": visibility},
        "share_of_voice": {"mean": sov},
    }


def document(
    queue: str,
    visibility: float,
    sov: float,
    rivals: dict[str, tuple[float, float]],
    trend: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The parts of an analytics document the alerts read: Acme Bank and its competitors' figures."""
    names = {"northwind": "Northwind Bank", "contoso": "Contoso Credit"}
    return {
        "org": {"id": "acme", "name": "Acme Bank"},
        "queue": {"id": queue, "dag_run_id": f"scheduled__{queue}"},
        "overall": {"visibility": {"rate": visibility}, "share_of_voice": {"mean": sov}},
        "competitors": [
            brand("acme", "Acme Bank", "target", visibility, sov),
            *(brand(k, names[k], "competitor", v, s) for k, (v, s) in rivals.items()),
        ],
        "trend": trend or {"previous_queue": None},
    }


def trend(visibility: dict[str, Any], sov: dict[str, Any]) -> dict[str, Any]:
    return {
        "previous_queue": "q1",
        "comparable": True,
        "matched_cells": 40,
        "visibility": visibility,
        "share_of_voice": sov,
    }


# Last week: Acme 60% visible, share of voice 12; Northwind 50% and 10; Contoso 20% and 3.
BEFORE = document("q1", 0.6, 12.0, {"northwind": (0.5, 10.0), "contoso": (0.2, 3.0)})


def test_a_drop_beyond_noise_and_past_the_threshold_alerts() -> None:
    # 60% -> 35% over 40 cells: 25 points, beyond noise; share of voice 12 -> 10.5: 1.5 points, under 2
    now = document(
        "q2",
        0.35,
        10.5,
        {"northwind": (0.3, 9.0), "contoso": (0.1, 2.0)},
        trend(figure(0.6, 0.35, -25.0, True), figure(12.0, 10.5, -1.5, True)),
    )
    assert find_change_alerts(now, BEFORE, DEFAULTS) == [
        ChangeAlert(
            "visibility_drop",
            "acme",
            "Visibility fell 25.0 points (60.0% → 35.0%) over 40 matched cells, beyond noise (threshold 5 points)",
        )
    ]
    # An org that wants to hear of smaller moves in share of voice sets a lower threshold.
    kinds = [a.kind for a in find_change_alerts(now, BEFORE, AlertSpec(share_of_voice_drop_points=1))]
    assert kinds == ["visibility_drop", "share_of_voice_drop"]


def test_a_drop_within_noise_or_a_rise_does_not_alert() -> None:
    within = trend(figure(0.6, 0.45, -15.0, False), figure(12.0, 6.0, -6.0, False))
    rise = trend(figure(0.6, 0.9, 30.0, True), figure(12.0, 20.0, 8.0, True))
    for changes in (within, rise):
        now = document("q2", 0.45, 6.0, {"northwind": (0.4, 5.0)}, changes)
        assert find_change_alerts(now, BEFORE, DEFAULTS) == []


def test_a_competitor_passing_the_org_alerts_once_per_figure() -> None:
    steady = trend(figure(0.6, 0.55, -5.0, False), figure(12.0, 11.0, -1.0, False))
    # Northwind goes from 50% (behind 60%) to 70% (ahead of 55%), and from 10 to 11.5 share of voice
    # (ahead of 11); Contoso stays behind.
    now = document("q2", 0.55, 11.0, {"northwind": (0.7, 11.5), "contoso": (0.3, 4.0)}, steady)
    assert find_change_alerts(now, BEFORE, DEFAULTS) == [
        ChangeAlert(
            "competitor_overtook",
            "northwind:visibility",
            "Northwind Bank passed Acme Bank on visibility: 70.0% against 55.0% (previous queue: 50.0% against 60.0%)",
        ),
        ChangeAlert(
            "competitor_overtook",
            "northwind:share_of_voice",
            "Northwind Bank passed Acme Bank on share of voice: 11.5 against 11.0 (previous queue: 10.0 against 12.0)",
        ),
    ]
    # A margin of 10 points: 15 points ahead on visibility counts, half a point on share of voice does not.
    assert [a.text.split(":")[0] for a in find_change_alerts(now, BEFORE, AlertSpec(overtake_margin_points=10))] == [
        "Northwind Bank passed Acme Bank on visibility"
    ]
    assert find_change_alerts(now, BEFORE, AlertSpec(competitor_overtakes=False)) == []
    # Already ahead last time: no news.
    ahead = document("q1", 0.6, 12.0, {"northwind": (0.65, 13.0)})
    assert find_change_alerts(now, ahead, DEFAULTS) == []


def test_nothing_is_compared_without_a_comparable_previous_queue() -> None:
    now = document("q2", 0.1, 1.0, {"northwind": (0.9, 30.0)})  # trend: no previous queue
    assert find_change_alerts(now, None, DEFAULTS) == []
    other_rules = {"previous_queue": "q1", "comparable": False}
    assert find_change_alerts(document("q2", 0.1, 1.0, {"northwind": (0.9, 30.0)}, other_rules), BEFORE, DEFAULTS) == []


@pytest.mark.parametrize(
    ("alerts", "message"),
    [
        ({"visibility_drop_points": 0}, "alerts.visibility_drop_points: Input should be greater than 0"),
        ({"share_of_voice_drop_points": 150}, "alerts.share_of_voice_drop_points: Input should be less than or equal"),
        ({"visibility_drop": 5}, "alerts.visibility_drop: Extra inputs are not permitted"),
    ],
)
def test_thresholds_are_checked_naming_the_field(tmp_path: Path, alerts: dict[str, Any], message: str) -> None:
    spec = yaml.safe_load(DEMO_ORG_FILE.read_text())
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump({**spec, "alerts": alerts}))
    with pytest.raises(InputError, match=message):
        read_org_file(path)


def acme_with_two_queues(db: Database, now: dict[str, Any], thresholds: AlertSpec = DEFAULTS) -> None:
    """Acme Bank's queues q1 (BEFORE) and q2 (`now`), each with its analytics document."""
    when = datetime(2026, 11, 30, 6, tzinfo=UTC)
    with db.transaction() as s:
        thresholds_json = thresholds.model_dump()
        s.add(
            Org(
                id="acme",
                name="Acme Bank",
                websites=["acmebank.com"],
                alert_thresholds=thresholds_json,
                created_at=when,
            )
        )
        s.flush()
        for queue, doc in (("q1", BEFORE), ("q2", now)):
            s.add(
                ProcessingQueue(
                    id=queue, org_id="acme", dag_run_id=doc["queue"]["dag_run_id"], status="completed",
                    selection={}, created_at=when,
                )
            )  # fmt: skip
            s.flush()
            s.add(AnalyticsReport(queue_id=queue, schema_version="1.6", document=doc, generated_at=when))


def sender(url: str) -> Callable[[dict[str, Any], str], None]:
    return lambda payload, key: send_alert(url, payload, key)


def test_the_org_thresholds_are_used_and_the_message_reaches_the_webhook(db_url: str) -> None:
    db = Database(db_url)
    now = document(
        "q2",
        0.35,
        10.5,
        {"northwind": (0.3, 9.0)},
        trend(figure(0.6, 0.35, -25.0, True), figure(12.0, 10.5, -1.5, True)),
    )
    # This org only wants drops of 30 points or more in visibility, and 1 in share of voice.
    acme_with_two_queues(db, now, AlertSpec(visibility_drop_points=30, share_of_voice_drop_points=1))
    with running_receiver() as receiver:
        url = f"{receiver.base}/services/T0/B0/secret"
        result = notify_changes(db, "q2", "http://airflow.local/dags/process_org/runs/r2", sender(url))
        assert notify_changes(db, "q1", "http://airflow.local/x", sender(url))["sent"] is False
    assert result == {"queue_id": "q2", "alerts": ["share_of_voice_drop"], "sent": True, "already_sent": 0}
    assert len(receiver.received) == 1
    text = receiver.received[0]["body"]["text"].splitlines()
    assert text == [
        ":chart_with_downwards_trend: AI visibility of Acme Bank (acme): 1 change to act on",
        "Run scheduled__q2: http://airflow.local/dags/process_org/runs/r2",
        "• Share of voice fell 1.5 points (12.0 → 10.5) over 40 matched cells, beyond noise (threshold 1 points)",
    ]
    # Without an alert connection the alerts are found and reported, and nothing is sent.
    assert notify_changes(db, "q2", "http://airflow.local/x", None) == {
        "queue_id": "q2",
        "alerts": ["share_of_voice_drop"],
        "sent": False,
        "already_sent": 1,
    }


def test_a_retried_or_cleared_alerts_task_sends_each_alert_once(db_url: str) -> None:
    db = Database(db_url)
    # Visibility fell beyond the threshold and Northwind passed Acme on visibility: two alerts.
    steady_sov = figure(12.0, 11.0, -1.0, False)
    now = document("q2", 0.35, 11.0, {"northwind": (0.7, 10.0)}, trend(figure(0.6, 0.35, -25.0, True), steady_sov))
    acme_with_two_queues(db, now)
    run = "http://airflow.local/dags/process_org/runs/r2"
    with running_receiver() as receiver:
        # The webhook is down on the first try: the task fails, and nothing is recorded as delivered.
        with pytest.raises(ConnectionError, match="HTTP 500"):
            notify_changes(db, "q2", run, sender(f"{receiver.base}/down/alerts"))
        first = notify_changes(db, "q2", run, sender(f"{receiver.base}/hooks/alerts"))  # Airflow's retry
        again = notify_changes(db, "q2", run, sender(f"{receiver.base}/hooks/alerts"))  # a clear of the task
    alerts = ["visibility_drop", "competitor_overtook"]
    assert first == {"queue_id": "q2", "alerts": alerts, "sent": True, "already_sent": 0}
    assert again == {**first, "sent": False, "already_sent": 2}
    assert [r["path"] for r in receiver.received] == ["/down/alerts", "/hooks/alerts"]
    failed, delivered = (r["headers"]["idempotency-key"] for r in receiver.received)
    assert failed == delivered and delivered.startswith("q2:")  # a receiver that saw the first keeps one
    assert len(delivered_lines := receiver.received[1]["body"]["text"].splitlines()) == 4
    assert delivered_lines[2].startswith("• Visibility fell 25.0 points")
    assert delivered_lines[3].startswith("• Northwind Bank passed Acme Bank on visibility")
    with db.transaction() as s:
        rows = s.execute(select(AlertDelivery.kind, AlertDelivery.subject, AlertDelivery.idempotency_key)).all()
    assert sorted(rows) == [
        ("competitor_overtook", "northwind:visibility", delivered),
        ("visibility_drop", "acme", delivered),
    ]


def test_an_alert_new_since_the_last_delivery_is_sent_alone(db_url: str) -> None:
    db = Database(db_url)
    now = document(
        "q2",
        0.35,
        11.0,
        {"northwind": (0.7, 10.0)},
        trend(figure(0.6, 0.35, -25.0, True), figure(12.0, 11.0, -1.0, False)),
    )
    acme_with_two_queues(db, now, AlertSpec(competitor_overtakes=False))
    run = "http://airflow.local/dags/process_org/runs/r2"
    with running_receiver() as receiver:
        notify_changes(db, "q2", run, sender(f"{receiver.base}/hooks/alerts"))
        # The org turns overtake alerts on, and the task is cleared: only the overtake goes out.
        with db.transaction() as s:
            org = s.get(Org, "acme")
            assert org is not None
            org.alert_thresholds = DEFAULTS.model_dump()
        result = notify_changes(db, "q2", run, sender(f"{receiver.base}/hooks/alerts"))
    assert result["sent"] and result["already_sent"] == 1
    assert [r["body"]["text"].splitlines()[2:] for r in receiver.received] == [
        ["• Visibility fell 25.0 points (60.0% → 35.0%) over 40 matched cells, beyond noise (threshold 5 points)"],
        ["• Northwind Bank passed Acme Bank on visibility: 70.0% against 35.0% (previous queue: 50.0% against 60.0%)"],
    ]
    first, second = (r["headers"]["idempotency-key"] for r in receiver.received)
    assert first != second
