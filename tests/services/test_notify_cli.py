"""`flask notify status` and `flask notify retry ID`: what operators see of the outbox, and do."""

from datetime import timedelta

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import AuditEvent, Notification, NotificationStatus


def outbox_row(key: str, status=NotificationStatus.PENDING, due_at=None, **changes):
    row = Notification(
        key=key,
        kind="test",
        recipient="maya@example.org",
        subject="Hello",
        body_text="Hello.",
        body_html="<p>Hello.</p>",
        status=status,
        due_at=due_at or utcnow(),
        **changes,
    )
    db.session.add(row)
    db.session.commit()
    return row


def failed_row(key: str = "test:failed") -> Notification:
    error = "SMTPRecipientsRefused 550"
    return outbox_row(key, NotificationStatus.FAILED, attempts=8, last_error=error)


def test_status_counts_each_state_and_says_how_long_the_oldest_due_has_waited(app, runner):
    oldest = utcnow() - timedelta(hours=2)
    outbox_row("test:late", due_at=oldest)
    outbox_row("test:soon", due_at=utcnow() - timedelta(minutes=1))
    outbox_row("test:tomorrow", due_at=utcnow() + timedelta(days=1))
    outbox_row("test:sent", NotificationStatus.SENT)
    failed_row()

    result = runner.invoke(args=["notify", "status"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split() for line in lines[:5]] == [
        ["pending", "3"],
        ["sending", "0"],
        ["sent", "1"],
        ["failed", "1"],
        ["cancelled", "0"],
    ]
    assert lines[5] == f"2 due now; the oldest since {oldest:%Y-%m-%d %H:%M} UTC (120 minutes ago)."


def test_status_with_nothing_due(app, runner):
    outbox_row("test:tomorrow", due_at=utcnow() + timedelta(days=1))
    assert runner.invoke(args=["notify", "status"]).output.endswith("Nothing is due.\n")


def test_retry_sends_a_failed_email_again_with_its_attempts_counted_afresh(app, runner, mailbox):
    row = failed_row()

    result = runner.invoke(args=["notify", "retry", str(row.id)])

    assert result.exit_code == 0, result.output
    assert result.output == f"Email {row.id}: sent.\n"
    db.session.refresh(row)
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 1, None)
    assert [message["Message-ID"] for message in mailbox.received] == [row.message_id]
    event = db.session.scalar(db.select(AuditEvent))
    assert (event.action, event.subject, event.account_id) == (
        "retried-email",
        f"notification:{row.id}",
        None,
    )


def test_a_retry_refused_again_says_so(app, runner, mailbox):
    row = failed_row()
    mailbox.refuse = "550 No such user here"
    try:
        result = runner.invoke(args=["notify", "retry", str(row.id)])
    finally:
        mailbox.refuse = None
    assert result.output == f"Email {row.id}: failed again (SMTPRecipientsRefused 550).\n"


def test_a_retry_the_server_puts_off_says_when_the_next_try_is(app, runner, mailbox):
    row = failed_row()
    mailbox.refuse = "451 Try again later"
    try:
        result = runner.invoke(args=["notify", "retry", str(row.id)])
    finally:
        mailbox.refuse = None
    db.session.refresh(row)
    assert result.output == (
        f"Email {row.id}: not sent yet (SMTPRecipientsRefused 451); "
        f"next try at {row.due_at:%Y-%m-%d %H:%M} UTC.\n"
    )


def test_only_failed_emails_are_retried(app, runner, mailbox):
    sent = outbox_row("test:sent", NotificationStatus.SENT)
    result = runner.invoke(args=["notify", "retry", str(sent.id)])
    assert result.exit_code == 1
    assert f"Email {sent.id} is sent: only failed emails are retried." in result.output
    unknown = runner.invoke(args=["notify", "retry", str(sent.id + 1)])
    assert unknown.exit_code == 1 and f"There is no email {sent.id + 1}." in unknown.output
    assert mailbox.received == []
