"""The report page of one analytics document: headline figures with their intervals and trend, the
charts, the gaps and the failed cells, in one HTML file with nothing to fetch and no script.

Every text taken from the document (org, brand and domain names, questions, failure reasons) is
escaped here; chart labels are escaped by the SVG writer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from ai_visibility.report.charts import draw_charts
from ai_visibility.report.figures import chart_figures

NOT_AVAILABLE = "not available for this document"


def render_report(document: dict[str, Any], pushed_to: Sequence[str] | None = None, refresh: bool = False) -> str:
    """`pushed_to` lists where the document went (the Airflow page shows it; a pushed file cannot know
    its own push); `refresh` reloads the page every 5 s while its run still goes."""
    svgs = draw_charts(chart_figures(document))
    org, queue = document["org"], document["queue"]
    title = f"AI visibility · {org['name']} · queue {queue['id']}"
    sections = [
        _headline(document),
        _chart(
            "over-time",
            "Visibility over time",
            svgs["over_time"],
            "The org's visibility per queue, oldest first, with its 95% interval; this queue is the last point.",
        ),
        _chart(
            "heatmap",
            "Visibility by model and location",
            svgs["heatmap"],
            "Share of the answers of each engine in each location that name the org.",
        ),
        _chart(
            "share-of-voice",
            "Share of voice against competitors",
            svgs["share_of_voice"],
            "Mean share of each answer's text about each brand (a run that does not name it counts as 0).",
        ),
        _chart(
            "sources",
            "Sources by kind",
            svgs["sources"],
            _sources_caption(document["citations"]),
        ),
        _gaps(document),
        _failed_cells(document["coverage"]),
    ]
    if pushed_to is not None:
        items = "".join(f"<li>{escape(p)}</li>" for p in pushed_to) or "<li>no destination configured</li>"
        sections.append(f'<section id="pushed"><h2>Pushed to</h2><ul>{items}</ul></section>')
    synthetic = (
        '<p class="synthetic">SYNTHETIC answers from the local simulator: no real AI engine was called.</p>'
        if document.get("synthetic")
        else ""
    )
    versions = ", ".join(document.get("extraction_versions", []))
    reload = '<meta http-equiv="refresh" content="5">' if refresh else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">{reload}
<title>{escape(title)}</title><style>{STYLE}</style></head><body>
<header><h1>{escape(org["name"])}</h1>
<p>Queue {escape(queue["id"])} · run {escape(queue["dag_run_id"])} · {escape(queue["status"])} ·
started {escape(_when(queue["created_at"]))} · extraction {escape(versions)}</p>
{synthetic}</header>
<main>{"".join(sections)}</main></body></html>
"""


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#212529;max-width:1180px}
h1{margin:0 0 .3rem}h2{font-size:1.1rem;margin:0 0 .6rem}h3{font-size:.95rem;margin:.8rem 0 .4rem}
header p{margin:.2rem 0;color:#495057}
.synthetic{background:#fff3bf;padding:.4rem .6rem;display:inline-block}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(540px,1fr));gap:1.2rem;margin-top:1rem}
section{border:1px solid #dee2e6;border-radius:6px;padding:1rem;overflow-x:auto}
#headline,#gaps,#failed-cells,#pushed{grid-column:1/-1}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}
.card{border:1px solid #e9ecef;border-radius:6px;padding:.6rem .8rem;min-width:150px}
.card .value{font-size:1.6rem;font-weight:600}.card .ci,.card .n,.note{color:#495057;font-size:.85rem}
.trend{font-size:.9rem}.trend.good{color:#2b8a3e}.trend.bad{color:#c92a2a}.trend.muted{color:#868e96}
.caption{color:#495057;font-size:.85rem;margin:.4rem 0 0}.missing{color:#868e96;font-style:italic}
.key{color:#868e96;font-size:.85rem}.reworded{color:#495057;font-size:.85rem}
table{border-collapse:collapse;font-size:.9rem}
td,th{padding:.25rem .6rem;text-align:left;border-bottom:1px solid #dee2e6}
"""


def _when(timestamp: str) -> str:
    return timestamp[:16].replace("T", " ") + " UTC"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


# Each headline figure: its trend key, title, value from the overall block, and how a change reads.
# `lower_is_better` marks rank, where a falling number is good news.
Figure = tuple[str, str, Callable[[dict[str, Any]], str], Callable[[float], str], bool]
FIGURES: tuple[Figure, ...] = (
    ("visibility", "Visibility", lambda o: _pct(o["visibility"]["rate"]), lambda c: f"{100 * c:+.1f} pts", False),
    (
        "share_of_voice",
        "Share of voice",
        lambda o: "n/a" if o["share_of_voice"]["mean"] is None else f"{o['share_of_voice']['mean']:.1f}%",
        lambda c: f"{c:+.1f} pts",
        False,
    ),
    (
        "rank",
        "Average rank",
        lambda o: "n/a" if o["rank"]["mean"] is None else f"{o['rank']['mean']:.2f}",
        lambda c: f"{c:+.2f} places",
        True,
    ),
    ("top1_share", "Named first", lambda o: _pct(o["rank"]["top1_share"]), lambda c: f"{100 * c:+.1f} pts", False),
    (
        "sentiment_net",
        "Net sentiment",
        lambda o: "n/a" if o["sentiment"]["net"] is None else f"{o['sentiment']['net']:+.2f}",
        lambda c: f"{c:+.2f}",
        False,
    ),
)

# What each figure is taken over: rank, "named first" and sentiment count only the answers that name
# the org, so "51.6%" named first is not a share of all answers.
BASES: dict[str, Callable[[dict[str, Any]], str]] = {
    "share_of_voice": lambda o: f"mean over all {o['share_of_voice']['n']} answers",
    "rank": lambda o: f"in the {o['rank']['n']} answers naming the org",
    "top1_share": lambda o: f"of the {o['rank']['n']} answers naming the org",
    "sentiment_net": lambda o: f"(positive − negative) ÷ {o['sentiment']['n']} answers naming the org",
}


def _headline(document: dict[str, Any]) -> str:
    overall, trend, coverage = document["overall"], document.get("trend") or {}, document["coverage"]
    comparable = trend.get("comparable") is True
    cards = []
    for key, name, value, change, lower_is_better in FIGURES:
        extra = ""
        if key == "visibility":
            ci = overall["visibility"]["ci95"]
            extra = f'<div class="ci">95% CI {_pct(ci[0])}–{_pct(ci[1])}</div>' if ci else ""
        elif key in BASES:
            extra = f'<div class="ci">{BASES[key](overall)}</div>'
        arrow = _arrow(trend.get(key), change, lower_is_better) if comparable else ""
        cards.append(
            f'<div class="card"><div>{name}</div><div class="value">{value(overall)}</div>{extra}{arrow}</div>'
        )
    cost = (document.get("cost") or {}).get("spent_usd")
    cards.append(
        f'<div class="card"><div>Cells</div><div class="value">{coverage["succeeded"]}/{coverage["attempted"]}</div>'
        f'<div class="n">{coverage["failed"]} failed · n={overall["n"]} answers'
        + (f" · ${cost:.4f}" if cost is not None else "")
        + "</div></div>"
    )
    return (
        f'<section id="headline"><h2>Headline figures</h2><div class="cards">{"".join(cards)}</div>'
        f'<p class="note">{_trend_note(trend)}</p></section>'
    )


def _arrow(figure: dict[str, Any] | None, change: Callable[[float], str], lower_is_better: bool) -> str:
    """The change against the previous queue; coloured only when the document says it is beyond noise."""
    if not figure or figure.get("change") is None:
        return '<div class="trend muted">no previous figure</div>'
    delta = figure["change"]
    symbol = "▲" if delta > 0 else "▼" if delta < 0 else "→"
    if figure.get("beyond_noise") is True and delta:
        tone, noise = ("good" if (delta < 0) == lower_is_better else "bad"), "beyond noise"
    else:
        tone = "muted"
        noise = "within noise" if figure.get("beyond_noise") is False else "not tested against noise"
    return f'<div class="trend {tone}" title="{noise}">{symbol} {change(delta)} <span class="n">({noise})</span></div>'


def _trend_note(trend: dict[str, Any]) -> str:
    if not trend.get("previous_queue"):
        return "The org's first finished queue: no previous queue to compare with."
    previous = escape(trend["previous_queue"])
    if trend.get("comparable") is not True:
        return f"Not compared with queue {previous}: {escape(str(trend.get('reason', 'not comparable')))}."
    note = f"Arrows compare with queue {previous} over the {trend['matched_cells']} cells both queues ran."
    changed = [name for name, did in (trend.get("set_changed") or {}).items() if did]
    if changed:
        note += f" The {escape(', '.join(changed))} asked changed between the two."
    if reworded := trend.get("reworded_questions"):
        note += f" Reworded between the two, so their change may be the wording's: {escape(', '.join(reworded))}."
    return note


def _sources_caption(citations: dict[str, Any]) -> str:
    """The bars are shares; the caption gives the citations each bar is a share of."""
    per_engine = ", ".join(
        f"{escape(model)} {kinds['total']}" for model, kinds in sorted((citations.get("by_model") or {}).items())
    )
    counts = f"{citations['by_kind']['total']} over all engines" + (f" ({per_engine})" if per_engine else "")
    return f"What kind of site the engines cite, as shares of their citations: {counts}."


def _chart(anchor: str, title: str, svg: str | None, caption: str) -> str:
    body = f'<div class="chart">{svg}</div>' if svg else f'<p class="missing">{NOT_AVAILABLE}</p>'
    return f'<section id="{anchor}"><h2>{title}</h2>{body}<p class="caption">{caption}</p></section>'


def _gaps(document: dict[str, Any]) -> str:
    gaps = document.get("gaps")
    if gaps is None:
        return f'<section id="gaps"><h2>Where to act</h2><p class="missing">{NOT_AVAILABLE}</p></section>'
    names = {row["brand"]: row["name"] for row in document["competitors"]}
    wordings = document.get("question_wordings") or {}
    questions = "".join(
        f"<tr><td>{_question(g, wordings.get(g['question']))}</td><td>{g['cells']} of {g['of']}</td>"
        f"<td>{escape(', '.join(g['models']))}</td><td>{escape(', '.join(g['locations']))}</td>"
        f"<td>{escape(', '.join(_named(names, c) for c in g['competitors']))}</td></tr>"
        for g in gaps["questions"]
    )
    sources = "".join(
        f"<tr><td>{escape(s['domain'])}</td><td>{escape(s['kind'])}</td><td>{s['runs']}</td>"
        f"<td>{escape(', '.join(names.get(b, b) for b in s['competitors']))}</td></tr>"
        for s in gaps["sources"]
    )
    return (
        '<section id="gaps"><h2>Where to act</h2>'
        "<h3>Questions where competitors are named and the org is not</h3>"
        + (
            "<table><tr><th>question</th><th>cells</th><th>engines</th><th>locations</th>"
            f"<th>competitors named (cells)</th></tr>{questions}</table>"
            if questions
            else "<p>None: every answer naming a competitor names the org too.</p>"
        )
        + "<h3>Sources that cite competitors and never the org</h3>"
        + (
            f"<table><tr><th>domain</th><th>kind</th><th>runs</th><th>competitors beside it</th></tr>{sources}</table>"
            if sources
            else "<p>None.</p>"
        )
        + "</section>"
    )


def _question(gap: dict[str, Any], wordings: list[dict[str, Any]] | None = None) -> str:
    """The question as it was asked, its key beside it; the key alone when the document has no text
    (schema 1.6 and before, or a question no run recorded and since dropped from the org's file).
    A question asked in several wordings says so under it, with the earlier ones and their answers:
    the row's cells mix answers to each."""
    if not gap.get("text"):
        return escape(gap["question"])
    shown = f'{escape(gap["text"])} <span class="key">({escape(gap["question"])})</span>'
    if not gap.get("text_changed"):
        return shown
    earlier = "; ".join(
        f"“{escape(w['text'])}” ({w['runs']} answer{'' if w['runs'] == 1 else 's'})" for w in (wordings or [])[:-1]
    )
    return (
        shown
        + '<div class="reworded">Reworded within this queue'
        + (f"; earlier: {earlier}" if earlier else "")
        + "</div>"
    )


def _named(names: dict[str, str], competitor: dict[str, Any]) -> str:
    return f"{names.get(competitor['brand'], competitor['brand'])} ({competitor['cells']})"


def _failed_cells(coverage: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{escape(f['label'])}</td><td>{escape(f['step'] or '')}</td><td>{escape(f['reason'] or '')}</td></tr>"
        for f in coverage["failures"]
    )
    summary = f"{coverage['succeeded']} of {coverage['attempted']} cells succeeded, {coverage['failed']} failed."
    table = f"<table><tr><th>cell</th><th>step</th><th>reason</th></tr>{rows}</table>" if rows else ""
    return f'<section id="failed-cells"><h2>Failed cells</h2><p>{summary}</p>{table}</section>'
