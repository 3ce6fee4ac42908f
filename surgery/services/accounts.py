"""Host and admin accounts: apply, approve, set a password, sign in and out."""

import hashlib
import re
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from surgery.extensions import db
from surgery.models import Account, AccountStatus, Role
from surgery.notify import keys, outbox
from surgery.notify.links import link
from surgery.services import audit
from surgery.services.answers import normalise_email
from surgery.services.errors import InvalidAnswers
from surgery.services.tokens import LinkExpired, LinkNotValid, timed_serializer

PASSWORD_LINK_LIFETIME = timedelta(days=3)
FREE_ATTEMPTS = 5
FIRST_LOCK = timedelta(minutes=15)
hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile: t=3, m=64 MiB, p=4
# Verified against when no account matches, so a wrong email takes as long as a wrong password.
UNUSABLE_HASH = hasher.hash("no account has this password")


class SignInRefused(Exception):
    """Wrong email, wrong password, not approved or locked: deliberately one message for all."""


def apply_to_host(name: str, email: str, town: str, why: str, now: datetime) -> None:
    """Record an application to host and tell the admins; an existing address changes nothing."""
    email = normalise_email(email)
    if db.session.scalar(db.select(Account.id).where(Account.email == email)):
        return
    account = Account(name=name, email=email, town=town, why=why, role=Role.HOST, created_at=now)
    db.session.add(account)
    db.session.flush()
    audit.record(None, "applied-to-host", f"account:{account.id}", now)
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
    """Return the account a set-password link is for; raise LinkExpired or LinkNotValid."""
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
        raise LinkNotValid
    return account


def password_serializer() -> URLSafeTimedSerializer:
    return timed_serializer("set-password")


def set_password(account: Account, password: str, now: datetime) -> None:
    """Set a new password and end every session signed in with the old one."""
    account.password_hash = hasher.hash(password)
    account.session_version += 1
    account.failed_sign_ins, account.locked_until = 0, None
    audit.record(account, "set-password", f"account:{account.id}", now)
    db.session.commit()


def sign_in(email: str, password: str, now: datetime) -> Account:
    """Return the account for these details; raise SignInRefused, counting failures."""
    try:
        email = normalise_email(email)
    except InvalidAnswers:
        email = ""
    account = db.session.scalar(db.select(Account).where(Account.email == email))
    if account is None or account.password_hash is None:
        verify(UNUSABLE_HASH, password)
        raise SignInRefused
    if account.locked_until and account.locked_until > now:
        raise SignInRefused
    if not verify(account.password_hash, password) or not account.is_active:
        note_failure(account, now)
        raise SignInRefused
    if hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(password)
    account.failed_sign_ins, account.locked_until = 0, None
    db.session.commit()
    return account


def verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def note_failure(account: Account, now: datetime) -> None:
    """Count a failed sign-in; past the free attempts, lock for 15 minutes, doubling each time."""
    account.failed_sign_ins += 1
    over = account.failed_sign_ins - FREE_ATTEMPTS
    if over >= 0:
        account.locked_until = now + FIRST_LOCK * 2 ** min(over, 6)
    db.session.commit()


def account_for_session(session_id: str) -> Account | None:
    """Return the account a session cookie names, if that session has not been ended since."""
    account_id, _, version = session_id.partition(".")
    if not (re.fullmatch(r"[0-9]{1,12}", account_id) and re.fullmatch(r"[0-9]{1,9}", version)):
        return None
    account = db.session.get(Account, int(account_id))
    if account is None or account.session_version != int(version) or not account.is_active:
        return None
    return account


def sign_out(account: Account, now: datetime) -> None:
    """End every session of this account, including copies of its cookie."""
    account.session_version += 1
    audit.record(account, "signed-out", f"account:{account.id}", now)
    db.session.commit()
