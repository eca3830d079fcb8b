from ai_visibility.extraction.brands import adhoc_org
from ai_visibility.extraction.mentions import SEPARATOR, MentionResult, extract_mentions
from tests.helpers import answer, demo_org_view

ORG = demo_org_view()


def by_brand(text: str) -> dict[str, MentionResult]:
    return {m.brand: m for m in extract_mentions(text, ORG)}


def test_table_answer_ranks_every_brand_named_including_discovered_ones() -> None:
    found = by_brand(answer("openai_search_table"))
    target = found["brightpath"]
    # the table row, the recommendation, and "[brightpathcrm.com](…)": a domain as link text names its brand
    assert target.mentioned and target.occurrences == 3
    # HubSpot's row comes first; Attio is not tracked but still takes a rank and is stored as discovered.
    assert (found["hubspot"].rank, target.rank, found["pipedrive"].rank, found["discovered:attio"].rank) == (1, 2, 3, 4)
    assert found["discovered:attio"].brand_kind == "discovered"
    assert target.role == "recommended"
    assert target.sentiment_label == "positive"
    # its "Best for" cell puts it forward for deal-focused teams (docs/definitions.md, Role)
    assert (found["pipedrive"].sentiment_label, found["pipedrive"].role) == ("positive", "recommended")


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
    assert target.occurrences == 3  # the org's own domain written as text names it
    assert by_brand("Docs are on brightpathcrm.co and https://brightpathcrm.com/docs.")["brightpath"].occurrences == 0


def test_an_answer_naming_no_tracked_brand_gives_absent_rows_for_all() -> None:
    found = by_brand("The best approach is a spreadsheet until you have more than five salespeople.")
    assert {m.role for m in found.values()} == {"absent"}
    assert set(found) == {"brightpath", "hubspot", "salesforce", "pipedrive", "zoho"}


def test_an_absence_statement_drops_only_the_brand_it_is_about() -> None:
    text = (
        "HubSpot documents its rate limits in detail, while for Brightpath CRM I could not find "
        "information about its API limits."
    )
    found = by_brand(text)
    assert found["hubspot"].mentioned and found["hubspot"].rank == 1
    assert not found["brightpath"].mentioned
    other = by_brand("Pipedrive is easy to set up; I couldn't find reliable information about Zoho CRM's pricing.")
    assert other["pipedrive"].mentioned and not other["zoho"].mentioned


def test_the_orgs_own_products_and_title_case_headings_still_name_it() -> None:
    text = (
        "## Why Brightpath Stands Out\n\n"
        "Brightpath Pro adds forecasting on top of the core pipeline, and HubSpot charges extra for it.\n"
    )
    target = by_brand(text)["brightpath"]
    assert target.occurrences == 2 and target.rank == 1


def test_a_short_form_followed_by_another_business_word_is_another_business() -> None:
    # "Brightpath" is the org's short form; "Brightpath Capital Partners" is someone else.
    found = by_brand("Brightpath Capital Partners led the seed round of Pipedrive's new rival.")
    assert not found["brightpath"].mentioned
    # the possessive ends that other business's name: what follows is not a product of the brand
    assert not by_brand("Brightpath Capital's Seed Fund backed Pipedrive's rival.")["brightpath"].mentioned


def test_a_product_name_with_an_industry_word_inside_still_names_the_brand() -> None:
    # "Data" and "Cloud" are industry words, but a product name goes on past them.
    text = (
        "### Brightpath Data Sync\n"
        "Syncs deals from HubSpot every five minutes.\n\n"
        "- **Brightpath Cloud Dialer** – calls from the browser, logged to the deal.\n"
    )
    target = by_brand(text)["brightpath"]
    assert target.mentioned and target.occurrences == 2 and target.rank == 1


PASSAGES_ANSWER = """# CRM options for a 10-person sales team

## HubSpot

HubSpot's free tier covers contacts and deals. Paid plans add sequences.

## Brightpath CRM

Brightpath CRM is our top pick for small teams: setup takes an afternoon.

- Pipeline views are intuitive.
- Pricing is transparent.

## Other tools

1. **Pipedrive** - a visual pipeline.
   - Starts at $14/user/month.
   - Mobile app rated 4.7.
2. **Zoho CRM** - cheap but dated.

**Salesforce**
Enterprise-grade, with a steep learning curve.
Best for teams over 50.

| Tool | Price |
|---|---|
| Pipedrive | $14 |

Brightpath also integrates with Gmail.
"""


