from datetime import timedelta

import pytest

from surgery.extensions import db
from surgery.models import Asker, HelpRequest, Notification, RequestStatus
from surgery.services import booking
from surgery.services.asking import (
    PlaceHeld,
    confirm_help_request,
    place_of_request,
    queue_confirmation,
    submit_help_request,
    update_help_request,
    withdraw_help_request,
)
from surgery.services.errors import InvalidAnswers
from surgery.services.pairings import agreed_pairing
from surgery.vocabulary import Availability
from tests.factories import (
    NOW,
    TODAY,
    agreed_pairing_for,
    confirmed_request,
    contact,
    request_details,
    skill_ids,
)


def test_a_request_waits_unconfirmed_and_its_asker_gets_a_confirmation_email(app, mailbox):
    help_request = submit_help_request(contact(), request_details(), NOW)

    assert help_request.status is RequestStatus.UNCONFIRMED
    assert help_request.postcode == "B16 8AB" and help_request.district == "B16"
    assert [skill.name for skill in help_request.skills] == ["Facebook", "Email newsletters"]
    (message,) = mailbox.to("maya@example.org")
    assert message["Subject"] == "Confirm your email address to send your request for help"
    assert "/confirm/" in mailbox.text_of(message)
    assert "/manage/a" in mailbox.text_of(message)


def test_the_same_email_asking_again_adds_a_request_to_the_same_person(app, mailbox):
    first = submit_help_request(contact(), request_details(), NOW)
    again = contact(email="  Maya@Example.org ", name="Somebody Else", phone="0121 496 0000")
    second = submit_help_request(again, request_details(goal="A newsletter."), NOW)

    assert db.session.scalar(db.select(db.func.count(Asker.id))) == 1
    assert second.asker is first.asker
    assert first.asker.name == "Maya Patel", "a stranger cannot rename someone"
    assert first.asker.phone is None
    latest = mailbox.to("maya@example.org")[-1]
    assert "asking us for help again" in mailbox.text_of(latest)


def test_a_district_alone_is_placed_at_its_middle(app):
    help_request = submit_help_request(contact(), request_details(postcode="b15"), NOW)
    assert help_request.postcode == "B15"
    assert 403_000 < help_request.easting < 407_000
    assert 283_000 < help_request.northing < 287_000


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"postcode": "B15 9ZZ"}, "postcode", "We couldn't find B15 9ZZ"),
        ({"postcode": "BT1 1AA"}, "postcode", "Northern Ireland"),
        ({"postcode": "not a postcode"}, "postcode", "Enter a real UK postcode"),
        ({"skill_ids": ()}, "skills", "Choose at least one"),
        ({"skill_ids": (99999,)}, "skills", "Choose at least one"),
    ],
)
def test_answers_that_break_a_rule_say_which_and_why(app, changes, field, message):
    with pytest.raises(InvalidAnswers) as error:
        submit_help_request(contact(), request_details(**changes), NOW)
    assert message in error.value.errors[field]
    assert db.session.scalar(db.select(db.func.count(HelpRequest.id))) == 0


@pytest.mark.parametrize(
    ("earliest", "latest", "field", "message"),
    [
        (-1, 10, "earliest_date", "today or later"),
        (10, 9, "latest_date", "on or after the first date"),
        (0, 400, "latest_date", "within a year"),
    ],
)
def test_a_date_window_in_the_past_reversed_or_too_long_is_refused(
    app, earliest, latest, field, message
):
    details = request_details(
        earliest_date=TODAY + timedelta(days=earliest), latest_date=TODAY + timedelta(days=latest)
    )
    with pytest.raises(InvalidAnswers) as error:
        submit_help_request(contact(), details, NOW)
    assert message in error.value.errors[field]


def test_an_impossible_email_is_refused(app):
    with pytest.raises(InvalidAnswers) as error:
        submit_help_request(contact(email="maya@@example"), request_details(), NOW)
    assert "right format" in error.value.errors["email"]


def test_confirming_opens_the_request_once(app):
    help_request = submit_help_request(contact(), request_details(), NOW)
    asker = confirm_help_request(help_request, NOW)
    assert help_request.status is RequestStatus.OPEN
    assert asker.confirmed_at == NOW
    confirm_help_request(help_request, NOW.replace(hour=11))
    assert help_request.confirmed_at == NOW


def test_changing_a_request_checks_it_again(app):
    help_request = submit_help_request(contact(), request_details(), NOW)
    update_help_request(help_request, request_details(skill_ids=skill_ids("Video")), NOW)
    assert [skill.name for skill in help_request.skills] == ["Video"]
    with pytest.raises(InvalidAnswers):
        update_help_request(help_request, request_details(postcode="ZZ99 9ZZ"), NOW)


