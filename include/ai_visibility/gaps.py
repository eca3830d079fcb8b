"""Where to act: the questions where tracked competitors are named and the org is not, and the
third-party sources that cite competitors but never the org. Part of the analytics document."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RunBrands:
    """One successful run: its cell, whether it names the org, and the tracked competitors it names."""

    cell_key: str
    question: str
    model: str
    location: str
    org_named: bool
    competitors: frozenset[str]


def where_to_act(
    runs: Sequence[RunBrands],
    third_party_citations: Iterable[tuple[str, str]],
    kind_of: Callable[[str], str],
    texts: Mapping[str, str | None],
    reworded: Collection[str] = (),
) -> dict[str, Any]:
    """`third_party_citations` are (cell key, domain) pairs of cited third-party URLs; `texts` the
    questions' texts by key (a question missing from it gets no text); `reworded` the keys of
    questions whose runs were asked in more than one wording."""
    return {
        "questions": _questions(runs, texts, reworded),
        "sources": _sources(runs, third_party_citations, kind_of),
    }


def _questions(
    runs: Sequence[RunBrands], texts: Mapping[str, str | None], reworded: Collection[str]
) -> list[dict[str, Any]]:
    """Per question, the cells naming a competitor but not the org; the more cells (engine × location)
    agree, the surer the gap, so those come first."""
    asked: Counter[str] = Counter(r.question for r in runs)
    missed: dict[str, list[RunBrands]] = defaultdict(list)
    for run in runs:
        if run.competitors and not run.org_named:
            missed[run.question].append(run)
    rows = []
    for question, cells in missed.items():
        named = Counter(brand for cell in cells for brand in cell.competitors)
        rows.append(
            {
                "question": question,
                "text": texts.get(question),
                "text_changed": question in reworded,
                "cells": len(cells),
                "of": asked[question],
                "models": sorted({c.model for c in cells}),
                "locations": sorted({c.location for c in cells}),
                "competitors": [
                    {"brand": b, "cells": n} for b, n in sorted(named.items(), key=lambda i: (-i[1], i[0]))
                ],
            }
        )
    return sorted(rows, key=lambda r: (-r["cells"], -len(r["models"]), -len(r["locations"]), r["question"]))


def _sources(
    runs: Sequence[RunBrands], citations: Iterable[tuple[str, str]], kind_of: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Third-party domains cited in runs naming a tracked competitor and in no run naming the org."""
    by_key = {r.cell_key: r for r in runs}
    beside_org: set[str] = set()
    beside_competitors: dict[str, set[str]] = defaultdict(set)
    brands: dict[str, set[str]] = defaultdict(set)
    for cell_key, domain in citations:
        run = by_key.get(cell_key)
        if run is None:
            continue
        if run.org_named:
            beside_org.add(domain)
        elif run.competitors:
            beside_competitors[domain].add(cell_key)
            brands[domain] |= run.competitors
    rows = [
        {"domain": d, "kind": kind_of(d), "runs": len(keys), "competitors": sorted(brands[d])}
        for d, keys in beside_competitors.items()
        if d not in beside_org
    ]
    return sorted(rows, key=lambda r: (-r["runs"], r["domain"]))