def test_a_brands_passage_is_its_section_list_item_card_row_or_sentence() -> None:
    found = by_brand(PASSAGES_ANSWER)
    section = PASSAGES_ANSWER[PASSAGES_ANSWER.index("## Brightpath CRM") : PASSAGES_ANSWER.index("\n\n## Other")]
    assert found["brightpath"].mention_text.split(SEPARATOR) == [section, "Brightpath also integrates with Gmail."]
    assert found["brightpath"].mention_chars == len(section) + len("Brightpath also integrates with Gmail.")
    item = "1. **Pipedrive** - a visual pipeline.\n   - Starts at $14/user/month.\n   - Mobile app rated 4.7."
    assert found["pipedrive"].mention_text.split(SEPARATOR) == [item, "| Pipedrive | $14 |"]
    card = "**Salesforce**\nEnterprise-grade, with a steep learning curve.\nBest for teams over 50."
    assert found["salesforce"].mention_text == card
    assert found["hubspot"].mention_text.startswith("## HubSpot\n\nHubSpot's free tier")


def test_share_of_voice_counts_overlapping_passages_once() -> None:
    text = "## Brightpath CRM\n\nBrightpath is simple. Brightpath CRM syncs with Gmail.\n\nHubSpot is bigger.\n"
    target = by_brand(text)["brightpath"]
    section = "## Brightpath CRM\n\nBrightpath is simple. Brightpath CRM syncs with Gmail.\n\nHubSpot is bigger."
    # The sentences naming Brightpath lie inside its section: the section is counted once.
    assert target.occurrences == 3 and target.mention_chars == len(section)
    assert target.mention_text == section


def test_sentiment_is_what_a_reader_would_say() -> None:
    recommended = by_brand("For a small team we recommend Brightpath CRM: setup takes an afternoon.")["brightpath"]
    assert recommended.sentiment_label == "positive" and recommended.role == "recommended"
    table = "| Tool | Price | Free plan |\n|---|---|---|\n| Brightpath CRM | $12/user | Yes |\n| HubSpot | $20 | Yes |"
    assert by_brand(table)["brightpath"].sentiment_label == "neutral"
    warned = by_brand("Avoid Brightpath CRM if you need offline access; its mobile app is unreliable.")["brightpath"]
    assert warned.sentiment_label == "negative" and warned.role == "warned_against"
    caveats = by_brand("Brightpath CRM is powerful, but it lacks reporting and its app is slow.")["brightpath"]
    assert caveats.sentiment_label == "negative"
    # The brand's name carries no sentiment of its own ("Bright"), nor does "free" (a price).
    assert by_brand("Brightpath CRM is free for two users.")["brightpath"].sentiment_label == "neutral"


def test_an_absence_statement_about_two_brands_drops_both() -> None:
    found = by_brand("There is limited information about Zoho CRM and Pipedrive for field teams. HubSpot has an app.")
    assert not found["zoho"].mentioned and not found["pipedrive"].mentioned and found["hubspot"].mentioned


def test_a_heading_naming_a_brand_only_as_a_reference_point_is_not_its_section() -> None:
    text = answer("perplexity_list")
    hubspot = by_brand(text)["hubspot"]
    # "## Best alternatives to HubSpot for a growing sales team": the section is about the others.
    assert hubspot.mention_text == "## Best alternatives to HubSpot for a growing sales team"
    assert hubspot.role != "warned_against"


def test_the_orgs_product_after_the_is_the_org_but_a_place_named_like_it_is_not() -> None:
    assert by_brand("Most reps live in the Brightpath app between calls.")["brightpath"].mentioned
    assert not by_brand("The Brightpath trail loops past the old mill.")["brightpath"].mentioned


