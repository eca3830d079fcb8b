"""Score extraction against the labelled answers: per-metric accuracy and the share of all-correct rows.

Each case labels, by hand: whether the target is mentioned, its sentiment and rank, the verbatim
passages devoted to it (a list item with its sub-items, a heading's section, a name card, a table
row, otherwise a sentence; the expected share of voice is the characters of their union over the
answer's), and the exact set of citations (normalised URLs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, PrivateAttr

from ai_visibility.extraction.answer import extract_answer
from ai_visibility.extraction.brands import OrgView, adhoc_org
from ai_visibility.extraction.passages import Passage, union_chars

CASES = Path(__file__).parent / "cases"
HELDOUT = Path(__file__).parent / "heldout"  # never tuned on: see heldout/README.md
HELDOUT_B = Path(__file__).parent / "heldout_b"  # the second, written after the first was reported on
HELDOUT_C = Path(__file__).parent / "heldout_c"  # the third, labelled against the settled definitions
HELDOUT_D = Path(__file__).parent / "heldout_d"  # the fourth, written after extraction 2026.12-1 was built
HELDOUT_E = Path(__file__).parent / "heldout_e"  # the fifth, written while 2026.12-2 was built, unseen by it
HELDOUT_F = Path(__file__).parent / "heldout_f"  # the sixth, written while 2026.12-3 was built, unseen by it
HELDOUT_G = Path(__file__).parent / "heldout_g"  # the seventh, written while 2026.12-4 was built, unseen by it
HELDOUT_H = Path(__file__).parent / "heldout_h"  # the eighth, written while 2026.12-5 was built, unseen by it
HELDOUT_I = Path(__file__).parent / "heldout_i"  # the ninth, written while 2026.12-9 and -10 were built, unseen by them
HELDOUT_J = Path(__file__).parent / "heldout_j"  # the tenth, written while 2026.12-11 was built, unseen by it
HELDOUT_K = Path(__file__).parent / "heldout_k"  # the eleventh, written while 2026.12-12 was built, unseen by it
# four more, written together while 2026.12-14 was built, unseen by it
HELDOUT_L = Path(__file__).parent / "heldout_l"
HELDOUT_M = Path(__file__).parent / "heldout_m"
HELDOUT_N = Path(__file__).parent / "heldout_n"
HELDOUT_O = Path(__file__).parent / "heldout_o"
# four more, written together while 2026.12-15 was built, unseen by it
HELDOUT_P = Path(__file__).parent / "heldout_p"
HELDOUT_Q = Path(__file__).parent / "heldout_q"
HELDOUT_R = Path(__file__).parent / "heldout_r"
HELDOUT_S = Path(__file__).parent / "heldout_s"
# 240 answers written and labelled from the definitions to tune on (each file measured first)
TRAINING = Path(__file__).parent / "training"
SETS = {
    "tuned": CASES,
    "held-out": HELDOUT,
    "held-out B": HELDOUT_B,
    "held-out C": HELDOUT_C,
    "held-out D": HELDOUT_D,
    "held-out E": HELDOUT_E,
    "held-out F": HELDOUT_F,
    "held-out G": HELDOUT_G,
    "held-out H": HELDOUT_H,
    "held-out I": HELDOUT_I,
    "held-out J": HELDOUT_J,
    "held-out K": HELDOUT_K,
    "held-out L": HELDOUT_L,
    "held-out M": HELDOUT_M,
    "held-out N": HELDOUT_N,
    "held-out O": HELDOUT_O,
    "held-out P": HELDOUT_P,
    "held-out Q": HELDOUT_Q,
    "held-out R": HELDOUT_R,
    "held-out S": HELDOUT_S,
    "training": TRAINING,
}
SOV_TOLERANCE = 5.0
METRICS = ("mention", "sentiment", "share_of_voice", "rank", "citations")
# A run is right for a reader when these four are: what the product's headline numbers rest on.
ALL_FOUR = ("mention", "share_of_voice", "sentiment", "citations")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expected(_Strict):
    mentioned: bool
    sentiment: Literal["positive", "neutral", "negative"] | None = None
    rank: int | None = None
    target_units: list[str] = []
    citations: list[str] = []


class Case(_Strict):
    id: str
    style: str
    answer: str
    raw_response: dict[str, Any] | None = None
    expect: Expected


class BrandSpec(_Strict):
    name: str
    aliases: list[str] = []
    websites: list[str] = []


class Vertical(_Strict):
    vertical: str
    org: BrandSpec
    competitors: list[BrandSpec]
    cases: list[Case]
    _file: Path | None = PrivateAttr(None)  # where it was read from, for the report to point at

    def view(self) -> OrgView:
        return adhoc_org(
            self.org.name, self.org.aliases, self.org.websites, [(c.name, c.websites) for c in self.competitors]
        )


@dataclass
class Outcome:
    case: str
    vertical: str
    checks: dict[str, bool]
    # Per metric, the label and what extraction gave, as the report shows them for a miss.
    expected: dict[str, Any] = field(default_factory=dict)
    got: dict[str, Any] = field(default_factory=dict)
    file: Path | None = None

    @property
    def all_correct(self) -> bool:
        return all(self.checks.values())


def load_verticals(folder: Path = CASES) -> list[Vertical]:
    verticals = []
    for path in sorted(folder.glob("*.yaml")):
        vertical = Vertical.model_validate(yaml.safe_load(path.read_text()))
        vertical._file = path
        verticals.append(vertical)
    return verticals


def expected_share_of_voice(case: Case) -> float:
    missing = [u for u in case.expect.target_units if u not in case.answer]
    if missing:
        raise ValueError(f"{case.id}: labelled passages not found verbatim in the answer: {missing}")
    spans = [Passage(case.answer.index(u), case.answer.index(u) + len(u), "sentence") for u in case.expect.target_units]
    return 100 * union_chars(spans) / len(case.answer)


def score_case(case: Case, vertical: Vertical) -> Outcome:
    result = extract_answer(case.answer, vertical.view(), case.raw_response)
    target = result["mentions"][0]
    got_sov = result["metrics"]["share_of_voice"]
    want_sov = expected_share_of_voice(case)
    got_citations = sorted(c["url"] for c in result["citations"] if c["origin"] != "search_source")
    expect = case.expect
    checks = {
        "mention": target["mentioned"] == expect.mentioned,
        "sentiment": (target["sentiment_label"] == expect.sentiment) if expect.mentioned else True,
        "share_of_voice": abs(got_sov - want_sov) <= SOV_TOLERANCE,
        "rank": target["rank"] == expect.rank,
        "citations": got_citations == sorted(expect.citations),
    }
    expected = {
        "mention": expect.mentioned,
        "sentiment": expect.sentiment,
        "share_of_voice": round(want_sov, 1),
        "rank": expect.rank,
        "citations": sorted(expect.citations),
    }
    got = {
        "mention": target["mentioned"],
        "sentiment": target["sentiment_label"],
        "share_of_voice": round(got_sov, 1),
        "rank": target["rank"],
        "citations": got_citations,
    }
    return Outcome(case.id, vertical.vertical, checks, expected, got, vertical._file)


def evaluate(verticals: list[Vertical]) -> list[Outcome]:
    return [score_case(case, v) for v in verticals for case in v.cases]


def accuracy(outcomes: list[Outcome]) -> dict[str, float]:
    n = len(outcomes)
    scores = {m: sum(o.checks[m] for o in outcomes) / n for m in METRICS}
    scores["all_four"] = sum(all(o.checks[m] for m in ALL_FOUR) for o in outcomes) / n
    scores["all"] = sum(o.all_correct for o in outcomes) / n
    return scores


def evaluate_sets() -> dict[str, list[Outcome]]:
    """Outcomes on every labelled set in `SETS` (tuned, held-out, training), by set name."""
    return {name: evaluate(load_verticals(folder)) for name, folder in SETS.items()}


def report(results: dict[str, list[Outcome]]) -> str:
    """Per-metric accuracy side by side for each set, then each set's rows with a miss."""
    names = list(results)
    scores = {name: accuracy(outcomes) for name, outcomes in results.items()}
    lines = []
    for name, outcomes in results.items():
        verticals = sorted({o.vertical for o in outcomes})
        lines.append(
            f"{name}: {len(outcomes)} labelled answers from {len(verticals)} verticals ({', '.join(verticals)})"
        )
    lines += ["", f"{'metric':16}" + "".join(f"{n:>12}" for n in names)]
    for metric in scores[names[0]]:
        lines.append(f"{metric:16}" + "".join(f"{100 * scores[n][metric]:11.1f}%" for n in names))
    lines.append(f"(share_of_voice within ±{SOV_TOLERANCE:g} points; all_four = {', '.join(ALL_FOUR)})")
    for name, outcomes in results.items():
        wrong = [o for o in outcomes if not o.all_correct]
        if wrong:
            lines += ["", f"{name} rows with a miss:"]
            lines += [f"  {o.case:10} {_where(o.file)}: {'; '.join(_misses(o))}" for o in wrong]
    return "\n".join(lines)


def _misses(outcome: Outcome) -> list[str]:
    """Each missed metric as the label has it against what extraction gave."""
    shown = []
    for metric in (m for m, ok in outcome.checks.items() if not ok):
        want, got = outcome.expected[metric], outcome.got[metric]
        if metric == "citations":
            missing = sorted(set(want) - set(got))
            extra = sorted(set(got) - set(want))
            shown.append(f"citations: expected {len(want)}, got {len(got)} (missing {missing}, not labelled {extra})")
        elif metric == "share_of_voice":
            shown.append(f"share_of_voice: expected {want}, got {got} (within ±{SOV_TOLERANCE:g} passes)")
        else:
            shown.append(f"{metric}: expected {want}, got {got}")
    return shown


def _where(file: Path | None) -> str:
    if file is None:
        return "(no file)"
    try:
        return str(file.relative_to(Path.cwd()))
    except ValueError:
        return str(file)
