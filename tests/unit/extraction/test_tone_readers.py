"""General readings of tone added in extractions 2026.12-3 and 2026.12-4, on answers of the kinds engines write."""

from ai_visibility.extraction.sentiment import judge, score

MASK = " " * 12  # a brand's name, masked out as blanks before sentiment is read


def test_advice_to_be_on_guard_warns() -> None:
    assert judge(["Roofers we would stay wary of this season:"])[1] == "negative"
    assert judge(["Stay sceptical of the free inspection offer."])[1] == "negative"
    assert judge(["Ask them to put the quote in writing before any work starts."])[1] == "negative"


def test_a_first_person_pick_of_another_option_concludes_against_the_brand() -> None:
    passage = (
        "– good prices and a tidy showroom, but:\n"
        "  - deliveries slip by weeks;\n"
        "  - for a sofa, I'd go with a different store."
    )
    assert judge([passage])[1] == "negative"
    assert judge(["Friendly staff, though I would choose another gym for early classes."])[1] == "negative"
    # an instruction, not a verdict
    assert judge(["If one branch is full, try another nearby."])[1] != "negative"


def test_a_pick_by_any_verb_of_taking_up_an_offer_recommends() -> None:
    picks = (f"In Lisbon I'd book a flat with{MASK}: the flats are new.", f"I would sign up with{MASK}.")
    for pick in picks:
        assert judge([pick])[1] == "positive", pick


def test_yet_and_nevertheless_turn_the_statement() -> None:
    assert score("The lobby is bright and modern, yet guests report broken air conditioning and rude staff.") < 0
    assert score("Delivery is slow. Nevertheless, the furniture is excellent.") > 0
    assert score("It has not yet opened its second branch.") == 0.0


def test_a_faint_caveat_leaves_a_graded_option_positive() -> None:
    assert judge(["The trainers are friendly. Evening slots are limited."], "best")[1] == "positive"
    # a clear criticism is no faint caveat: the passage keeps its own tone
    assert judge(["Classes are overcrowded and the showers are filthy."], "best")[1] == "negative"


def test_the_circumstance_a_product_works_through_is_not_its_fault() -> None:
    assert score("The camera keeps recording when the power fails.") >= 0
    assert score("The app crashes when you upload photos.") < 0


def test_items_a_line_ending_but_introduces_are_caveats_whatever_their_words() -> None:
    item = (
        f"- **{MASK}** – solid sofas and an easy online checkout, but:\n"
        "  - refunds took two months to arrive;\n"
        "  - one sofa came with a torn cushion and the swap took three weeks."
    )
    assert judge([item])[1] == "negative"
    # the same facts with no "but:" over them are facts
    facts = f"- **{MASK}** – sofas from $499.\n  - refunds are issued within five days."
    assert judge([facts])[1] == "neutral"


def test_a_refusal_in_the_answers_own_voice_by_any_verb_of_taking_up_the_offer_warns() -> None:
    for refusal in (
        f"I wouldn't store furniture at{MASK}; the units are damp.",
        f"We would not book a wedding with{MASK} this year.",
    ):
        assert judge([refusal])[1] == "negative", refusal
    assert judge([f"I'd store a car at{MASK}: the lot is gated and lit."])[1] == "positive"
    # not the brand as the object: advice about the reader's own things
    assert judge(["I wouldn't store paint or fuel in any unit."])[1] != "negative"


def test_british_spellings_and_sanctions_are_read_as_the_words_they_are() -> None:
    assert score("Parents describe the school as disorganised.") < 0
    assert score("It is our favourite studio in town.") > 0
    assert score("The school was fined by the state last year.") < 0  # a penalty, not "fine"
    # a business cancelling on its customers is a failure, whatever a customer's own "cancel online" is
    assert score("Instructors often cancel at short notice.") < 0


def test_the_state_of_the_customers_served_is_not_the_brands() -> None:
    assert score("The vets are gentle with anxious dogs.") >= 0
    assert score("Instructors are patient with nervous drivers.") >= 0
    assert score("The instructors are nervous and late.") < 0


def test_raves_are_praise() -> None:
    assert score("Couples rave about the food and the terrace views.") > 0


def test_a_verb_naming_the_service_is_no_praise() -> None:
    assert score("The practice treats gum disease and tooth decay.") == 0.0
    assert score("The practice treats gum disease gently and thoroughly.") > 0


def test_a_pick_by_going_to_a_place_or_entrusting_it_something() -> None:
    assert judge([f"For a colour correction I'd go to{MASK} on Elm Street."])[1] == "positive"
    assert judge([f"I would take my spaniel to{MASK} for grooming."])[1] == "positive"
    assert judge(["The lot is unlit and unstaffed at night; I wouldn't park a van there."])[1] == "negative"
    assert judge([f"I wouldn't run payroll through{MASK} this quarter."])[1] == "negative"
    # taking or leaving needs an object handed over: these are no picks
    assert judge(["I would take it with a grain of salt."])[1] == "neutral"
    assert judge(["I would leave them off your shortlist."])[1] != "positive"


def test_the_answers_own_pick_named_as_a_noun_recommends() -> None:
    assert judge([f"For a small office, our recommendation is{MASK}: setup took an afternoon."])[1] == "positive"


def test_what_someone_must_avoid_is_a_need_not_a_warning() -> None:
    need = f"For diners who must avoid nuts,{MASK} prints every allergen on the menu."
    assert judge([need])[1] != "negative"
    assert judge([f"I would avoid{MASK} until the new owners settle in."])[1] == "negative"


