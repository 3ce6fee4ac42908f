"""Where next: groups with no session in reach, by district and skill, and who could help there.

The hand-built set: Hana's published session in Moseley (B13) a fortnight ahead; groups in
Wolverhampton (WV1) and Coventry (CV1), 22 and 27 km away, who travel 5 km; a Moseley group in
reach of the session but whose dates start after it; and groups that must not count.
"""

from datetime import timedelta

import pytest

from surgery.extensions import db
from surgery.geo import GridPoint
from surgery.models import AuditEvent, Notification, RequestStatus, Volunteer, VolunteerStatus
from surgery.notify.links import link
from surgery.services import booking, inviting, offering, reminders, sessions, signups, where_next
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.services.where_next import Helper, UnmetRow
from tests.factories import (
    NOW,
    TODAY,
    approved_host,
    confirmed_request,
    contact,
    offer_details,
    published_session,
    skill_ids,
)

WV1 = (392309, 298969)  # WV1 1AA


def days_ago(days: int):
    return NOW - timedelta(days=days)


def waiting_in_wolverhampton(email: str, days: int, *skills: str):
    return confirmed_request(
        email, when=days_ago(days), postcode="WV1 1AA", skill_ids=skill_ids(*skills)
    )


def hand_built_set():
    """The rows every test here starts from; returns the Moseley group in reach."""
    published_session(approved_host())  # B13 8JP, a weekday a fortnight ahead
    in_reach = confirmed_request("near@example.org")  # B13 9AE, 0.7 km away
    waiting_in_wolverhampton("wv-a@example.org", 10, "Facebook", "Email newsletters")
    waiting_in_wolverhampton("wv-b@example.org", 4, "Facebook")
    waiting_in_wolverhampton("wv-c@example.org", 1, "Facebook")
    confirmed_request(
        "cv@example.org", when=days_ago(7), postcode="CV1 5FB", skill_ids=skill_ids("Instagram")
    )
    # In reach of the session, but free only from a month on: the session is not for them.
    confirmed_request(
        "later@example.org",
        skill_ids=skill_ids("Video"),
        earliest_date=TODAY + timedelta(days=30),
        latest_date=TODAY + timedelta(days=60),
    )
    return in_reach


def not_counted():
    """Wolverhampton groups that are not waiting: withdrawn, expired, dates gone, unconfirmed."""
    waiting_in_wolverhampton("withdrawn@example.org", 20, "Facebook").withdraw(NOW)
    waiting_in_wolverhampton("expired@example.org", 20, "Facebook").status = RequestStatus.EXPIRED
    past = waiting_in_wolverhampton("past@example.org", 20, "Facebook")
    past.earliest_date, past.latest_date = TODAY - timedelta(days=9), TODAY - timedelta(days=1)
    unconfirmed = waiting_in_wolverhampton("unconfirmed@example.org", 20, "Facebook")
    unconfirmed.status, unconfirmed.confirmed_at = RequestStatus.UNCONFIRMED, None
    db.session.commit()


def test_groups_with_no_session_in_reach_by_district_and_skill_with_exact_waits(app):
    hand_built_set()
    not_counted()

    demand = where_next.unmet_demand(NOW)

    assert demand.rows == [
        UnmetRow("WV1", "Facebook", groups=3, longest_wait_days=10, median_wait_days=4.0),
        UnmetRow("WV1", "Email newsletters", 1, 10, 10.0),
        UnmetRow("CV1", "Instagram", 1, 7, 7.0),
        UnmetRow("B13", "Video", 1, 0, 0.0),
    ]
    assert [(d.name, d.groups) for d in demand.districts] == [("WV1", 3), ("B13", 1), ("CV1", 1)]
    assert demand.district("WV1").point == GridPoint(*WV1)


def test_a_median_between_two_waits_is_their_mean(app):
    waiting_in_wolverhampton("wv-a@example.org", 9, "Facebook")
    waiting_in_wolverhampton("wv-b@example.org", 4, "Facebook")

    [row] = where_next.unmet_demand(NOW).rows

    assert (row.groups, row.longest_wait_days, row.median_wait_days) == (2, 9, 6.5)


def test_a_group_counts_exactly_when_booking_finds_no_session_in_its_reach(app):
    """The same rule as booking and "still looking": just past 5 km waits, just inside does not."""
    host = approved_host()
    far = confirmed_request("far@example.org", travel_km=5, postcode="WV1 1AA")
    session_metres_away(host, far, 5_040)
    near = confirmed_request("near@example.org", travel_km=5, postcode="CV1 5FB")
    session_metres_away(host, near, 4_990)

    assert booking.sessions_within_reach(far, NOW) == []
    assert len(booking.sessions_within_reach(near, NOW)) == 1
    assert [d.name for d in where_next.unmet_demand(NOW).districts] == ["WV1"]


