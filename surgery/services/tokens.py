"""The private links in our emails: manage links, and expiring email-confirmation links.

A manage link is `<kind><id>-<mac>`: an HMAC of the person's random 128-bit manage secret under the
app's SECRET_KEY. Nothing in the database alone can forge one, any email can carry one without
storing it, and rotating the secret revokes every link sent so far.
"""

import hashlib
import hmac
from base64 import urlsafe_b64encode
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from surgery.clock import utcnow
from surgery.database import row_id
from surgery.extensions import db
from surgery.models import Account, Asker, Volunteer
from surgery.notify.links import link

CONFIRMATION_LIFETIME = timedelta(days=7)
MANAGE_KINDS = {"a": Asker, "v": Volunteer}


class LinkNotValid(Exception):
    """A link that is unknown, tampered with, revoked or expired."""


class LinkExpired(LinkNotValid):
    pass


def manage_token(person: Asker | Volunteer) -> str:
    """Return the token of this person's current manage link."""
    kind = "a" if isinstance(person, Asker) else "v"
    return f"{kind}{person.id}-{manage_mac(kind, person.id, person.manage_secret)}"


def person_for_manage_token(token: str) -> Asker | Volunteer:
    """Return the person a manage token belongs to; raise LinkNotValid for any other token."""
    kind, (digits, _, mac) = token[:1], token[1:].partition("-")
    model, person_id = MANAGE_KINDS.get(kind), row_id(digits)
    if model is None or person_id is None:
        raise LinkNotValid
    person = db.session.get(model, person_id)
    if person is None or person.erased_at is not None:
        raise LinkNotValid
    if not same_mac(mac, manage_mac(kind, person.id, person.manage_secret)):
        raise LinkNotValid
    return person


def same_mac(given: str, expected: str) -> bool:
    """Compare in constant time; as bytes, since a link can carry any character."""
    return hmac.compare_digest(given.encode(errors="replace"), expected.encode())


def manage_mac(kind: str, person_id: int, secret: str) -> str:
    return signature(f"manage|{kind}|{person_id}|{secret}")


def signature(message: str) -> str:
    """A short HMAC-SHA256 of the message under SECRET_KEY, safe in a URL."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()[:24]
    return urlsafe_b64encode(digest).decode().rstrip("=")


def manage_url(person: Asker | Volunteer) -> str:
    """Return the full address of the person's private manage page."""
    kind = "group-manage" if isinstance(person, Asker) else "volunteer-manage"
    return link(kind, token=manage_token(person))


def confirm_url(subject: str, subject_id: int) -> str:
    """Return the full address that confirms the email behind a request or an offer."""
    return link("confirm-email", token=confirmation_token(subject, subject_id))


def confirmation_token(subject: str, subject_id: int) -> str:
    """Return a signed token confirming the email address behind one request or offer."""
    return confirmation_serializer().dumps([subject, subject_id])


def read_confirmation_token(token: str) -> tuple[str, int]:
    """Return (subject, id) from a confirmation token; raise LinkExpired or LinkNotValid."""
    max_age = int(CONFIRMATION_LIFETIME.total_seconds())
    try:
        subject, subject_id = confirmation_serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkExpired from error
    except (BadSignature, ValueError) as error:
        raise LinkNotValid from error
    return str(subject), int(subject_id)


def confirmation_serializer() -> URLSafeTimedSerializer:
    return timed_serializer("confirm-email")


class ClockSigner(TimestampSigner):
    """Dates its signatures by the service's clock, so links expire on the same time as the rest."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def timed_serializer(salt: str) -> URLSafeTimedSerializer:
    """Return a serializer for expiring links, signed under SECRET_KEY for one purpose (salt)."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt, signer=ClockSigner)


# One-click unsubscribe (RFC 8058): an HMAC of who, under SECRET_KEY. It can only unsubscribe, so
# it needs no secret of the person's and keeps working after their manage link is rotated.
UNSUBSCRIBE_KINDS = {"a": Asker, "h": Account, "v": Volunteer}


def unsubscribe_token(person: Asker | Account | Volunteer) -> str:
    kind = next(kind for kind, model in UNSUBSCRIBE_KINDS.items() if isinstance(person, model))
    return f"{kind}{person.id}-{unsubscribe_mac(kind, person.id)}"


def unsubscribe_url(person: Asker | Account | Volunteer) -> str:
    return link("unsubscribe", token=unsubscribe_token(person))


def person_for_unsubscribe_token(token: str) -> Asker | Account | Volunteer:
    """Return whom an unsubscribe token names; raise LinkNotValid for any other token."""
    kind, (digits, _, mac) = token[:1], token[1:].partition("-")
    model, person_id = UNSUBSCRIBE_KINDS.get(kind), row_id(digits)
    if model is None or person_id is None:
        raise LinkNotValid
    if not same_mac(mac, unsubscribe_mac(kind, person_id)):
        raise LinkNotValid
    person = db.session.get(model, person_id)
    if person is None:
        raise LinkNotValid
    return person


def unsubscribe_mac(kind: str, person_id: int) -> str:
    return signature(f"unsubscribe|{kind}|{person_id}")
