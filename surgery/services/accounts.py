"""Host and admin accounts: apply, approve, set a password, sign in and out."""

import hashlib
import re
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import case, literal, or_, update

from surgery.database import row_id
from surgery.extensions import db
from surgery.models import Account, AccountStatus, Role
from surgery.models.types import UTCDateTime
from surgery.notify import keys, outbox
from surgery.notify.links import link
from surgery.services import audit, passwords
from surgery.services.answers import normalise_email
from surgery.services.errors import InvalidAnswers
from surgery.services.tokens import LinkExpired, LinkNotValid, timed_serializer

PASSWORD_LINK_LIFETIME = timedelta(days=3)
FREE_ATTEMPTS = 5
# Past the free attempts each wrong guess pauses the account, a little longer each time but never
# for more than LONGEST_PAUSE: a guesser gets a few dozen tries an hour, and a stranger can keep
# the owner out for minutes at most, or not at all once they use the link we email them.
PAUSES = tuple(timedelta(minutes=minutes) for minutes in (1, 2, 5, 10))
LONGEST_PAUSE = timedelta(minutes=15)
SIGN_IN_LINK_LIFETIME = timedelta(hours=24)
hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile: t=3, m=64 MiB, p=4
# Verified against when no account matches, so a wrong email takes as long as a wrong password.
UNUSABLE_HASH = hasher.hash("no account has this password")
NOBODY = 0  # no account has this id


class SignInRefused(Exception):
    """Wrong email, wrong password, not approved or locked: deliberately one message for all."""


class PasswordLinkUsed(LinkNotValid):
    """A genuine set-password link whose password has been set since."""


def apply_to_host(name: str, email: str, town: str, why: str, now: datetime) -> None:
    """Record an application to host, thank the applicant and tell the admins; an existing
    address changes nothing, but is told where its first application stands."""
    email = normalise_email(email)
    existing = db.session.scalar(db.select(Account).where(Account.email == email))
    if existing is not None:
        tell_applied_again(existing, now)
        return
    account = Account(name=name, email=email, town=town, why=why, role=Role.HOST, created_at=now)
    db.session.add(account)
    db.session.flush()
    audit.record(None, "applied-to-host", f"account:{account.id}", now)
    outbox.queue_email(
        outbox.Envelope(account.email),
        key=keys.host_applied(account.id),
        template="host_applied",
        subject="We have your application to host surgeries",
        due_at=now,
        account=account,
    )
    for admin in db.session.scalars(db.select(Account).where(Account.role == Role.ADMIN)):
        outbox.queue_email(
            outbox.Envelope(admin.email),
            key=keys.host_application(account.id, admin.id),
            template="host_application",
            subject="Someone has applied to host surgeries",
            due_at=now,
            admin=admin,
            applicant=account,
            review_url=link("admin"),
        )
    db.session.commit()
    outbox.send_queued(now)


def tell_applied_again(account: Account, now: datetime) -> None:
    """Email the address where its first application stands, at most once a day: the page said
    an email was on its way, and says the same whether or not the address was known."""
    outbox.queue_email(
        outbox.Envelope(account.email),
        key=keys.host_applied_again(account.id, now),
        template="host_applied_again",
        subject="Your application to host surgeries",
        due_at=now,
        account=account,
        sign_in_url=link("sign-in"),
    )
    db.session.commit()
    outbox.send_queued(now)


def pending_applications() -> list[Account]:
    query = db.select(Account).where(Account.status == AccountStatus.APPLIED).order_by(Account.id)
    return list(db.session.scalars(query))


def decide_application(admin: Account, account: Account, approve: bool, now: datetime) -> None:
    """Approve (and email a set-password link) or decline an application to host."""
    if account.status is not AccountStatus.APPLIED:
        raise ValueError("This application has already been decided.")
    account.status = AccountStatus.APPROVED if approve else AccountStatus.DECLINED
    account.decided_at = now
    action = "approved-host" if approve else "declined-host"
    audit.record(admin, action, f"account:{account.id}", now)
    outbox.queue_email(
        outbox.Envelope(account.email),
        key=keys.host_decision(account.id),
        template="host_approved" if approve else "host_declined",
        subject="You can now host surgeries" if approve else "Your application to host",
        due_at=now,
        account=account,
        password_url=password_url(account) if approve else None,
        sign_in_url=link("sign-in") if approve else None,
    )
    db.session.commit()
    outbox.send_queued(now)


def create_admin(email: str, name: str, now: datetime) -> str:
    """Make an approved admin account (or find it); return a link to set its password."""
    email = normalise_email(email)
    account = db.session.scalar(db.select(Account).where(Account.email == email))
    if account is None:
        account = Account(name=name, email=email, role=Role.ADMIN, created_at=now)
        db.session.add(account)
    account.role, account.status, account.decided_at = Role.ADMIN, AccountStatus.APPROVED, now
    db.session.flush()
    audit.record(None, "created-admin", f"account:{account.id}", now)
    db.session.commit()
    return password_url(account)


def password_url(account: Account) -> str:
    return link("set-password", token=password_token(account))


def password_token(account: Account) -> str:
    """A link that works until used: it names the password it replaces, so setting one ends it."""
    return password_serializer().dumps([account.id, password_fingerprint(account)])


def password_fingerprint(account: Account) -> str:
    return hashlib.sha256((account.password_hash or "none").encode()).hexdigest()[:16]


