from ai_visibility.extraction.sentiment import judge, score


def test_words_naming_what_a_business_deals_with_are_not_opinions() -> None:
    # VADER rates "interest", "support", "care" and "injury" as feelings; here they name a subject.
    for fact in (
        "It pays 4.1% interest on savings.",
        "It has 24/7 customer support.",
        "It offers urgent care visits on weekends.",
        "The firm handles injury and accident claims.",
        "Tools like Pipedrive and Close offer pipelines.",
    ):
        assert score(fact) == 0.0, fact
    assert score("Customers report problems with billing.") < 0
    assert score("Salespeople like it.") > 0


def test_a_brand_is_judged_over_all_its_passages() -> None:
    assert judge(["Setup is quick and the reports are excellent.", "Pricing is $12 per user."])[1] == "positive"
    assert judge(["The sync fails often and the app crashes."])[1] == "negative"
    assert judge(["| $12/user | Yes | 14 days |"]) == (0.0, "neutral")


def test_a_recommendation_negated_is_a_warning() -> None:
    for text in ("We don't recommend it for teams over 50.", "I can't really recommend it.", "Not recommended."):
        assert judge([text])[1] == "negative", text
    assert judge(["We recommend it for small teams."])[1] == "positive"
    assert judge(["I want to recommend it to every small team."])[1] == "positive"


def test_offered_as_the_better_option_is_positive_but_the_other_option_is_not() -> None:
    assert judge(["So it is the cheaper option this month."])[1] == "positive"
    assert judge(["The other option is a spreadsheet."])[1] == "neutral"


def test_a_concession_weighs_less_than_the_point_it_concedes_to() -> None:
    # "Although X, Y" and "Y, although X": the point is Y, as VADER reads "X but Y".
    assert judge(["Although the schedule is demanding, the mentors are knowledgeable."])[1] == "positive"
    assert judge(["The mentors are knowledgeable, although the schedule is demanding."])[1] == "positive"
    assert judge(["While it is affordable, support is slow and unhelpful."])[1] == "negative"


def test_a_sentence_opening_with_however_turns_the_praise_before_it() -> None:
    passage = "It has convenient locations. However, patients mention long hold times and billing errors."
    assert judge([passage])[1] == "negative"
    assert (
        judge(["Convenient locations, however, the hold times are long and billing is a nightmare."])[1] == "negative"
    )


def test_presented_among_the_best_options_is_positive_unless_its_own_passage_has_a_caveat() -> None:
    facts = "Accepts most insurance plans; evening hours at three clinics."
    assert judge([facts]) == (0.0, "neutral")
    assert judge([facts], framing="best")[1] == "positive"
    assert judge(["Works, but it is built for agencies rather than engineering teams."], framing="best")[1] == "neutral"
    assert judge(["Pricier than the others and the app is clunky."], framing="best")[1] == "negative"


def test_look_elsewhere_and_beware_are_warnings() -> None:
    assert judge(["Free, but I'd look elsewhere if job placement matters."])[1] == "negative"
    assert judge(["Beware of the cancellation terms."])[1] == "negative"


def test_a_curly_apostrophe_negates_like_a_straight_one() -> None:
    assert score("The app isn’t reliable.") == score("The app isn't reliable.") < 0
    assert judge(["It doesn’t feel clunky at all."])[1] == judge(["It doesn't feel clunky at all."])[1] == "positive"


def test_a_recommendation_with_a_minor_caveat_stays_positive_and_heavier_caveats_outweigh_it() -> None:
    assert (
        judge(["My top pick: setup takes an hour and support is friendly.", "The only downside is the price."])[1]
        == "positive"
    )
    assert (
        judge(["Flat-rate quotes and GPS tracking.", "Only drawback: a 2,000 lb minimum."], framing="best")[1]
        == "positive"
    )
    outweighed = "It is the best value on paper, but billing errors, outages and unanswered tickets are common."
    assert judge([outweighed])[1] == "negative"


