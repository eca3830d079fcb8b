"""Typed ORM models of the app database (`docs/definitions.md` says what each field means)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[dict[str, Any]]: JSON,
        datetime: DateTime(timezone=True),
        str: String(255),
    }


class Org(Base):
    __tablename__ = "orgs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str]
    websites: Mapped[list[str]]
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    cadence: Mapped[str | None] = mapped_column(String(8))  # daily | weekly | None (manual only)
    cadence_weekday: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday, for weekly
    # The org spec's `alerts` block (thresholds of change alerts); None means the defaults.
    alert_thresholds: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    samples: Mapped[int] = mapped_column(Integer, server_default=text("1"))  # answers asked per cell and run
    cells_per_task: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime]


class Competitor(Base):
    __tablename__ = "competitors"

    org_id: Mapped[str] = mapped_column(ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str]
    websites: Mapped[list[str]]


class Alias(Base):
    """A spelling a brand is known by (manual or generated) or a negative term that never counts.

    `brand` is the org id for the org itself, else the competitor key.
    """

    __tablename__ = "aliases"

    org_id: Mapped[str] = mapped_column(ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True)
    brand: Mapped[str] = mapped_column(String(64), primary_key=True)
    alias: Mapped[str] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # manual | generated | negative


class AIModel(Base):
    __tablename__ = "ai_models"

    org_id: Mapped[str] = mapped_column(ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str]
    provider: Mapped[str] = mapped_column(String(32))
    api_model: Mapped[str]
    conn_id: Mapped[str]
    api_style: Mapped[str] = mapped_column(String(24), default="chat_completions")  # chat_completions | responses
    web_search: Mapped[bool] = mapped_column(Boolean)
    location_method: Mapped[str] = mapped_column(String(16))  # native | prompt
    temperature: Mapped[float | None] = mapped_column(Float)
    max_output_tokens: Mapped[int | None] = mapped_column(Integer)
    expected_output_tokens: Mapped[int] = mapped_column(Integer, default=800)
    # Prices override the built-in price table; None means "use the table".
    input_usd_per_mtok: Mapped[float | None] = mapped_column(Float)
    output_usd_per_mtok: Mapped[float | None] = mapped_column(Float)
    search_usd_per_call: Mapped[float | None] = mapped_column(Float)


class Location(Base):
    __tablename__ = "locations"

    org_id: Mapped[str] = mapped_column(ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None]
    city: Mapped[str | None]
    language: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))


class Question(Base):
    __tablename__ = "questions"

    org_id: Mapped[str] = mapped_column(ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]]
    branded: Mapped[bool] = mapped_column(Boolean)


class ProcessingQueue(Base):
    """One `process_org` DAG run for one org. Cell counts are derived from `queue_cells`."""

    __tablename__ = "processing_queues"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("orgs.id", ondelete="CASCADE"), index=True)
    dag_run_id: Mapped[str]
    status: Mapped[str] = mapped_column(String(16))  # running | completed | partial | failed
    selection: Mapped[dict[str, Any]]
    estimated_cost_usd: Mapped[float | None] = mapped_column(Float)
    budget_usd: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class QueueCell(Base):
    """One question × model × location × sample cell of a queue; `key` is deterministic."""

    __tablename__ = "queue_cells"
    __table_args__ = (Index("ix_queue_cells_queue_status", "queue_id", "status"),)

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    queue_id: Mapped[str] = mapped_column(ForeignKey("processing_queues.id", ondelete="CASCADE"))
    org_id: Mapped[str] = mapped_column(String(64))
    question_key: Mapped[str] = mapped_column(String(64))
    model_key: Mapped[str] = mapped_column(String(64))
    location_key: Mapped[str] = mapped_column(String(64))
    sample: Mapped[int] = mapped_column(Integer, server_default=text("1"))  # 1..the queue's samples per cell
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str]
    status: Mapped[str] = mapped_column(String(16))  # pending | running | completed | failed
    failed_step: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class AIResponse(Base):
    """The provider's raw answer for a cell, as returned (the AI call's handoff to the run record)."""

    __tablename__ = "ai_responses"

    cell_key: Mapped[str] = mapped_column(ForeignKey("queue_cells.key", ondelete="CASCADE"), primary_key=True)
    request: Mapped[dict[str, Any]]
    raw_response: Mapped[dict[str, Any]]
    latency_ms: Mapped[int] = mapped_column(Integer)
    requested_location: Mapped[dict[str, Any]]
    applied_location: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    location_method: Mapped[str] = mapped_column(String(16))
    called_at: Mapped[datetime]
    # What was repaired in the response on arrival (text that was not valid UTF-8); None: nothing.
    repairs: Mapped[str | None] = mapped_column(Text)
    # The question as it was asked in this call: the org's file may be edited later, and the run
    # record must name the wording the answer was given to, even when recorded after such an edit.
    question_text: Mapped[str | None] = mapped_column(Text)


class UsageEntry(Base):
    """One AI call that was or may have been billed: every attempt of every call is recorded once;
    totals derive from here.

    A call's row is written before the call (`in_flight`) and updated when it returns
    (`billed`, with its tokens and cost). A call that never reported back (its task killed or stopped
    at its limit, or the provider not answering within the deadline) is `interrupted`: possibly
    billed, its cost unknown (0 here). A call answered with HTTP 200 and a body that is not a
    response (not JSON: a cut-off body, a gateway's HTML page) is `unreadable`: possibly billed too,
    its cost unknown. A call the provider answered with an error is not billed and leaves no row.
    """

    __tablename__ = "usage_ledger"
    __table_args__ = (Index("ix_usage_ledger_queue", "queue_id"),)

    cell_key: Mapped[str] = mapped_column(ForeignKey("queue_cells.key", ondelete="CASCADE"), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16), primary_key=True)  # answer | mentions[-retry] | claims[-retry]
    attempt: Mapped[int] = mapped_column(Integer, primary_key=True)  # the cell's attempt (AI calls made for it)
    # The n-th call of this purpose in this attempt: a step run again in the same attempt (a cleared
    # or retried extraction task) pays for its calls again, so they are new rows.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    queue_id: Mapped[str] = mapped_column(String(40))
    model_key: Mapped[str] = mapped_column(String(64))
    api_model: Mapped[str]
    served_model: Mapped[str | None]
    input_tokens: Mapped[int] = mapped_column(Integer)
    output_tokens: Mapped[int] = mapped_column(Integer)
    search_calls: Mapped[int] = mapped_column(Integer)
    cost_usd: Mapped[float] = mapped_column(Float)
    price_source: Mapped[str]  # "model" (the org's override) or "table:<version>"
    recorded_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="billed", server_default="billed")


class QuestionRun(Base):
    """One answer for one cell; `id` is the cell key, so a rerun rewrites the same row.

    At most one run of a cell identity (org, question, model, location, sample) is the latest.
    """

    __tablename__ = "question_runs"
    __table_args__ = (
        Index(
            "ix_question_runs_cell_latest", "org_id", "question_key", "model_key", "location_key", "sample", "is_latest"
        ),
        Index(
            "uq_question_runs_one_latest",
            "org_id",
            "question_key",
            "model_key",
            "location_key",
            "sample",
            unique=True,
            postgresql_where=text("is_latest"),
            sqlite_where=text("is_latest"),
        ),
    )

    id: Mapped[str] = mapped_column(ForeignKey("queue_cells.key", ondelete="CASCADE"), primary_key=True)
    queue_id: Mapped[str] = mapped_column(ForeignKey("processing_queues.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[str] = mapped_column(String(64))
    question_key: Mapped[str] = mapped_column(String(64))
    model_key: Mapped[str] = mapped_column(String(64))
    location_key: Mapped[str] = mapped_column(String(64))
    sample: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    answer_text: Mapped[str] = mapped_column(Text)
    served_model: Mapped[str | None]
    synthetic: Mapped[bool] = mapped_column(Boolean)
    latency_ms: Mapped[int] = mapped_column(Integer)
    input_tokens: Mapped[int] = mapped_column(Integer)
    output_tokens: Mapped[int] = mapped_column(Integer)
    cost_usd: Mapped[float] = mapped_column(Float)
    requested_location: Mapped[dict[str, Any]]
    applied_location: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    location_method: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # answered | failed
    error: Mapped[str | None] = mapped_column(Text)
    # What was repaired in the answer on arrival, e.g. "2 characters that were not valid UTF-8 ... replaced
    # with U+FFFD"; None when the answer arrived intact.
    repairs: Mapped[str | None] = mapped_column(Text)
    # The question's text as the AI call asked it (copied from the cell's AI response), so analytics
    # show the wording each answer was given to, not the org file's wording of the day. Runs stored
    # before revision 0017 carry the text their question had when that migration ran; None only for
    # a run recorded by a worker older than that revision.
    question_text: Mapped[str | None] = mapped_column(Text)
    is_latest: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


class Mention(Base):
    __tablename__ = "mentions"

    cell_key: Mapped[str] = mapped_column(ForeignKey("question_runs.id", ondelete="CASCADE"), primary_key=True)
    brand: Mapped[str] = mapped_column(String(96), primary_key=True)
    brand_name: Mapped[str]
    brand_kind: Mapped[str] = mapped_column(String(16))  # target | competitor | discovered
    mentioned: Mapped[bool] = mapped_column(Boolean)
    occurrences: Mapped[int] = mapped_column(Integer)
    first_offset: Mapped[int | None] = mapped_column(Integer)
    rank: Mapped[int | None] = mapped_column(Integer)
    mention_text: Mapped[str] = mapped_column(Text)
    mention_chars: Mapped[int] = mapped_column(Integer)
    sentiment_label: Mapped[str | None] = mapped_column(String(16))
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    role: Mapped[str] = mapped_column(String(16))
    extracted_by: Mapped[str | None] = mapped_column(Text)  # rules | llm:<model> | rules (llm fallback: why)


class Claim(Base):
    __tablename__ = "claims"

    cell_key: Mapped[str] = mapped_column(ForeignKey("question_runs.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    names_target: Mapped[bool] = mapped_column(Boolean)
    sentiment_label: Mapped[str] = mapped_column(String(16))
    sentiment_score: Mapped[float] = mapped_column(Float)
    citation_urls: Mapped[list[str]]
    extracted_by: Mapped[str | None] = mapped_column(Text)


class Citation(Base):
    __tablename__ = "citations"

    cell_key: Mapped[str] = mapped_column(ForeignKey("question_runs.id", ondelete="CASCADE"), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    domain: Mapped[str]
    rank: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16))  # annotation | inline | search_source
    classification: Mapped[str] = mapped_column(String(16))  # owned | competitor | third_party
    competitor_key: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)


class RunMetrics(Base):
    """Competitive metrics of one run, with the counts they are computed from."""

    __tablename__ = "run_metrics"

    cell_key: Mapped[str] = mapped_column(ForeignKey("question_runs.id", ondelete="CASCADE"), primary_key=True)
    target_mentioned: Mapped[bool] = mapped_column(Boolean)
    target_rank: Mapped[int | None] = mapped_column(Integer)
    share_of_voice: Mapped[float] = mapped_column(Float)
    mention_share: Mapped[float | None] = mapped_column(Float)
    target_sentiment: Mapped[float | None] = mapped_column(Float)
    owned_citation_share: Mapped[float | None] = mapped_column(Float)
    target_mention_chars: Mapped[int] = mapped_column(Integer)
    answer_chars: Mapped[int] = mapped_column(Integer)
    target_occurrences: Mapped[int] = mapped_column(Integer)
    tracked_occurrences: Mapped[int] = mapped_column(Integer)
    owned_citations: Mapped[int] = mapped_column(Integer)
    total_citations: Mapped[int] = mapped_column(Integer)
    # Which extraction rules produced this run's rows; None for runs extracted before versioning.
    extraction_version: Mapped[str | None] = mapped_column(String(32))


class AnalyticsReport(Base):
    __tablename__ = "analytics_reports"

    queue_id: Mapped[str] = mapped_column(ForeignKey("processing_queues.id", ondelete="CASCADE"), primary_key=True)
    schema_version: Mapped[str] = mapped_column(String(16))
    document: Mapped[dict[str, Any]]
    generated_at: Mapped[datetime]


class MetricHistory(Base):
    """One component of one metric of a queue's analytics (a count or a sum and its denominator), for
    one segment: `dimension` overall | model | location | question | tag | branded | competitor and
    its `value` (`all` for overall). Rows are derived from the queue's analytics document."""

    __tablename__ = "metric_history"
    __table_args__ = (Index("ix_metric_history_org_time", "org_id", "dimension", "queue_created_at"),)

    queue_id: Mapped[str] = mapped_column(ForeignKey("processing_queues.id", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(255), primary_key=True)
    metric: Mapped[str] = mapped_column(String(48), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64))
    queue_created_at: Mapped[datetime]
    # The queue's extraction versions, comma-separated; None when it had no successful run.
    extraction_version: Mapped[str | None]
    numerator: Mapped[float] = mapped_column(Float)
    denominator: Mapped[int] = mapped_column(Integer)


class Push(Base):
    """The latest attempt to push a queue's document to one destination (a webhook by its connection id)."""

    __tablename__ = "pushes"
    __table_args__ = (ForeignKeyConstraint(["queue_id"], ["processing_queues.id"], ondelete="CASCADE"),)

    queue_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    destination: Mapped[str] = mapped_column(String(1024), primary_key=True)
    idempotency_key: Mapped[str]
    status: Mapped[str] = mapped_column(String(16))  # pushed | failed
    location: Mapped[str | None] = mapped_column(String(2048))  # a webhook's scheme and host only
    http_status: Mapped[int | None] = mapped_column(Integer)  # webhooks: the receiver's answer
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    pushed_at: Mapped[datetime]


class ProviderBreaker(Base):
    """A provider's circuit breaker within one queue: consecutive failed calls of one kind, and when it
    opened (its remaining calls fail fast) and when a trial call after the cool-down started."""

    __tablename__ = "provider_breakers"

    queue_id: Mapped[str] = mapped_column(ForeignKey("processing_queues.id", ondelete="CASCADE"), primary_key=True)
    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    failure_kind: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime | None]
    trial_started_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class AlertDelivery(Base):
    """A change alert the alert webhook accepted: one row per queue, kind and subject, so a retried or
    cleared alerts task does not send it again (one that failed has no row and is sent next time)."""

    __tablename__ = "alert_deliveries"

    queue_id: Mapped[str] = mapped_column(ForeignKey("processing_queues.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject: Mapped[str] = mapped_column(String(255), primary_key=True)
    idempotency_key: Mapped[str]  # the header of the message that delivered it
    delivered_at: Mapped[datetime]


class FailureAlertDelivery(Base):
    """A failure alert the alert webhook accepted, one row per failure: the task instance whose failed
    try failed the run (its map index and try number), so a failure callback run again for the same
    failure does not post it again, while a later try that fails again is a new failure, alerted.
    `task_id` is empty when the run failed without a failed task (it timed out)."""

    __tablename__ = "failure_alert_deliveries"

    dag_id: Mapped[str] = mapped_column(String(250), primary_key=True)
    dag_run_id: Mapped[str] = mapped_column(String(250), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(250), primary_key=True)
    map_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    try_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str]  # the header of the message that delivered it
    delivered_at: Mapped[datetime]