def test_avoid_warns_only_when_the_brand_is_what_to_avoid() -> None:
    assert by_brand("Avoid Brightpath CRM if you need offline access.")["brightpath"].role == "warned_against"
    purpose = by_brand("Brightpath CRM logs every call to avoid double entry.")["brightpath"]
    assert purpose.role != "warned_against"


def test_an_absence_stated_about_the_subject_removes_only_that_subject() -> None:
    text = (
        "Brightpath CRM does not appear in G2's list of top CRMs for startups, which HubSpot leads. "
        "Pipedrive and Zoho are not listed either. Brightpath CRM's pricing is not listed on its site."
    )
    found = by_brand(text)
    assert (found["hubspot"].mentioned, found["pipedrive"].mentioned, found["zoho"].mentioned) == (True, False, False)
    # "X's pricing is not listed": the subject is the pricing, so Brightpath is named there
    assert found["brightpath"].occurrences == 1
    found = by_brand("I couldn't find Brightpath CRM in the Capterra directory. HubSpot is listed.")
    assert not found["brightpath"].mentioned and found["hubspot"].mentioned
    assert by_brand("Brightpath CRM does not appear to charge for extra seats.")["brightpath"].mentioned


def test_plain_facts_in_a_list_introduced_as_the_best_options_are_offered_as_recommended() -> None:
    items = (
        "1. **HubSpot** – Free CRM with marketing tools.\n"
        "2. **Brightpath CRM** – Pipeline views and built-in calling.\n"
    )
    framed = by_brand("Here are the top-rated CRMs for startups:\n\n" + items)["brightpath"]
    assert (framed.sentiment_label, framed.role) == ("positive", "recommended")
    plain_list = by_brand("CRMs that startups use:\n\n" + items)["brightpath"]
    assert (plain_list.sentiment_label, plain_list.role) == ("neutral", "listed")


def test_options_introduced_as_ones_to_avoid_are_warned_against() -> None:
    text = "CRMs to steer clear of for a small team:\n\n- **Brightpath CRM** – Per-seat pricing.\n"
    target = by_brand(text)["brightpath"]
    assert (target.sentiment_label, target.role) == ("negative", "warned_against")


def test_absence_statements_with_curly_apostrophes_and_other_wordings_are_recognised() -> None:
    text = (
        "I couldn’t find information about Brightpath CRM. I’m not familiar with Zoho either. "
        "None of the sources mention Pipedrive, but HubSpot has a free tier."
    )
    found = by_brand(text)
    assert [k for k, m in found.items() if m.mentioned] == ["hubspot"]
    assert not by_brand("There were no results for Brightpath CRM on G2.")["brightpath"].mentioned


def test_in_a_sentence_naming_two_brands_unlike_separates_their_judgements() -> None:
    found = by_brand("HubSpot is reliable and intuitive, unlike Zoho, whose interface feels clunky and dated.")
    assert (found["hubspot"].sentiment_label, found["zoho"].sentiment_label) == ("positive", "negative")


def test_a_heading_section_leaves_out_the_subsections_about_other_brands() -> None:
    text = (
        "## Brightpath CRM and its rivals\nSimple and cheap.\n\n### HubSpot\nA free plan.\n\n### Pricing\nFrom $15.\n"
    )
    target = by_brand(text)["brightpath"]
    assert target.mention_text.split(SEPARATOR) == [
        "## Brightpath CRM and its rivals\nSimple and cheap.",
        "### Pricing\nFrom $15.",
    ]
    assert by_brand(text)["hubspot"].mention_text == "### HubSpot\nA free plan."


def test_in_a_table_with_a_column_per_brand_each_brand_has_its_own_cells() -> None:
    text = (
        "| Feature | Brightpath CRM | HubSpot |\n|---|---|---|\n| Price | $15/user | Free, then $20 |\n"
        "| Support | Quick, friendly replies from real people | Slow on the free plan, with long waits |\n"
    )
    found = by_brand(text)
    assert found["brightpath"].mention_text.split(SEPARATOR) == [
        "Brightpath CRM",
        "$15/user",
        "Quick, friendly replies from real people",
    ]
    assert (found["brightpath"].sentiment_label, found["hubspot"].sentiment_label) == ("positive", "negative")
    assert (found["brightpath"].rank, found["hubspot"].rank) == (1, 2)


