"""The matcher's inputs read as plain rows say what the loaded models say."""

from datetime import time, timedelta

from surgery.extensions import db
from surgery.services.matching import LEAD_TIME
from surgery.services.matching_inputs import session_inputs, surgery_sessions, upcoming_sessions
from surgery.vocabulary import AccessNeed
from tests.factories import NOW, TODAY, approved_host, published_session, weekday_from


def test_a_session_read_as_a_row_gives_the_matcher_what_the_loaded_session_does(app):
    host = approved_host()
    overfull = published_session(
        host,
        seats=2,
        access=(AccessNeed.STEP_FREE, AccessNeed.HEARING_LOOP),
        requires_safeguarding=True,
        auto_confirm=True,
    )
    overfull.seats_taken = 3  # its host took away tables already taken: none are left
    published_session(
        host, day=weekday_from(TODAY + timedelta(days=21)), starts=time(10), ends=time(12)
    )
    db.session.flush()

    rows = sorted(upcoming_sessions(NOW, None, LEAD_TIME))  # by id
    loaded = surgery_sessions(rows)

    assert list(session_inputs(rows)) == list(session_inputs(loaded))
    assert [s.auto_confirm for s in rows] == [s.auto_confirm for s in loaded] == [True, False]
    assert [s.seats_left for s in rows] == [0, 6]


def test_sessions_are_loaded_in_the_order_asked(app):
    host = approved_host()
    first = published_session(host)
    second = published_session(host, day=weekday_from(TODAY + timedelta(days=21)))
    rows = sorted(upcoming_sessions(NOW, None, LEAD_TIME))  # by id

    assert surgery_sessions(rows[::-1]) == [second, first]
    assert surgery_sessions([]) == []
