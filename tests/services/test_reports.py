"""Reports: every row of the session and town tables against the world built by hand in
tests/report_world.py, for host A, host B and the admin."""

from datetime import timedelta
from decimal import Decimal

import pytest

from surgery.services import sessions
from surgery.services.periods import Period
from surgery.services.reports import (
    SESSION_COLUMNS,
    TOWN_COLUMNS,
    csv_text,
    session_rows,
    town_rows,
)
from tests.factories import NOW, TODAY, session_details
from tests.report_world import World, build_world
from tests.sql import statements_sent

DAY = timedelta(days=1)


@pytest.fixture
def world(app) -> World:
    return build_world()


def table(columns, rows) -> list[list]:
    return [[column.value(row) for column in columns] for row in rows]


DEFAULT = Period.last_twelve_months(NOW)
# Date, session, town, status, requests, pairings agreed, came, did not come, outcomes recorded,
# got going yes / partly / not yet, three-month answers, average change.
SPRING = [TODAY - 40 * DAY, "Moseley, spring", "Birmingham", "Completed", 6, 3, 3, 2, 4, 1, 1, 0, 2,
          Decimal("4.5")]  # fmt: skip
KINGS_HEATH = [TODAY - 30 * DAY, "Kings Heath", "Birmingham", "Completed", 1, 0, 1, 0, 1, 0, 0, 1,
               1, Decimal("2.0")]  # fmt: skip
MANCHESTER = [TODAY - 20 * DAY, "Manchester meet-up", "Manchester", "Cancelled", 1, 0, 0, 0, 0, 0,
              0, 0, 0, None]  # fmt: skip
AUTUMN = [TODAY - 10 * DAY, "Moseley, autumn", "Birmingham", "Completed", 2, 0, 1, 0, 1, 0, 0, 0, 0,
          None]  # fmt: skip
LAST_YEAR = [TODAY - 400 * DAY, "Moseley, last year", "Birmingham", "Completed", 1, 0, 1, 0, 1, 1,
             0, 0, 1, Decimal("1.0")]  # fmt: skip
AHEAD = [TODAY + 14 * DAY, "Moseley, ahead", "Birmingham", "Published", 0, 0, 0, 0, 0, 0, 0, 0, 0,
         None]  # fmt: skip


def test_host_a_sees_each_of_their_sessions_in_the_last_twelve_months(world):
    rows = session_rows(world.host_a, DEFAULT)
    assert table(SESSION_COLUMNS, rows) == [SPRING, MANCHESTER, AUTUMN]


def test_host_a_sees_towns_counted_from_their_sessions_only(world):
    assert table(TOWN_COLUMNS, town_rows(world.host_a, DEFAULT)) == [
        ["Birmingham", 2, 8, 3, 4, 2, 5, 1, 1, 0, 2, Decimal("4.5")],
        ["Manchester", 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, None],
    ]


def test_host_b_sees_their_session_and_the_one_they_co_host(world):
    assert table(SESSION_COLUMNS, session_rows(world.host_b, DEFAULT)) == [KINGS_HEATH, AUTUMN]
    assert table(TOWN_COLUMNS, town_rows(world.host_b, DEFAULT)) == [
        ["Birmingham", 2, 3, 0, 2, 0, 2, 0, 0, 1, 1, Decimal("2.0")],
    ]


def test_the_admin_sees_every_session_and_town(world):
    rows = session_rows(world.admin, DEFAULT)
    assert table(SESSION_COLUMNS, rows) == [SPRING, KINGS_HEATH, MANCHESTER, AUTUMN]
    # Birmingham's average is over its three answers (4, 5, 2): 11 / 3, not a mean of means.
    assert table(TOWN_COLUMNS, town_rows(world.admin, DEFAULT)) == [
        ["Birmingham", 3, 9, 3, 5, 2, 6, 1, 1, 1, 3, Decimal("3.7")],
        ["Manchester", 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, None],
    ]


def test_a_longer_period_takes_in_last_year_and_the_session_ahead_but_never_a_draft(world):
    period = Period(TODAY - 500 * DAY, TODAY + 30 * DAY)
    rows = session_rows(world.host_a, period)
    assert table(SESSION_COLUMNS, rows) == [LAST_YEAR, SPRING, MANCHESTER, AUTUMN, AHEAD]


def test_a_draft_called_off_before_it_was_published_is_left_out(world):
    draft = sessions.create_session(world.host_a, session_details(title="Never held"), NOW)
    sessions.move_session(world.host_a, draft, "cancel", NOW)
    period = Period(TODAY - 500 * DAY, TODAY + 30 * DAY)
    rows = session_rows(world.host_a, period)
    assert table(SESSION_COLUMNS, rows) == [LAST_YEAR, SPRING, MANCHESTER, AUTUMN, AHEAD]


def test_a_period_includes_its_first_and_last_days(world):
    period = Period(TODAY - 30 * DAY, TODAY - 20 * DAY)
    assert table(SESSION_COLUMNS, session_rows(world.admin, period)) == [KINGS_HEATH, MANCHESTER]
    assert table(TOWN_COLUMNS, town_rows(world.admin, period)) == [
        ["Birmingham", 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, Decimal("2.0")],
        ["Manchester", 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, None],
    ]


def test_a_period_with_no_sessions_has_empty_tables(world):
    period = Period(TODAY - 9 * DAY, TODAY)
    assert session_rows(world.host_b, period) == []
    assert town_rows(world.host_b, period) == []


def test_the_default_period_is_this_day_last_year_to_today():
    assert Period.last_twelve_months(NOW) == Period(TODAY.replace(year=TODAY.year - 1), TODAY)


def test_each_table_is_one_query(world, app):
    with statements_sent() as statements:
        session_rows(world.admin, DEFAULT)
        town_rows(world.admin, DEFAULT)
    assert len(statements) == 2


def test_the_csv_holds_the_headers_and_exactly_the_tables_cells(world):
    text = csv_text(TOWN_COLUMNS, town_rows(world.host_b, DEFAULT))
    assert text.splitlines() == [
        "Town,Sessions,Requests,Pairings agreed,Came,Did not come,Outcomes recorded,"
        "Got going: yes,Got going: partly,Got going: not yet,Three-month answers,"
        "Average change (1 to 5)",
        "Birmingham,2,3,0,2,0,2,0,0,1,1,2.0",
    ]
