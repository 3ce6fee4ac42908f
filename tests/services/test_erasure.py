"""Erasure is complete: after it, no text column of any table holds the person's details or words.

Each test builds one person with data in every table that can hold it (messages sent and still
waiting, to them and to others about them), erases them, then reads every String, Text and JSON
column of every table with SQL, looking for what identified them.
"""

import json
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import JSON, String, Text, cast, func, select

from surgery import clock
from surgery.extensions import db
from surgery.models import (
    Booking,
    FollowUp,
    FollowUpKind,
    GotGoing,
    HelpRequest,
    Notification,
    NotificationStatus,
    Outcome,
    Signup,
    Volunteer,
)
from surgery.notify import outbox
from surgery.services import (
    booking,
    digests,
    drafts,
    follow_through,
    on_the_day,
    reviewing,
    safeguarding,
    sessions,
    signups,
    subject_access,
)
from surgery.services.asking import confirm_help_request, submit_help_request
from surgery.services.matching import run_matching
from surgery.services.personal_data import erase_person
from surgery.vocabulary import AccessNeed, Availability
from tests.factories import (
    NOW,
    TODAY,
    admin_account,
    approved_host,
    contact,
    published_session,
    request_details,
    skill_ids,
    volunteer_signed_up,
    weekday_from,
)

ASKER = {
    "name": "Zebedee Quarrington",
    "email": "zebedee.q@example.org",
    "phone": "0121 496 0777",
    "organisation": "Quarrington Allotment Society",
    "goal": "Grow the allotment newsletter readership fivefold",
    "access_notes": "Needs a hearing loop near the front",
    "line": "We posted our first marrow photograph",
    "story": "The marrow photograph brought eleven new plot holders",
    "note": "Zebedee Quarrington brought the allotment minutes",
    "host_note": "Zebedee Quarrington will bring a marrow",
}

VOLUNTEER = {
    "name": "Ottoline Frobisher",
    "email": "ottoline@example.org",
    "bio": "I keep bees and run the apiary website",
    "note": "Ottoline Frobisher showed them scheduled posts",
}

EVENINGS_NEAR_MOSELEY = {"postcode": "B13 9AE", "availability": (Availability.WEEKDAY_EVENINGS,)}


def text_columns():
    """Every column of every table that can hold text: String (and its kinds), Text and JSON."""
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text | JSON):
                yield table, column


def where_found(needles: dict[str, str]) -> list[str]:
    """Return `table.column: what` for each needle found anywhere, in any case, by SQL."""
    found = []
    for table, column in text_columns():
        for what, needle in needles.items():
            query = (
                select(func.count())
                .select_from(table)
                .where(func.lower(cast(column, Text)).contains(needle.lower(), autoescape=True))
            )
            if db.session.scalar(query):
                found.append(f"{table.name}.{column.name}: {what}")
    return found


def messages_about(email: str, name: str) -> set[tuple[str, str]]:
    """(status, "to them" or "naming them") of each outbox row about a person."""
    rows = db.session.execute(
        select(Notification.status, Notification.recipient).where(
            (Notification.recipient == email) | Notification.body_text.contains(name)
        )
    )
    return {(status.value, "to them" if to == email else "naming them") for status, to in rows}


EVERY_KIND_OF_MESSAGE = {
    ("sent", "to them"),
    ("pending", "to them"),
    ("sent", "naming them"),
    ("pending", "naming them"),
}


@contextmanager
def mail_held(app):
    """Keep new messages waiting in the outbox, as before the scheduler delivers them."""
    app.config["MAIL_BACKEND"] = "outbox"
    try:
        yield
    finally:
        app.config["MAIL_BACKEND"] = "smtp"


def a_session(host, days_ahead: int, **changes):
    day = weekday_from(TODAY + timedelta(days=days_ahead))
    return published_session(host, day=day, access=(AccessNeed.STEP_FREE,), **changes)


