"""The analytics document's segments: by question tag, branded or not, model × location, and the
competitor leaderboard per model and per location.

Tags and `branded` come from the org's questions as stored now; a run of a question the org no
longer has counts in no tag and in neither branded group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ai_visibility.db.models import Question

if TYPE_CHECKING:
    from ai_visibility.analytics import RunFacts

Block = Callable[[list["RunFacts"]], dict[str, Any]]
Leaderboard = Callable[[list["RunFacts"]], list[dict[str, Any]]]


def segments(
    s: Session, org_id: str, runs: Sequence[RunFacts], block: Block, leaderboard: Leaderboard
) -> dict[str, Any]:
    """`block` and `leaderboard` are the document's own, so every segment has the overall shape."""
    questions = {q.key: q for q in s.scalars(select(Question).where(Question.org_id == org_id))}
    by_tag: dict[str, list[RunFacts]] = defaultdict(list)
    by_branded: dict[str, list[RunFacts]] = {"branded": [], "non_branded": []}
    by_cell: dict[str, dict[str, list[RunFacts]]] = defaultdict(lambda: defaultdict(list))
    by_model: dict[str, list[RunFacts]] = defaultdict(list)
    by_location: dict[str, list[RunFacts]] = defaultdict(list)
    for run in runs:
        question, model, location = run.cell
        stored = questions.get(question)
        if stored is not None:
            for tag in sorted(set(stored.tags)):
                by_tag[tag].append(run)
            by_branded["branded" if stored.branded else "non_branded"].append(run)
        by_cell[model][location].append(run)
        by_model[model].append(run)
        by_location[location].append(run)
    return {
        "by_tag": {tag: block(tagged) for tag, tagged in sorted(by_tag.items())},
        "by_branded": {group: block(grouped) for group, grouped in by_branded.items()},
        "by_model_location": {
            model: {location: block(cell) for location, cell in sorted(locations.items())}
            for model, locations in sorted(by_cell.items())
        },
        "competitors_by_model": {model: leaderboard(group) for model, group in sorted(by_model.items())},
        "competitors_by_location": {location: leaderboard(group) for location, group in sorted(by_location.items())},
    }
