"""Step 6: send the analytics document to each destination, once per queue, and record the outcome.

A folder or S3 destination also gets `runs.csv` and `competitors.csv` (`exports.py`) and the visual
report `report.html` (`report/`) next to `analytics.json`; a webhook gets the document only, since its
body is the signed JSON.

A destination is a local folder (or `file://` URL), an `s3://bucket/prefix`, or a `Webhook`: a
receiver's URL (which usually carries its token) and a signing secret, both kept in an Airflow
connection. The object key is fixed per queue, so a retry or a rerun replaces the document
downstream. A webhook gets `Idempotency-Key: <queue id>:<sha256 of the body>` (an identical rerun
repeats the key, a changed document gets a new one) and an HMAC-SHA256 signature over
`<timestamp>.<body>` (README, "Pushing to a webhook"). A webhook is recorded, logged and named in
errors only by its connection and the URL's scheme and host.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
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
from ai_visibility.exports import competitors_csv, runs_csv
from ai_visibility.report import render_report

S3ClientFactory = Callable[[], Any]
CONTENT_TYPES = {".csv": "text/csv", ".html": "text/html; charset=utf-8", ".json": "application/json"}
SIGNATURE_HEADER = "X-AI-Visibility-Signature"
TIMESTAMP_HEADER = "X-AI-Visibility-Timestamp"


class PushFailed(RuntimeError):
    pass


def redact_url(url: str) -> str:
    """Scheme, host and port only: paths, queries and user info are where receivers put tokens."""
    parts = urlsplit(url)
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{parts.hostname or '?'}{port}"


@dataclass(frozen=True)
class Webhook:
    """A signed HTTP receiver. `name` (e.g. `webhook:<conn id>`) is what is recorded and shown."""

    name: str
    url: str = field(repr=False)
    secret: str = field(repr=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(
                f"{self.name}: the connection's host must be the receiver's full URL, "
                "e.g. https://hooks.example.com/ai-visibility/<token> (write the connection in JSON form)"
            )
        if not self.secret:
            raise InputError(
                f"{self.name}: set the connection's password to the signing secret shared with the receiver"
            )

    @property
    def redacted(self) -> str:
        return redact_url(self.url)

    def scrub(self, text: str) -> str:
        """The text with the URL, and any part of it that may hold a token, replaced."""
        parts = urlsplit(self.url)
        text = text.replace(self.url, self.redacted)
        for secret in (parts.path, parts.query, parts.password, self.secret):
            if secret and len(secret) > 1:
                text = text.replace(secret, "***")
        return text


Destination = str | Webhook


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value: HMAC-SHA256 of `<timestamp>.<body>`, so a replayed body with a new
    timestamp does not verify."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def document_path(org_id: str, queue_id: str, name: str = "analytics.json") -> str:
    return f"{org_id}/{queue_id}/{name}"


def idempotency_key(queue_id: str, body: bytes) -> str:
    return f"{queue_id}:{hashlib.sha256(body).hexdigest()}"


def document_body(document: dict[str, Any]) -> bytes:
    """The bytes every destination receives: stable for the same document."""
    return json.dumps(document, indent=2, sort_keys=True).encode()


def destination_name(destination: Destination) -> str:
    """How a destination is recorded: a webhook by its connection, never by its URL."""
    return destination.name if isinstance(destination, Webhook) else destination


def push_analytics(
    db: Database,
    queue_id: str,
    destinations: Sequence[Destination],
    s3_client: S3ClientFactory | None = None,
    webhook_timeout_s: float = 30,
) -> dict[str, object]:
    for destination in destinations:
        if isinstance(destination, str):
            _check_destination(destination)
    with db.transaction() as s:
        report = s.get(AnalyticsReport, queue_id)
        queue = s.get(ProcessingQueue, queue_id)
        if report is None or queue is None:
            raise LookupError(f"queue {queue_id!r} has no analytics yet: generate_analytics must succeed first")
        attempts = {p.destination: p.attempts for p in s.scalars(select(Push).where(Push.queue_id == queue_id))}
        document = dict(report.document)
        body = document_body(document)
        # The exports first: a reader that sees analytics.json finds the files that go with it.
        files = {
            document_path(queue.org_id, queue_id, "runs.csv"): runs_csv(s, queue_id),
            document_path(queue.org_id, queue_id, "competitors.csv"): competitors_csv(document),
        }
    if any(isinstance(d, str) for d in destinations):
        # Drawn outside the transaction: the charts take a few seconds and need no database.
        files[document_path(queue.org_id, queue_id, "report.html")] = render_report(document).encode()
    files[document_path(queue.org_id, queue_id)] = body
    key = idempotency_key(queue_id, body)
    outcomes: dict[str, str] = {}
    for destination in destinations:
        name = destination_name(destination)
        location = destination.redacted if isinstance(destination, Webhook) else None
        http_status: int | None = None
        error: str | None = None
        try:
            if isinstance(destination, Webhook):
                http_status = _post(destination, body, key, webhook_timeout_s)
                if http_status >= 300:
                    error = f"webhook answered HTTP {http_status}"
            else:
                location = _store(destination, files, s3_client)
        except (OSError, httpx2.HTTPError, BotoCoreError, ClientError) as exc:
            # Recorded per destination so the others still get the document; the step fails below.
            error = f"{type(exc).__name__}: {exc}"
            if isinstance(destination, Webhook):
                error = destination.scrub(error)
        outcomes[name] = error or "pushed"
        with db.transaction() as s:
            upsert(
                s,
                Push,
                {
                    "queue_id": queue_id,
                    "destination": name,
                    "idempotency_key": key,
                    "status": "failed" if error else "pushed",
                    "location": location,
                    "http_status": http_status,
                    "error": error,
                    "attempts": attempts.get(name, 0) + 1,
                    "pushed_at": datetime.now(UTC),
                },
            )
    failed = {d: o for d, o in outcomes.items() if o != "pushed"}
    if failed:
        raise PushFailed(f"could not push analytics of queue {queue_id} to {failed}")
    return {"queue_id": queue_id, "pushed": list(outcomes)}


def _check_destination(destination: str) -> None:
    parts = urlsplit(destination)
    if parts.scheme in ("http", "https"):
        raise InputError(
            f"push destination {redact_url(destination)}/...: a webhook URL carries its receiver's token, so it "
            "is not accepted in AI_VISIBILITY_PUSH_TO; store it in an Airflow connection (host = the URL, "
            "password = the signing secret) and list webhook:<conn id> instead"
        )
    if parts.scheme == "s3" and not parts.netloc:
        raise InputError(f"push destination {destination!r} needs a bucket: s3://bucket/prefix")
    if parts.scheme not in ("", "file", "s3"):
        raise InputError(
            f"push destination {destination!r}: use a folder, file://, s3://bucket/prefix or webhook:<conn id>"
        )


def _store(destination: str, files: dict[str, bytes], s3_client: S3ClientFactory | None) -> str:
    """Each file under its relative path; the location of the last one (the document) is returned."""
    parts = urlsplit(destination)
    location = ""
    if parts.scheme == "s3":
        client = s3_client() if s3_client else _default_s3()
        for relative, body in files.items():
            key = "/".join(p for p in (parts.path.strip("/"), relative) if p)
            content_type = CONTENT_TYPES[Path(relative).suffix]
            client.put_object(Bucket=parts.netloc, Key=key, Body=body, ContentType=content_type)
            location = f"s3://{parts.netloc}/{key}"
        return location
    for relative, body in files.items():
        target = Path(parts.path if parts.scheme == "file" else destination) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.with_name(target.name + ".partial")
        staging.write_bytes(body)
        staging.replace(target)  # atomic: readers never see half a file
        location = str(target)
    return location


def _post(hook: Webhook, body: bytes, idempotency_key: str, timeout_s: float) -> int:
    timestamp = str(int(time.time()))
    with _urls_redacted_in_http_logs(hook):
        response = httpx2.post(
            hook.url,
            content=body,
            timeout=timeout_s,
            headers={
                "content-type": "application/json",
                "idempotency-key": idempotency_key,
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: signature(hook.secret, timestamp, body),
            },
        )
    return response.status_code


class _RedactUrl(logging.Filter):
    def __init__(self, hook: Webhook) -> None:
        super().__init__()
        self.hook = hook

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.hook.scrub(record.getMessage())
        record.args = None
        return True


@contextmanager
def _urls_redacted_in_http_logs(hook: Webhook) -> Iterator[None]:
    # The HTTP client logs every request with its full URL, which would put the token in the task log.
    logger = logging.getLogger("httpx2")
    redact = _RedactUrl(hook)
    logger.addFilter(redact)
    try:
        yield
    finally:
        logger.removeFilter(redact)


def _default_s3() -> Any:
    import boto3

    return boto3.client("s3")
