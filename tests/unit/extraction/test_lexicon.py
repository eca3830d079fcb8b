from ai_visibility.extraction.lexicon import analyzer
from ai_visibility.extraction.sentiment import judge, score


def test_chat_initialisms_and_near_neutral_entries_are_not_opinions() -> None:
    lexicon = analyzer().lexicon
    for token in ("tx", "ty", "lol", "kia", "number", "no"):
        assert token not in lexicon, token
    for word in ("good", "reliable", "slow", "costly"):
        assert word in lexicon, word
    # a card's address line is a fact, not thanks from Texas
    assert judge(["4.6 ★ (210) · Plumber · Open 24 hours\n1400 Main St, Dallas, TX 75201"]) == (0.0, "neutral")
    assert score("Seat Ibiza, Kia Rio and VW Polo are the usual rentals.") == 0.0