def test_delays_stated_as_facts_are_criticism() -> None:
    assert score("Orders often arrive two days late.") < 0
    assert score("Replacement parts are taking months to come through.") < 0
    # lateness that is no delay: a fee, opening hours
    assert score("There is a $25 late fee.") == 0.0
    assert score("The kitchen stays open late on Fridays.") == 0.0


def test_a_pick_deferred_until_the_brand_recovers_concludes_against_it() -> None:
    assert judge([f"Until{MASK}'s phone line is staffed again, I'd book elsewhere."])[1] == "negative"


def test_a_price_compared_and_an_adverb_of_excess_are_caveats() -> None:
    assert score("It costs more per month than most rivals.") < 0
    assert score("The booking form is needlessly long.") < 0


def test_a_cap_is_no_praise() -> None:
    assert score("The basic plan tops out at two users.") == 0.0


def test_outcome_rates_are_judged_by_whose_good_they_are() -> None:
    assert score("The school reports a high pass rate for first-time drivers.") > 0
    assert score("Owners describe a high failure rate on the older units.") < 0
    assert score("A run of one-star reviews since the summer.") < 0
    assert score("A 4.6-star rating across 900 reviews.") == 0.0


def test_though_set_off_by_commas_turns_on_the_sentence_before() -> None:
    passage = "The gym floor is spotless. Since the spring, though, members say classes start an hour late."
    assert judge([passage])[1] == "negative"


def test_a_citation_marker_does_not_hide_the_word_before_it() -> None:
    assert score("Members describe the staff as unhelpful.[3]") < 0


def test_the_terms_of_a_membership_and_a_products_life_are_facts() -> None:
    assert score("Join in the app; you can cancel anytime.") == 0.0
    assert score("Shared office space; the team plan launched last spring.") == 0.0
    assert score("Two bookings were cancelled without notice.") < 0


def test_a_lead_time_quoted_or_a_late_service_hour_is_no_delay() -> None:
    assert score("Custom sofas take six weeks to build.") == 0.0
    assert score("The airport shuttle runs late on Fridays.") == 0.0
    assert score("Refunds took over three months, buyers say.") < 0


def test_passing_on_the_offer_or_putting_it_off_concludes_against_the_brand() -> None:
    assert judge(["Nice rooms, but I'd hold off until the pool reopens."])[1] == "negative"
    assert judge([f"For a wedding cake I would pass on{MASK}."])[1] == "negative"
    assert judge(["Unless you live next door, I'd give them a miss."])[1] == "negative"


def test_what_was_owed_and_not_done_is_a_failure() -> None:
    assert score("The crew never showed up for the second visit.") < 0
    assert score("Emails to the head office were never answered.") < 0
    assert judge(["Works fine, but refunds took two months and support never replied."])[1] == "negative"
    # not doing what was not owed is no failure
    assert score("It has never missed a delivery window.") > 0


def test_patient_the_adjective_praises_and_the_noun_names_who_is_served() -> None:
    assert score("The hygienists are patient and explain each step.") > 0
    assert score("The patient portal shows results within a day.") == 0.0


def test_a_price_rise_told_as_an_event_and_a_wait_told_in_the_past_are_criticism() -> None:
    assert score("Premiums jumped 25% at the first renewal.") < 0
    assert score("Claims have taken up to four months to settle.") < 0
    assert score("Installation usually takes two weeks from signing.") == 0.0


def test_out_of_reach_and_steering_well_clear() -> None:
    assert score("Reaching a manager is close to impossible.") < 0
    assert judge(["I'd steer well clear until the ownership change settles."])[1] == "negative"


def test_what_was_owed_told_in_the_passive_and_a_bill_over_the_quote_are_failures() -> None:
    assert score("Two damage claims were never paid out.") < 0
    assert score("Customers describe deposits not being returned.") < 0
    assert score("The final invoice came in far higher than quoted.") < 0
    # a policy, not a failure
    assert score("Equipment not returned within 30 days is billed at cost.") == 0.0


def test_a_pick_addressed_to_the_reader_for_a_need_recommends_but_an_instruction_does_not() -> None:
    assert judge([f"If you want a quiet room over a lively bar, stay at{MASK}."])[1] == "positive"
    assert judge([f"If you need to reschedule, use{MASK} app."])[1] == "neutral"


def test_past_the_time_promised_is_a_delay_and_a_promise_is_no_praise() -> None:
    assert score("Jobs routinely run days past the promised date.") < 0
    assert score("Kitchen remodels finish weeks behind schedule, reviewers say.") < 0
    assert score("The promised start date is in writing.") == 0.0


def test_a_price_raised_on_the_customer_is_criticism_and_hard_to_beat_is_praise() -> None:
    assert score("It raised my premium 35% after one windshield claim.") < 0
    assert score("For a bundled policy, the price is hard to beat.") > 0


def test_customers_shut_out_of_their_accounts_is_a_failure() -> None:
    assert score("Members say it suspended their accounts without warning.") < 0
    assert score("Closed accounts are archived for seven years.") == 0.0


def test_a_line_naming_its_own_items_as_cons_holds_caveats_whatever_their_words() -> None:
    card = f"**{MASK}**\n- Cons: the crew left two days into the job; the quote changed twice."
    assert judge([card])[1] == "negative"
