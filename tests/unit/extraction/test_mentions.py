from ai_visibility.extraction.mentions import SEPARATOR, MentionResult, extract_mentions
from tests.helpers import answer, demo_org_view

ORG = demo_org_view()


def by_brand(text: str) -> dict[str, MentionResult]:
    return {m.brand: m for m in extract_mentions(text, ORG)}


def test_table_answer_ranks_every_brand_named_including_discovered_ones() -> None:
    found = by_brand(answer("openai_search_table"))
    target = found["brightpath"]
    assert target.mentioned and target.occurrences == 2
    # HubSpot's row comes first; Attio is not tracked but still takes a rank and is stored as discovered.
    assert (found["hubspot"].rank, target.rank, found["pipedrive"].rank, found["discovered:attio"].rank) == (1, 2, 3, 4)
    assert found["discovered:attio"].brand_kind == "discovered"
    assert target.role == "recommended"
    assert target.sentiment_label == "positive"
    assert found["pipedrive"].role == "compared"


def test_mention_text_joins_each_row_and_sentence_naming_the_brand() -> None:
    target = by_brand(answer("openai_search_table"))["brightpath"]
    parts = target.mention_text.split(SEPARATOR)
    assert parts[0].startswith("| **Brightpath CRM** | Small teams")
    assert parts[1].startswith("**My recommendation:** I recommend Brightpath CRM")
    assert target.mention_chars == sum(len(p) for p in parts)
    assert target.first_offset == answer("openai_search_table").index("Brightpath CRM")


def test_absence_statements_do_not_count_as_mentions() -> None:
    found = by_brand(answer("openai_search_table"))
    # "I couldn't find reliable information about Salesforce Starter pricing" names Salesforce only to say so.
    assert not found["salesforce"].mentioned
    assert found["salesforce"].role == "absent" and found["salesforce"].rank is None


def test_urls_negative_terms_and_not_aware_statements_are_not_mentions() -> None:
    found = by_brand(answer("gemini_prose_traps"))
    # The answer names Brightpath only inside a G2 URL, in "I'm not aware of Brightpath CRM ...",
    # and as "Brightpath Academy" (a negative term of the org).
    assert not found["brightpath"].mentioned
    assert found["salesforce"].rank == 1 and found["hubspot"].rank == 2 and found["pipedrive"].rank == 3


def test_aliases_match_case_insensitively_and_the_longest_name_wins() -> None:
    found = by_brand(answer("perplexity_list"))
    assert found["salesforce"].occurrences == 1  # "Salesforce Sales Cloud" is one mention, not two
    assert found["salesforce"].sentiment_label == "negative"
    assert found["discovered:close"].mentioned
    text = "We moved from brightpath crm to BRIGHTPATH last year; brightpathcrm.com has the docs."
    target = by_brand(text)["brightpath"]
    assert target.occurrences == 2  # the bare domain is a URL-like token, not a mention


def test_an_answer_naming_no_tracked_brand_gives_absent_rows_for_all() -> None:
    found = by_brand("The best approach is a spreadsheet until you have more than five salespeople.")
    assert {m.role for m in found.values()} == {"absent"}
    assert set(found) == {"brightpath", "hubspot", "salesforce", "pipedrive", "zoho"}
