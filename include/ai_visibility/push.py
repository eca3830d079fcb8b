"""Step 6: send the analytics document to each destination, once per queue, and record the outcome.

A destination is a local folder (or `file://` URL), an `s3://bucket/prefix`, or an `https://` webhook.
The object key is fixed per queue and the webhook gets the queue id as its Idempotency-Key, so a
retry or a rerun replaces the document downstream instead of adding a second one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2
from botocore.exceptions import BotoCoreError, ClientError
from sqlalchemy import select

from ai_visibility.db import Database, upsert
from ai_visibility.db.models import AnalyticsReport, ProcessingQueue, Push
from ai_visibility.errors import InputError

S3ClientFactory = Callable[[], Any]


class PushFailed(RuntimeError):
    pass


def document_path(org_id: str, queue_id: str) -> str:
    return f"{org_id}/{queue_id}/analytics.json"


def push_analytics(
    db: Database,
    queue_id: str,
    destinations: Sequence[str],
    s3_client: S3ClientFactory | None = None,
    webhook_timeout_s: float = 30,
) -> dict[str, object]:
    with db.transaction() as s:
        report = s.get(AnalyticsReport, queue_id)
        queue = s.get(ProcessingQueue, queue_id)
        if report is None or queue is None:
            raise LookupError(f"queue {queue_id!r} has no analytics yet: generate_analytics must succeed first")
        attempts = {p.destination: p.attempts for p in s.scalars(select(Push).where(Push.queue_id == queue_id))}
    body = json.dumps(report.document, indent=2, sort_keys=True).encode()
    relative = document_path(queue.org_id, queue_id)
    outcomes: dict[str, str] = {}
    for destination in destinations:
        try:
            location, error = _send(destination, relative, body, queue_id, s3_client, webhook_timeout_s), None
        except (OSError, httpx2.HTTPError, PushFailed, BotoCoreError, ClientError) as exc:
            # Recorded per destination so the others still get the document; the step fails below.
            location, error = None, f"{type(exc).__name__}: {exc}"
        outcomes[destination] = error or "pushed"
        with db.transaction() as s:
            upsert(
                s,
                Push,
                {
                    "queue_id": queue_id,
                    "destination": destination,
                    "idempotency_key": queue_id,
                    "status": "failed" if error else "pushed",
                    "location": location,
                    "error": error,
                    "attempts": attempts.get(destination, 0) + 1,
                    "pushed_at": datetime.now(UTC),
                },
            )
    failed = {d: o for d, o in outcomes.items() if o != "pushed"}
    if failed:
        raise PushFailed(f"could not push analytics of queue {queue_id} to {failed}")
    return {"queue_id": queue_id, "pushed": list(outcomes)}


def _send(
    destination: str, relative: str, body: bytes, queue_id: str, s3_client: S3ClientFactory | None, timeout_s: float
) -> str:
    parts = urlsplit(destination)
    if parts.scheme == "s3":
        if not parts.netloc:
            raise InputError(f"push destination {destination!r} needs a bucket: s3://bucket/prefix")
        key = "/".join(p for p in (parts.path.strip("/"), relative) if p)
        client = s3_client() if s3_client else _default_s3()
        client.put_object(Bucket=parts.netloc, Key=key, Body=body, ContentType="application/json")
        return f"s3://{parts.netloc}/{key}"
    if parts.scheme in ("http", "https"):
        response = httpx2.post(
            destination,
            content=body,
            timeout=timeout_s,
            headers={
                "content-type": "application/json",
                "idempotency-key": queue_id,
                "x-content-sha256": hashlib.sha256(body).hexdigest(),
            },
        )
        if response.status_code >= 300:
            raise PushFailed(f"webhook answered HTTP {response.status_code}")
        return destination
    if parts.scheme in ("", "file"):
        target = Path(parts.path if parts.scheme == "file" else destination) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.with_suffix(".json.partial")
        staging.write_bytes(body)
        staging.replace(target)  # atomic: readers never see half a document
        return str(target)
    raise InputError(f"push destination {destination!r}: use a folder, file://, s3:// or https:// URL")


def _default_s3() -> Any:
    import boto3

    return boto3.client("s3")
