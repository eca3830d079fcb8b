from ai_visibility.extraction.verdicts import verdicts

HEADER = "| Provider | Price | Best for | Recommended | Verdict |"


def test_verdict_and_best_for_columns_say_what_the_row_is_worth() -> None:
    assert verdicts(HEADER, "| Acme | $12 | Solo founders | ✓ | Solid choice |") == [
        "Best for Solo founders.",
        "Recommended.",
        "Verdict: Solid choice.",
    ]
    assert verdicts(HEADER, "| Zeta | $9 |  | ✗ | Avoid |") == ["Not recommended.", "Verdict: Avoid."]


def test_a_table_without_a_judging_column_says_nothing() -> None:
    assert verdicts("| Provider | Price | Support |", "| Acme | $12 | Weekdays only |") == []
