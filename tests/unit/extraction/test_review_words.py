from ai_visibility.extraction import review_phrases
from ai_visibility.extraction.review_words import (
    ALL_PHRASES,
    DELAYS,
    LOOKS,
    OUTCOME_LEVELS,
    PHRASES,
    PRICE_LEVELS,
    TERMS,
    WORDS,
    join_phrases,
    joined,
    lexicon,
)
from ai_visibility.extraction.sentiment import judge, score


def test_review_words_vader_does_not_know_are_read_with_their_sign() -> None:
    assert score("The mobile app is clunky and expensive.") < 0
    assert score("The crews are punctual and reliable.") > 0
    assert score("The dashboard is intuitive.") > 0
    assert score("Plans are overpriced for what you get.") < 0


def test_review_phrases_are_one_judgement_and_negation_turns_them() -> None:
    assert join_phrases("Watch for Hidden  Fees and a steep learning curve.") == (
        "Watch for hidden-fees and a steep-learning-curve."
    )
    assert score("Reviewers point to hidden fees on wire transfers.") < 0
    assert score("Upfront pricing with no hidden fees.") > 0
    assert score("The learning curve is steep for new users.") < 0


def test_every_entry_is_on_vaders_scale_and_words_that_name_facts_are_left_out() -> None:
    assert all(-4 <= v <= 4 and v != 0 for v in lexicon().values())
    # a phrase typed with hyphens is a word: both spellings carry one valence
    assert all(WORDS.get(joined(p), v) == v for p, v in PHRASES.items())
    patterned = {**PRICE_LEVELS, **DELAYS, **OUTCOME_LEVELS, **LOOKS, **TERMS}
    merged = {**review_phrases.words(), **{joined(p): v for p, v in ALL_PHRASES.items()}}
    ours = {**WORDS, **{joined(p): v for p, v in PHRASES.items()}, **{t: v for t, (_, v) in patterned.items()}}
    # ours win over the review-phrase lexicon; an entry of valence 0 is read as one neutral token
    # ("tops out" is a cap, not "tops"), so it is not merged into VADER's lexicon
    assert lexicon() == {t: v for t, v in {**merged, **ours}.items() if v != 0}
    # a price, a plan tier, a fee, a kind of service: facts in business answers, not judgements
    for fact in ("cheap", "premium", "budget", "late", "prompt", "professional", "dated"):
        assert fact not in WORDS
    assert judge(["It has a premium plan at $30 and charges a late fee of $15."]) == (0.0, "neutral")


def test_a_higher_price_is_a_minor_caveat_and_overpriced_a_judgement() -> None:
    assert judge(["Reliable crews, but pricier than independents."])[1] == "positive"
    assert judge(["Good crews, but overpriced for what you get."])[1] == "negative"