def test_a_conclusion_against_the_brand_or_advice_to_protect_yourself_is_a_warning() -> None:
    for text in (
        "Friendly staff, but not worth the premium here.",
        "Wait until the sync issues are fixed.",
        "Fine for small jobs; ask for the warranty terms in writing.",
        "Don't buy it for a team over ten.",
    ):
        assert judge([text])[1] == "negative", text


def test_price_levels_are_judged_and_a_lack_after_but_is_the_point() -> None:
    assert score("Low monthly fees and fast payouts.") > 0
    assert score("Several customers report surprise renewal fees.") < 0
    assert score("Higher premiums than most rivals.") < 0
    assert judge(["Setup is easy, but phone support is not included."])[1] == "negative"
    assert score("The dashboard is the cleanest of the three.") > 0  # "cleanest" read as "clean"


def test_a_conclusion_to_choose_another_is_a_warning() -> None:
    for text in (
        "The rooms look lovely online, but guests report broken air conditioning, so I'd book something else.",
        "Quotes are low; still, after three no-shows I would shop elsewhere.",
        "Skip it if you need weekend appointments.",
    ):
        assert judge([text])[1] == "negative", text


def test_a_pick_in_the_answers_own_voice_is_a_recommendation() -> None:
    for text in (
        # brand names arrive masked out, as blanks
        "Under $600, the     Duo is the model I would get: steady temperature and a real steam wand.",
        "For a leaking water heater I would call         first: they quote a flat fee before they start.",
    ):
        assert judge([text])[1] == "positive", text
    # a pick has the brand (or "them") as its object, not a third party or a manner
    for text in (
        "Before you hire           , I'd call the state licensing board first.",
        "Prices vary by county, so I would pick based on your budget.",
    ):
        assert judge([text])[1] != "positive", text


def test_a_caveat_the_answer_calls_minor_after_naming_it_stays_minor() -> None:
    passage = (
        "- The quietest grinder we tested:\n"
        "  - Burrs stay aligned after months of daily use.\n"
        "  - Its weak spot is minor: the hopper is small and scratches easily."
    )
    assert judge([passage], framing="best")[1] == "positive"
    # not called minor, the same weak spot is a caveat that leaves the passage to its own tone
    assert judge([passage.replace(" is minor:", ":")], framing="best")[1] == "negative"


def test_a_mode_a_product_works_in_is_no_opinion_and_customers_turned_away_is_criticism() -> None:
    assert score("The point-of-sale app keeps taking cards offline and uploads them later.") == 0.0
    assert judge(["Diners with a booking were turned away at the host stand on two busy Fridays."])[1] == "negative"
    assert judge(["Diners with a booking were never turned away, even on busy Fridays."])[1] == "positive"
    assert judge(["After the update, several shop owners were locked out of their dashboards."])[1] == "negative"
    assert judge(["The card reader's Bluetooth pairing is flaky."])[1] == "negative"


def test_a_status_an_industry_and_a_case_a_firm_handles_are_no_opinions() -> None:
    for fact in (
        "Approved for use in public schools since 2023.",
        "Wind energy contracts for farms in three counties.",
        "Its 28% fee applies when the lawsuit is settled before trial.",
    ):
        assert score(fact) == 0.0, fact
    assert judge(["The chatbot gave inappropriate answers to several customers."])[1] == "negative"


def test_what_others_report_having_happened_to_them_is_criticism_unless_it_praises_clearly() -> None:
    # told as facts with no word a lexicon rates as bad, or with a stray rated word ("fresh")
    for report in (
        "Two tenants on a local forum found mould behind fresh drywall a month after moving in.",
        "Several owners report boilers that failed again within a week of the repair.",
        "A long Reddit thread describes subscribers billed for a year after they cancelled.",
    ):
        assert judge([report])[1] == "negative", report
    assert judge(["Customers report fast, friendly service and fair quotes."])[1] == "positive"
    assert judge(["Reviewers say the instructors are patient and knowledgeable."])[1] == "positive"
    # a heading reports nothing
    assert judge(["### What clients report", "Reviews average 4.8 stars, with praise for clear advice."])[1] == (
        "positive"
    )


