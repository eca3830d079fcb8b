"""`ai-visibility`: migrate and seed the app database, run one micro-step, report, extract and evaluate.

The simulator has its own command, `ai-visibility-simulator`: no production code imports it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from ai_visibility.db import Database
from ai_visibility.errors import FAIL_FAST, PERMANENT_EXIT_CODE, InputError
from ai_visibility.history_table import BY as HISTORY_BY
from ai_visibility.settings import Settings
from ai_visibility.steps.registry import STEP_NAMES

ORG_ID_HELP = "the org's id (the `id` of the definition given to org-apply)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ai-visibility", description=__doc__)
    parser.add_argument(
        "--db-url",
        help="app database URL (default: AI_VISIBILITY_DATABASE_URL or the AIRFLOW_CONN_AI_VISIBILITY_DB connection)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, what: str) -> argparse.ArgumentParser:
        # The same line heads the command's own --help, where argparse would otherwise show none.
        return sub.add_parser(name, help=what, description=what)

    command("db-upgrade", "migrate the app database to this version's schema")
    apply = command("org-apply", "create or update an org from a YAML/JSON definition")
    apply.add_argument(
        "file", type=Path, help="the org definition, YAML or JSON (example: include/ai_visibility/demo/brightpath.yaml)"
    )
    command("demo-seed", "store the synthetic demo org (Brightpath CRM)")
    summary = command("summary", "print the analytics summary of an org's latest queue")
    summary.add_argument("org_id", help=ORG_ID_HELP)
    history = command("history", "print an org's metrics queue by queue, overall or by a dimension")
    history.add_argument("org_id", help=ORG_ID_HELP)
    history.add_argument("--since", metavar="YYYY-MM-DD", help="only queues created on or after this day (UTC)")
    # Checked by the domain (not argparse `choices`) so the message names the flag and the fix.
    history.add_argument("--by", metavar="|".join(HISTORY_BY), help="one line per queue and value of this dimension")
    status = command("queue", "show the progress and failed cells of an org's latest queue")
    status.add_argument("org_id", help=ORG_ID_HELP)
    extract = command("extract", "run extraction on one answer (file or - for stdin) and print JSON")
    extract.add_argument("file", help="a text or markdown answer; - reads stdin")
    extract.add_argument(
        "--org-name", required=True, help="the org's name as the answers write it, e.g. 'Brightpath CRM'"
    )
    extract.add_argument("--alias", action="append", default=[], help="another spelling of the org (repeatable)")
    extract.add_argument("--website", action="append", default=[], help="an owned website (repeatable)")
    extract.add_argument(
        "--competitor",
        action="append",
        default=[],
        metavar="NAME[=DOMAIN,...]",
        help="a tracked competitor with its websites, e.g. HubSpot=hubspot.com (repeatable)",
    )
    extract.add_argument("--raw-response", type=Path, help="the provider's JSON response, for its citations")
    command(
        "eval",
        "score extraction on every labelled set under include/ai_visibility/evaluation/ (tuned, held-out, "
        "training): per-metric accuracy per set, then each set's rows with a miss",
    )
    step = command("step", "run one micro-step for one cell (what an ECS task runs)")
    step.add_argument("name", metavar="STEP", help=f"the step, in the order a cell runs them: {', '.join(STEP_NAMES)}")
    step.add_argument("--cell", required=True, help="the cell's key, as build_queue listed it (cell_key)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except FAIL_FAST as exc:
        print(f"error: {exc}", file=sys.stderr)
        return PERMANENT_EXIT_CODE
    except BrokenPipeError:
        # The reader went away (`ai-visibility history ... | head`): stop quietly, as other commands do.
        # Python would otherwise print a traceback, and another when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "extract":
        return _extract(args)
    if args.command == "eval":
        from ai_visibility.evaluation.scoring import evaluate_sets, report

        print(report(evaluate_sets()))
        return 0
    if args.command in ("org-apply", "demo-seed"):
        from ai_visibility.demo import DEMO_ORG_FILE
        from ai_visibility.org_spec import read_org_file

        # The file first, with all its errors: a database to fix is no news to one who has a file to fix too.
        spec = read_org_file(args.file if args.command == "org-apply" else DEMO_ORG_FILE)
    from ai_visibility.db.urls import database_url_from_env

    settings = Settings.from_env()
    url = args.db_url or database_url_from_env(settings.db_conn_id)
    if args.command == "db-upgrade":
        from ai_visibility.db.migrate import upgrade

        upgrade(url)
        return 0
    db = _migrated(url) if args.command != "step" else Database(url)
    if args.command in ("org-apply", "demo-seed"):
        from ai_visibility.org_store import save_org

        save_org(db, spec)
        print(
            f"stored org {spec.id!r}: {len(spec.questions)} questions × {len(spec.models)} models × "
            f"{len(spec.locations)} locations = {len(spec.questions) * len(spec.models) * len(spec.locations)} cells"
        )
        return 0
    if args.command in ("summary", "queue"):
        _require_org(db, args.org_id)
    if args.command == "summary":
        return _summary(db, args.org_id)
    if args.command == "queue":
        return _queue_status(db, args.org_id)
    if args.command == "history":
        from ai_visibility.history_table import history_table

        print(history_table(db, args.org_id, args.since, args.by))
        return 0
    if args.command == "step":
        from ai_visibility.ai.endpoint import endpoint_from_env
        from ai_visibility.steps.context import StepContext
        from ai_visibility.steps.registry import run_step

        context = StepContext(
            endpoint_from_env, settings.ai_deadline_s, settings.extraction, settings.breaker, settings.step_timeout_s
        )
        print(json.dumps(run_step(args.name, db, args.cell, context)))
        return 0
    raise AssertionError(args.command)


def _require_org(db: Database, org_id: str) -> None:
    from ai_visibility.org_store import require_org

    with db.transaction() as s:
        require_org(s, org_id)


def _migrated(url: str) -> Database:
    """The app database, refused with the fix when it is missing or not migrated: a mistyped SQLite path
    would otherwise be created empty and fail on its first query with a traceback. (`step` skips the
    check: it runs once per cell, after `load_org` checked the schema for the run.)"""
    path = make_url(url).database if url.startswith("sqlite") else None
    if path and path != ":memory:" and not Path(path).is_file():
        raise InputError(
            f"the app database {path} does not exist: check the path, or create it with `ai-visibility db-upgrade`"
        )
    from sqlalchemy.exc import OperationalError

    from ai_visibility.db.migrate import SchemaOutOfDate, require_current_schema

    db = Database(url, wait_for_server=False)  # someone is waiting at the prompt: say so at once
    try:
        require_current_schema(db)
    except SchemaOutOfDate as exc:
        raise InputError(str(exc)) from None
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        where = db.engine.url.render_as_string(hide_password=True)
        raise InputError(f"cannot reach the app database at {where}: {reason}") from None
    return db


def _extract(args: argparse.Namespace) -> int:
    from ai_visibility.extraction.answer import extract_answer
    from ai_visibility.extraction.brands import adhoc_org

    if not args.org_name.strip():
        raise InputError("--org-name is blank: give the org's name as the answers write it")
    answer = sys.stdin.read() if args.file == "-" else _read_text(Path(args.file), "FILE")
    competitors = []
    for given in args.competitor:
        name, _, sites = given.partition("=")
        if not name.strip():
            raise InputError(f"--competitor {given!r} has no name: write NAME or NAME=DOMAIN, e.g. HubSpot=hubspot.com")
        urls = [_site(f"--competitor {given!r}", s, COMPETITOR_SITES) for s in sites.split(",") if s.strip()]
        competitors.append((name.strip(), urls))
    websites = [_site(f"--website {given!r}", given) for given in args.website]
    org = adhoc_org(args.org_name, args.alias, websites, competitors)
    raw = _read_json(args.raw_response) if args.raw_response else None
    print(json.dumps(extract_answer(answer, org, raw), indent=2))
    return 0


COMPETITOR_SITES = "; several for one competitor are comma-separated, NAME=DOMAIN,DOMAIN"


def _site(flag: str, given: str, hint: str = "") -> str:
    from ai_visibility.websites import website_url

    try:
        return website_url(given)
    except InputError as exc:
        raise InputError(f"{flag}: {exc}{hint}") from None


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{what} {path}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} {path}: not valid UTF-8 (byte {exc.start}); save it as UTF-8") from None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(_read_text(path, "--raw-response"))
    except json.JSONDecodeError as exc:
        data = exc
    if not isinstance(data, dict):
        raise InputError(f"--raw-response {path}: not a JSON object; give the provider's response body as saved")
    return data


def _queue_status(db: Database, org_id: str) -> int:
    from ai_visibility.db.models import ProcessingQueue, QueueCell
    from ai_visibility.queue import progress_in

    with db.transaction() as s:
        queue = s.scalars(
            select(ProcessingQueue).where(ProcessingQueue.org_id == org_id).order_by(ProcessingQueue.created_at.desc())
        ).first()
        if queue is None:
            raise InputError(f"org {org_id!r} has no processing queue yet: run process_org for it first")
        print(f"queue {queue.id} · run {queue.dag_run_id} · {queue.status}: {progress_in(s, queue.id)}")
        for cell in s.scalars(
            select(QueueCell)
            .where(QueueCell.queue_id == queue.id, QueueCell.status != "completed")
            .order_by(QueueCell.position)
        ):
            print(f"  {cell.status:9} {cell.label} [{cell.failed_step or '-'}] {cell.error or ''}")
    return 0


def _summary(db: Database, org_id: str) -> int:
    from ai_visibility.db.models import AnalyticsReport, ProcessingQueue, Push
    from ai_visibility.summary import render_summary

    with db.transaction() as s:
        row = s.execute(
            select(AnalyticsReport.document, ProcessingQueue.id)
            .join(ProcessingQueue)
            .where(ProcessingQueue.org_id == org_id)
            .order_by(ProcessingQueue.created_at.desc())
            .limit(1)
        ).first()
        if row is None:
            raise InputError(f"org {org_id!r} has no analytics yet: run process_org for it first")
        pushed = s.scalars(select(Push.location).where(Push.queue_id == row.id, Push.status == "pushed")).all()
    print(render_summary(row.document, [p for p in pushed if p]))
    # A folder push leaves the visual report beside the document: the path to open in a browser.
    for location in pushed:
        report = Path(location or "").with_name("report.html")
        if location and report.is_file():
            print(f"Report: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