def test_a_lead_in_grades_the_options_a_brand_opens_not_a_brand_named_inside_another() -> None:
    text = (
        "The best CRMs for agencies:\n\n- **Attio** – flexible, and imports from HubSpot in minutes.\n"
        "- **Brightpath CRM** – clean pipeline view.\n"
    )
    found = by_brand(text)
    assert found["brightpath"].sentiment_label == "positive"
    assert found["hubspot"].sentiment_label == "neutral"


def test_a_pick_belongs_to_the_brand_it_names_and_rank_is_text_order() -> None:
    found = by_brand("Between HubSpot and Brightpath CRM, I'd go with Brightpath.")
    assert (found["brightpath"].sentiment_label, found["brightpath"].role) == ("positive", "recommended")
    assert (found["hubspot"].sentiment_label, found["hubspot"].role) == ("neutral", "listed")
    assert (found["hubspot"].rank, found["brightpath"].rank) == (1, 2)


def test_a_verdict_column_judges_the_row_and_a_plain_row_is_listed() -> None:
    text = "| CRM | Price | Verdict |\n|---|---|---|\n| Brightpath CRM | $15 | Top pick |\n| HubSpot | $20 | Avoid |\n"
    found = by_brand(text)
    assert (found["brightpath"].sentiment_label, found["brightpath"].role) == ("positive", "recommended")
    assert (found["hubspot"].sentiment_label, found["hubspot"].role) == ("negative", "warned_against")
    plain = by_brand("| CRM | Price | Seats |\n|---|---|---|\n| Brightpath CRM | $15 | 10 |\n")["brightpath"]
    assert (plain.sentiment_label, plain.role) == ("neutral", "listed")


def test_a_heading_naming_what_not_to_trust_warns_against_its_sections() -> None:
    text = (
        "## CRMs not to rely on for a growing team\n\n"
        "### Brightpath CRM\n"
        "Imports are quick and the mobile app is tidy.\n"
    )
    target = by_brand(text)["brightpath"]
    assert (target.sentiment_label, target.role) == ("negative", "warned_against")


def test_picking_or_skipping_the_brand_by_name_is_judged_and_a_negated_recommendation_grades_nothing() -> None:
    picked = by_brand("If I were hiring for a four-person agency today, I'd choose Brightpath CRM.")["brightpath"]
    assert (picked.sentiment_label, picked.role) == ("positive", "recommended")
    skipped = by_brand("Honestly, skip Brightpath CRM unless all you need is a shared address book.")["brightpath"]
    assert skipped.sentiment_label == "negative"
    text = "## CRMs we would not recommend\n\n### Brightpath CRM\nDeal stages are fixed and exports are PDF only.\n"
    assert by_brand(text)["brightpath"].role == "warned_against"


def test_a_name_that_is_only_a_coined_word_and_a_legal_suffix_owns_its_product_lines() -> None:
    # Nothing was dropped but "Inc.": "Ferrowind Cloud" and "Ferrowind Events" are its own lines.
    org = adhoc_org("Ferrowind Inc.", [], ["https://ferrowind.io"], [("Eventbrite", ["eventbrite.com"])])
    text = "Ferrowind Cloud runs the box office; Ferrowind Events handles festival wristbands. Eventbrite is simpler."
    target = {m.brand: m for m in extract_mentions(text, org)}
    assert target["target"].occurrences == 2 and target["target"].rank == 1


def test_a_clause_naming_no_brand_goes_on_about_the_sentences_subject() -> None:
    found = by_brand("Brightpath CRM costs more than Zoho CRM, but the forecasting is worth it.")
    assert found["brightpath"].sentiment_label == "positive"
    steered = by_brand("For a two-person studio I'd steer you toward Brightpath CRM: setup is an afternoon.")
    assert steered["brightpath"].role == "recommended"


