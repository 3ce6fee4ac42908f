from datetime import timedelta

import pytest

from surgery import clock
from surgery.clock import london_date, utcnow
from surgery.extensions import db
from surgery.models import (
    Asker,
    BookingStatus,
    FollowUpKind,
    GotGoing,
    HelpRequest,
    Notification,
    RequestStatus,
    Volunteer,
    VolunteerStatus,
)
from surgery.scheduler import SCHEDULE
from surgery.services import booking, sessions, signups
from surgery.services.asking import confirm_help_request, submit_help_request
from surgery.services.follow_through import record_follow_up
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.services.personal_data import (
    erase_person,
    export_personal_data,
    purge_unconfirmed,
    rotate_manage_link,
)
from surgery.services.retention import anonymise_inactive, months_before
from surgery.services.tokens import LinkNotValid, manage_token, person_for_manage_token
from tests.factories import (
    NOW,
    approved_host,
    confirmed_request,
    contact,
    offer_details,
    published_session,
    request_details,
    session_details,
)


def test_the_download_holds_everything_about_an_asker(app):
    help_request = submit_help_request(contact(phone="0121 496 0000"), request_details(), NOW)
    data = export_personal_data(help_request.asker)

    assert data["name"] == "Maya Patel" and data["phone"] == "0121 496 0000"
    (stored,) = data["requests"]
    assert stored["goal"] == "Start a Facebook page so more families hear about us."
    assert stored["postcode"] == "B16 8AB"
    assert stored["skills"] == ["Facebook", "Email newsletters"]
    assert stored["access_needs"] == ["step-free"]
    assert data["emails_sent_to_you"][0]["subject"].startswith("Confirm your email address")


def test_erasing_an_asker_removes_personal_fields_at_once_and_keeps_counts(app):
    help_request = submit_help_request(contact(phone="0121 496 0000"), request_details(), NOW)
    asker = confirm_help_request(help_request, NOW)
    token = manage_token(asker)

    erase_person(asker, NOW)

    assert (asker.name, asker.email, asker.phone) == (None, None, None)
    assert help_request.organisation_name == help_request.goal == ""
    assert help_request.postcode == "B16" and help_request.status is RequestStatus.WITHDRAWN
    assert [skill.name for skill in help_request.skills] == ["Facebook", "Email newsletters"]
    messages = db.session.execute(db.select(Notification.recipient, Notification.body_text))
    assert {tuple(row) for row in messages} == {("", "")}
    with pytest.raises(LinkNotValid):
        person_for_manage_token(token)


def test_erasing_a_group_booked_at_a_session_to_come_gives_its_table_up(app):
    coming = published_session(approved_host(), seats=2)
    help_request = confirmed_request("maya@example.org")
    held = booking.book_place(help_request, coming, NOW)
    assert coming.seats_taken == 1
    erase_person(help_request.asker, NOW)
    db.session.expire_all()
    assert held.status is BookingStatus.CANCELLED and coming.seats_taken == 0


def test_erasing_a_volunteer_keeps_only_their_district_and_skills(app):
    sam = contact(name="Sam Okafor", email="sam@example.org")
    submit_volunteer_offer(sam, offer_details(), NOW)
    volunteer = db.session.scalar(db.select(Volunteer))
    erase_person(volunteer, NOW)
    assert (volunteer.name, volunteer.email, volunteer.bio) == (None, None, "")
    assert volunteer.postcode == "B15" and volunteer.status.value == "erased"


def test_a_new_link_stops_the_old_one_and_arrives_by_email(app, mailbox):
    help_request = submit_help_request(contact(), request_details(), NOW)
    asker = help_request.asker
    old = manage_token(asker)

    rotate_manage_link(asker, NOW)

    with pytest.raises(LinkNotValid):
        person_for_manage_token(old)
    assert person_for_manage_token(manage_token(asker)) is asker
    assert manage_token(asker) in mailbox.text_of(mailbox.received[-1])


def test_unconfirmed_entries_go_after_seven_days_and_confirmed_ones_stay(app):
    week_ago = NOW - timedelta(days=7, minutes=1)
    stale = submit_help_request(contact(email="old@example.org"), request_details(), week_ago)
    kept = submit_help_request(contact(), request_details(), week_ago)
    confirm_help_request(kept, week_ago)
    fresh = submit_help_request(contact(email="new@example.org"), request_details(), NOW)
    submit_volunteer_offer(contact(email="vol@example.org"), offer_details(), week_ago)
    stale_id, kept_id, fresh_id = stale.id, kept.id, fresh.id

    report = purge_unconfirmed(NOW)

    assert (report.requests, report.askers, report.volunteers) == (1, 1, 1)
    remaining = set(db.session.scalars(db.select(HelpRequest.id)))
    assert remaining == {kept_id, fresh_id} and stale_id not in remaining
    emails = set(db.session.scalars(db.select(Asker.email)))
    assert emails == {"maya@example.org", "new@example.org"}


def test_a_volunteer_who_confirmed_is_never_purged(app):
    long_ago = NOW - timedelta(days=30)
    submit_volunteer_offer(contact(email="vol@example.org"), offer_details(), long_ago)
    confirm_volunteer(db.session.scalar(db.select(Volunteer)), long_ago)
    assert purge_unconfirmed(NOW).volunteers == 0


