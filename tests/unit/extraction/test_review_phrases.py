"""The review-phrase lexicon, read as data: phrases of reviews as one judgement, facts as facts."""

from ai_visibility.extraction import review_phrases
from ai_visibility.extraction.sentiment import judge, score


def test_the_lexicon_loads_on_vaders_scale_without_the_entries_left_out() -> None:
    entries = review_phrases.entries()
    assert len(entries) > 1000
    assert all(-4 <= v <= 4 for v in entries.values())
    assert not set(entries) & set(review_phrases.LEFT_OUT)
    assert set(review_phrases.words()) | set(review_phrases.phrases()) == set(entries)


def test_review_phrases_are_read_as_one_judgement() -> None:
    assert score("Honestly worth every penny for a family of five.") > 0
    assert score("Several owners say the technician never showed up.") < 0
    assert score("Two readers were charged twice for one order.") < 0
    # the longer phrase is read first: "not worth it" is not "worth it"
    assert score("At that price it's not worth it.") < 0


def test_what_a_business_sells_and_the_terms_it_offers_are_facts() -> None:
    assert score("A free trial, then the basic plan at $8 a month.") == 0.0
    assert score("Free shipping over $50 and no monthly fee.") == 0.0
    assert score("Same-day delivery in the city centre; cancel anytime.") == 0.0


def test_faint_praise_and_a_mismatch_balance() -> None:
    assert judge(["A decent gym, but it is set up for powerlifters rather than runners."])[1] == "neutral"
    # clear praise turned by a mismatch is still turned
    assert judge(["An excellent gym, but it is set up for powerlifters rather than runners."])[1] == "negative"