def test_a_lead_in_grades_by_its_words_of_quality_not_by_a_criterion() -> None:
    cards = "\n\n**Brightpath CRM**\n4.6 ★ (310) · CRM software\nPipelines, email sync and a mobile app.\n"
    for graded in ("Strong CRMs for a five-person agency:", "Dependable CRMs for field sales teams:"):
        assert by_brand(graded + cards)["brightpath"].sentiment_label == "positive", graded
    for criterion in ("Affordable CRMs for a five-person agency:", "CRMs with a mobile app:"):
        assert by_brand(criterion + cards)["brightpath"].sentiment_label == "neutral", criterion
    warned = by_brand("CRMs we would stay wary of for a growing team:" + cards)["brightpath"]
    assert (warned.sentiment_label, warned.role) == ("negative", "warned_against")


def test_a_set_its_customers_love_is_graded_but_not_one_for_readers_who_love_something() -> None:
    cards = "\n\n**Brightpath CRM**\n4.6 ★ (310) · CRM software\nPipelines, email sync and a mobile app.\n"
    assert by_brand("CRMs small agencies love:" + cards)["brightpath"].sentiment_label == "positive"
    assert by_brand("CRMs for founders who love spreadsheets:" + cards)["brightpath"].sentiment_label == "neutral"


def test_a_pick_of_another_brand_over_this_one_concludes_against_it() -> None:
    org = adhoc_org("Brightpath CRM", [], [], [("HubSpot", [])])
    section = (
        "## Brightpath CRM vs. HubSpot\n\n"
        "Brightpath CRM has the cleaner pipeline view. HubSpot has the larger integration library.\n"
        "For a sales team of ten, I'd pick HubSpot over Brightpath CRM."
    )
    mentions = {m.brand: m for m in extract_mentions(section, org)}
    assert mentions["target"].sentiment_label == "negative"


def test_a_consequence_naming_another_brand_leaves_the_criticism_with_the_subject() -> None:
    org = adhoc_org("Brightpath CRM", [], [], [("HubSpot", [])])
    sentence = (
        "Brightpath CRM has the lowest seat price, but reviews describe the sync failing for days at a time, "
        "so I'd choose HubSpot."
    )
    assert {m.brand: m for m in extract_mentions(sentence, org)}["target"].sentiment_label == "negative"


def test_the_orgs_own_domain_written_as_text_names_it_even_when_its_root_is_an_everyday_word() -> None:
    # "foliage" is an English word, so the bare word is no mention; its own domain is
    org = adhoc_org("Foliage Prints Inc.", [], ["https://www.foliage.com"], [("Snapfish", ["snapfish.com"])])
    text = "For matte paper, [foliage.com](https://foliage.com/papers?utm_source=openai) offers three finishes."
    target = {m.brand: m for m in extract_mentions(text, org)}["target"]
    assert target.mentioned and target.occurrences == 1
    assert not {m.brand: m for m in extract_mentions("Leaves and foliage need light.", org)}["target"].mentioned


def test_a_name_with_a_digit_is_a_name_not_everyday_words() -> None:
    org = adhoc_org("Keyfold Inc.", [], ["https://keyfold.io"], [("1Password", ["1password.com"])])
    found = {m.brand: m for m in extract_mentions("Managers with passkeys:\n\n- 1Password\n- Keyfold\n", org)}
    assert found["c1"].mentioned and found["target"].rank == 2


def test_an_avoid_lead_in_may_say_how_the_answer_knows_after_a_comma() -> None:
    org = adhoc_org("Brassvale Movers LLC", [], ["https://brassvale.com"], [("Two Men and a Truck", [])])
    text = (
        "Movers to avoid in Denver, going by the past year's reviews:\n\n"
        "- **Brassvale Movers** – quotes of $900 that became $1,600 on moving day.\n"
        "- **Quickhaul** – crews that arrived four hours after the window.\n"
    )
    assert {m.brand: m for m in extract_mentions(text, org)}["target"].sentiment_label == "negative"


def test_a_pick_belongs_to_a_brand_named_in_its_own_clause() -> None:
    org = adhoc_org("Ridgeholt Roofing LLC", [], ["https://ridgeholt.com"], [("Baker Roofing", [])])
    text = (
        "Ridgeholt Roofing is the contractor homeowners here recommend most: it installs Class 4 shingles, "
        "and its warranty is longer than the two years Baker Roofing offers."
    )
    found = {m.brand: m for m in extract_mentions(text, org)}
    assert found["target"].sentiment_label == "positive"


