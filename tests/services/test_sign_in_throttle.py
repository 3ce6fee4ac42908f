"""Wrong passwords: counted without races, slowing a guesser without keeping the owner out."""

import os
import threading
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from surgery import create_app
from surgery.extensions import db
from surgery.models import Account, Notification
from surgery.notify import outbox
from surgery.services import accounts
from surgery.services.accounts import SignInRefused
from surgery.services.tokens import LinkNotValid
from tests.factories import NOW, PASSWORD, approved_host

WRONG = "not the password at all"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def refused(email: str, password: str, now=NOW) -> bool:
    try:
        accounts.sign_in(email, password, now)
    except SignInRefused:
        return True
    return False


@pytest.fixture
def verified(monkeypatch):
    """The password hashes each sign-in checked a password against, in order."""
    checked = []

    class CountingHasher(PasswordHasher):
        def verify(self, password_hash, password):
            checked.append(password_hash)
            return super().verify(password_hash, password)

    monkeypatch.setattr(accounts, "hasher", CountingHasher())
    return checked


def test_every_refusal_costs_one_password_check_whether_the_account_exists_or_is_paused(
    app, verified
):
    approved_host()
    for _ in range(accounts.FREE_ATTEMPTS):
        assert refused("hana@example.org", WRONG)
    verified.clear()

    assert refused("hana@example.org", PASSWORD)  # paused: even the right password waits
    assert refused("nobody@example.org", PASSWORD)
    assert refused("not an address", PASSWORD)

    # One Argon2 check each, as long as a wrong password on an open account takes.
    assert len(verified) == 3


def test_a_strangers_guesses_keep_the_owner_out_for_minutes_not_hours(app):
    host = approved_host()
    # A stranger guesses every five minutes for six hours, from wherever they like.
    moment = NOW
    for _ in range(6 * 12):
        refused("hana@example.org", WRONG, moment)
        moment += timedelta(minutes=5)
    db.session.refresh(host)
    assert host.locked_until - moment <= accounts.LONGEST_PAUSE
    assert accounts.sign_in("hana@example.org", PASSWORD, moment + accounts.LONGEST_PAUSE) is host


def test_a_paused_owner_is_emailed_once_a_link_that_signs_them_in_once(app, mailbox):
    host = approved_host()
    for _ in range(3 * accounts.FREE_ATTEMPTS):
        refused("hana@example.org", WRONG)
    outbox.deliver_due(NOW)

    (message,) = [m for m in mailbox.to("hana@example.org") if "wrong password" in m["Subject"]]
    text = mailbox.text_of(message)
    token = text.split("/host/sign-in/")[1].split()[0]
    assert accounts.account_for_sign_in_token(token) == host

    assert accounts.sign_in_with_link(host, NOW) is host
    db.session.refresh(host)
    assert host.failed_sign_ins == 0 and host.locked_until is None
    with pytest.raises(LinkNotValid):
        accounts.account_for_sign_in_token(token)


def test_nobody_is_emailed_about_guesses_at_an_address_without_an_account(app):
    for _ in range(3 * accounts.FREE_ATTEMPTS):
        refused("nobody@example.org", WRONG)
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0


def test_a_right_password_within_the_free_attempts_signs_in_and_starts_again(app):
    host = approved_host()
    for _ in range(accounts.FREE_ATTEMPTS - 1):
        refused("hana@example.org", WRONG)
    assert accounts.sign_in("hana@example.org", PASSWORD, NOW) is host
    db.session.refresh(host)
    assert host.failed_sign_ins == 0 and host.locked_until is None


# SQLite has one writer, so no two guesses overlap there: defined only on PostgreSQL.
if ON_POSTGRES:

    @pytest.mark.postgres
    def test_simultaneous_wrong_passwords_cannot_exceed_the_allowed_guesses(app, verified):
        approved_host()
        racing = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
            SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": 0},
        )
        errors = []

        def guess(start: threading.Barrier) -> None:
            with racing.app_context():
                try:
                    start.wait()
                    refused("hana@example.org", WRONG)
                except Exception as error:  # noqa: BLE001  (reported below, with the test's failure)
                    errors.append(repr(error))

        # Pairs of guesses at the same instant, as the attack that found 9 guesses where 5 were due.
        for _ in range(accounts.FREE_ATTEMPTS + 2):
            start = threading.Barrier(2)
            pair = [threading.Thread(target=guess, args=(start,)) for _ in range(2)]
            for thread in pair:
                thread.start()
            for thread in pair:
                thread.join(timeout=60)
        with racing.app_context():
            db.engine.dispose()

        assert errors == []
        real_checks = [checked for checked in verified if checked != accounts.UNUSABLE_HASH]
        assert len(real_checks) <= accounts.FREE_ATTEMPTS
        host = db.session.scalar(db.select(Account).where(Account.email == "hana@example.org"))
        assert host.failed_sign_ins >= accounts.FREE_ATTEMPTS
        assert refused("hana@example.org", PASSWORD)
