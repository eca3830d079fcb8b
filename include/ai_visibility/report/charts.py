"""The report's charts as static SVG: Vega-Lite specs built with `altair`, drawn by `vl-convert`.

Both libraries are imported inside the functions that draw: the push step and the Airflow plugin pay
for them when a report is drawn, never when a DAG file or the plugin is parsed.
"""

from __future__ import annotations

import re
from typing import Any

from ai_visibility.report.figures import BRAND_KINDS, Figures

# A Vega-Lite specification, as `altair` writes it out.
Spec = dict[str, Any]

WIDTH = 440
ORG_COLOUR = "#d9480f"
BRAND_COLOURS = {"the org": ORG_COLOUR, "tracked competitor": "#4c6ef5", "other brand named": "#adb5bd"}


def draw_charts(figures: Figures) -> dict[str, str | None]:
    """Each chart's SVG by section name; None where the document holds nothing to draw."""
    import vl_convert

    charts = {
        "over_time": _over_time(figures.over_time) if figures.over_time else None,
        "heatmap": _heatmap(figures.heatmap) if figures.heatmap else None,
        "share_of_voice": _voices(figures.voices) if figures.voices else None,
        "sources": (
            _sources(figures.source_kinds, figures.kind_order, figures.kind_colours) if figures.source_kinds else None
        ),
    }
    # No base URL is allowed: the specs carry their data inline, and drawing must never reach out.
    return {
        name: _own_ids(name, vl_convert.vegalite_to_svg(chart, allowed_base_urls=[])) if chart is not None else None
        for name, chart in charts.items()
    }


def _own_ids(chart: str, svg: str) -> str:
    """vl-convert numbers gradient and clip ids per process, so the same document would draw different
    bytes in a later push, and two charts of one page could share an id: name them after the chart."""
    seen: dict[str, str] = {}

    def own(match: re.Match[str]) -> str:
        return seen.setdefault(match[0], f"{chart}_{match[1]}_{len(seen)}")

    return re.sub(r"\b(gradient|clip)_\d+\b", own, svg)


def _over_time(rows: list[dict[str, Any]]) -> Spec:
    import altair as alt

    base = alt.Chart(alt.InlineData(values=rows)).encode(
        x=alt.X("queue:N", sort=alt.SortField("order"), title="queue (started, UTC)", axis=alt.Axis(labelAngle=-30)),
    )
    y = alt.Y("visibility:Q", title="visibility", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    chart = alt.layer(
        base.mark_rule(color="#868e96", strokeWidth=2).encode(
            y=alt.Y("low:Q", scale=alt.Scale(domain=[0, 1])), y2="high:Q"
        ),
        base.mark_line(color=ORG_COLOUR).encode(y=y),
        base.mark_point(filled=True, size=80).encode(
            y=y,
            color=alt.Color(
                "current:N",
                scale=alt.Scale(domain=[True, False], range=[ORG_COLOUR, "#495057"]),
                legend=None,
            ),
        ),
        base.mark_text(dy=-12, fontSize=11).encode(y=y, text=alt.Text("visibility:Q", format=".0%")),
    ).properties(width=WIDTH, height=220)
    return _spec(chart)


def _heatmap(rows: list[dict[str, Any]]) -> Spec:
    import altair as alt

    base = alt.Chart(alt.InlineData(values=rows)).encode(
        x=alt.X("location:N", title="location", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("model:N", title="model"),
    )
    chart = alt.layer(
        base.mark_rect(stroke="white").encode(
            color=alt.Color(
                "visibility:Q",
                scale=alt.Scale(domain=[0, 1], scheme="oranges"),
                legend=alt.Legend(format="%", title="visibility"),
            )
        ),
        base.mark_text(fontSize=13).encode(
            text="label:N",
            color=alt.condition("datum.visibility > 0.6", alt.value("white"), alt.value("#212529")),
        ),
    ).properties(width=WIDTH - 80, height=max(60, 45 * len({r["model"] for r in rows})))
    return _spec(chart)


def _voices(rows: list[dict[str, Any]]) -> Spec:
    import altair as alt

    base = alt.Chart(alt.InlineData(values=rows)).encode(
        y=alt.Y("brand:N", sort=None, title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("share_of_voice:Q", title="mean share of voice (% of the answer)"),
    )
    kinds = list(BRAND_KINDS.values())
    chart = alt.layer(
        base.mark_bar().encode(
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=[BRAND_COLOURS[k] for k in kinds]),
                legend=alt.Legend(title=None, orient="bottom"),
            )
        ),
        base.mark_text(align="left", dx=3, fontSize=11).encode(text=alt.Text("share_of_voice:Q", format=".1f")),
    ).properties(width=WIDTH - 120, height=22 * len(rows))
    return _spec(chart)


def _sources(rows: list[dict[str, Any]], kinds: list[str], colours: list[str]) -> Spec:
    import altair as alt

    chart = (
        alt.Chart(alt.InlineData(values=rows))
        .mark_bar()
        .encode(
            y=alt.Y("engine:N", sort=None, title=None),
            x=alt.X("count:Q", stack="normalize", title="share of citations", axis=alt.Axis(format="%")),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=colours),
                sort=kinds,
                legend=alt.Legend(title=None, orient="bottom", columns=3),
            ),
            order=alt.Order("kind_order:Q"),
        )
        .properties(width=WIDTH - 120, height=28 * len({r["engine"] for r in rows}))
    )
    return _spec(chart)


def _spec(chart: Any) -> Spec:
    spec: Spec = chart.to_dict()
    return spec