def test_a_precaution_against_the_brand_or_setting_it_aside_is_a_warning() -> None:
    for text in (
        "The kitchens look great. Have the cabinets inspected by an independent fitter before you pay.",
        "The catalogue is huge; if you sign up, screenshot the cancellation page.",
        "Book a single trial class before you trust it with a ten-class pass.",
        "It is best left for small repairs, if at all.",
    ):
        assert judge([text])[1] == "negative", text
    assert judge(["Check the calendar for open dates, then book online."])[1] == "neutral"


def test_an_address_is_a_fact_whatever_words_it_is_made_of() -> None:
    assert judge(["**Harbor Tailors** · Alterations", "1820 Grand Ave, Oakland, CA 94612", "Hems and zips."]) == (
        0.0,
        "neutral",
    )


def test_a_turn_after_praise_opens_a_caveat_whatever_words_it_is_told_in() -> None:
    passage = (
        "Fast sync and a tidy interface. However, a 2025 penetration test found its web vault keeping "
        "session tokens for months, and the patch took a quarter to ship."
    )
    assert judge([passage])[1] == "negative"
    assert judge(["Support is slow. However, the app itself is excellent and easy to use."])[1] == "positive"


def test_a_pick_of_anything_else_over_the_brand_is_a_warning() -> None:
    for text in (
        "Friendly counter staff. For a rebuild, I'd go to a transmission specialist rather than        .",
        "Nice templates, but I'd keep the master copies in another service.",
    ):
        assert judge([text])[1] == "negative", text
    assert (
        judge(["For parents who aren't comfortable with apps, my pick would be        : it explains each step."])[1]
        == "positive"
    )


def test_another_brand_picked_over_this_one_is_a_conclusion_against_it_whatever_the_words() -> None:
    # "Clean rooms and a friendly desk. I'd book Harbor Inn over Seaview Lodge.", as mentions passes it
    # for Seaview Lodge: the pick of Harbor Inn masked out with both names, and the pick as a signal
    text = "Clean rooms and a friendly desk. " + " " * len("I'd book Harbor Inn") + " over " + " " * 13 + "."
    assert judge([text])[1] == "positive"
    value, sentiment_label = judge([text], passed_over=True)
    assert sentiment_label == "negative"
    assert value <= -0.5


def test_a_faint_caveat_and_a_merit_balance_and_an_inconvenience_called_small_stays_minor() -> None:
    assert judge(["It costs more than Chase ($12 a month against $5) but has more branches in town."])[1] == "neutral"
    assert (
        judge(
            [
                "A wide organic range, packed carefully.",
                "Pickup slots are an hour wide, which is a small inconvenience.",
            ],
            "best",
        )[1]
        == "positive"
    )


def test_a_price_named_as_a_multiple_of_anothers_is_criticism() -> None:
    assert judge(["An oil change costs twice Jiffy Lube's price, and the car stays all morning."])[1] == "negative"


def test_praise_with_only_a_price_or_convenience_caveat_after_but_stays_positive() -> None:
    assert (
        judge(["A strong choice for calculus: its tutors are former teachers, but at $95 an hour it costs more."])[1]
        == "positive"
    )
    assert (
        judge(["Lovely instructors and calm rooms, but the lot has six spaces, so parking at 6 PM takes a while."])[1]
        == "positive"
    )
    # a caveat beyond price, or a core one, is not minor
    assert (
        judge(["The most capable tool, but it has a steep learning curve and is expensive for small teams."])[1]
        == "negative"
    )


def test_yes_charged_and_a_price_as_a_multiple_are_read_as_facts_of_price() -> None:
    assert judge(["Yes, it has a free tier of 10 GB a month."]) == (0.0, "neutral")
    assert judge(["Delivery is charged separately on discounted pieces."]) == (0.0, "neutral")
    assert judge(["The walnut desk costs $900, twice what IKEA charges for a similar one."])[1] == "negative"


def test_mild_praise_and_a_mismatch_told_as_such_balance() -> None:
    for text in (
        "It does decent work on weekly cleans, but it is set up for studio flats rather than a family home.",
        "A capable lender, but it concentrates on jumbo loans rather than the FHA loans you asked about.",
    ):
        assert judge([text])[1] == "neutral", text
    assert (
        judge(["Its movers are excellent, but they are set up for local moves rather than cross-country ones."])[1]
        == "negative"
    )


