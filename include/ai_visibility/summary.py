"""The readable text summary of one analytics document: `make demo` and the CLI print it."""

from __future__ import annotations

from typing import Any


def _pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{100 * value:5.1f}%"


def _rank(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _samples(samples: dict[str, Any] | None) -> list[str]:
    """A line on repeated samples, only when the queue asked a cell more than once."""
    if not samples or samples["per_cell"] < 2:
        return []
    agreement = samples["agreement"]
    return [
        f"{samples['per_cell']} samples per cell · the interval counts {samples['effective_n']:g} effective runs "
        f"(design effect {samples['design_effect']}) · samples agree on the org in "
        f"{agreement['unanimous']}/{agreement['cells']} cells"
    ]


def _reworded(wordings: dict[str, Any]) -> list[str]:
    """A line naming the questions this queue asked in more than one wording: their figures mix them."""
    if not wordings:
        return []
    return [f"Asked in more than one wording in this queue (figures mix them): {', '.join(sorted(wordings))}"]


def render_summary(doc: dict[str, Any], pushed_to: list[str]) -> str:
    cov = doc["coverage"]
    lines = [
        f"{doc['org']['name']} · queue {doc['queue']['id']} · run {doc['queue']['dag_run_id']}",
        *(["SYNTHETIC answers from the local simulator (no real AI engine was called)"] if doc["synthetic"] else []),
        f"Cells: {cov['succeeded']}/{cov['attempted']} ok, {cov['failed']} failed",
    ]
    for failure in cov["failures"][:5]:
        lines.append(f"  failed: {failure['label']} [{failure['step']}] {failure['reason']}")
    overall = doc["overall"]
    ci = overall["visibility"]["ci95"]
    lines += [
        "",
        f"Visibility {_pct(overall['visibility']['rate'])} (95% CI {_pct(ci[0]).strip()}–{_pct(ci[1]).strip()}, "
        f"n={overall['n']}) · share of voice {overall['share_of_voice']['mean'] or 0:.1f}% · "
        f"average rank {_rank(overall['rank']['mean'])} in the {overall['rank']['n']} answers naming the org"
        if ci
        else "No successful runs.",
        *_samples(doc.get("samples")),
        *_reworded(doc.get("question_wordings") or {}),
        "",
        f"{'':26}{'visibility':>11}{'share of voice':>16}{'avg rank':>10}",
    ]
    for title, group in (("model", doc["by_model"]), ("location", doc["by_location"])):
        for key, block in group.items():
            sov = block["share_of_voice"]["mean"]
            lines.append(
                f"{title + ' ' + key:26}{_pct(block['visibility']['rate']):>11}"
                f"{'n/a' if sov is None else f'{sov:.1f}%':>16}{_rank(block['rank']['mean']):>10}"
            )
    cost = doc.get("cost") or {}
    if cost:
        estimate = cost.get("estimated_usd")
        lines.append("")
        lines.append(
            f"Cost ${cost['spent_usd']:.4f} over {cost['calls']} billed calls"
            + (f" (estimated ${estimate:.4f} before the run)" if estimate is not None else "")
        )
    lines += _trend_lines(doc.get("trend") or {}) + _history_lines(doc.get("history") or {})
    lines += ["", "Top competitors (visibility, share of voice):"]
    for row in [r for r in doc["competitors"] if r["kind"] == "competitor"][:5]:
        sov = row["share_of_voice"]["mean"]
        lines.append(f"  {row['name']:20}{_pct(row['visibility']['rate'])}  {'n/a' if sov is None else f'{sov:5.1f}%'}")
    # By source kind, as the report's chart and `citations.by_kind` class them (a review site is
    # `review`, not the owner-level `third_party`).
    lines += ["", "Top cited domains (citations, source kind):"]
    for row in doc["citations"]["top_domains"][:5]:
        lines.append(f"  {row['domain']:28}{row['count']:>4}  {row['kind']}")
    lines += ["", "Pushed to: " + (", ".join(pushed_to) or "no destination configured")]
    return "\n".join(lines)


TREND_NAMES = {"visibility": "visibility", "share_of_voice": "share of voice", "top1_share": "top-1 share"}


def _trend_lines(trend: dict[str, Any]) -> list[str]:
    if not trend.get("previous_queue"):
        return []
    if not trend.get("comparable"):
        return ["", f"Trend: not comparable with queue {trend['previous_queue']}: {trend['reason']}"]
    changes = [
        f"{label} {trend[name]['points']:+.1f} points ({'beyond' if trend[name]['beyond_noise'] else 'within'} noise)"
        for name, label in TREND_NAMES.items()
        if trend[name].get("points") is not None
    ]
    lines = ["", f"Trend over {trend['matched_cells']} matched cells: " + " · ".join(changes or ["no figures"])]
    reworded = trend.get("reworded_questions") or []
    if reworded:
        lines.append(f"  reworded since queue {trend['previous_queue']}: {', '.join(reworded)}")
    return lines


def _history_lines(history: dict[str, Any]) -> list[str]:
    queues = history.get("queues") or []
    if len(queues) < 2:
        return []
    lines = ["", f"History (last {len(queues)} queues, visibility, share of voice):"]
    for q in queues:
        sov = q["share_of_voice"]["mean"]
        lines.append(
            f"  {q['created_at'][:16].replace('T', ' ')}  {_pct(q['visibility']['rate'])}  "
            f"{'n/a' if sov is None else f'{sov:5.1f}%'}"
        )
    return lines