def account_for_password_token(token: str) -> Account:
    """Return the account a set-password link is for; raise LinkExpired, PasswordLinkUsed or
    LinkNotValid."""
    max_age = int(PASSWORD_LINK_LIFETIME.total_seconds())
    try:
        account_id, fingerprint = password_serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkExpired from error
    except (BadSignature, ValueError, TypeError) as error:
        raise LinkNotValid from error
    account = db.session.get(Account, account_id)
    if account is None or account.status is not AccountStatus.APPROVED:
        raise LinkNotValid
    if fingerprint != password_fingerprint(account):
        # Only our own signed link gets this far, so saying it was used tells a guesser nothing.
        raise PasswordLinkUsed
    return account


def password_serializer() -> URLSafeTimedSerializer:
    return timed_serializer("set-password")


def set_password(account: Account, password: str, now: datetime) -> None:
    """Set a new password and end every session signed in with the old one; raise InvalidAnswers
    for one that would be easy to guess."""
    passwords.check_strength(account, password)
    account.password_hash = hasher.hash(password)
    account.session_version += 1
    account.failed_sign_ins, account.locked_until = 0, None
    audit.record(account, "set-password", f"account:{account.id}", now)
    db.session.commit()


def sign_in(email: str, password: str, now: datetime) -> Account:
    """Return the account for these details; raise SignInRefused, counting failures.

    Every refusal checks one password with Argon2, whether the address has an account, is paused
    or not, so that neither the answer nor its timing says which addresses have accounts.
    """
    account = account_by_email(email)
    usable = account is not None and account.password_hash is not None
    # Without an account the claim finds no row, but costs what a paused account's does.
    failures = claim_attempt(account.id if usable else NOBODY, now)
    if failures is None:
        verify(UNUSABLE_HASH, password)
        raise SignInRefused
    if not verify(account.password_hash, password) or not account.is_active:
        if failures >= FREE_ATTEMPTS and account.is_active:
            offer_sign_in_link(account, now)
        db.session.commit()
        raise SignInRefused
    if hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(password)
    account.failed_sign_ins, account.locked_until = 0, None
    db.session.commit()
    return account


def account_by_email(email: str) -> Account | None:
    try:
        email = normalise_email(email)
    except InvalidAnswers:
        return None
    return db.session.scalar(db.select(Account).where(Account.email == email))


def verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def claim_attempt(account_id: int, now: datetime) -> int | None:
    """Count this attempt as failed before its password is checked, pausing the account once past
    the free attempts; return the failures so far, or None while the account is paused.

    One conditional UPDATE: two guesses at once each use up an attempt, and neither can slip in
    while the other is being checked. A right password puts the count back to nought.
    """
    failures = Account.failed_sign_ins + 1
    pause_ends = case(
        *[(failures == FREE_ATTEMPTS + n, at(now + pause)) for n, pause in enumerate(PAUSES)],
        else_=at(now + LONGEST_PAUSE),
    )
    claim = (
        update(Account)
        .where(Account.id == account_id)
        .where(or_(Account.locked_until.is_(None), Account.locked_until <= now))
        .values(
            failed_sign_ins=failures,
            locked_until=case((failures >= FREE_ATTEMPTS, pause_ends), else_=None),
        )
        .returning(Account.failed_sign_ins)
        .execution_options(synchronize_session=False)
    )
    claimed = db.session.execute(claim).scalar_one_or_none()
    db.session.commit()
    return claimed


def at(moment: datetime):
    return literal(moment, UTCDateTime())


def offer_sign_in_link(account: Account, now: datetime) -> None:
    """Email the owner of a paused account a link that signs them in, at most once a day.

    Left for the scheduler to deliver within the minute: sending it now would make this refusal
    slower than others, telling a guesser the address has an account.
    """
    outbox.queue_email(
        outbox.Envelope(account.email),
        key=keys.sign_in_paused(account.id, account.session_version, now),
        template="sign_in_paused",
        subject="Someone tried a wrong password to sign in as you",
        due_at=now,
        account=account,
        sign_in_url=link("sign-in-link", token=sign_in_token(account)),
        lifetime_hours=int(SIGN_IN_LINK_LIFETIME.total_seconds() // 3600),
    )


def sign_in_token(account: Account) -> str:
    """A link that signs in once: it names the session version, which using it moves on."""
    return timed_serializer("sign-in-link").dumps([account.id, session_fingerprint(account)])


def session_fingerprint(account: Account) -> str:
    seed = f"{account.password_hash or 'none'}:{account.session_version}"
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def account_for_sign_in_token(token: str) -> Account:
    """Return the account an emailed sign-in link is for; raise LinkExpired or LinkNotValid."""
    max_age = int(SIGN_IN_LINK_LIFETIME.total_seconds())
    try:
        account_id, fingerprint = timed_serializer("sign-in-link").loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkExpired from error
    except (BadSignature, ValueError, TypeError) as error:
        raise LinkNotValid from error
    account = db.session.get(Account, account_id)
    if account is None or not account.is_active or fingerprint != session_fingerprint(account):
        raise LinkNotValid
    return account


def sign_in_with_link(account: Account, now: datetime) -> Account:
    """Sign in by an emailed link: end the pause, and every other session, which ends the link."""
    account.session_version += 1
    account.failed_sign_ins, account.locked_until = 0, None
    audit.record(account, "signed-in-by-link", f"account:{account.id}", now)
    db.session.commit()
    return account


def account_for_session(session_id: str) -> Account | None:
    """Return the account a session cookie names, if that session has not been ended since."""
    account_text, _, version = session_id.partition(".")
    account_id = row_id(account_text)
    if account_id is None or not re.fullmatch(r"[0-9]{1,9}", version):
        return None
    account = db.session.get(Account, account_id)
    if account is None or account.session_version != int(version) or not account.is_active:
        return None
    return account


def sign_out(account: Account, now: datetime) -> None:
    """End every session of this account, including copies of its cookie."""
    account.session_version += 1
    audit.record(account, "signed-out", f"account:{account.id}", now)
    db.session.commit()
