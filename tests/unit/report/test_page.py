"""The report page from stored analytics documents: every section, nothing fetched, markup from the
data escaped, and older documents (no history, no segments, no gaps) still drawn."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from ai_visibility.report import render_report
from ai_visibility.report.figures import KIND_LABELS
from tests.unit.report.conftest import (
    FAILURE,
    as_older,
    charts,
    data_marks,
    field,
    legend,
    with_history_and_segments,
)

SECTIONS = ("headline", "over-time", "heatmap", "share-of-voice", "sources", "gaps", "failed-cells")
SCRIPT = "<script>alert('aiv')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;aiv&#x27;)&lt;/script&gt;"


def test_every_section_is_there_with_its_figures(two_queues: tuple[dict[str, Any], dict[str, Any]]) -> None:
    first, second = two_queues
    page = render_report(with_history_and_segments(second, first))
    assert [s for s in SECTIONS if f'<section id="{s}">' not in page] == []
    drawn = charts(page)
    assert sorted(drawn) == ["heatmap", "over-time", "share-of-voice", "sources"]
    # The visibility card: this queue's rate, its interval and the arrow against the previous queue.
    visibility = second["overall"]["visibility"]
    low, high = visibility["ci95"]
    assert f'<div class="value">{100 * visibility["rate"]:.1f}%</div>' in page
    assert f"95% CI {100 * low:.1f}%–{100 * high:.1f}%" in page
    assert '<div class="trend good" title="beyond noise">▲ +12.0 pts' in page
    assert '<div class="trend muted" title="within noise">▼ -3.5 pts' in page
    # What rank, "named first" and sentiment are taken over: the answers naming the org, not all of them.
    named, answers = second["overall"]["rank"]["n"], second["overall"]["n"]
    assert named < answers
    assert f"of the {named} answers naming the org" in page and f"in the {named} answers naming the org" in page
    assert f"mean over all {answers} answers" in page
    # Over time: three queues in history, oldest first, each a point with its interval.
    points = [m for m in data_marks(drawn["over-time"]) if "current:" in m]
    assert len(points) == 3 and "2026-11-01 06:00" in points[0] and "visibility: 25.000000%" in points[0]
    assert points[2].endswith("current: true")
    # Heatmap: one cell per model × location, labelled with its rate.
    cells = [m for m in data_marks(drawn["heatmap"]) if m.startswith("location:") and "label:" not in m]
    assert len(cells) == 3 * 2
    # Share of voice: the org and each brand named, as the document ranks them.
    bars = [m for m in data_marks(drawn["share-of-voice"]) if m.startswith("mean share of voice")]
    assert {field(b, "brand") for b in bars} == {c["name"] for c in second["competitors"]}
    # Sources: one segment per cited kind, over all engines and for each engine.
    segments = data_marks(drawn["sources"])
    cited = [k for k, v in second["citations"]["by_kind"].items() if k != "total" and v["count"]]
    assert sum("engine: all engines" in s for s in segments) == len(cited)
    by_model = second["citations"]["by_model"]
    assert (
        f"as shares of their citations: {second['citations']['by_kind']['total']} over all engines "
        f"(gemini-flash {by_model['gemini-flash']['total']}, gpt-4o {by_model['gpt-4o']['total']}, "
        f"sonar {by_model['sonar']['total']})."
    ) in page
    assert {field(s, "engine") for s in segments} == {
        "all engines",
        "gpt-4o",
        "sonar",
        "gemini-flash",
    }


def test_the_gaps_and_the_failed_cell_are_listed(document: dict[str, Any]) -> None:
    page = render_report(document)
    gaps = page.split('<section id="gaps">')[1].split("</section>")[0]
    for gap in document["gaps"]["questions"]:
        # The question as the user wrote it, its key beside it.
        asked = f'{gap["text"]} <span class="key">({gap["question"]})</span>'
        assert f"<td>{asked}</td><td>{gap['cells']} of {gap['of']}</td>" in gaps
    assert "<td>What are the best alternatives to HubSpot for a growing sales team? <span" in gaps
    # A document of schema 1.6 has no question text: its gaps show the key.
    for gap in document["gaps"]["questions"]:
        del gap["text"]
    older = render_report(document).split('<section id="gaps">')[1].split("</section>")[0]
    assert "<td>hubspot-alternatives</td>" in older
    assert document["gaps"]["questions"], "the demo's answers leave Brightpath out of some; the list is not empty"
    failed = page.split('<section id="failed-cells">')[1].split("</section>")[0]
    assert "11 of 12 cells succeeded, 1 failed." in failed
    (failure,) = document["coverage"]["failures"]
    assert f"<td>{failure['label']}</td><td>call_ai</td><td>{FAILURE}</td>" in failed


def test_the_page_fetches_nothing_and_runs_no_script(document: dict[str, Any]) -> None:
    page = render_report(document, pushed_to=["s3://reports/brightpath/analytics.json"])
    assert "<script" not in page.lower() and "<link" not in page.lower() and "@import" not in page
    assert re.findall(r"""(?:src|href|xlink:href)\s*=\s*["']?[a-z]+:""", page, re.I) == []
    assert re.findall(r"url\(\s*['\"]?(?!#)", page) == []  # only same-document references (SVG clip paths)