def test_a_group_holding_a_place_is_not_waiting(app):
    group = waiting_in_wolverhampton("wv@example.org", 3, "Facebook")
    surgery_session = session_metres_away(approved_host(), group, 1_000)
    booking.book_place(group, surgery_session, NOW)
    surgery_session.easting += 50_000  # the venue moved away; the group still has its place
    db.session.commit()

    assert where_next.unmet_demand(NOW).rows == []


def session_metres_away(host, help_request, metres: int):
    """A published session this far from the group, to the north-east, on a weekday evening."""
    created = published_session(host)
    step = round(metres / 2**0.5)
    created.easting, created.northing = help_request.easting + step, help_request.northing + step
    db.session.commit()
    return created


def offering_help(name: str, east: int, north: int, travel_km: int, *skills: str) -> Volunteer:
    """A confirmed volunteer this far (metres) from WV1 1AA."""
    email = f"{name.lower()}@example.org"
    details = offer_details(postcode="WV1 1AA", skill_ids=skill_ids(*skills), travel_km=travel_km)
    submit_volunteer_offer(contact(name=f"{name} Example", email=email), details, NOW)
    volunteer = db.session.scalar(db.select(Volunteer).where(Volunteer.email == email))
    confirm_volunteer(volunteer, NOW)
    volunteer.easting, volunteer.northing = WV1[0] + east, WV1[1] + north
    db.session.commit()
    return volunteer


def test_volunteers_whose_travel_reaches_the_district_and_who_offer_a_skill_asked_there(app):
    hand_built_set()
    priya = offering_help("Priya", 3_000, 4_000, 5, "Facebook", "Blogging and websites")
    lee = offering_help("Lee", 1_200, -500, 10, "Email newsletters", "Facebook", "Video")
    offering_help("Far", 6_000, 8_000, 5, "Facebook")  # 10 km, travels 5
    offering_help("Other", 100, 100, 10, "Video")  # no skill asked in WV1
    offering.pause_volunteering(offering_help("Paused", 0, 0, 10, "Facebook"), NOW)
    unconfirmed = offering_help("Unconfirmed", 0, 0, 10, "Facebook")
    unconfirmed.status = VolunteerStatus.UNCONFIRMED
    db.session.commit()

    helpers = where_next.helpers_for(where_next.unmet_demand(NOW).district("WV1"))

    assert helpers == [
        Helper(lee.id, "Lee", ("Facebook", "Email newsletters"), (1, 2), 1.3),
        Helper(priya.id, "Priya", ("Facebook",), (1, 2), 5.0),
    ]


def test_the_hosts_digest_links_to_where_next(app):
    host = approved_host()
    group = waiting_in_wolverhampton("wv@example.org", 0, "Facebook")
    reminders.host_digest(host, [group], [], TODAY, NOW)
    db.session.commit()

    digest = db.session.scalar(db.select(Notification).where(Notification.kind == "host_digest"))
    assert "Where next: groups still waiting" in digest.body_text
    assert f"\n{link('host-where-next')}\n" in digest.body_text
    assert f'href="{link("host-where-next")}"' in digest.body_html


def test_inviting_emails_active_volunteers_once_and_says_why_it_skipped_the_others(app):
    host = approved_host()
    moseley = published_session(host)  # B13 8JP: 22 km from WV1 1AA
    priya = offering_help("Priya", 0, 0, 40, "Facebook")
    again = offering_help("Again", 0, 0, 40, "Facebook")
    paused = offering_help("Paused", 0, 0, 40, "Facebook")
    offering.pause_volunteering(paused, NOW)
    helping = offering_help("Helping", 0, 0, 40, "Facebook")
    signups.sign_up(helping, moseley, 1, NOW)
    near_home = offering_help("Homebody", 0, 0, 10, "Facebook")
    inviting.invite(host, moseley, [again.id], NOW)

    ids = [priya.id, again.id, paused.id, helping.id, near_home.id]
    done = inviting.invite(host, moseley, ids, NOW)

    assert done == inviting.Invitations(
        invited=["Priya"], already=["Again"], helping=["Helping"], too_far=["Homebody"],
        gone=["Paused"],
    )  # fmt: skip
    invitations = db.session.scalars(
        db.select(Notification.recipient).where(Notification.kind == "volunteer_invited")
    ).all()
    assert sorted(invitations) == ["again@example.org", "priya@example.org"]
    logged = db.session.scalars(db.select(AuditEvent).where(AuditEvent.account_id == host.id))
    assert [(e.action, e.subject, e.detail) for e in logged if e.action.startswith("invited")] == [
        ("invited-volunteers", f"session:{moseley.id}", "1 volunteer(s) emailed"),
        ("invited-volunteers", f"session:{moseley.id}", "1 volunteer(s) emailed"),
    ]


def test_an_invitation_to_a_session_that_is_not_upcoming_is_refused(app):
    host = approved_host()
    moseley = published_session(host)
    sessions.move_session(host, moseley, "cancel", NOW)

    with pytest.raises(inviting.InviteRefused):
        inviting.invite(host, moseley, [offering_help("Priya", 0, 0, 40, "Facebook").id], NOW)
