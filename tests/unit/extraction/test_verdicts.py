from ai_visibility.extraction.verdicts import verdicts

HEADER = "| Provider | Price | Best for | Recommended | Verdict |"


def test_verdict_and_best_for_columns_say_what_the_row_is_worth() -> None:
    assert verdicts(HEADER, "| Acme | $12 | Solo founders | ✓ | Solid choice |") == [
        "Best for Solo founders.",
        "Recommended.",
        "Verdict: Solid choice.",
    ]
    assert verdicts(HEADER, "| Zeta | $9 |  | ✗ | Avoid |") == ["Not recommended.", "Not recommended."]


def test_a_table_without_a_judging_column_says_nothing() -> None:
    assert verdicts("| Provider | Price | Support |", "| Acme | $12 | Weekdays only |") == []


def test_a_verdict_that_turns_the_brand_down_is_a_warning_with_or_without_its_reason() -> None:
    header = "| Mover | Hourly rate | Verdict |"
    assert verdicts(header, "| Zeta Movers | $140 | Skip: damage claims denied |") == [
        "Not recommended.",
    ]
    assert verdicts(header, "| Zeta Movers | $140 | Pass |") == ["Not recommended."]
    assert verdicts(header, "| Zeta Movers | $140 | Skipping nothing: solid crew |") == [
        "Verdict: Skipping nothing: solid crew."
    ]
