"""A group or volunteer moves to a new email address, confirmed by a link sent to that address.

Until the link is used the old address stays in use; afterwards the old address is told. The
change waits as a draft, one per person, so a newer request replaces an older one. Its link names
the person and an HMAC of a random nonce, never an address (links end up in server logs); it works
once, for LINK_LIFETIME, and dies when the person is erased (the draft holds their address, so
erasure removes it) or moves address another way.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from surgery.database import row_id
from surgery.extensions import db
from surgery.models import Asker, FormDraft, Notification, NotificationStatus, Volunteer
from surgery.notify import keys, outbox
from surgery.notify.links import link
from surgery.services.answers import normalise_email
from surgery.services.errors import InvalidAnswers
from surgery.services.personal_data import DRAFT_LIFETIME
from surgery.services.tokens import LinkExpired, LinkNotValid, manage_url, same_mac, signature

# As long as any draft lives: the purge of old drafts then removes the change itself.
LINK_LIFETIME = DRAFT_LIFETIME
JOURNEY = "email-change"
KINDS = {"a": Asker, "v": Volunteer}


class AddressTaken(Exception):
    """The new address came to belong to someone else before the link was used."""


@dataclass(frozen=True)
class PendingChange:
    person: Asker | Volunteer
    new_email: str
    draft: FormDraft


def kind_of(person: Asker | Volunteer) -> str:
    return "a" if isinstance(person, Asker) else "v"


def holder_of(model: type[Asker] | type[Volunteer], email: str) -> Asker | Volunteer | None:
    return db.session.scalar(db.select(model).where(model.email == email))


def request_email_change(person: Asker | Volunteer, new_email: str, now: datetime) -> None:
    """Email the new address a link that moves the person to it; raise InvalidAnswers.

    An address another group (or volunteer) already uses is told so instead, with no link, and the
    person sees the same page either way: it must not reveal who uses the service.
    """
    email = normalise_email(new_email)
    if email == person.email:
        raise InvalidAnswers({"email": "This is already your email address. Enter a new one"})
    holder = holder_of(type(person), email)
    if holder is None:
        queue_change_link(person, email, now)
    else:
        queue_refusal(holder, now)
    db.session.commit()
    outbox.send_queued(now)


def queue_change_link(person: Asker | Volunteer, email: str, now: datetime) -> None:
    kind, nonce = kind_of(person), secrets.token_urlsafe(16)
    draft_id = f"{JOURNEY}:{kind}{person.id}"
    draft = db.session.get(FormDraft, draft_id) or FormDraft(id=draft_id, journey=JOURNEY)
    draft.answers = {"email": email, "was": person.email, "nonce": nonce}
    draft.updated_at = now
    db.session.add(draft)
    token = f"{kind}{person.id}-{change_mac(kind, person.id, nonce)}"
    outbox.queue_email(
        outbox.Envelope(email),
        key=keys.email_change_link(token),
        template="email_change_link",
        subject="Confirm your new email address",
        due_at=now,
        name=person.first_name,
        kind=kind,
        change_url=link("email-change", token=token),
        days=LINK_LIFETIME.days,
    )


def queue_refusal(holder: Asker | Volunteer, now: datetime) -> None:
    kind = kind_of(holder)
    outbox.queue_email(
        outbox.Envelope(holder.email),
        key=keys.email_change_refused(kind, holder.id, now),
        template="email_change_refused",
        subject="Someone tried to use this email address",
        due_at=now,
        kind=kind,
        manage_url=manage_url(holder),
    )


def change_mac(kind: str, person_id: int, nonce: str) -> str:
    return signature(f"email-change|{kind}|{person_id}|{nonce}")


def pending_change(token: str, now: datetime) -> PendingChange:
    """Return the change a link confirms; raise LinkExpired, or LinkNotValid for any other."""
    kind, (digits, _, mac) = token[:1], token[1:].partition("-")
    model, person_id = KINDS.get(kind), row_id(digits)
    if model is None or person_id is None:
        raise LinkNotValid
    draft = db.session.get(FormDraft, f"{JOURNEY}:{kind}{person_id}")
    if draft is None or not same_mac(mac, change_mac(kind, person_id, draft.answers["nonce"])):
        raise LinkNotValid
    if draft.updated_at + LINK_LIFETIME < now:
        raise LinkExpired
    person = db.session.get(model, person_id)
    # A person erased, or moved to another address since, has no use for this link.
    if person is None or person.erased_at is not None or person.email != draft.answers["was"]:
        raise LinkNotValid
    return PendingChange(person, draft.answers["email"], draft)


def confirm_email_change(token: str, now: datetime) -> Asker | Volunteer:
    """Move the person to the address the link was sent to and tell the old one; return them.

    Raise LinkExpired, LinkNotValid, or AddressTaken if someone else has come to use the address.
    """
    change = pending_change(token, now)
    person, old_email = change.person, change.person.email
    db.session.delete(change.draft)
    if holder_of(type(person), change.new_email) is not None:
        db.session.commit()
        raise AddressTaken
    person.email = change.new_email
    readdress_messages(person, old_email)
    queue_notice(person, old_email, now)
    try:
        db.session.commit()
    except IntegrityError as error:  # taken by a request that committed after our check
        db.session.rollback()
        raise AddressTaken from error
    outbox.send_queued(now)
    return person


def readdress_messages(person: Asker | Volunteer, old_email: str) -> None:
    """Let the messages to the old address follow the person: those waiting go to the new one,
    and those sent stay in what they can download, and erase, with the rest of their details.

    Not when the old address is also someone's of the other kind (a group's contact who
    volunteers too): a message to it may be that other one's.
    """
    other = Volunteer if isinstance(person, Asker) else Asker
    if holder_of(other, old_email) is not None:
        return
    db.session.execute(
        update(Notification)
        .where(
            Notification.recipient == old_email,
            Notification.status != NotificationStatus.SENDING,
        )
        .values(recipient=person.email)
        .execution_options(synchronize_session=False)
    )


def queue_notice(person: Asker | Volunteer, old_email: str, now: datetime) -> None:
    """Tell the old address, without naming the new one: whoever reads it may not be the owner."""
    kind = kind_of(person)
    outbox.queue_email(
        outbox.Envelope(old_email),
        key=keys.email_changed(kind, person.id, now),
        template="email_changed",
        subject="Your email address has been changed",
        due_at=now,
        name=person.first_name,
        kind=kind,
    )
