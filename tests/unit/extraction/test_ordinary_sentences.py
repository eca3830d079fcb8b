"""Ordinary sentences an engine writes about a business, read end to end as docs/definitions.md
says, beside the cases each rule is for (a cold review of the rules wrote them: rules that fire on
the intended case must not fire on the ordinary one)."""

from ai_visibility.extraction.brands import adhoc_org
from ai_visibility.extraction.mentions import extract_mentions


def label(brand: str, text: str, competitor: str = "Acme Co") -> str:
    """The sentiment label the brand gets from `text`, with one competitor tracked."""
    org = adhoc_org(brand, [], [], [(competitor, [])])
    return next(str(m.sentiment_label) for m in extract_mentions(text, org) if m.brand == "target")


def test_praise_with_a_tip_a_softened_caveat_or_a_convenience_limit_stays_positive() -> None:
    for brand, text in (
        ("Smile Studio", "Smile Studio is excellent, but ask for a written treatment plan before you start."),
        ("Harbor View Hotel", "Harbor View Hotel is lovely, but note that the pool closes at 8 pm."),
        ("Rise Bakery", "Rise Bakery makes wonderful croissants, but they sell out by 10 am."),
        ("Northwind Bank", "Northwind Bank has excellent customer service, but its website is a bit clunky."),
        ("Peak Fitness", "**Peak Fitness**\nFriendly coaches. However, the only downside is that parking is tight."),
    ):
        assert label(brand, text) == "positive", text
    # what the weighing is for: a caveat the lexicon cannot rate still weighs against faint praise,
    # a core one against clear praise, and a turn to a caveat not called minor outweighs the praise
    for brand, text in (
        ("Inkwell", "Inkwell is easy to use, but PDF export flattens pen layers."),
        ("Smile Studio", "Smile Studio is excellent, but it has a bit of a billing error problem."),
        ("Peak Fitness", "**Peak Fitness**\nFriendly coaches. However, the showers are often broken."),
    ):
        assert label(brand, text) == "negative", text
    # a check before committing, beside trouble more than minor, is still a precaution
    assert label("Smile Studio", "Smile Studio has made billing errors; ask for a written plan before you pay.") == (
        "negative"
    )


def test_a_convenience_tip_or_a_reminder_to_decide_is_no_precaution_but_keeping_proof_is() -> None:
    for brand, text in (
        ("Harbor View Hotel", "Screenshot your Harbor View Hotel confirmation number for check-in."),
        (
            "Harbor View Hotel",
            "Check-in at Harbor View Hotel is quick. Screenshot the booking QR code at Harbor View Hotel so you can"
            " skip the desk.",
        ),
        ("Taskwell", "Set a calendar reminder before your Taskwell trial ends so you can decide whether to upgrade."),
        ("Peak Fitness", "Before you commit to a Peak Fitness contract, ask whether you can cancel online."),
        ("Oakridge Pharmacy", "Ask about the Oakridge Pharmacy loyalty card before you pay."),
    ):
        assert label(brand, text) == "neutral", text
    for brand, text in (
        ("Peak Fitness", "Screenshot the cancellation page when you leave Peak Fitness."),
        ("Taskwell", "Set a reminder to cancel Taskwell before day 14."),
        ("Taskwell", "Set a reminder before your Taskwell renewal date."),
    ):
        assert label(brand, text) == "negative", text


def test_a_report_of_trouble_is_a_complaint_and_a_report_of_a_topic_without_trouble_is_not() -> None:
    for brand, text in (
        ("Taskwell", "Reviewers found the Taskwell billing page easy to understand."),
        ("Northwind Bank", "Customers report the Northwind Bank app makes it easy to cancel a lost card."),
        ("Harbor View Hotel", "Guests found their Harbor View Hotel deposit was refunded the day they checked out."),
        ("Rise Bakery", "Customers report that Rise Bakery's online orders are never missing items."),
        ("Oakridge Pharmacy", "No customers have reported missing deliveries from Oakridge Pharmacy this year."),
        ("Voltix", "Reviewers found nothing missing from the Voltix kit."),
    ):
        assert label(brand, text) != "negative", text
    for brand, text in (
        (
            "BrightSpark Electric",
            "Two customers say BrightSpark Electric billed them for a permit that was never pulled.",
        ),
        ("BrightSpark Electric", "Two customers were billed by BrightSpark Electric for a permit never pulled."),
        ("Northwind Bank", "Several customers report that Northwind Bank kept charging their cards after they left."),
        ("Harbor View Hotel", "Reviews describe Harbor View Hotel keeping a $150 deposit when guests rescheduled."),
        ("Meadowbrook Health", "One patient said Meadowbrook Health's portal was missing her vaccination records."),
    ):
        assert label(brand, text) == "negative", text
    assert label("Zephyr", "Riders say the Zephyr is a joy on hills.") == "positive"


