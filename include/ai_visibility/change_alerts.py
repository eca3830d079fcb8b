"""Alerts on what matters after a run: visibility or share of voice fell beyond noise against the
previous queue, or a competitor passed the org; thresholds per org (the org spec's `alerts`).

Drops are read from the document's trend (matched cells, one extraction version, `beyond_noise`);
a pass compares the org with each tracked competitor in this queue's document and the previous
queue's, each over its own successful runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import select

from ai_visibility.db import Database, insert_missing
from ai_visibility.db.models import AlertDelivery, AnalyticsReport, Org
from ai_visibility.org_spec import AlertSpec

MAX_LINES = 10
# The two figures a competitor can pass the org on: how to read each from a brand's row or block,
# how many points one unit is, and how it is written.
RACED: dict[str, tuple[Callable[[dict[str, Any]], float | None], float, str]] = {
    "visibility": (lambda b: b["visibility"]["rate"], 100.0, "{:.1%}"),
    "share of voice": (lambda b: b["share_of_voice"]["mean"], 1.0, "{:.1f}"),
}


@dataclass(frozen=True)
class ChangeAlert:
    kind: str  # visibility_drop | share_of_voice_drop | competitor_overtook
    subject: str  # what it is about: the org (a drop), or a competitor on one figure (`northwind:visibility`)
    text: str


def find_change_alerts(
    document: dict[str, Any], previous: dict[str, Any] | None, thresholds: AlertSpec
) -> list[ChangeAlert]:
    """What to tell the org about this queue against the previous one; empty when nothing crossed
    a threshold or the two cannot be compared (no previous queue, other extraction rules)."""
    trend = document["trend"]
    if not trend.get("comparable"):
        return []
    found = []
    for figure, threshold, form in (
        ("visibility", thresholds.visibility_drop_points, "{:.1%}"),
        ("share_of_voice", thresholds.share_of_voice_drop_points, "{:.1f}"),
    ):
        change = trend[figure]
        if change["beyond_noise"] and change["points"] is not None and change["points"] <= -threshold:
            found.append(
                ChangeAlert(
                    f"{figure}_drop",
                    document["org"]["id"],
                    f"{figure.replace('_', ' ').capitalize()} fell {-change['points']:.1f} points "
                    f"({form.format(change['before'])} → {form.format(change['now'])}) over "
                    f"{trend['matched_cells']} matched cells, beyond noise (threshold {threshold:g} points)",
                )
            )
    if thresholds.competitor_overtakes and previous is not None:
        found += _overtakes(document, previous, thresholds.overtake_margin_points)
    return found


def _overtakes(document: dict[str, Any], previous: dict[str, Any], margin: float) -> list[ChangeAlert]:
    before = {row["brand"]: row for row in previous["competitors"] if row["kind"] == "competitor"}
    found = []
    for row in document["competitors"]:
        earlier = before.get(row["brand"])
        if row["kind"] != "competitor" or earlier is None:
            continue
        for figure, (read, unit, form) in RACED.items():
            values = [read(block) for block in (document["overall"], previous["overall"], row, earlier)]
            if None in values:  # a queue without successful runs has no figures to compare
                continue
            org_now, org_then, them_now, them_then = cast(list[float], values)
            if (them_now - org_now) * unit > margin and them_then <= org_then:
                found.append(
                    ChangeAlert(
                        "competitor_overtook",
                        f"{row['brand']}:{figure.replace(' ', '_')}",
                        f"{row['name']} passed {document['org']['name']} on {figure}: "
                        f"{form.format(them_now)} against {form.format(org_now)} "
                        f"(previous queue: {form.format(them_then)} against {form.format(org_then)})",
                    )
                )
    return found


def change_alert_payload(document: dict[str, Any], alerts: list[ChangeAlert], run_url: str) -> dict[str, Any]:
    """A Slack-compatible message: `text` for any webhook, `blocks` for Slack."""
    org, run = document["org"], document["queue"]["dag_run_id"]
    headline = f"AI visibility of {org['name']} ({org['id']}): {len(alerts)} change{'s' * (len(alerts) != 1)} to act on"
    lines = [f"• {a.text}" for a in alerts[:MAX_LINES]]
    return {
        "text": "\n".join([f":chart_with_downwards_trend: {headline}", f"Run {run}: {run_url}", *lines]),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f":chart_with_downwards_trend: *{headline}*"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": f"Run <{run_url}|{run}>"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}},
        ],
    }


def notify_changes(
    db: Database, queue_id: str, run_url: str, send: Callable[[dict[str, Any], str], None] | None
) -> dict[str, Any]:
    """Find the queue's change alerts and `send` those not delivered yet, with their idempotency key
    (None: no alert connection, only report them); record what the webhook accepted."""
    with db.transaction() as s:
        report = s.get(AnalyticsReport, queue_id)
        if report is None:
            raise LookupError(f"queue {queue_id!r} has no analytics document: generate_analytics runs first")
        document = report.document
        org = s.get(Org, document["org"]["id"])
        thresholds = AlertSpec.model_validate((org.alert_thresholds if org else None) or {})
        previous_id = document["trend"]["previous_queue"]
        earlier = s.get(AnalyticsReport, previous_id) if previous_id else None
        previous = earlier.document if earlier else None
        delivered = set(
            s.execute(select(AlertDelivery.kind, AlertDelivery.subject).where(AlertDelivery.queue_id == queue_id))
        )
    alerts = find_change_alerts(document, previous, thresholds)
    due = [a for a in alerts if (a.kind, a.subject) not in delivered]
    if due and send is not None:
        key = alert_key(queue_id, due)
        send(change_alert_payload(document, due, run_url), key)
        with db.transaction() as s:
            now = datetime.now(UTC)
            rows = [
                {
                    "queue_id": queue_id,
                    "kind": a.kind,
                    "subject": a.subject,
                    "idempotency_key": key,
                    "delivered_at": now,
                }
                for a in due
            ]
            insert_missing(s, AlertDelivery, rows)
    return {
        "queue_id": queue_id,
        "alerts": [a.kind for a in alerts],
        "sent": bool(due) and send is not None,
        "already_sent": len(alerts) - len(due),
    }


def alert_key(queue_id: str, alerts: list[ChangeAlert]) -> str:
    """`<queue id>:<sha256 of the alerts' kinds and subjects>`: a resend of the same alerts (the
    webhook accepted them but the record was lost) repeats it, so the receiver can drop the copy."""
    what = "\n".join(sorted(f"{a.kind}:{a.subject}" for a in alerts))
    return f"{queue_id}:{hashlib.sha256(what.encode()).hexdigest()}"
