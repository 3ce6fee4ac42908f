from datetime import timedelta

import pytest

from surgery.extensions import db
from surgery.models import Account, AccountStatus, AuditEvent
from surgery.services import accounts
from surgery.services.accounts import SignInRefused
from surgery.services.tokens import LinkNotValid
from tests.factories import NOW, PASSWORD, admin_account, apply_to_host, approved_host


def test_an_application_waits_for_an_admin_who_is_emailed(app, mailbox):
    admin_account()
    host = apply_to_host()
    assert host.status is AccountStatus.APPLIED and not host.is_active
    (message,) = mailbox.to("root@example.org")
    assert "Hana Ito has applied to host surgeries in Moseley" in mailbox.text_of(message)


def test_applying_again_with_the_same_email_changes_nothing(app):
    apply_to_host()
    accounts.apply_to_host("Someone", "HANA@example.org", "Elsewhere", "Again", NOW)
    assert db.session.scalar(db.select(db.func.count(Account.id))) == 1


def test_approval_emails_a_password_link_that_works_once(app, mailbox):
    admin, host = admin_account(), apply_to_host()
    accounts.decide_application(admin, host, True, NOW)
    text = mailbox.text_of(mailbox.to("hana@example.org")[-1])
    token = text.split("/host/set-password/")[1].split()[0]
    assert accounts.account_for_password_token(token) is host

    accounts.set_password(host, PASSWORD, NOW)

    assert host.password_hash.startswith("$argon2id$")
    with pytest.raises(LinkNotValid):
        accounts.account_for_password_token(token)
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"applied-to-host", "approved-host", "set-password"} <= actions


def test_a_declined_applicant_cannot_sign_in(app):
    host = apply_to_host()
    accounts.decide_application(admin_account(), host, False, NOW)
    with pytest.raises(LinkNotValid):
        accounts.account_for_password_token(accounts.password_token(host))
    with pytest.raises(SignInRefused):
        accounts.sign_in("hana@example.org", PASSWORD, NOW)


def test_an_application_is_decided_once(app):
    admin, host = admin_account(), apply_to_host()
    accounts.decide_application(admin, host, True, NOW)
    with pytest.raises(ValueError):
        accounts.decide_application(admin, host, False, NOW)


def test_signing_in_with_the_right_and_wrong_details(app):
    host = approved_host()
    assert accounts.sign_in(" Hana@Example.org ", PASSWORD, NOW) is host
    wrong = [("hana@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)]
    for email, password in wrong:
        with pytest.raises(SignInRefused):
            accounts.sign_in(email, password, NOW)


def test_repeated_failures_pause_the_account_for_a_while(app):
    host = approved_host()
    for _ in range(accounts.FREE_ATTEMPTS):
        with pytest.raises(SignInRefused):
            accounts.sign_in("hana@example.org", "wrong password!", NOW)
    pause = accounts.PAUSES[0]
    with pytest.raises(SignInRefused):
        accounts.sign_in("hana@example.org", PASSWORD, NOW + pause - timedelta(seconds=1))
    assert accounts.sign_in("hana@example.org", PASSWORD, NOW + pause) is host
    assert host.failed_sign_ins == 0


def test_signing_out_ends_every_copy_of_the_session(app):
    host = approved_host()
    session_id = host.get_id()
    assert accounts.account_for_session(session_id) is host
    accounts.sign_out(host, NOW)
    assert accounts.account_for_session(session_id) is None
    assert accounts.account_for_session(host.get_id()) is host


@pytest.mark.parametrize("session_id", ["", "x.y", "1", "999.1", "1.999"])
def test_a_made_up_session_id_finds_nobody(app, session_id):
    approved_host()
    assert accounts.account_for_session(session_id) is None


def test_the_first_admin_comes_from_the_command_line(app, runner):
    result = runner.invoke(args=["admin", "create", "root@example.org", "--name", "Ada Admin"])
    assert result.exit_code == 0
    assert "/host/set-password/" in result.output
    admin = db.session.scalar(db.select(Account))
    assert admin.is_admin and admin.status is AccountStatus.APPROVED
