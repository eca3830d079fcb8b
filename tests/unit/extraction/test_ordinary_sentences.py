"""Ordinary sentences an engine writes about a business, read end to end as docs/definitions.md
says, beside the cases each rule is for (a cold review of the rules wrote them: rules that fire on
the intended case must not fire on the ordinary one)."""

from ai_visibility.extraction.brands import adhoc_org
from ai_visibility.extraction.mentions import extract_mentions


def label(brand: str, text: str, competitor: str = "Acme Co") -> str:
    """The sentiment label the brand gets from `text`, with one competitor tracked."""
    org = adhoc_org(brand, [], [], [(competitor, [])])
    return next(m.sentiment_label for m in extract_mentions(text, org) if m.brand == "target")


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
