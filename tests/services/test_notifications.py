"""The outbox: one row per message, delivered over real SMTP, retried or failed as replies say."""

import itertools
import json
import logging
from datetime import timedelta
from types import SimpleNamespace

from surgery.extensions import db
from surgery.logs import JsonFormatter
from surgery.models import Notification, NotificationStatus
from surgery.notify import outbox
from surgery.notify.outbox import Envelope
from surgery.services.asking import submit_help_request
from tests.factories import NOW, contact, request_details
from tests.smtp import SmtpServer


def queue(key: str = "test:1", recipient: str = "maya@example.org", due_at=NOW):
    row = outbox.queue_email(
        Envelope(recipient),
        key=key,
        template="new_manage_link",
        subject="Your new private link",
        due_at=due_at,
        person=SimpleNamespace(first_name="Maya"),
        manage_url="http://127.0.0.1:5000/manage/a1-x",
    )
    db.session.commit()
    return row


def test_a_key_makes_one_row_however_often_it_is_queued(app):
    first = queue()
    assert queue() is None
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 1
    assert first.status is NotificationStatus.PENDING


def test_due_rows_arrive_with_both_parts_and_their_stable_message_id(app, mailbox):
    row = queue()
    report = outbox.deliver_due(NOW)

    assert report.sent == [row.id]
    (message,) = mailbox.received
    assert message["Message-ID"] == row.message_id
    assert message["To"] == "maya@example.org"
    assert "Here is your new private link" in mailbox.text_of(message)
    assert '<a href="http://127.0.0.1:5000/manage/a1-x"' in mailbox.html_of(message)
    assert row.status is NotificationStatus.SENT
    assert NOW <= row.sent_at < NOW + timedelta(seconds=10), "stamped when the batch went"


def test_sent_rows_are_never_sent_again(app, mailbox):
    queue()
    outbox.deliver_due(NOW)
    outbox.deliver_due(NOW + timedelta(hours=1))
    assert len(mailbox.received) == 1


def test_rows_not_yet_due_wait(app, mailbox):
    queue(due_at=NOW + timedelta(hours=2))
    assert outbox.deliver_due(NOW).sent == []
    assert outbox.deliver_due(NOW + timedelta(hours=2)).sent != []


def test_a_temporary_refusal_retries_later_with_backoff(app, mailbox):
    row = queue()
    mailbox.refuse = "451 Try again later"
    try:
        report = outbox.deliver_due(NOW)
    finally:
        mailbox.refuse = None
    assert report.retrying == [row.id]
    assert row.status is NotificationStatus.PENDING and row.attempts == 1
    assert NOW + timedelta(seconds=44) <= row.due_at <= NOW + timedelta(seconds=76)
    assert row.last_error == "SMTPRecipientsRefused 451"
    assert outbox.deliver_due(row.due_at).sent == [row.id]


def test_a_permanent_refusal_fails_for_good(app, mailbox):
    row = queue()
    mailbox.refuse = "550 No such user here"
    try:
        report = outbox.deliver_due(NOW)
    finally:
        mailbox.refuse = None
    assert report.failed == [row.id]
    assert row.status is NotificationStatus.FAILED
    assert outbox.deliver_due(NOW + timedelta(days=1)).sent == []


def test_an_unreachable_server_keeps_the_mail_for_later(app, mailbox):
    row = queue()
    app.config["SMTP_PORT"], port = 1, app.config["SMTP_PORT"]
    try:
        report = outbox.deliver_due(NOW)
    finally:
        app.config["SMTP_PORT"] = port
    assert report.retrying == [row.id]
    assert row.status is NotificationStatus.PENDING
    assert mailbox.received == []


def test_a_row_another_worker_holds_is_left_alone_until_its_lease_runs_out(app, mailbox):
    row = queue()
    row.status, row.lease_until = NotificationStatus.SENDING, NOW + timedelta(minutes=5)
    db.session.commit()
    assert outbox.deliver_due(NOW).sent == []
    assert outbox.deliver_due(NOW + timedelta(minutes=6)).sent == [row.id]
    assert len(mailbox.received) == 1


def test_with_the_outbox_backend_mail_stays_in_the_outbox(app, mailbox):
    row = queue()
    app.config["MAIL_BACKEND"] = "outbox"
    try:
        outbox.deliver_due(NOW)
    finally:
        app.config["MAIL_BACKEND"] = "smtp"
    assert row.status is NotificationStatus.PENDING
    assert mailbox.received == []


def test_giving_up_after_the_last_attempt(app, mailbox):
    row = queue()
    row.attempts = app.config["MAIL_MAX_ATTEMPTS"] - 1
    db.session.commit()
    mailbox.refuse = "421 Service not available"
    try:
        outbox.deliver_due(NOW)
    finally:
        mailbox.refuse = None
    assert row.status is NotificationStatus.FAILED


def test_a_row_that_cannot_become_an_email_fails_alone_and_the_rest_still_go(app, mailbox):
    broken = queue(key="test:broken")
    broken.subject = "Line one\r\nBcc: someone@example.org"
    good = queue(key="test:good")
    db.session.commit()
    report = outbox.deliver_due(NOW)
    assert report.failed == [broken.id] and report.sent == [good.id]
    assert broken.status is NotificationStatus.FAILED
    assert [message["To"] for message in mailbox.received] == ["maya@example.org"]


