from ai_visibility.extraction.passages import Layout, Passage
from ai_visibility.extraction.text_units import split_units

CARDS = """Well-reviewed dentists near Madison:

**Lakeview Dental** · Dentist · Open until 6 PM
4.8 ★ (312 reviews)
Gentle hygienists and modern equipment.

**[Capitol Square Smiles](https://capitolsquaresmiles.com)** (Downtown)
4.9 ★ (98 reviews)

**Note:** Call ahead. Most offices close on Fridays.
"""


def passage(answer: str, name: str) -> tuple[Passage, Layout]:
    layout = Layout(answer, split_units(answer))
    return layout.passage_at(answer.index(name)), layout


def text(answer: str, p: Passage) -> str:
    return answer[p.start : p.end]


def test_a_card_name_line_may_carry_a_category_a_status_or_a_parenthesis_but_not_a_sentence() -> None:
    lakeview, _ = passage(CARDS, "Lakeview")
    assert (lakeview.kind, text(CARDS, lakeview).splitlines()[-1]) == (
        "block",
        "Gentle hygienists and modern equipment.",
    )
    capitol, _ = passage(CARDS, "Capitol")
    assert capitol.kind == "block" and text(CARDS, capitol).endswith("4.9 ★ (98 reviews)")
    call, _ = passage(CARDS, "Call ahead")
    assert call.kind == "sentence"  # "**Note:** Call ahead." is a sentence, not a card's name line


def test_the_lead_in_of_a_list_of_cards_or_of_a_run_of_headings_is_the_line_that_introduces_them() -> None:
    lakeview, layout = passage(CARDS, "Lakeview")
    capitol, _ = passage(CARDS, "Capitol")
    lead = layout.lead_in(capitol)
    assert lead == layout.lead_in(lakeview) and lead is not None
    assert CARDS[lead[0] : lead[1]] == "Well-reviewed dentists near Madison:"
    headings = "# Best CRMs for startups\n\n## HubSpot\nFree tier.\n\n## Brightpath\nCalling.\n"
    section, layout = passage(headings, "Brightpath")
    lead = layout.lead_in(section)
    assert section.kind == "section" and lead is not None
    assert headings[lead[0] : lead[1]] == "# Best CRMs for startups"
    items = "Intro line:\n\n1. **A** – first\n   - detail\n2. **Brightpath** – second\n"
    item, layout = passage(items, "Brightpath")
    lead = layout.lead_in(item)
    assert lead is not None and items[lead[0] : lead[1]] == "Intro line:"


def test_a_card_name_line_may_carry_tags_with_a_rating_in_them() -> None:
    apps = (
        "Budgeting apps on the App Store:\n\n"
        "**Pennywise** · Finance · 4.6★\nLinks to 9,000 banks.\n\n"
        "**Ledgerly** · iOS, Android · 3.9★\nSyncs twice a day; exports to CSV.\n"
    )
    ledgerly, _ = passage(apps, "Ledgerly")
    assert (ledgerly.kind, text(apps, ledgerly).splitlines()[-1]) == ("block", "Syncs twice a day; exports to CSV.")
