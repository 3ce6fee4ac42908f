"""The public impact figures, against a history worked out by hand (tests/impact_world.py)."""

from datetime import timedelta

import pytest

from surgery.clock import london_date
from surgery.extensions import db
from surgery.geo.areas import town_by_slug
from surgery.models import Asker, Booking, BookingStatus, Volunteer
from surgery.services import impact, signups
from surgery.services.impact import Story
from surgery.services.periods import Period
from surgery.services.personal_data import erase_person
from tests import impact_world
from tests.factories import NOW, TODAY


@pytest.fixture
def world(host):
    return impact_world.build(host)


def test_all_time_everywhere_counts_every_held_session_and_nothing_else(world):
    """Held: Moseley, Wolverhampton, Bath (the cancelled and the coming one are not).
    Groups that came: 5 at Moseley + 1 at Wolverhampton (one no-show each) = 6.
    Volunteers: Sam, Lucy, Mark, Owen, Ruth = 5 (Sam helped twice; Priya's session was cancelled).
    Hours: Moseley 3 × 2 h, Wolverhampton 1 × 3 h, Bath 2 × 2 h = 13."""
    figures = impact.measure()
    assert (figures.sessions_held, figures.towns) == (3, 3)
    assert figures.groups_helped == 6
    assert (figures.volunteers, figures.volunteer_hours) == (5, 13.0)


def test_each_answer_given_by_fewer_than_five_groups_is_hidden_and_so_is_the_share(world):
    """A week on, Moseley: yes, yes, yes, partly, not yet; Wolverhampton: yes. Six answered, so
    the count shows; 4 yes, 1 partly and 1 not yet do not, nor the 4 in 6 who got going. The
    group that did not come answered yes too; it was not helped, so it is not counted."""
    figures = impact.measure()
    assert figures.week_answers == 6
    assert figures.got_going == {"yes": None, "partly": None, "not-yet": None}
    assert figures.got_going_share is None


def test_three_months_on_the_average_change_is_three_point_six(world):
    """5, 4, 4, 3 at Moseley and 2 at Wolverhampton: 18 / 5 = 3.6 (the no-show's 5 is not one).
    Each score was given by fewer than five groups, so only "nobody gave 1" shows."""
    figures = impact.measure()
    assert figures.quarter_answers == 5
    assert figures.change_scores == {1: 0, 2: None, 3: None, 4: None, 5: None}
    assert figures.average_change == 3.6


def test_only_stories_groups_agreed_to_share_are_shown_with_their_organisation(world):
    stories = impact.measure().stories
    assert stories == [
        Story("Moseley group 0", "Twice as many at our coffee mornings.", 5),
        Story("Wolverhampton group 0", "Our first online raffle raised £300.", 2),
    ]


def test_skills_are_counted_only_where_five_or_more_groups_or_volunteers_share_them(world):
    """Every group asked for Facebook and Email newsletters (the factory's answers): 8 groups
    (the no-shows asked too) made their requests at some time; volunteers offer Facebook and
    Blogging: 5 helped."""
    figures = impact.measure()
    assert figures.skills_asked == [("Email newsletters", 8), ("Facebook", 8)]
    assert figures.skills_offered == [("Blogging and websites", 5), ("Facebook", 5)]


def test_a_town_with_fewer_than_five_groups_shows_no_group_figure(world):
    """Wolverhampton: one session, 1 group helped, 1 volunteer: only the session is counted."""
    figures = impact.measure(town_by_slug("wv"))
    assert (figures.sessions_held, figures.towns) == (1, 1)
    assert figures.groups_helped is None
    assert (figures.volunteers, figures.volunteer_hours) == (None, None)
    assert (figures.week_answers, figures.got_going, figures.got_going_share) == (None,) * 3
    assert (figures.quarter_answers, figures.average_change) == (None, None)
    assert figures.skills_asked == figures.skills_offered == []
    # The group agreed to share its story: it is its own, whatever the counts.
    assert figures.stories == [
        Story("Wolverhampton group 0", "Our first online raffle raised £300.", 2)
    ]


def test_a_town_is_its_postcode_area_so_birmingham_is_not_bath(world):
    """B13 is in Birmingham (B); BA1 is Bath (BA), though both start with B."""
    birmingham = impact.measure(town_by_slug("b"))
    assert birmingham.sessions_held == 1
    assert birmingham.groups_helped == 5
    bath = impact.measure(town_by_slug("ba"))
    assert (bath.sessions_held, bath.groups_helped) == (1, 0)  # nobody: a count that names no one


def test_the_past_three_months_leave_out_wolverhampton_held_200_days_ago(world):
    figures = impact.measure(period=impact.period_named("quarter", TODAY))
    assert figures.sessions_held == 2
    assert figures.groups_helped == 5
    assert figures.volunteers is None  # Sam, Lucy, Mark, Ruth: 4
    assert figures.week_answers == 5
    assert figures.average_change is None  # 4 answers


def test_a_period_counts_whole_uk_days_at_both_ends(world):
    held = london_date(world["bath"].starts_at)
    assert impact.measure(period=Period(held, held)).sessions_held == 1
    assert impact.measure(period=Period(held + timedelta(days=1), None)).sessions_held == 0
    assert impact.measure(period=Period(None, held - timedelta(days=1))).sessions_held == 2


def test_the_api_figures_are_the_page_figures_with_nothing_hidden_made_up(world):
    figures = impact.measure(town_by_slug("wv")).as_public_json()
    assert figures["town"] == {"slug": "wv", "name": "Wolverhampton"}
    assert figures["groups_helped"] is None
    assert figures["sessions_held"] == 1
    assert figures["smallest_count_shown"] == 5
    everywhere = impact.measure().as_public_json()
    assert everywhere["change_scores"] == {"1": 0, "2": None, "3": None, "4": None, "5": None}
    assert everywhere["skills_asked"][0] == {"skill": "Email newsletters", "groups": 8}


def test_a_volunteer_cannot_take_back_a_session_they_gave(world):
    sam = db.session.scalar(db.select(Volunteer).where(Volunteer.email == "sam@example.org"))
    given = signups.signups_of(sam)[world["moseley"].id]
    with pytest.raises(signups.SignupRefused):
        signups.withdraw_signup(given, NOW)
    assert impact.measure().volunteer_hours == 13


def test_erasing_a_volunteer_leaves_the_sessions_they_gave_as_they_were(world):
    """Their details go; the sessions held keep their volunteer hours and pairings."""
    sam = db.session.scalar(db.select(Volunteer).where(Volunteer.email == "sam@example.org"))
    erase_person(sam, NOW)
    figures = impact.measure()
    assert (figures.volunteers, figures.volunteer_hours) == (5, 13)
    assert figures.groups_helped == 6


def test_erasing_a_group_that_came_leaves_the_session_it_came_to_as_it_was(world):
    """Its details go; its table at the session held, its place in the counts and the seats
    the session had taken stay as they were."""
    moseley = world["moseley"]
    asker = db.session.scalar(db.select(Asker).where(Asker.email == "moseley-0@example.org"))
    request_id, taken = asker.requests[0].id, moseley.seats_taken
    erase_person(asker, NOW)
    db.session.expire_all()
    held = db.session.scalar(db.select(Booking).where(Booking.help_request_id == request_id))
    assert held.status is BookingStatus.BOOKED
    assert moseley.seats_taken == taken
    assert impact.measure().groups_helped == 6
