"""The admin page of failed emails: who sees it, and retrying one from it."""

from surgery.extensions import db
from surgery.models import AuditEvent, Notification, NotificationStatus
from surgery.services import accounts
from tests.factories import NOW, PASSWORD, admin_account, approved_host
from tests.web.forms import csrf_token, submit


def failed_email(
    key: str = "test:failed",
    status: NotificationStatus = NotificationStatus.FAILED,
    last_error: str | None = "SMTPRecipientsRefused 550",
) -> Notification:
    row = Notification(
        key=key,
        kind="new_manage_link",
        recipient="maya@example.org",
        subject="Your new private link",
        body_text="Hello.",
        body_html="<p>Hello.</p>",
        status=status,
        attempts=8,
        last_error=last_error,
        due_at=NOW,
    )
    db.session.add(row)
    db.session.commit()
    return row


def sign_in(client, email: str) -> None:
    submit(client, "/host/sign-in", {"email": email, "password": PASSWORD})


def signed_in_admin(client):
    admin = admin_account()
    accounts.set_password(admin, PASSWORD, admin.created_at)
    sign_in(client, "root@example.org")
    return admin


def retry(client, row_id: int, token: str | None = None):
    token = token or csrf_token(client.get("/admin/").get_data(as_text=True))
    return client.post(f"/admin/failed-emails/{row_id}/retry", data={"csrf_token": token})


def test_an_admin_sees_failed_emails_and_how_many_from_the_admin_page(client):
    row = failed_email()
    failed_email("test:sent", NotificationStatus.SENT, None)
    signed_in_admin(client)

    index = client.get("/admin/").get_data(as_text=True)
    assert "Failed emails: 1" in index and 'href="/admin/failed-emails"' in index

    page = client.get("/admin/failed-emails").get_data(as_text=True)
    assert page.count("<tr>") == 2  # the header and the one failed email
    for shown in ("new_manage_link", "maya@example.org", "SMTPRecipientsRefused 550"):
        assert shown in page
    assert f'action="/admin/failed-emails/{row.id}/retry"' in page


def test_retrying_sends_the_email_now_and_records_who_did(client, mailbox):
    row = failed_email()
    admin = signed_in_admin(client)

    response = retry(client, row.id)

    assert response.status_code == 302 and response.location == "/admin/failed-emails"
    page = client.get(response.location).get_data(as_text=True)
    assert f"Email {row.id}: sent." in page and "No emails have failed." in page
    db.session.expire_all()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)
    assert [message["Message-ID"] for message in mailbox.received] == [row.message_id]
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "retried-email"))
    assert (event.subject, event.account_id) == (f"notification:{row.id}", admin.id)


def test_a_retry_refused_again_keeps_the_email_on_the_page(client, mailbox):
    row = failed_email()
    signed_in_admin(client)
    mailbox.refuse = "550 No such user here"
    try:
        page = client.get(retry(client, row.id).location).get_data(as_text=True)
    finally:
        mailbox.refuse = None
    assert f"Email {row.id}: failed again (SMTPRecipientsRefused 550)." in page
    assert f'action="/admin/failed-emails/{row.id}/retry"' in page


def test_an_email_that_has_not_failed_is_left_alone(client, mailbox):
    row = failed_email("test:sent", NotificationStatus.SENT, None)
    signed_in_admin(client)
    page = client.get(retry(client, row.id).location).get_data(as_text=True)
    assert f"Email {row.id} had not failed, so it was left as it was." in page
    assert mailbox.received == []
    assert retry(client, row.id + 1).status_code == 404


def test_a_retry_without_the_form_token_is_refused(client, mailbox):
    row = failed_email()
    signed_in_admin(client)
    assert client.post(f"/admin/failed-emails/{row.id}/retry").status_code == 400
    db.session.expire_all()
    assert row.status is NotificationStatus.FAILED and mailbox.received == []


def test_failed_emails_are_for_admins_only(client, mailbox):
    row = failed_email()
    anonymous = client.get("/admin/failed-emails")
    assert anonymous.status_code == 302 and "/host/sign-in" in anonymous.location
    approved_host()
    sign_in(client, "hana@example.org")
    token = csrf_token(client.get("/host/").get_data(as_text=True))
    assert client.get("/admin/failed-emails").status_code == 404
    assert retry(client, row.id, token).status_code == 404
    db.session.expire_all()
    assert row.status is NotificationStatus.FAILED
    assert row.message_id not in [message["Message-ID"] for message in mailbox.received]