def test_a_row_abandoned_on_its_last_attempt_fails_instead_of_looping(app, mailbox):
    row = queue()
    row.status, row.lease_until = NotificationStatus.SENDING, NOW - timedelta(minutes=1)
    row.attempts = app.config["MAIL_MAX_ATTEMPTS"]
    db.session.commit()
    outbox.deliver_due(NOW)
    db.session.refresh(row)
    assert row.status is NotificationStatus.FAILED and mailbox.received == []


def test_line_breaks_in_a_subject_become_spaces(app):
    row = outbox.queue_email(
        Envelope("maya@example.org"),
        key="test:subject",
        template="new_manage_link",
        subject="Your link to\r\nMoseley",
        due_at=NOW,
        person=SimpleNamespace(first_name="M"),
        manage_url="http://127.0.0.1:5000/manage/a1-x",
    )
    assert row.subject == "Your link to Moseley"


def test_a_request_sends_only_its_own_email_and_leaves_the_backlog_to_the_scheduler(app, mailbox):
    # Queued earlier by another process: a row in the outbox, due, not yet sent.
    backlog = Notification(
        key="test:backlog",
        kind="test",
        recipient="someone@example.org",
        subject="Earlier",
        body_text="Earlier",
        body_html="<p>Earlier</p>",
        due_at=NOW,
    )
    db.session.add(backlog)
    db.session.commit()
    submit_help_request(contact(), request_details(), NOW)
    assert [message["To"] for message in mailbox.received] == ["maya@example.org"]
    assert backlog.status is NotificationStatus.PENDING
    assert outbox.deliver_due(NOW).sent == [backlog.id]


def test_while_the_mail_server_is_down_mail_waits_and_goes_once_it_is_back(app, monkeypatch):
    server = SmtpServer()  # not started yet: nothing answers on its port
    monkeypatch.setitem(app.config, "SMTP_PORT", server.port)
    rows = [queue(key=f"test:{n}") for n in range(3)]

    first = outbox.deliver_due(NOW)
    assert first.retrying == [row.id for row in rows] and first.sent == []
    waits = [row.due_at - NOW for row in rows]
    assert all(timedelta(seconds=44) <= wait <= timedelta(seconds=76) for wait in waits)
    assert outbox.deliver_due(NOW + timedelta(seconds=30)).retrying == []  # not due yet

    second_try = max(row.due_at for row in rows)
    assert sorted(outbox.deliver_due(second_try).retrying) == [row.id for row in rows]
    waits = [row.due_at - second_try for row in rows]
    assert all(timedelta(seconds=89) <= wait <= timedelta(seconds=151) for wait in waits)
    assert {(row.status, row.attempts) for row in rows} == {(NotificationStatus.PENDING, 2)}

    server.start()
    try:
        back = outbox.deliver_due(max(row.due_at for row in rows))
    finally:
        server.stop()
    assert sorted(back.sent) == [row.id for row in rows]
    assert {(row.status, row.attempts, row.last_error) for row in rows} == {
        (NotificationStatus.SENT, 3, None)
    }
    assert sorted(m["Message-ID"] for m in server.received) == sorted(r.message_id for r in rows)


def test_a_message_another_process_queues_first_is_not_queued_again(app, monkeypatch):
    render = outbox.render_email

    def render_while_another_process_queues(*args, **context):
        with app.app_context():  # another session, on its own connection, commits first
            db.session.add(
                Notification(
                    key="test:1", kind="test", recipient="x", subject="", body_text="", body_html=""
                )
            )
            db.session.commit()
        return render(*args, **context)

    monkeypatch.setattr(outbox, "render_email", render_while_another_process_queues)
    assert queue() is None
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 1
    assert "queued_notifications" not in db.session.info


def test_the_outbox_logs_one_json_object_an_event_and_no_personal_data(app, mailbox, caplog):
    caplog.set_level(logging.INFO, logger="surgery")
    row = queue()
    mailbox.refuse = "451 Try again later"
    try:
        outbox.deliver_due(NOW)
    finally:
        mailbox.refuse = None
    outbox.deliver_due(row.due_at)

    lines = [JsonFormatter().format(record) for record in caplog.records]
    events = [json.loads(line) for line in lines]
    assert [(event["event"], event.get("attempt")) for event in events] == [
        ("claimed", None),
        ("retrying", 1),
        ("claimed", None),
        ("sent", 2),
    ]
    retrying = events[1]
    assert retrying["notification_id"] == row.id and retrying["kind"] == "new_manage_link"
    assert retrying["error"] == "SMTPRecipientsRefused 451" and retrying["level"] == "WARNING"
    assert events[0]["notification_ids"] == [row.id]
    for personal in ("maya@example.org", "Maya", "private link", "manage/a1-x"):
        assert all(personal not in line for line in lines)


def test_a_long_backlog_leases_each_batch_from_when_it_is_taken(app, mailbox, monkeypatch):
    first, second = queue("test:1"), queue("test:2")
    looks = itertools.count()  # each look at the clock is 25 minutes after the one before
    monkeypatch.setattr(outbox, "monotonic", lambda: next(looks) * 25 * 60.0)
    monkeypatch.setattr(outbox, "BATCH_SIZE", 1)
    outbox.deliver_due(NOW)
    assert second.sent_at - first.sent_at >= outbox.LEASE, (
        "the second batch is leased from its own moment, not from when the run began"
    )
