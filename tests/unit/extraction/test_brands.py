from ai_visibility.extraction.brand_matching import alias_pattern
from ai_visibility.extraction.brands import adhoc_org, generated_aliases
from ai_visibility.extraction.mentions import extract_mentions


def test_short_forms_drop_legal_suffixes_and_industry_words_while_they_stay_distinctive() -> None:
    assert "Northwind" in generated_aliases("Northwind Financial Group, Inc.", [])
    assert "Northwind Financial" in generated_aliases("Northwind Financial Group, Inc.", [])
    assert "Meadowbrook" in generated_aliases("Meadowbrook Health Clinic", [])
    # "Summit" and "Apex" are everyday words: alone they would match far too much.
    assert generated_aliases("Summit Financial", []) == []
    assert "Apex" not in generated_aliases("Apex Heating & Cooling LLC", [])
    assert {"BrightSpark", "Bright Spark"} <= set(generated_aliases("BrightSpark Electric", []))


def test_a_short_form_inside_another_tracked_brands_name_is_left_to_that_brand() -> None:
    names = ["Brightpath CRM", "Brightpath Academy"]
    assert "Brightpath" not in generated_aliases("Brightpath CRM", [], names)
    assert "Brightpath" in generated_aliases("Brightpath CRM", [], ["Brightpath CRM", "HubSpot"])


def test_short_forms_are_found_in_headings_bold_names_link_text_and_table_cells() -> None:
    org = adhoc_org("Northwind Financial Group", [], [], [("Ally Bank", [])])
    answer = (
        "### Northwind\n\n"
        "- **Northwind**: no monthly fees.\n"
        "- See [Northwind's rates](https://example.com/rates).\n\n"
        "| Bank | APY |\n|---|---|\n| Northwind | 4.1% |\n| Ally | 3.8% |\n"
    )
    target = extract_mentions(answer, org)[0]
    assert target.occurrences == 4 and target.rank == 1


def test_a_name_made_of_everyday_words_counts_only_when_written_as_a_name() -> None:
    org = adhoc_org("BrightSpark Electric", [], [], [])
    generic = "Hire an electrician with a bright spark of professionalism and a written warranty."
    assert not extract_mentions(generic, org)[0].mentioned
    assert extract_mentions("Bright Spark quoted $1,450 for the panel.", org)[0].mentioned


def test_a_capitalised_dictionary_word_mid_sentence_is_a_name_but_a_weekday_after_on_is_not() -> None:
    org = adhoc_org("Thumbtack", [], [], [("monday.com", [])])
    listed = extract_mentions("Post the job on Thumbtack and compare three quotes.", org)
    assert listed[0].mentioned
    org = adhoc_org("Monday", [], [], [])
    assert not extract_mentions("The team meets on Monday to plan the sprint.", org)[0].mentioned
    assert extract_mentions("Monday offers Gantt charts on paid plans.", org)[0].mentioned


def test_local_business_descriptors_are_dropped_while_what_is_left_is_distinctive() -> None:
    assert "Greenleaf" in generated_aliases("Greenleaf Veterinary Hospital", [])
    assert "Pinecrest" in generated_aliases("Pinecrest Auto Repair", [])
    assert "Ridgeview" in generated_aliases("Ridgeview Pediatrics", [])
    assert "Harper" not in generated_aliases("Harper Law Firm", [])  # an everyday word left alone


def test_a_name_matches_as_people_type_it() -> None:
    spellings = {
        "Joe's Pizza & Grill": ["Joe’s Pizza and Grill", "Joes Pizza & Grill"],
        "Mr. Electric": ["Mr Electric"],
        "Café Luna": ["Cafe Luna"],
        "Smith and Sons": ["Smith & Sons"],
    }
    for name, written in spellings.items():
        pattern = alias_pattern([name])
        for text in written:
            assert pattern.fullmatch(text), (name, text)
    assert not alias_pattern(["monday.com"]).search("mondaycom")  # a full stop inside a name stays


def test_a_leading_the_is_dropped_when_what_is_left_is_distinctive() -> None:
    assert "Grand Harbor Hotel" in generated_aliases("The Grand Harbor Hotel", [])
    assert "Home Depot" in generated_aliases("The Home Depot", [])
    assert "Summit" not in generated_aliases("The Summit", [])


def test_a_camelcase_short_form_is_coined_and_a_remainder_of_descriptors_is_not_a_name() -> None:
    # the dictionary lists "skylark", but written in CamelCase it is a coined name
    assert "SkyLark" in generated_aliases("SkyLark Technologies Ltd", [])
    assert "Sky Lark" in generated_aliases("SkyLark Technologies Ltd", [])
    assert "Family Dental" not in generated_aliases("Family Dental Care", [])


def test_an_alias_does_not_run_across_a_line_break() -> None:
    org = adhoc_org("Harbor Point Hotels", [], [], [])
    found = {m.brand: m for m in extract_mentions("Rooms face the harbor\nPoint Reyes is an hour away.", org)}
    assert not found["target"].mentioned