def test_markup_in_names_questions_domains_and_reasons_is_escaped_in_the_text_and_the_charts(
    document: dict[str, Any],
) -> None:
    document["org"]["name"] = f"Brightpath {SCRIPT}"
    for row in document["competitors"]:
        row["name"] = f"{row['name']} {SCRIPT}"
    document["gaps"]["questions"][0].update(question=f"best-{SCRIPT}", text=f"Which is best? {SCRIPT}")
    document["gaps"]["questions"][1]["text_changed"] = True
    document["question_wordings"] = {
        document["gaps"]["questions"][1]["question"]: [
            {"text": f"Best? {SCRIPT}", "runs": 1, "first_asked_at": "", "last_asked_at": ""},
            {"text": document["gaps"]["questions"][1]["text"], "runs": 2, "first_asked_at": "", "last_asked_at": ""},
        ]
    }
    document["trend"]["reworded_questions"] = [f"best-{SCRIPT}"]
    document["gaps"]["sources"] = [
        {"domain": f"{SCRIPT}.example", "kind": "news", "runs": 2, "competitors": ["hubspot"]}
    ]
    document["coverage"]["failures"][0]["reason"] = f"provider said: {SCRIPT}"
    document["queue"]["dag_run_id"] = f"manual__{SCRIPT}"
    page = render_report(document, pushed_to=[f"webhook:{SCRIPT}"])
    assert "<script" not in page
    assert f"<h1>Brightpath {ESCAPED}</h1>" in page and f"run manual__{ESCAPED}" in page
    assert f'<td>Which is best? {ESCAPED} <span class="key">(best-{ESCAPED})</span></td>' in page
    assert f"<td>{ESCAPED}.example</td>" in page
    assert f'<div class="reworded">Reworded within this queue; earlier: “Best? {ESCAPED}” (1 answer)</div>' in page
    assert f"the wording's: best-{ESCAPED}." in page
    assert (
        f"HubSpot {ESCAPED} (2)" in page
        and f"provider said: {ESCAPED}" in page
        and f"<li>webhook:{ESCAPED}</li>" in page
    )
    bars = data_marks(charts(page)["share-of-voice"])
    assert any(f"brand: Brightpath CRM {SCRIPT};" in b for b in bars)  # the label read back is the text, intact


def test_an_older_document_without_history_segments_or_gaps_still_renders(document: dict[str, Any]) -> None:
    page = render_report(as_older(document))
    drawn = charts(page)
    assert sorted(drawn) == ["over-time", "share-of-voice", "sources"]
    heatmap = page.split('<section id="heatmap">')[1].split("</section>")[0]
    assert '<p class="missing">not available for this document</p>' in heatmap
    assert '<section id="gaps"><h2>Where to act</h2><p class="missing">not available for this document</p>' in page
    # Over time falls back to the trend's previous figure and this queue; the arrows are not coloured,
    # since the document does not say whether the change is beyond noise.
    points = [m for m in data_marks(drawn["over-time"]) if "current:" in m]
    assert len(points) == 2 and "previous queue" in points[0]
    assert '<div class="trend muted" title="not tested against noise">' in page
    assert "trend good" not in page and "trend bad" not in page
    assert {field(s, "engine") for s in data_marks(drawn["sources"])} == {"all engines"}


