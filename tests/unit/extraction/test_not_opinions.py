from ai_visibility.extraction.sentiment import judge, score


def test_the_readers_need_is_no_judgement_of_the_brand_unless_it_gives_a_reason() -> None:
    assert score("A good choice for drivers with bad credit.") > 0
    assert score("Ideal for people who hate paperwork.") >= 0
    assert score("Known for slow payouts.") < 0
    assert score("Reviewers criticise it for hidden fees.") < 0
    assert score("Customers flag it for surprise fees.") < 0


def test_the_problem_a_business_removes_is_not_a_criticism_of_it() -> None:
    for fact in (
        "It quarantines infected files automatically.",
        "The crew kills termites and seals the entry points.",
        "It blocks suspicious logins.",
        "The app logs every call to avoid double entry.",
    ):
        assert score(fact) >= 0, fact
    assert score("The app stops working when the signal drops.") < 0
    assert score("They cut corners on the wiring.") < 0
    # the noun of a remedy verb is no remedy: what follows it is a judgement
    assert score("Treatment was rushed and painful.") < 0
    assert score("The fixes were sloppy.") < 0
    assert score("Negative reviews for slow service.") < 0


def test_names_conditions_and_the_alternative_set_aside_carry_no_tone() -> None:
    # "Better", "Good": a regulator's and a magazine's names, not praise
    assert score("The firm is listed by the Better Business Bureau and reviewed in Good Housekeeping.") == 0.0
    assert score("Check back once the new app is stable.") == 0.0
    assert score("Real people answer the phone rather than a frustrating phone tree.") == 0.0


def test_no_is_a_fact_and_a_lack_after_praise_and_but_is_the_caveat() -> None:
    assert judge(["It charges no setup fee and no monthly fees on the basic plan."]) == (0.0, "neutral")
    assert judge(["It has no branches in Ohio."]) == (0.0, "neutral")
    assert score("Upfront pricing with no hidden fees.") > 0
    praise_then_lack = "Setup is easy and reports are clear, but it has no payroll and growing teams outgrow it."
    assert judge([praise_then_lack])[1] == "negative"


def test_the_need_after_for_ends_at_the_statements_own_verb() -> None:
    assert score("Refunds for returned chairs took over three months.") < 0
    assert score("A solid pick for drivers with bad credit.") > 0


def test_a_remedy_word_opening_a_statement_as_its_subject_is_a_noun() -> None:
    assert score("Repairs for older boilers are slow.") < 0
    assert score("Protects against fraud and identity theft.") == 0.0