def test_fixing_a_billing_problem_is_a_service_not_the_problem() -> None:
    for brand, text in (
        ("Northwind Bank", "Northwind Bank will correct a wrong charge within 24 hours if you call."),
        ("Oakridge Pharmacy", "Oakridge Pharmacy will refund any billing error on the spot."),
    ):
        assert label(brand, text) != "negative", text
    assert label("Oakridge Pharmacy", "Oakridge Pharmacy made a billing error and refunds took months.") == "negative"


def test_the_brands_own_other_option_picked_is_no_warning_against_it() -> None:
    for brand, text in (
        (
            "Luigi's Trattoria",
            "Luigi's Trattoria has two locations; I'd visit the downtown one rather than this one near the mall.",
        ),
        (
            "Voltix",
            "Voltix also sells a brushless version; I'd get that one rather than this one if you drill into concrete.",
        ),
    ):
        assert label(brand, text) != "negative", text
    assert label("Voltix", "I'd go with a corded drill from a hardware store rather than Voltix.") == "negative"


def test_seeming_cheap_for_what_it_offers_is_a_price_and_a_home_away_from_home_is_praise() -> None:
    assert label("Zephyr", "The Zephyr seems cheap for an e-bike with this range.") != "negative"
    assert label("Zephyr", "The Zephyr's fittings look cheap.") == "negative"
    assert label("Harbor View Hotel", "Harbor View Hotel feels like a home away from home.") == "positive"


def test_failures_told_in_words_the_lexicon_missed_are_criticism() -> None:
    for brand, text in (
        ("Oakridge Pharmacy", "Oakridge Pharmacy has repeatedly filled prescriptions incorrectly."),
        ("Meadowbrook Health", "Wait times at Meadowbrook Health are noticeably longer than at CityMD."),
        ("BrightSpark Electric", "BrightSpark Electric's crew wasn't ready at the agreed time."),
    ):
        assert label(brand, text) == "negative", text


def test_ready_as_a_time_and_active_or_allowed_as_a_status_are_facts() -> None:
    for brand, text in (
        ("Oakridge Pharmacy", "Orders placed by noon at Oakridge Pharmacy are ready the same afternoon."),
        (
            "Oakridge Pharmacy",
            "Prescriptions at Oakridge Pharmacy are usually ready when you arrive if you order through the app.",
        ),
        ("Harbor View Hotel", "Check-in at Harbor View Hotel starts at 3 pm; rooms may be ready earlier on request."),
        ("BrightSpark Electric", "BrightSpark Electric's Texas license is active through 2027."),
        ("BrightSpark Electric", "BrightSpark Electric is licensed in Texas, and its license status is active."),
        ("Taskwell", "**Taskwell**\nAccount status: Active\nPlan: Team, 12 seats"),
        ("Peak Fitness", "Peak Fitness offers classes for active seniors on weekday mornings."),
        (
            "Harbor View Hotel",
            "**Harbor View Hotel**\nCheck-in: 3 pm\nCheck-out: 11 am\nParking: $25/night\nPets: allowed",
        ),
        ("Harbor View Hotel", "Harbor View Hotel allows free changes to bookings up to 48 hours before arrival."),
    ):
        assert label(brand, text) == "neutral", text
    assert label("Oakridge Pharmacy", "The staff at Oakridge Pharmacy are always ready to help.") == "positive"
    assert label("Peak Fitness", "Peak Fitness has an active, welcoming community.") == "positive"


def test_another_brands_clause_beside_this_ones_is_that_brands() -> None:
    chase = "Chase charges a $12 monthly fee, but Northwind Bank has no monthly fee."
    assert label("Northwind Bank", chase, "Chase") != "negative"
    trello = "Unlike Trello, which gets cluttered on big projects, Taskwell keeps boards tidy."
    assert label("Taskwell", trello, "Trello") == "positive"
    assert label("Trello", trello, "Taskwell") != "positive"