def test_a_first_queue_and_an_incomparable_one_say_why_there_is_no_arrow(
    two_queues: tuple[dict[str, Any], dict[str, Any]], document: dict[str, Any]
) -> None:
    first_page = render_report(two_queues[0])
    assert "The org's first finished queue: no previous queue to compare with." in first_page
    assert 'class="trend' not in first_page
    assert len([m for m in data_marks(charts(first_page)["over-time"]) if "current:" in m]) == 1
    previous = document["trend"]["previous_queue"]
    document["trend"] = {
        "previous_queue": previous,
        "comparable": False,
        "extraction_versions": {"now": ["2026.12-1"], "before": ["2026.11-2"]},
        "reason": "the runs were extracted by different rules <now 2026.12-1>",
    }
    page = render_report(document)
    assert (
        f"Not compared with queue {previous}: the runs were extracted by different rules &lt;now 2026.12-1&gt;." in page
    )
    assert 'class="trend' not in page


def test_the_same_document_gives_the_same_bytes(document: dict[str, Any]) -> None:
    # The page is pushed beside the document: a rerun must not rewrite it with different bytes.
    assert render_report(document) == render_report(document)


def test_a_document_read_back_with_its_keys_sorted_gives_the_same_page(document: dict[str, Any]) -> None:
    # The pushed analytics.json and a PostgreSQL JSONB column give the keys back sorted; the sources
    # chart once took its kinds' colours and legend from that order, so the UI and the file differed.
    assert list(document["citations"]["by_kind"]) != sorted(document["citations"]["by_kind"])
    read_back = json.loads(json.dumps(document, sort_keys=True))
    assert render_report(read_back) == render_report(document)


def test_the_share_of_voice_chart_keeps_the_largest_voices_and_always_the_org(document: dict[str, Any]) -> None:
    template = next(r for r in document["competitors"] if r["kind"] == "discovered")
    for i in range(20):
        extra = copy.deepcopy(template)
        extra.update(brand=f"brand-{i}", name=f"Brand {i:02}")
        extra["share_of_voice"]["mean"] = 50.0 + i
        document["competitors"].append(extra)
    marks = data_marks(charts(render_report(document))["share-of-voice"])
    bars = [m for m in marks if m.startswith("mean share") and "; kind: " in m]
    names = [field(b, "brand") for b in bars]
    assert names == [f"Brand {i:02}" for i in range(19, 7, -1)] + ["Brightpath CRM"]


def test_the_sources_legend_lists_only_the_kinds_cited_each_in_a_colour_of_its_own(document: dict[str, Any]) -> None:
    by_kind = document["citations"]["by_kind"]
    cited = [k for k in KIND_LABELS if by_kind[k]["count"]]
    assert len(cited) < len(KIND_LABELS), "the demo's answers cite no reference, social or government site"
    entries = legend(charts(render_report(document))["sources"])
    assert [label for label, _ in entries] == [KIND_LABELS[k] for k in cited]
    assert len({colour for _, colour in entries}) == len(entries)
    # A queue whose answers cite no competitor site: the other kinds keep their colours (a reader
    # comparing two reports must not find news drawn in last week's colour of forums).
    for shares in (by_kind, *document["citations"]["by_model"].values()):
        shares["total"] -= shares["competitor"]["count"]
        shares["competitor"] = {"count": 0, "share": 0.0}
    fewer = legend(charts(render_report(document))["sources"])
    assert [label for label, _ in fewer] == [KIND_LABELS[k] for k in cited if k != "competitor"]
    assert set(fewer) <= set(entries)
