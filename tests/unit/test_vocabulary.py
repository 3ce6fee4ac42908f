from datetime import timedelta

from surgery.clock import LONDON
from surgery.vocabulary import Availability, Level
from tests.instants import NOW


def test_levels_run_from_eye_opener_to_doing_it():
    assert [level.value for level in Level] == [1, 2, 3, 4]
    assert Level(1).title == "Eye-opener"
    assert Level(4).title == "Doing it"


def test_every_level_is_explained_in_a_plain_sentence():
    for level in Level:
        assert level.explanation.endswith(".")
        assert len(level.explanation) < 120


def test_the_evening_starts_where_the_form_says_it_does():
    today = NOW.astimezone(LONDON)
    monday = today - timedelta(days=today.weekday())
    assert Availability.WEEKDAY_EVENINGS.label == "Weekday evenings, from 6pm"
    assert Availability.of_start(monday.replace(hour=17, minute=59)) is Availability.WEEKDAYS
    assert Availability.of_start(monday.replace(hour=18)) is Availability.WEEKDAY_EVENINGS
    saturday = monday - timedelta(days=2)
    assert Availability.of_start(saturday.replace(hour=10)) is Availability.WEEKENDS