def zebedees_request(**changes) -> HelpRequest:
    who = contact(name=ASKER["name"], email=ASKER["email"], phone=ASKER["phone"])
    details = request_details(
        organisation_name=ASKER["organisation"],
        goal=ASKER["goal"],
        access_notes=ASKER["access_notes"],
        **(EVENINGS_NEAR_MOSELEY | changes),
    )
    help_request = submit_help_request(who, details, clock.utcnow())
    confirm_help_request(help_request, clock.utcnow())
    return help_request


def at(moment) -> None:
    clock.freeze(moment)


def group_came_and_answered(app, host, first, help_request) -> None:
    """The group is paired at the first session, told, reminded; it comes, the host writes a note
    about it, and it answers both follow-ups."""
    booking.email_booking_links(ASKER["email"], first, NOW)
    run_matching(NOW, "test")
    reviewing.confirm_all(host, first, NOW)
    first.volunteer_notes = ASKER["host_note"]
    db.session.commit()
    at(first.starts_at - timedelta(hours=47))
    follow_through.create_due_messages(clock.utcnow())
    outbox.deliver_due(clock.utcnow())
    at(first.starts_at)
    held = db.session.scalar(select(Booking).filter_by(help_request_id=help_request.id))
    on_the_day.record_outcome(
        host, held, True, skill_ids("Facebook"), ASKER["note"], first.starts_at
    )
    sessions.move_session(host, first, "complete", first.ends_at)
    at(first.ends_at + timedelta(days=7))
    follow_through.record_follow_up(
        help_request, FollowUpKind.WEEK, clock.utcnow(), got_going=GotGoing.YES, line=ASKER["line"]
    )
    at(first.ends_at + timedelta(days=91))
    answers = {"change_scale": 4, "story": ASKER["story"], "may_share_story": True}
    follow_through.record_follow_up(help_request, FollowUpKind.QUARTER, clock.utcnow(), **answers)


def group_booked_again(app, host, later, sam) -> None:
    """The group asks again, is paired at a later session and begins a third ask; the messages
    about its new place are still waiting when it asks us to erase it."""
    with mail_held(app):
        soon = clock.london_date(clock.utcnow()) + timedelta(days=1)
        zebedees_request(earliest_date=soon, latest_date=TODAY + timedelta(days=200))
        signups.sign_up(sam, later, 2, clock.utcnow())
        run_matching(clock.utcnow(), "test")
        reviewing.confirm_all(host, later, clock.utcnow())
        at(later.starts_at - timedelta(hours=47))
        follow_through.create_due_messages(clock.utcnow())
        db.session.commit()
    drafts.save_answers(None, "ask", {"name": ASKER["name"], "email": ASKER["email"]}, NOW)


def zebedee_with_everything(app):
    """Return the group (after building it everywhere), the later session and Sam's sign-up."""
    host = approved_host()
    first, later = a_session(host, 14), a_session(host, 130)
    sam = volunteer_signed_up(first, name="Sam Okafor").volunteer
    help_request = zebedees_request(latest_date=TODAY + timedelta(days=60))
    group_came_and_answered(app, host, first, help_request)
    group_booked_again(app, host, later, sam)
    assert set(where_found(ASKER)) >= {
        "follow_ups.line: line",
        "follow_ups.story: story",
        "outcomes.note: note",
        "form_drafts.answers: email",
        "notifications.key: email",
        "surgery_sessions.volunteer_notes: host_note",
    }, "the group's data was not built in every table"
    messages = messages_about(ASKER["email"], ASKER["organisation"])
    assert messages >= EVERY_KIND_OF_MESSAGE, "the group's messages were not all built"
    signup = db.session.scalar(select(Signup).filter_by(session_id=later.id))
    return help_request, later, signup


def test_erasing_a_group_leaves_none_of_its_details_or_words_anywhere(app, mailbox):
    help_request, later, _ = zebedee_with_everything(app)

    erase_person(help_request.asker, clock.utcnow())

    found = where_found(ASKER)
    assert found == [], "\n".join(found)


