"""`ai-visibility history`: an org's time series as a text table, one line per queue (and segment)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from ai_visibility.db import Database
from ai_visibility.db.engine import as_utc
from ai_visibility.errors import InputError
from ai_visibility.history import series

# What `--by` accepts, and the stored dimension each reads.
BY = {
    "model": "model",
    "location": "location",
    "question": "question",
    "tag": "tag",
    "branded": "branded",
    "competitor": "competitor",
}
SHORT_ID = 10  # "q_" and 8 hex digits: unique enough to tell an org's queues apart


def parse_since(value: str | None) -> datetime | None:
    """`--since` as the start of that day in UTC."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--since: {value!r} is not a date; write it as YYYY-MM-DD, e.g. --since 2026-11-01") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def history_table(db: Database, org_id: str, since: str | None = None, by: str | None = None) -> str:
    """The org's finished queues since `since` (oldest first), overall or one line per `by` value."""
    if by is not None and by not in BY:
        raise InputError(f"--by: {by!r} is not a dimension; use one of {', '.join(BY)}")
    start = parse_since(since)
    # Imported here: the CLI imports this module for BY at startup, and the org store brings pydantic.
    from ai_visibility.org_store import require_org

    with db.transaction() as s:
        require_org(s, org_id)
        points = [p.as_dict() | {"value": p.value} for p in series(s, org_id, BY[by] if by else "overall", start)]
    if not points:
        when = f" since {since}" if since else ""
        raise InputError(
            f"org {org_id!r} has no history{when}: history is written when analytics are generated for a "
            "finished queue; run process_org for it (or widen --since)"
        )
    return _render(points, by, org_id)


def _render(points: Sequence[dict[str, Any]], by: str | None, org_id: str) -> str:
    header = ["created (UTC)", "queue", "extraction", *([by] if by else []), "n", "visibility [95% CI]"]
    header += ["share of voice", "mention share", "rank", "top-1", "net sentiment"]
    rows = [header]
    for p in points:
        ci = p["visibility"]["ci95"]
        rows.append(
            [
                as_utc(datetime.fromisoformat(p["created_at"])).strftime("%Y-%m-%d %H:%M"),
                p["queue_id"][:SHORT_ID],
                p["extraction_version"] or "-",
                *([p["value"]] if by else []),
                str(p["n"]),
                f"{_percent(p['visibility']['rate'])} [{_percent(ci[0])}–{_percent(ci[1])}]" if ci else "-",
                _number(p["share_of_voice"]["mean"], "{:.1f}%"),
                _percent(p["mention_share"]),
                _number(p["rank"]["mean"], "{:.2f}"),
                _percent(p["rank"]["top1_share"]),
                _number(p["sentiment"]["net"], "{:+.2f}"),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    queues = len({p["queue_id"] for p in points})
    title = f"{org_id}: {queues} queue{'s' * (queues != 1)}, {'by ' + by if by else 'overall'}"
    return "\n".join([title, *lines])


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _number(value: float | None, form: str) -> str:
    return "-" if value is None else form.format(value)
