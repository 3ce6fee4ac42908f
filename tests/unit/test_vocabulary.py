from surgery.vocabulary import Level


def test_levels_run_from_eye_opener_to_doing_it():
    assert [level.value for level in Level] == [1, 2, 3, 4]
    assert Level(1).title == "Eye-opener"
    assert Level(4).title == "Doing it"


def test_every_level_is_explained_in_a_plain_sentence():
    for level in Level:
        assert level.explanation.endswith(".")
        assert len(level.explanation) < 120
