from surgery.extensions import db
from surgery.models import (
    HelpRequest,
    Pairing,
    RequestStatus,
    SessionStatus,
    SurgerySession,
    Volunteer,
    VolunteerStatus,
)
from surgery.services import follow_through, impact
from surgery.services.demo import load_demo
from surgery.services.signups import skills_on_offer
from tests.factories import NOW, TODAY


def test_demo_data_spreads_open_requests_and_active_volunteers_over_ten_towns(app):
    assert load_demo(NOW) is True

    held = (RequestStatus.ATTENDED, RequestStatus.NO_SHOW)  # groups in the demo's history
    requests = db.session.scalars(
        db.select(HelpRequest).where(HelpRequest.status.not_in(held))
    ).all()
    volunteers = db.session.scalars(db.select(Volunteer)).all()
    assert len(requests) >= 12 and len(volunteers) >= 10
    assert {r.status for r in requests} == {RequestStatus.OPEN}
    assert {v.status for v in volunteers} == {VolunteerStatus.ACTIVE}
    areas = {r.district.rstrip("0123456789") for r in requests}
    assert len(areas) >= 10, areas
    assert all(r.skills for r in requests) and all(v.skills for v in volunteers)


def test_demo_data_has_published_sessions_with_volunteers_and_a_host_nobody_can_sign_in_as(app):
    load_demo(NOW)
    published = db.session.scalars(
        db.select(SurgerySession).where(SurgerySession.status == SessionStatus.PUBLISHED)
    ).all()
    assert len(published) == 6
    assert {s.status for s in published} == {SessionStatus.PUBLISHED}
    assert all(skills_on_offer(s) for s in published)
    assert all(host.password_hash is None for s in published for host in s.hosts)


def test_demo_data_loads_once(app, runner):
    first = runner.invoke(args=["demo", "load"])
    second = runner.invoke(args=["demo", "load"])
    assert "Loaded 16 groups, 11 volunteers and 6 sessions, and 5 sessions already held." in (
        first.output
    )
    assert "already loaded" in second.output
    assert db.session.scalar(db.select(db.func.count(Volunteer.id))) == 11


def test_the_purge_command_reports_what_it_deleted(app, runner):
    result = runner.invoke(args=["intake", "purge"])
    assert result.exit_code == 0
    assert "Deleted 0 requests, 0 askers, 0 volunteers and 0 drafts." in result.output


def test_demo_data_has_a_history_the_impact_page_can_show_without_hiding_it(app):
    """Five held sessions in five towns, 27 groups of whom 24 came; follow-up answers only where
    they were due by now (a week on, three months on)."""
    load_demo(NOW)
    figures = impact.measure()
    assert (figures.sessions_held, figures.towns) == (5, 5)
    assert figures.groups_helped == 24
    assert figures.volunteers == 10
    assert figures.week_answers == 24
    # Balsall Heath (40 days ago) is not three months on yet: Rusholme 4, Leeds 4, Easton 6,
    # Byker 3.
    assert figures.quarter_answers == 17
    assert len(figures.stories) == 3
    past_year = impact.measure(period=impact.period_named("year", TODAY))
    assert past_year.sessions_held == 4


def test_demo_groups_that_came_are_not_asked_anything_again_at_once(app):
    load_demo(NOW)
    made = follow_through.create_due_messages(NOW)
    assert not [kind for kind in made if kind.startswith("follow_up")]


def test_demo_volunteers_helped_groups_within_the_distance_they_travel(app):
    """A held session's page shows how far each group is from its volunteer: no demo volunteer
    crossed the country to a session."""
    load_demo(NOW)
    pairings = db.session.scalars(db.select(Pairing)).all()
    assert pairings
    too_far = [
        (p.signup.volunteer.name, p.surgery_session.title, p.distance_km)
        for p in pairings
        if p.distance_km > p.signup.volunteer.travel_km
    ]
    assert too_far == []


def test_demo_volunteers_helped_groups_with_something_they_know(app):
    """A held session's page says when a volunteer 'knows none of the skills asked for': the
    demo's history shows volunteers who did."""
    load_demo(NOW)
    strangers = [
        (p.signup.volunteer.name, p.help_request.organisation_name)
        for p in db.session.scalars(db.select(Pairing))
        if not p.shared_skills
    ]
    assert strangers == []