def test_a_mismatch_told_against_the_readers_need_or_in_the_next_sentence_balances_faint_praise() -> None:
    for text in (
        "A decent bookkeeping firm, but it works with sole traders rather than the payroll you need for 40 staff.",
        "A capable family gym. It is set up mostly for weightlifting, though, rather than the swim lessons you asked"
        " about.",
    ):
        assert judge([text])[1] == "neutral", text
    # clear praise turned by a mismatch is still turned; a mismatch with no praise is no praise
    assert judge(["An excellent gym. It is set up for lifters, though, rather than the swim lessons you want."])[1] == (
        "negative"
    )
    # ordinary sentences are left alone: a plain pick, a plain fact, praise with a small caveat
    assert judge(["I'd go with it rather than the bigger chains you mentioned."])[1] == "positive"
    assert judge(["It teaches evening classes rather than weekend ones."]) == (0.0, "neutral")
    assert judge(["Friendly, patient coaches, but parking is tight."])[1] == "positive"


def test_documenting_before_handing_over_and_a_promise_written_into_the_contract_are_precautions() -> None:
    for text in (
        "If you book them, photograph anything fragile before the crew arrives.",
        "Get the promised credit written into your Loan Estimate and check it again at closing.",
    ):
        assert judge([text])[1] == "negative", text
    assert judge(["If you go with        , bring your own mat on Saturdays."]) == (0.0, "neutral")


def test_a_characterisation_is_an_opinion_and_a_price_above_anothers_by_an_amount_is_criticism() -> None:
    assert judge(["Parents describe the director as quick to answer and easy to reach."])[1] == "positive"
    assert judge(["It charges $1,960 a month for infant care, $310 more than the centre next door."])[1] == "negative"


def test_a_however_turns_the_sentence_before_it_in_the_same_passage() -> None:
    passage = (
        "It has the cheapest unlimited plan in town, and its vacuums are among the strongest. However, its "
        "tunnel tore off side mirrors on several cars this year, and it turned down every claim."
    )
    assert judge([passage])[1] == "negative"
    # praise after a turn is praise
    assert judge(["It has fair prices. That said, the real draw is its excellent, careful crew."])[1] == "positive"


def test_among_the_best_a_caveat_of_price_alone_is_minor_and_catch_the_verb_names_no_caveat() -> None:
    passages = [
        "Preparers who catch missed deductions and explain every line of Schedule E.",
        "It costs more than the chain for the same return, about $90 extra.",
    ]
    assert judge(passages, "best")[1] == "positive"
    assert judge(["Friendly preparers.", "Read the loan terms line by line before you sign anything."])[1] == (
        "negative"
    )


def test_a_pick_by_link_a_refusal_in_prose_and_a_pick_of_a_kind_over_the_brand() -> None:
    assert judge(["For a first pair, I'd order from [     .com](        ): returns are free for 60 days."])[1] == (
        "positive"
    )
    assert judge(["Verdict: pass for now. No certified payroll reports, so each job needs a workaround."])[1] == (
        "negative"
    )
    assert judge(["I'd choose an independent teacher with a steady schedule over        for a beginner."])[1] == (
        "negative"
    )
    # another brand picked over it is read for each brand by the shared-sentence rule, not here
    assert judge(["I'd go with        over        for most teams."])[1] == "positive"


def test_the_one_to_call_picks_keeping_things_elsewhere_refuses_and_an_unrated_caveat_is_a_caveat() -> None:
    assert (
        judge(["If you want to learn on a manual,        is the one to call: it keeps three stick-shift cars."])[1]
        == "positive"
    )
    assert judge(["Until an audit is published, I wouldn't keep client notes in        ."])[1] == "negative"
    recommended = "       is the best fit for you: search works on every tablet, but PDF export flattens pen layers."
    assert judge([recommended])[1] == "positive"
    # without a recommendation, praise and an unrated caveat after "but" read as the caveat, faintly
    assert judge(["Easy to use, but PDF export flattens pen layers."])[1] != "positive"


