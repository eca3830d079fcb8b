"""Pushing the analytics document: a folder, S3 (moto) and a signed webhook on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws
from sqlalchemy import select

from ai_visibility.analytics import generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import AnalyticsReport, Push
from ai_visibility.errors import InputError
from ai_visibility.exports import runs_csv
from ai_visibility.latest_flags import update_latest_flags
from ai_visibility.push import PushFailed, Webhook, push_analytics
from tests.helpers import only_queue, run_queue, schema_errors
from tests.webhook_receiver import SECRET, TOKEN, Receiver, running_receiver, verify


@pytest.fixture
def analysed(demo_db: Database) -> tuple[Database, str]:
    run_queue(demo_db, "manual__push", questions=["best-crm-startups"], locations=["US"])
    queue = only_queue(demo_db)
    update_latest_flags(demo_db, queue)
    generate_analytics(demo_db, queue)
    return demo_db, queue


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_folder_gets_one_document_per_queue_however_often_it_is_pushed(
    analysed: tuple[Database, str], tmp_path: Path
) -> None:
    db, queue = analysed
    push_analytics(db, queue, [str(tmp_path)])
    push_analytics(db, queue, [str(tmp_path)])
    files = sorted(f.relative_to(tmp_path).as_posix() for f in (tmp_path / "brightpath").rglob("*"))
    names = ("analytics.json", "competitors.csv", "report.html", "runs.csv")  # no `.partial` file is left behind
    assert files == [f"brightpath/{queue}"] + [f"brightpath/{queue}/{name}" for name in names]
    folder = tmp_path / "brightpath" / queue
    assert f"<title>AI visibility · Brightpath CRM · queue {queue}</title>" in (folder / "report.html").read_text()
    assert len((folder / "runs.csv").read_text().splitlines()) == 1 + 3  # the header, one line per cell
    assert (folder / "competitors.csv").read_text().startswith("brand,name,kind,visibility,")
    document = json.loads((folder / "analytics.json").read_text())
    assert document["schema_version"] == "1.8" and document["synthetic"] is True
    assert document["coverage"]["succeeded"] == 3 and schema_errors(document) == []
    with db.transaction() as s:
        push = s.scalars(select(Push)).one()
        assert push.status == "pushed" and push.attempts == 2 and push.http_status is None
        digest = hashlib.sha256((folder / "analytics.json").read_bytes()).hexdigest()
        assert push.idempotency_key == f"{queue}:{digest}" and push.location == str(folder / "analytics.json")


def test_s3_gets_the_document_under_a_key_fixed_per_queue(analysed: tuple[Database, str]) -> None:
    db, queue = analysed
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-1")
        client.create_bucket(Bucket="reports", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        push_analytics(db, queue, ["s3://reports/ai-visibility"], s3_client=lambda: client)
        push_analytics(db, queue, ["s3://reports/ai-visibility"], s3_client=lambda: client)
        keys = [o["Key"] for o in client.list_objects_v2(Bucket="reports")["Contents"]]
        folder = f"ai-visibility/brightpath/{queue}"
        names = ("analytics.json", "competitors.csv", "report.html", "runs.csv")
        assert keys == [f"{folder}/{name}" for name in names]
        runs = client.get_object(Bucket="reports", Key=f"{folder}/runs.csv")
        assert runs["ContentType"] == "text/csv"
        page = client.get_object(Bucket="reports", Key=f"{folder}/report.html")
        assert page["ContentType"] == "text/html; charset=utf-8"
        assert b'<section id="share-of-voice">' in page["Body"].read()
        with db.transaction() as s:
            assert runs["Body"].read() == runs_csv(s, queue)
            assert s.scalars(select(Push)).one().location == f"s3://reports/{folder}/analytics.json"


def test_a_webhook_gets_the_document_signed_over_its_timestamp(
    analysed: tuple[Database, str], receiver: Receiver
) -> None:
    db, queue = analysed
    push_analytics(db, queue, [receiver.hook()])
    (got,) = receiver.received
    assert got["verified"] and got["body"]["queue"]["id"] == queue
    assert got["headers"]["x-ai-visibility-signature"].startswith("sha256=")
    # Another secret, or the same body replayed under a new timestamp, does not verify.
    assert not verify("another-secret", got["headers"], got["raw"], time.time())
    replayed = got["headers"] | {"x-ai-visibility-timestamp": str(int(time.time()) + 1)}
    assert not verify(SECRET, replayed, got["raw"], time.time())
    with db.transaction() as s:
        push = s.scalars(select(Push)).one()
    assert (push.destination, push.location, push.status, push.http_status) == (
        "webhook:hooks",
        receiver.base,
        "pushed",
        202,
    )


def test_the_idempotency_key_repeats_for_the_same_document_and_changes_with_it(
    analysed: tuple[Database, str], receiver: Receiver
) -> None:
    db, queue = analysed
    push_analytics(db, queue, [receiver.hook()])
    push_analytics(db, queue, [receiver.hook()])  # a retry or an identical rerun
    with db.transaction() as s:
        report = s.get(AnalyticsReport, queue)
        assert report is not None
        # A rerun whose cells came out differently regenerates a different document for the same queue.
        report.document = report.document | {"coverage": report.document["coverage"] | {"failed": 1}}
    push_analytics(db, queue, [receiver.hook()])
    first, again, changed = (r["headers"]["idempotency-key"] for r in receiver.received)
    assert first == again == f"{queue}:{hashlib.sha256(receiver.received[0]['raw']).hexdigest()}"
    assert changed != first and changed.startswith(f"{queue}:")
    assert receiver.received[2]["body"]["coverage"]["failed"] == 1 and receiver.received[2]["verified"]
    with db.transaction() as s:
        assert s.scalars(select(Push.idempotency_key)).one() == changed


def test_the_webhook_token_appears_in_no_push_row_log_or_error_even_when_pushes_fail(
    analysed: tuple[Database, str], receiver: Receiver, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db, queue = analysed
    refused = Webhook("webhook:refused", f"http://127.0.0.1:{closed_port()}/hooks/{TOKEN}?token={TOKEN}", SECRET)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(PushFailed) as failure:
        push_analytics(db, queue, [receiver.hook(), receiver.hook("down"), refused, str(tmp_path)])
    assert "webhook:down" in str(failure.value) and "HTTP 500" in str(failure.value)
    assert "webhook:refused" in str(failure.value)
    with db.transaction() as s:
        rows = {p.destination: p for p in s.scalars(select(Push))}
        columns = [str(getattr(p, c.key)) for p in rows.values() for c in Push.__table__.columns]
    assert {d: (p.status, p.http_status) for d, p in rows.items()} == {
        "webhook:hooks": ("pushed", 202),
        "webhook:down": ("failed", 500),
        "webhook:refused": ("failed", None),
        str(tmp_path): ("pushed", None),
    }
    assert rows["webhook:refused"].error and rows["webhook:refused"].location == refused.redacted
    # The HTTP client does log each request; the filter must have rewritten its URL.
    assert any(r.getMessage().startswith("HTTP Request") for r in caplog.records)
    texts = [*columns, caplog.text, *(r.getMessage() for r in caplog.records), str(failure.value), repr(refused)]
    assert not [t for t in texts if TOKEN in t]


def test_a_webhook_url_in_the_destinations_is_refused_before_anything_is_pushed(
    analysed: tuple[Database, str], tmp_path: Path
) -> None:
    db, queue = analysed
    with pytest.raises(InputError, match=r"webhook:<conn id>") as refused:
        push_analytics(db, queue, [str(tmp_path / "out"), f"https://hooks.example.com/T0/{TOKEN}"])
    assert TOKEN not in str(refused.value) and "https://hooks.example.com" in str(refused.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("url", "secret", "message"),
    [
        ("hooks.example.com/ai", SECRET, "full URL"),
        (f"https://hooks.example.com/{TOKEN}", "", "signing secret"),
    ],
)
def test_a_webhook_connection_without_a_url_or_secret_says_what_to_set(url: str, secret: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as bad:
        Webhook("webhook:ai_visibility_webhook", url, secret)
    assert "webhook:ai_visibility_webhook" in str(bad.value) and TOKEN not in str(bad.value)