def test_erasing_a_group_keeps_its_anonymous_counts(app, mailbox):
    help_request, _, _ = zebedee_with_everything(app)
    sent = select(Notification.id).where(Notification.status == NotificationStatus.SENT)
    sent_before = set(db.session.scalars(sent))

    erase_person(help_request.asker, clock.utcnow())

    outcome = db.session.scalar(select(Outcome))
    assert outcome.attended and outcome.skills_covered == list(skill_ids("Facebook"))
    scores = {f.kind: (f.got_going, f.change_scale) for f in db.session.scalars(select(FollowUp))}
    assert scores == {FollowUpKind.WEEK: (GotGoing.YES, None), FollowUpKind.QUARTER: (None, 4)}
    assert help_request.district == "B13" and help_request.skills
    # Sent messages stay counted, and their keys taken so none is made twice; they are emptied.
    assert set(db.session.scalars(sent)) >= sent_before


def test_no_email_naming_the_group_goes_after_it_is_erased(app, mailbox):
    help_request, later, _ = zebedee_with_everything(app)
    erased_at = len(mailbox.received)

    erase_person(help_request.asker, clock.utcnow())
    for moment in (clock.utcnow(), later.starts_at - timedelta(hours=2), later.starts_at):
        at(moment)
        follow_through.create_due_messages(moment)
        outbox.deliver_due(moment)

    after = mailbox.received[erased_at:]
    assert ASKER["email"] not in [message["To"] for message in after]
    texts = [mailbox.text_of(message) for message in after]
    assert not [t for t in texts for word in ASKER.values() if word in t]
    # Sam is told the groups changed: the erased one is no longer his to help.
    assert any("No groups are paired with you yet" in text for text in texts)


def ottoline_with_everything(app, host, first) -> Volunteer:
    """A volunteer offered, was checked, was paired, was written about, stopped helping at two
    sessions (their hosts told by name: one message sent, one waiting) and is in a host's digest."""
    details = {"name": VOLUNTEER["name"], "load": 1, "bio": VOLUNTEER["bio"]}
    volunteer = volunteer_signed_up(first, **details).volunteer
    safeguarding.record_check(admin_account(), VOLUNTEER["email"], NOW)
    signups.withdraw_signup(signups.sign_up(volunteer, a_session(host, 20), 1, NOW), NOW)
    digests.send_digests(NOW.replace(hour=12))
    group = submit_help_request(
        contact(email="group@example.org"), request_details(**EVENINGS_NEAR_MOSELEY), NOW
    )
    confirm_help_request(group, NOW)
    run_matching(NOW, "test")
    reviewing.confirm_all(host, first, NOW)
    at(first.starts_at)
    held = db.session.scalar(select(Booking).filter_by(help_request_id=group.id))
    on_the_day.record_outcome(host, held, True, (), VOLUNTEER["note"], first.starts_at)
    with mail_held(app):
        signups.withdraw_signup(signups.sign_up(volunteer, a_session(host, 40), 1, NOW), NOW)
        signups.sign_up(volunteer, a_session(host, 60), 1, NOW)
    return volunteer


def test_erasing_a_volunteer_leaves_none_of_their_details_or_words_anywhere(app, mailbox):
    host = approved_host()
    first = a_session(host, 14)
    volunteer = ottoline_with_everything(app, host, first)
    assert set(where_found(VOLUNTEER)) >= {
        "volunteers.bio: bio",
        "outcomes.note: note",
        "notifications.subject: name",
        "notifications.calendar: email",
    }, "the volunteer's data was not built in every table"
    assert messages_about(VOLUNTEER["email"], VOLUNTEER["name"]) >= EVERY_KIND_OF_MESSAGE

    erase_person(volunteer, clock.utcnow())

    found = where_found(VOLUNTEER)
    assert found == [], "\n".join(found)


def test_the_subject_access_download_holds_everything_the_scan_finds(app, mailbox):
    help_request, _, _ = zebedee_with_everything(app)
    admin = admin_account()

    data = subject_access.export(admin, subject_access.holdings(ASKER["email"]), clock.utcnow())

    text = json.dumps(data)
    assert [what for what, words in ASKER.items() if words not in text] == []
    assert data["as_a_group"]["requests"][0]["follow_up_answers"][1]["story"] == ASKER["story"]
