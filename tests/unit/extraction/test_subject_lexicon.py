from ai_visibility.extraction import subject_lexicon
from ai_visibility.extraction.lexicon import analyzer
from ai_visibility.extraction.sentiment import judge, score


def test_words_naming_a_thing_or_an_event_are_not_read_as_tone() -> None:
    for fact in (
        "The clinic runs a cancer unit and a chronic pain service.",
        "The shop handles accident and collision repairs for every insurer.",
        "They repaired the fire damage within a week.",
        "Rooms are a short walk from the festival grounds and the main attractions.",
    ):
        assert score(fact) == 0.0, fact
    # an emergency clinic's card with a plain description is a fact, whatever VADER feels about emergencies
    assert judge(["4.8 ★ (97) · Emergency vet · Open every night\nTrauma care and emergency surgery."]) == (
        0.0,
        "neutral",
    )


def test_entries_that_pass_a_verdict_stay_rated() -> None:
    lexicon = analyzer().lexicon
    for judged in ("fiasco", "success", "masterpiece", "nightmare", "scam"):
        assert judged in lexicon, judged
    assert score("The move was a fiasco from start to finish.") < 0
    for group in subject_lexicon.JUDGING.values():
        assert not subject_lexicon.WORDS & set(group)