def test_an_offer_made_again_before_confirming_has_its_7_days_start_again(app):
    six_days_ago = NOW - timedelta(days=6)
    submit_volunteer_offer(contact(email="vol@example.org"), offer_details(), six_days_ago)
    submit_volunteer_offer(contact(email="vol@example.org"), offer_details(), NOW)
    assert purge_unconfirmed(NOW + timedelta(days=2)).volunteers == 0
    assert purge_unconfirmed(NOW + timedelta(days=8)).volunteers == 1


def test_erasing_a_volunteer_ends_their_sign_ups(app):
    host = approved_host()
    created = sessions.create_session(host, session_details(), utcnow())
    sessions.move_session(host, created, "publish", utcnow())
    submit_volunteer_offer(contact(email="sam@example.org"), offer_details(), utcnow())
    sam = confirm_volunteer(db.session.scalar(db.select(Volunteer)), utcnow())
    signups.sign_up(sam, created, 1, utcnow())
    erase_person(sam, utcnow())
    assert signups.who_is_coming(created).volunteers == []


def test_purging_also_deletes_the_purged_peoples_emails_so_keys_are_free_again(app):
    week_ago = NOW - timedelta(days=8)
    stale = submit_help_request(contact(email="old@example.org"), request_details(), week_ago)
    stale_key = f"confirm-request:{stale.id}"
    submit_volunteer_offer(contact(email="vol@example.org"), offer_details(), week_ago)
    purge_unconfirmed(NOW)
    keys = set(db.session.scalars(db.select(Notification.key)))
    recipients = set(db.session.scalars(db.select(Notification.recipient)))
    assert stale_key not in keys
    assert not recipients & {"old@example.org", "vol@example.org"}


def months_ago(months: int):
    return months_before(NOW, months)


def asked_at(moment, email: str) -> HelpRequest:
    """A group that asked and confirmed at a moment, and has done nothing since."""
    clock.freeze(moment)
    day = london_date(moment)
    window = {"earliest_date": day + timedelta(days=3), "latest_date": day + timedelta(days=60)}
    help_request = submit_help_request(contact(email=email), request_details(**window), moment)
    confirm_help_request(help_request, moment)
    clock.freeze(NOW)
    return help_request


def offered_at(moment, email: str) -> Volunteer:
    clock.freeze(moment)
    submit_volunteer_offer(contact(name="Sam Okafor", email=email), offer_details(), moment)
    volunteer = db.session.scalar(db.select(Volunteer).where(Volunteer.email == email))
    confirm_volunteer(volunteer, moment)
    clock.freeze(NOW)
    return volunteer


def test_the_daily_job_anonymises_people_not_heard_from_for_24_months(app):
    gone = asked_at(months_ago(25), "gone@example.org").asker
    kept = asked_at(months_ago(23), "kept@example.org").asker
    gone_volunteer = offered_at(months_ago(25), "gone-volunteer@example.org")
    kept_volunteer = offered_at(months_ago(23), "kept-volunteer@example.org")

    next(job for job in SCHEDULE if job.id == "anonymise-inactive").run()

    assert (gone.email, gone.name, gone.erased_at) == (None, None, NOW)
    assert gone.requests[0].goal == "" and gone.requests[0].postcode == "B16"
    assert gone_volunteer.email is None and gone_volunteer.status is VolunteerStatus.ERASED
    assert (kept.email, kept_volunteer.email) == ("kept@example.org", "kept-volunteer@example.org")
    assert kept.erased_at is None and kept.requests[0].goal


def test_a_later_answer_or_session_counts_as_activity(app):
    help_request = asked_at(months_ago(30), "answered@example.org")
    record_follow_up(help_request, FollowUpKind.WEEK, months_ago(23), got_going=GotGoing.YES)
    volunteer = offered_at(months_ago(30), "helped@example.org")
    host = approved_host()
    clock.freeze(months_ago(24) + timedelta(days=1))
    signups.sign_up(
        volunteer,
        published_session(host, when=clock.utcnow(), day=london_date(months_ago(23))),
        1,
        clock.utcnow(),
    )
    clock.freeze(NOW)

    report = anonymise_inactive(NOW)

    assert (report.askers, report.volunteers) == (0, 0)
    assert help_request.asker.email == "answered@example.org"
    assert volunteer.email == "helped@example.org"


def test_the_retention_period_is_configurable(app):
    asker = asked_at(months_ago(7), "seven@example.org").asker
    assert anonymise_inactive(NOW).askers == 0
    app.config["RETENTION_MONTHS"] = 6
    try:
        assert anonymise_inactive(NOW).askers == 1
    finally:
        app.config["RETENTION_MONTHS"] = 24
    assert asker.email is None


def test_months_are_calendar_months():
    # The next 31st whose month follows a shorter one (March, May, July, October, December).
    day = next(
        NOW + timedelta(days=n)
        for n in range(400)
        if (NOW + timedelta(days=n)).day == 31
        and (NOW + timedelta(days=n)).month in (3, 5, 7, 10, 12)
    )
    end_of_month_before = day - timedelta(days=day.day)  # the 28th, 29th or 30th
    assert months_before(day, 1) == end_of_month_before
    middle = NOW.replace(day=15)
    assert months_before(middle, 24) == middle.replace(year=middle.year - 2)
