"""The metric history: rows written with each queue's analytics, read back with SQL, the document's
`history` block and the `ai-visibility history` command, on the hand-worked queues of
`test_analytics_numbers` (its module docstring has the table of runs).

q_before (completed) has 4 successful runs: gpt-4o/us/best (Acme rank 2, 200 of 1600 chars, neutral),
gpt-4o/us/cheap (Acme absent), sonar/us/best (rank 1, 300 of 1000, positive), gemini/us/best (rank 1,
600 of 1200, positive). Share of voice 12.5 + 0 + 30 + 50 = 92.5.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ai_visibility.analytics import generate_analytics
from ai_visibility.cli import main
from ai_visibility.db import Database
from ai_visibility.db.models import MetricHistory, Question
from ai_visibility.errors import InputError
from ai_visibility.history_table import history_table
from tests.analytics_rows import CI_3_4, CI_5_7, store_rows
from tests.helpers import stored_document


@pytest.fixture
def db(db_url: str) -> Database:
    database = Database(db_url)
    store_rows(database)
    with database.transaction() as s:
        s.add(Question(org_id="acme", key="best", text="best?", tags=["checking"], branded=False))
        s.add(Question(org_id="acme", key="cheap", text="cheap?", tags=["fees", "checking"], branded=True))
    generate_analytics(database, "q_before")
    generate_analytics(database, "q_now")
    return database


def rows(db: Database, queue: str, dimension: str, value: str) -> dict[str, tuple[float, int]]:
    with db.transaction() as s:
        found = s.scalars(
            select(MetricHistory).where(
                MetricHistory.queue_id == queue, MetricHistory.dimension == dimension, MetricHistory.value == value
            )
        )
        return {r.metric: (r.numerator, r.denominator) for r in found}


def test_each_queue_stores_the_counts_and_sums_behind_its_figures(db: Database) -> None:
    overall = rows(db, "q_now", "overall", "all")
    # mentioned r1 r2 r4 r5 r7 of 7; sov 25+10+20+5+40 = 100; ranks 1+2+1+3+1 = 8, three of them 1;
    # labels +, neutral, -, +, +; Acme's 11 of the tracked brands' 25 occurrences
    assert {m: overall[m] for m in ("visibility", "share_of_voice", "rank", "top1", "mention_share")} == {
        "visibility": (5, 7),
        "share_of_voice": (100.0, 7),
        "rank": (8, 5),
        "top1": (3, 5),
        "mention_share": (11, 25),
    }
    assert [overall[f"sentiment_{label}"] for label in ("positive", "neutral", "negative")] == [(3, 5), (1, 5), (1, 5)]
    # 14 citations: 4 owned, 4 competitor, 6 third party of which 5 review sites and 1 forum
    assert [overall[m] for m in ("citations_owned", "citations_third_party", "citations_kind_review")] == [
        (4, 14),
        (6, 14),
        (5, 14),
    ]
    # Northwind: r1 r2 r3 r5 r7; sov 15+25+25+10+10 = 85; ranks 2+1+1+1+2 = 7; 9 of 25 occurrences
    northwind = rows(db, "q_now", "competitor", "northwind")
    assert {m: northwind[m] for m in ("visibility", "share_of_voice", "rank", "mention_share")} == {
        "visibility": (5, 7),
        "share_of_voice": (85.0, 7),
        "rank": (7, 5),
        "mention_share": (9, 25),
    }
    assert rows(db, "q_now", "model", "gpt-4o")["visibility"] == (3, 4)  # r1 r2 r4 of r1-r4
    assert rows(db, "q_now", "model", "gpt-4o")["citations_kind_review"] == (4, 9)
    assert rows(db, "q_now", "location", "uk")["visibility"] == (2, 3)  # r4 r7 of r3 r4 r7
    assert rows(db, "q_now", "tag", "fees")["visibility"] == (2, 3)  # cheap: r2 r4 of r2 r4 r6
    assert rows(db, "q_now", "branded", "non_branded")["visibility"] == (3, 4)  # best: r1 r5 r7 of 4
    assert rows(db, "q_before", "overall", "all")["visibility"] == (3, 4)
    assert rows(db, "q_before", "overall", "all")["share_of_voice"] == (92.5, 4)


def test_regenerating_a_queue_rewrites_its_rows_and_sql_rolls_them_up_exactly(db: Database) -> None:
    def count() -> int:
        with db.transaction() as s:
            return s.scalar(select(func.count()).select_from(MetricHistory)) or 0

    before = count()
    generate_analytics(db, "q_now")
    assert count() == before
    with db.transaction() as s:
        # Visibility over both queues from the rows alone: (5 + 3) / (7 + 4).
        mentioned, n = s.execute(
            select(func.sum(MetricHistory.numerator), func.sum(MetricHistory.denominator)).where(
                MetricHistory.org_id == "acme",
                MetricHistory.dimension == "overall",
                MetricHistory.metric == "visibility",
            )
        ).one()
        versions = set(s.scalars(select(MetricHistory.extraction_version)))
    assert (mentioned, n) == (8, 11)
    assert versions == {"unversioned"}


def test_the_document_carries_the_last_finished_queues_oldest_first(db: Database) -> None:
    # q_failed failed and q_later is newer: neither is in q_now's history.
    assert stored_document(db, "q_now")["history"] == {
        "queues": [
            {
                "queue_id": "q_before",
                "created_at": "2026-11-23T06:00:00+00:00",
                "extraction_version": "unversioned",
                "n": 4,
                "visibility": {"mentioned": 3, "rate": 0.75, "ci95": CI_3_4},
                "share_of_voice": {"sum": 92.5, "mean": 23.125},
                # ranks 2 1 1; two of three first
                "rank": {"mean": 1.33, "n": 3, "top1_share": 0.6667},
                "sentiment": {"positive": 2, "neutral": 1, "negative": 0, "n": 3, "net": 0.6667},
                # Acme 2+3+1 of 2+3+1 (Acme) + 1+2 (Northwind) occurrences
                "mention_share": 0.6667,
            },
            {
                "queue_id": "q_now",
                "created_at": "2026-11-30T06:00:00+00:00",
                "extraction_version": "unversioned",
                "n": 7,
                "visibility": {"mentioned": 5, "rate": 0.7143, "ci95": CI_5_7},
                "share_of_voice": {"sum": 100.0, "mean": 14.2857},
                "rank": {"mean": 1.6, "n": 5, "top1_share": 0.6},
                "sentiment": {"positive": 3, "neutral": 1, "negative": 1, "n": 5, "net": 0.4},
                "mention_share": 0.44,
            },
        ]
    }
    assert [q["queue_id"] for q in stored_document(db, "q_before")["history"]["queues"]] == ["q_before"]


def test_segments_by_tag_branded_and_model_location(db: Database) -> None:
    doc = stored_document(db, "q_now")
    assert doc["by_tag"]["checking"] == doc["overall"]  # both questions carry the tag
    assert doc["by_tag"]["fees"]["visibility"]["mentioned"] == 2 and doc["by_tag"]["fees"]["n"] == 3
    assert {k: (v["visibility"]["mentioned"], v["n"]) for k, v in doc["by_branded"].items()} == {
        "branded": (2, 3),
        "non_branded": (3, 4),
    }
    assert {m: {loc: b["n"] for loc, b in locs.items()} for m, locs in doc["by_model_location"].items()} == {
        "gpt-4o": {"uk": 2, "us": 2},
        "sonar": {"uk": 1, "us": 2},  # sonar/uk/cheap failed
    }
    # sonar/uk: r7 alone, Acme at 1000 of 2500 characters
    assert doc["by_model_location"]["sonar"]["uk"]["share_of_voice"] == {"sum": 40.0, "n": 1, "mean": 40.0}
    # In the UK (r3 r4 r7) Northwind is named in r3 (400 of 1600) and r7 (250 of 2500): 35 / 3
    uk = {row["brand"]: row for row in doc["competitors_by_location"]["uk"]}
    assert uk["northwind"]["visibility"]["mentioned"] == 2
    assert uk["northwind"]["share_of_voice"] == {"sum": 35.0, "n": 3, "mean": 11.6667}
    assert uk["northwind"]["sentiment"] == {"positive": 0, "neutral": 2, "negative": 0, "n": 2, "net": 0.0}
    sonar = {row["brand"]: row["visibility"]["mentioned"] for row in doc["competitors_by_model"]["sonar"]}
    assert sonar == {"acme": 2, "northwind": 2, "contoso": 2}  # r5 r6 r7


def test_the_history_command_prints_one_line_per_queue(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url = db.url
    assert main(["--db-url", url, "history", "acme"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "acme: 2 queues, overall"
    assert lines[1].split()[:4] == ["created", "(UTC)", "queue", "extraction"]
    assert lines[2].split() == [
        "2026-11-23", "06:00", "q_before", "unversioned", "4", "75.0%", "[30.1%–95.4%]", "23.1%", "66.7%", "1.33",
        "66.7%", "+0.67",
    ]  # fmt: skip
    assert lines[3].split()[:7] == ["2026-11-30", "06:00", "q_now", "unversioned", "7", "71.4%", "[35.9%–91.8%]"]
    assert main(["--db-url", url, "history", "acme", "--since", "2026-11-30", "--by", "competitor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "acme: 1 queue, by competitor"
    # Contoso then Northwind: 4 and 5 of 7 runs, 5 and 9 of 25 occurrences
    assert [line.split()[4:8] for line in lines[2:]] == [
        ["contoso", "7", "57.1%", "[25.1%–84.2%]"],
        ["northwind", "7", "71.4%", "[35.9%–91.8%]"],
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "30/11/2026"], "--since: '30/11/2026' is not a date; write it as YYYY-MM-DD"),
        (["--by", "engine"], "--by: 'engine' is not a dimension; use one of model, location, question, tag"),
        (["--since", "2027-01-01"], "org 'acme' has no history since 2027-01-01"),
    ],
)
def test_the_history_command_names_the_flag_and_the_fix(
    db: Database, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["--db-url", db.url, "history", "acme", *args]) == 2
    assert message in capsys.readouterr().err


def test_history_of_an_org_that_does_not_exist_says_so_not_that_it_has_not_run(db: Database) -> None:
    # The function itself, as the results plugin or a notebook would call it, not only the command.
    with pytest.raises(InputError) as refused:
        history_table(db, "acmee")
    assert str(refused.value) == (
        "org 'acmee' does not exist (the stored orgs are acme): check the id, or store the org with "
        "`ai-visibility org-apply FILE`"
    )


def test_an_unknown_org_among_many_names_the_first_ten_and_how_many_more(sqlite_url: str) -> None:
    # An agency's database holds hundreds of orgs: the message names some, not a page of ids.
    from datetime import UTC, datetime

    from ai_visibility.db.models import Org

    db = Database(sqlite_url)
    with db.transaction() as s:
        now = datetime.now(UTC)
        s.add_all(Org(id=f"client-{n:03d}", name=f"Client {n}", websites=[], created_at=now) for n in range(250))
    with pytest.raises(InputError) as refused:
        history_table(db, "client-9999")
    first_ten = ", ".join(f"client-{n:03d}" for n in range(10))
    assert f"(the stored orgs are {first_ten} and 240 more)" in str(refused.value)


def test_the_summary_shows_the_trend_against_noise_and_the_history(db: Database) -> None:
    from ai_visibility.summary import render_summary

    lines = render_summary(stored_document(db, "q_now"), []).splitlines()
    trend = (
        "Trend over 3 matched cells: visibility +33.3 points (within noise) · share of voice -0.8 points "
        "(within noise) · top-1 share -16.7 points (within noise)"
    )
    start = lines.index(trend)
    assert lines[start + 1 : start + 5] == [
        "",
        "History (last 2 queues, visibility, share of voice):",
        "  2026-11-23 06:00   75.0%   23.1%",
        "  2026-11-30 06:00   71.4%   14.3%",
    ]
