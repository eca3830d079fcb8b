"""Pushing the analytics document: a folder, S3 (moto) and a webhook on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from sqlalchemy import select

from ai_visibility.analytics import generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import Push
from ai_visibility.latest_flags import update_latest_flags
from ai_visibility.push import PushFailed, push_analytics
from tests.unit.test_pipeline_steps import _queue, run_queue


@pytest.fixture
def analysed(demo_db: Database) -> tuple[Database, str]:
    run_queue(demo_db, "manual__push", questions=["best-crm-startups"], locations=["US"])
    queue = _queue(demo_db)
    update_latest_flags(demo_db, queue)
    generate_analytics(demo_db, queue)
    return demo_db, queue


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            received.append({"headers": dict(self.headers), "body": json.loads(body), "path": self.path})
            self.send_response(503 if self.path == "/down" else 202)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


def test_a_folder_gets_one_document_per_queue_however_often_it_is_pushed(
    analysed: tuple[Database, str], tmp_path: Path
) -> None:
    db, queue = analysed
    push_analytics(db, queue, [str(tmp_path)])
    push_analytics(db, queue, [str(tmp_path)])
    files = list(tmp_path.rglob("*.json*"))
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [f"brightpath/{queue}/analytics.json"]
    document = json.loads(files[0].read_text())
    assert document["schema_version"] == "1.2" and document["synthetic"] is True
    assert document["coverage"]["succeeded"] == 3
    with db.transaction() as s:
        push = s.scalars(select(Push)).one()
        assert push.status == "pushed" and push.attempts == 2 and push.idempotency_key == queue


def test_s3_gets_the_document_under_a_key_fixed_per_queue(analysed: tuple[Database, str]) -> None:
    db, queue = analysed
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-1")
        client.create_bucket(Bucket="reports", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        push_analytics(db, queue, ["s3://reports/ai-visibility"], s3_client=lambda: client)
        push_analytics(db, queue, ["s3://reports/ai-visibility"], s3_client=lambda: client)
        keys = [o["Key"] for o in client.list_objects_v2(Bucket="reports")["Contents"]]
        assert keys == [f"ai-visibility/brightpath/{queue}/analytics.json"]


def test_a_webhook_gets_the_queue_as_idempotency_key_and_a_failure_is_recorded(
    analysed: tuple[Database, str], webhook: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    db, queue = analysed
    base, received = webhook
    with pytest.raises(PushFailed, match="HTTP 503"):
        push_analytics(db, queue, [f"{base}/hook", f"{base}/down", str(tmp_path)])
    assert received[0]["headers"]["idempotency-key"] == queue
    assert received[0]["body"]["queue"]["id"] == queue
    with db.transaction() as s:
        outcome = {p.destination.rsplit("/", 1)[-1]: p.status for p in s.scalars(select(Push))}
    assert outcome == {"hook": "pushed", "down": "failed", tmp_path.name: "pushed"}