def test_ordinary_praise_and_facts_are_not_read_as_reports_precautions_or_conclusions() -> None:
    """Sentences of the kinds engines write that the readings above must leave alone."""
    for praise in (
        "Guests report the rooms are quiet and spotless.",
        "Customers report fast, friendly service and fair quotes.",
        "It lets you try the service free for 14 days, and its editor is excellent.",
        "Its screenshot tool is excellent for bug reports.",
    ):
        assert judge([praise])[1] == "positive", praise
    for fact in (
        "Homeowners report that it finished the job a day early.",
        "Every inspection is checked by an independent engineer.",
        "Weekend slots are best left to reservations made a week ahead.",
        "It rarely charges a booking fee, if at all.",
    ):
        assert judge([fact])[1] != "negative", fact
    # a caveat of price after praise is minor; a failure or billing trap after "but" is not
    assert judge(["A great tutor, but she doesn't always show up for appointments."])[1] == "negative"
    assert judge(["Good quality, but the fees are hidden until checkout."])[1] == "negative"
    assert judge(["Friendly enough, but the techs guess rather than diagnose."])[1] == "negative"


def test_a_check_told_before_committing_warns_when_the_passage_tells_of_trouble() -> None:
    for text in (
        "Quick turnaround on brake jobs, but two owners found the pads had not been replaced at all. "
        "Ask them for the old parts before you pay.",
        "Bright classrooms. The inspection report for 2024 lists four safety violations. "
        "Before enrolling, ask the director what has changed since.",
        "Good coverage maps. Since June, several members were charged twice for the same month. "
        "Check every statement before you make the next payment.",
    ):
        assert judge([text])[1] == "negative", text
    # beside praise, a plain fact or a minor caveat, the same check is an ordinary tip
    assert judge(["Friendly instructors and flexible class times. Check the timetable before you book."])[1] == (
        "positive"
    )
    assert judge(["Great food, but parking is tight. Ask about validation before you pay."])[1] == "positive"
    assert judge(["Before booking, ask them about group discounts."]) == (0.0, "neutral")


def test_a_reminder_to_get_out_before_the_brand_bills_again_is_a_warning() -> None:
    for text in (
        "The first box is free; set a reminder to cancel before the trial ends.",
        "Nice playlists. Set a reminder before your annual renewal, as the price doubles in year two.",
        "Cancelling takes a phone call. Screenshot the confirmation email.",
    ):
        assert judge([text])[1] == "negative", text
    for text in (
        "Set a reminder to renew your membership in May to keep the early-bird rate.",
        "The app lets you set a reminder before each class.",
    ):
        assert judge([text])[1] != "negative", text


def test_a_report_of_something_missing_or_of_a_wrong_bill_is_a_complaint() -> None:
    assert judge(["Two parents found the tutor had no teaching qualification at all."])[1] == "negative"
    assert judge(["Several members were charged twice for the same month."])[1] == "negative"
    assert judge(["Reviewers found no hidden fees."])[1] != "negative"
    assert judge(["Owners report no issues after two winters."])[1] != "negative"
    assert judge(["Guests were charged the advertised rate."]) == (0.0, "neutral")
    assert judge(["Members are charged $15 a month."]) == (0.0, "neutral")


def test_a_pick_of_anything_over_this_one_or_a_refusal_to_entrust_it_with_things_is_a_warning() -> None:
    for text in (
        "For a wedding cake, I'd go to a specialist baker rather than this one.",
        "I wouldn't keep tax or payroll records in it.",
    ):
        assert judge([text])[1] == "negative", text
    for text in (
        "I'd take the annual plan rather than the monthly one.",
        "I'd choose the larger size rather than that one.",
        "Until they fix the app, I'd book by phone.",
    ):
        assert judge([text])[1] != "negative", text


def test_a_number_after_for_is_a_span_or_a_date_not_the_readers_need() -> None:
    assert score("The inspection report for 2024 lists four safety violations.") < 0
    assert score("Ideal for people with bad credit.") >= 0


