"""One bad row never stops a scheduled job: the others are done, the bad one is logged by its ids
and tried again on the next run."""

import logging
from datetime import timedelta

from sqlalchemy import update

from surgery import clock
from surgery.extensions import db
from surgery.models import JobRun, Volunteer
from surgery.notify import outbox
from surgery.scheduler import SCHEDULE, run_and_record
from tests.factories import approved_host, published_session, volunteer_signed_up

CREATE_DUE_MESSAGES = next(job for job in SCHEDULE if job.id == "create-due-messages")


def poison(volunteer_email: str) -> None:
    """Leave a volunteer signed up with no address, as an erasure that kept the signup would:
    any email to them at their session cannot be queued (the outbox needs a recipient)."""
    db.session.execute(
        update(Volunteer).where(Volunteer.email == volunteer_email).values(email=None)
    )
    db.session.commit()


def test_one_session_that_fails_does_not_stop_the_others_reminders(app, mailbox, caplog):
    host = approved_host()
    moseley = published_session(host)
    kings_heath = published_session(host, title="Kings Heath social media surgery")
    volunteer_signed_up(moseley, name="Sam Okafor")
    volunteer_signed_up(kings_heath, name="Priya Shah")
    poison("sam@example.org")
    moment = moseley.starts_at - timedelta(hours=47)
    clock.freeze(moment)
    mailbox.received.clear()

    with caplog.at_level(logging.ERROR, logger="surgery"):
        run_and_record(CREATE_DUE_MESSAGES)
    outbox.deliver_due(moment)

    assert [(m["To"], m["Subject"]) for m in mailbox.received] == [
        ("priya@example.org", "Your groups at Kings Heath social media surgery")
    ]
    [failure] = [r for r in caplog.records if r.getMessage() == "job item failed"]
    assert failure.session_id == moseley.id and failure.job == "create-due-messages"
    assert failure.error == "IntegrityError"
    assert "example.org" not in str(failure.__dict__), "ids only, no addresses"
    run = db.session.get(JobRun, "create-due-messages")
    assert run.items_failed == 1 and run.last_success_at is None
    assert run.last_error_class == "IntegrityError"

    # Put right, the session is done on the next run, and the job has succeeded again.
    db.session.execute(
        update(Volunteer).where(Volunteer.email.is_(None)).values(email="sam@example.org")
    )
    db.session.commit()
    later = moment + timedelta(minutes=5)
    clock.freeze(later)
    run_and_record(CREATE_DUE_MESSAGES)
    outbox.deliver_due(later)
    assert [(m["To"], m["Subject"]) for m in mailbox.received[1:]] == [
        ("sam@example.org", "Your groups at Moseley social media surgery")
    ]
    db.session.refresh(run)
    assert run.last_success_at == later and run.items_failed == 0
