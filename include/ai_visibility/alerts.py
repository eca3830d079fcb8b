"""A Slack-compatible alert for a failed or partial run: org, run, failed cells, link to the grid."""

from __future__ import annotations

from typing import Any

import httpx2

MAX_CELLS = 10


def failed_run_alert(
    org_id: str, dag_run_id: str, grid_url: str, reason: str, progress: dict[str, Any] | None
) -> dict[str, Any]:
    """The payload: `text` for any webhook, `blocks` for Slack."""
    if progress:
        cells = progress["cells"]
        headline = (
            f"process_org for {org_id}: {cells['failed']} of {cells['total']} cells failed "
            f"({cells['completed']} completed)"
        )
        failures = [c for c in progress["open_cells"] if c["status"] == "failed"][:MAX_CELLS]
        lines = [f"• {c['label']} [{c['step'] or 'unfinished'}]: {(c['reason'] or '')[:200]}" for c in failures]
    else:
        headline = f"process_org for {org_id} failed before any cell ran ({reason})"
        lines = []
    text = "\n".join([f":warning: {headline}", f"Run {dag_run_id}: {grid_url}", *lines])
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f":warning: *{headline}*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"Run <{grid_url}|{dag_run_id}>"}},
    ]
    if lines:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    return {"text": text, "blocks": blocks}


def send_alert(
    webhook_url: str, payload: dict[str, Any], idempotency_key: str | None = None, timeout_s: float = 10
) -> None:
    """Post the message; `idempotency_key` goes in the `Idempotency-Key` header, for receivers that drop repeats."""
    headers = {"idempotency-key": idempotency_key} if idempotency_key else {}
    response = httpx2.post(webhook_url, json=payload, headers=headers, timeout=timeout_s)
    if response.status_code >= 300:
        raise ConnectionError(f"the alert webhook answered HTTP {response.status_code}")