def test_a_withdrawn_request_can_be_neither_changed_nor_withdrawn_again(app):
    help_request = submit_help_request(contact(), request_details(), NOW)
    withdraw_help_request(help_request, NOW)
    assert help_request.status is RequestStatus.WITHDRAWN
    with pytest.raises(ValueError):
        update_help_request(help_request, request_details(), NOW)
    with pytest.raises(ValueError):
        withdraw_help_request(help_request, NOW)


def test_nothing_is_sent_twice_for_one_request(app, mailbox):
    help_request = submit_help_request(contact(), request_details(), NOW)
    queue_confirmation(help_request.asker, help_request, False, NOW)
    db.session.commit()
    keys = db.session.scalars(db.select(Notification.key)).all()
    assert keys == [f"confirm-request:{help_request.id}"]
    assert len(mailbox.received) == 1


MOSELEY = "Moseley social media surgery"


def test_a_requests_place_is_told_in_one_sentence(surgery_session):
    maya = confirmed_request("maya@example.org")
    assert place_of_request(maya).summary == "Looking for a volunteer and a session near you"
    booking.book_place(maya, surgery_session, NOW)
    assert place_of_request(maya).summary == (
        f"You have a place at {MOSELEY}. We will tell you who your volunteer is."
    )
    later = confirmed_request("ravi@example.org")
    booking.book_place(later, surgery_session, NOW)  # the only table is taken
    assert place_of_request(later).summary == f"On the waiting list at {MOSELEY}"
    assert maya.status is later.status is RequestStatus.OPEN, "the status alone says neither"


def test_a_paired_groups_place_names_its_volunteer(host, surgery_session, sam):
    help_request = agreed_pairing_for(host, surgery_session)
    place = place_of_request(help_request)
    assert place.summary == f"You have a place at {MOSELEY} with Sam"
    assert place.held and help_request.can_edit


def test_a_group_with_a_place_changes_its_request_only_by_giving_the_place_up(surgery_session):
    help_request = confirmed_request("maya@example.org")
    booking.book_place(help_request, surgery_session, NOW)
    far_away = request_details(postcode="EH1 1YZ", travel_km=2)

    with pytest.raises(PlaceHeld) as refused:
        update_help_request(help_request, far_away, NOW)
    assert refused.value.errors["give_up_place"] == (
        f"Tick the box to give up your place at {MOSELEY} and change your request"
    )
    db.session.expire_all()
    assert (help_request.postcode, help_request.travel_km) == ("B13 9AE", 5)
    assert booking.active_booking(help_request) is not None

    update_help_request(help_request, far_away, NOW, give_up_place=True)
    db.session.expire_all()
    assert (help_request.postcode, help_request.travel_km) == ("EH1 1YZ", 2)
    assert booking.active_booking(help_request) is None
    assert surgery_session.seats_left == 1


def test_a_paired_group_gives_up_its_table_and_volunteer_to_change_its_request(
    host, surgery_session, sam
):
    help_request = agreed_pairing_for(host, surgery_session)
    far_away = request_details(postcode="EH1 1YZ", travel_km=2)
    with pytest.raises(PlaceHeld):
        update_help_request(help_request, far_away, NOW)

    update_help_request(help_request, far_away, NOW, give_up_place=True)
    db.session.expire_all()
    assert help_request.status is RequestStatus.OPEN and help_request.postcode == "EH1 1YZ"
    assert agreed_pairing(help_request.id) is None
    assert booking.active_booking(help_request) is None


def test_a_mistake_in_the_change_costs_the_group_nothing(surgery_session):
    help_request = confirmed_request("maya@example.org")
    booking.book_place(help_request, surgery_session, NOW)
    with pytest.raises(InvalidAnswers) as refused:
        update_help_request(
            help_request, request_details(postcode="ZZ99 9ZZ"), NOW, give_up_place=True
        )
    assert "postcode" in refused.value.errors
    db.session.rollback()
    assert booking.active_booking(help_request) is not None


def test_a_group_with_a_place_changes_its_notes_and_consents_keeping_the_place(surgery_session):
    help_request = confirmed_request("maya@example.org")
    held = booking.book_place(help_request, surgery_session, NOW)
    same_place = request_details(
        postcode="B13 9AE",
        availability=(Availability.WEEKDAY_EVENINGS,),
        access_notes="I use a wheelchair.",
        consent_share_story=True,
    )

    update_help_request(help_request, same_place, NOW)

    db.session.expire_all()
    assert booking.active_booking(help_request) == held
    assert help_request.access_notes == "I use a wheelchair." and help_request.consent_share_story