def test_ready_as_a_time_and_a_spec_sheets_fields_are_facts() -> None:
    for fact in (
        "Most orders are ready to ship in three days.",
        "In-stock sofas are ready for pickup the same day.",
        "One place is ready from March 1.",
        "The studio is ready ten minutes before each class.",
    ):
        assert score(fact) == 0.0, fact
    assert score("The staff are always ready to help.") > 0
    assert score("Two orders were not ready at the agreed pickup time.") < 0
    assert judge(["- Seats: 5", "- Boot space: 470 litres", "- Top speed: 130 mph"]) == (0.0, "neutral")
    assert judge(["- Staff: friendly and quick"])[1] == "positive"
    assert judge(["Price: $39, and worth every penny."])[1] == "positive"


def test_criticism_in_words_no_lexicon_rates_is_read() -> None:
    for caveat in (
        "The bathrooms feel dated.",
        "The lobby looks a bit tired.",
        "The lid does not close properly.",
        "The app doesn't sync reliably between phones.",
    ):
        assert score(caveat) < 0, caveat
    assert judge(["It charges considerably more than the big chains for the same prescription."])[1] == "negative"
    assert score("The invoice is dated March 3.") == 0.0
    assert score("The new menu looks great.") > 0
    assert score("If it doesn't close properly, they replace the lid at no charge.") == 0.0


def test_a_kind_of_business_a_status_and_an_event_hosted_are_no_opinions() -> None:
    for fact in (
        "Escape room companies in town include three chains.",
        "Both hold active locksmith licences, renewed in March.",
        "It offers a buyout of all rooms for private parties of up to 30.",
    ):
        assert score(fact) == 0.0, fact
    assert score("Its members are active and welcoming.") > 0
    assert score("Its escape from the usual chain look is refreshing.") > 0


def test_what_others_had_happen_or_what_was_done_to_them_tells_of_trouble() -> None:
    for text in (
        "Several owners had the pump stop after a week, leaving the pond without a filter.",
        "A few buyers received sofas with missing legs.",
        "Two customers were quoted $300 for the job and then billed $520.",
        "Some users report the app no longer syncs with Outlook since the update.",
        "Several shoppers had orders delivered three days late.",
        "Customers reported bags of mulch that came up a few pounds short.",
        "Since the redesign, users report that saved playlists no longer load offline.",
    ):
        assert judge([text])[1] == "negative", text
    # a report with no trouble in it is read as it is
    assert judge(["Guests had a lovely stay and report the staff were helpful."])[1] == "positive"
    for text in (
        "Owners report the install went without a hitch.",
        "Customers were given a tote bag with every order.",
        "Members had their questions answered within a day.",
        "Patients report the office stays open late on Thursdays.",
        "Reviewers report short waits at the pharmacy counter.",
        "Members report they no longer have to queue at the front desk.",
    ):
        assert judge([text])[1] != "negative", text


def test_checking_what_is_delivered_or_agreed_to_before_committing_warns_beside_trouble() -> None:
    for text in (
        "Quick installs, but two homeowners found panels missing from the pallet. Count the boxes before you sign"
        " for the delivery.",
        "Several patients were billed more than their quote. Get a written estimate before you agree to treatment.",
    ):
        assert judge([text])[1] == "negative", text
    # beside praise the same check is an ordinary tip
    assert judge(["Friendly staff and fair prices. Test the mattress in the store before you buy."])[1] == "positive"
    assert judge(["Measure your doorway before you order a sofa."]) == (0.0, "neutral")


def test_a_price_above_anothers_by_a_share_or_a_sum_of_money_is_criticism() -> None:
    for text in (
        "Its potting mix runs a few dollars more per bag than the big-box stores, and the lines are long.",
        "Its monthly plan costs about 20% more than the national chains.",
        "The other two charge $90 to come out; this one asks twice that call-out fee.",
    ):
        assert judge([text])[1] == "negative", text
    # a rate paid to the customer is no price; praise with a price caveat after "but" stays praise
    assert judge(["Its savings account pays 0.5% more than most banks."])[1] != "negative"
    assert judge(["Superb, careful movers, but they cost about 10% more than the chains."])[1] == "positive"
