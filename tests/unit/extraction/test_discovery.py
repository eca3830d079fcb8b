from ai_visibility.extraction.mentions import MentionResult, extract_mentions
from tests.helpers import demo_org_view

ORG = demo_org_view()


def ranks(text: str) -> dict[str, int | None]:
    found: dict[str, MentionResult] = {m.brand: m for m in extract_mentions(text, ORG)}
    return {key: m.rank for key, m in found.items() if m.mentioned}


def test_untracked_cards_and_linked_list_items_are_options_that_take_a_rank() -> None:
    cards = (
        "CRM vendors with local support in Denver:\n\n"
        "**Attio**\n⭐ 4.7 (120 reviews)\nModern data model.\n\n"
        "**[Brightpath CRM](https://brightpathcrm.com)** (Denver office)\n⭐ 4.8 (300 reviews)\nBuilt-in calling.\n"
    )
    assert ranks(cards) == {"discovered:attio": 1, "brightpath": 2}
    linked = (
        "- [Folk](https://folk.app) – Light CRM for networks.\n"
        "- [Brightpath CRM](https://brightpathcrm.com) – Calling.\n"
    )
    assert ranks(linked) == {"discovered:folk": 1, "brightpath": 2}


def test_a_run_of_headings_one_per_option_gives_each_a_rank_but_section_titles_do_not() -> None:
    text = (
        "## Overview\nStartups compare a few tools.\n\n"
        "## Attio\nFlexible objects.\n\n"
        "## HubSpot\nFree tier.\n\n"
        "## Brightpath CRM\nCalling built in.\n\n"
        "## Final Thoughts\nPick what fits.\n"
    )
    assert ranks(text) == {"discovered:attio": 1, "hubspot": 2, "brightpath": 3}
    numbered = "### 1. Close – best for calling\nPower dialer.\n\n### 2. Brightpath CRM\nSimple pipelines.\n"
    assert ranks(numbered) == {"discovered:close": 1, "brightpath": 2}


def test_labels_in_bold_are_not_brands() -> None:
    text = (
        "What to look for:\n\n- **Time tracking**: built in or not.\n- **Customer Support**: hours and channels.\n\n"
        "Brightpath CRM covers both."
    )
    assert ranks(text) == {"brightpath": 1}


def test_criteria_rows_of_a_table_with_brands_as_columns_are_not_options() -> None:
    text = (
        "| Criterion | HubSpot | Brightpath CRM |\n|---|---|---|\n"
        "| Customer Support | Email | Phone |\n| Free Plan | Yes | No |\n"
    )
    assert ranks(text) == {"hubspot": 1, "brightpath": 2}


def test_a_linked_first_cell_and_a_heading_with_an_emoji_name_their_option() -> None:
    table = "| CRM | Price |\n|---|---|\n| [Attio](https://attio.com) | $29 |\n| Brightpath CRM | $25 |\n"
    assert ranks(table) == {"discovered:attio": 1, "brightpath": 2}
    headings = "### 🥇 Close\nPower dialer.\n\n### 🥈 Brightpath CRM\nSimple pipelines.\n"
    assert ranks(headings) == {"discovered:close": 1, "brightpath": 2}