def test_a_however_turns_the_brands_sentence_just_before_it_not_one_further_away() -> None:
    org = adhoc_org("Ridgeholt Roofing LLC", [], ["https://ridgeholt.com"], [("Baker Roofing", [])])
    turned = (
        "Ridgeholt Roofing has the lowest quotes in Tulsa and tidy crews. However, Ridgeholt left three roofs "
        "leaking after hail repairs this spring."
    )
    assert {m.brand: m for m in extract_mentions(turned, org)}["target"].sentiment_label == "negative"
    apart = (
        "Ridgeholt Roofing is well reviewed in Tulsa. Baker Roofing offers the longest warranty. However, "
        "Ridgeholt is faster and more affordable."
    )
    assert {m.brand: m for m in extract_mentions(apart, org)}["target"].sentiment_label == "positive"


def test_a_brand_picked_over_another_is_not_warned_against() -> None:
    org = adhoc_org("Ridgeholt Roofing LLC", [], ["https://ridgeholt.com"], [("Baker Roofing", [])])
    for text in (
        "I'd take the 10-year warranty from Ridgeholt Roofing over Baker Roofing any day.",
        "Ridgeholt Roofing is my pick, with Baker Roofing a close second.",
        "Ridgeholt Roofing is my pick over Baker Roofing for steep roofs.",
        "Ridgeholt Roofing is the one to call before Baker Roofing.",
    ):
        assert {m.brand: m for m in extract_mentions(text, org)}["target"].sentiment_label == "positive", text


def test_a_numbered_heading_is_not_a_brand() -> None:
    org = adhoc_org("Ridgeholt Roofing LLC", [], ["https://ridgeholt.com"], [("Baker Roofing", [])])
    found = extract_mentions("**Phase 3**: Book Ridgeholt Roofing for the tear-off.\n", org)
    assert [m.brand for m in found if m.brand_kind == "discovered"] == []


def test_another_brand_picked_instead_is_a_conclusion_against_this_one() -> None:
    org = adhoc_org("Fenwick Storage LLC", [], ["https://fenwickstorage.com"], [("Keepsafe Storage", [])])

    def labels(text: str) -> tuple[str | None, str | None]:
        found = {m.brand: m for m in extract_mentions(text, org)}
        return found["target"].sentiment_label, found["c1"].sentiment_label

    # a deferral of this brand until it recovers, or a pick of another in its own section, "instead"
    assert labels("Until Fenwick Storage repairs its gate keypad, I'd rent from Keepsafe Storage instead.") == (
        "negative",
        "positive",
    )
    section = (
        "## Fenwick Storage\nClean units and friendly staff. However, two renters found their locks cut and "
        "boxes missing.\n\nFor anything valuable I'd store it with Keepsafe Storage instead.\n"
    )
    assert labels(section)[0] == "negative"
    # another brand picked with no "instead" leaves this one to its own words; a pick of this one stands
    assert labels("Between Fenwick Storage and Keepsafe Storage, I'd rent from Keepsafe Storage.")[0] == "neutral"
    assert labels("Keepsafe Storage is closer, but I'd rent from Fenwick Storage instead.")[0] == "positive"


def test_another_option_picked_over_this_brand_is_a_conclusion_against_it() -> None:
    org = adhoc_org("Fenwick Storage LLC", [], ["https://fenwickstorage.com"], [("Keepsafe Storage", [])])

    def target(text: str) -> str | None:
        return {m.brand: m for m in extract_mentions(text, org)}["target"].sentiment_label

    assert (
        target(
            "For anything valuable, a site with cameras on every aisle, such as Keepsafe Storage, is the safer "
            "choice over Fenwick Storage."
        )
        == "negative"
    )
    # this brand picked over another is its pick; a plain fact comparing them is left alone
    assert target("Fenwick Storage is the safer choice over Keepsafe Storage for valuables.") == "positive"
    assert target("Fenwick Storage has more drive-up units than Keepsafe Storage.") == "neutral"
