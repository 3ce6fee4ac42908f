"""The traces a person leaves in what others hold: messages, drafts, notes written about them.

Erasing a person blanks their own rows (surgery.services.personal_data); this module finds the
rest by what identifies them (their name, email address, phone number and organisation names)
and removes it, so that no text column of any table still holds them.
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime

from markupsafe import escape
from sqlalchemy import Enum, String, and_, delete, func, or_, update

from surgery.extensions import db
from surgery.models import (
    Asker,
    Booking,
    FollowUp,
    FormDraft,
    Notification,
    NotificationStatus,
    Outcome,
    Volunteer,
)
from surgery.notify import keys

REMOVED = "[removed]"
# Shorter than this, a name or word would match inside unrelated text ("Ali" in "quality").
SHORTEST_TRACE = 4
# Tables that hold no free text about others, or whose text is handled on its own below: accounts
# are hosts' own details, skills are the reference list, messages and drafts are dealt with whole.
NOT_SWEPT = {"accounts", "skills", "notifications", "form_drafts"}
# Columns that identify someone else: another group from the same organisation keeps its name.
OTHERS_IDENTITY = {
    "askers.name",
    "askers.phone",
    "volunteers.name",
    "help_requests.organisation_name",
}


@dataclass(frozen=True)
class Traces:
    """What identifies a person in text: their email address and the strings that name them."""

    email: str | None
    names: tuple[str, ...]
    # The notices sent to addresses they used before (their only copy of those addresses).
    former_address_notices: str | None = None


def traces_of(person: Asker | Volunteer) -> Traces:
    """Return what identifies a person, read before their own rows are blanked."""
    found = [person.name, person.email]
    if isinstance(person, Asker):
        found += [person.phone] + [r.organisation_name for r in person.requests]
    names = {text.strip() for text in found if text and len(text.strip()) >= SHORTEST_TRACE}
    kind = "a" if isinstance(person, Asker) else "v"
    notices = keys.email_changed_prefix(kind, person.id)
    return Traces(person.email, tuple(sorted(names)), notices)


def erase_group_writings(request_ids: list[int]) -> None:
    """Blank the follow-up answers of these requests and the hosts' notes on their outcomes;
    the scores and whether the group came stay, as counts."""
    db.session.execute(
        update(FollowUp)
        .where(FollowUp.help_request_id.in_(request_ids))
        .values(line="", story="", may_share_story=False)
        .execution_options(synchronize_session=False)
    )
    bookings = db.select(Booking.id).where(Booking.help_request_id.in_(request_ids))
    db.session.execute(
        update(Outcome)
        .where(Outcome.booking_id.in_(bookings))
        .values(note="")
        .execution_options(synchronize_session=False)
    )


def redact_mentions(traces: Traces) -> None:
    """Remove the person's names from every free text others wrote (a host's notes, say).

    Done first, so that the messages the erasure itself makes (a volunteer's changed list, which
    carries the host's notes) are made from clean text.
    """
    db.session.flush()
    for table, column in swept_columns():
        redact_column(table, column, traces.names)
    # The rows changed under the session's objects: read them again.
    db.session.expire_all()


def erase_traces(traces: Traces, now: datetime) -> None:
    """Withdraw or empty the messages to or about the person and forget drafts naming them;
    the caller commits."""
    db.session.flush()
    withdraw_messages(traces, now)
    forget_drafts(traces)


def variants(text: str) -> set[str]:
    """The text as stored raw, in an HTML body and inside JSON."""
    return {text, str(escape(text)), json.dumps(text)[1:-1]}


def mentions(column, names: tuple[str, ...]):
    """SQL: the column holds one of the names, in any case."""
    found = [n.lower() for name in names for n in variants(name)]
    return or_(*(func.lower(column).contains(n, autoescape=True) for n in found))


def messages_concerning(traces: Traces) -> list[int]:
    """Return the outbox rows addressed to the person, or whose subject or text names them.

    The HTML body and the invitation are made from the same words as the text, so the text
    alone says whether a message names them, at a fraction of the reading.
    """
    addressed = Notification.recipient == traces.email if traces.email else None
    naming = [
        mentions(column, traces.names) for column in (Notification.subject, Notification.body_text)
    ]
    formerly = None
    if traces.former_address_notices:
        formerly = Notification.key.startswith(traces.former_address_notices, autoescape=True)
    clauses = [clause for clause in (addressed, formerly, *naming) if clause is not None]
    return list(db.session.scalars(db.select(Notification.id).where(or_(*clauses))))


def withdraw_messages(traces: Traces, now: datetime) -> None:
    """Cancel every unsent message to or about the person, and empty every copy, sent or not.

    The rows stay, with their kind, dates and key but no address or words: a key is what stops
    the same message being made twice (a volunteer's list of groups is not made again naming the
    erased group: the service has already sent the changed list), and the outbox's counts stay
    right, yet no row says anything about anyone. A message in flight is left to its sender to
    record; it is emptied all the same.
    """
    if not traces.names:
        return
    concerning = Notification.id.in_(messages_concerning(traces))
    unsent = or_(
        Notification.status.in_((NotificationStatus.PENDING, NotificationStatus.FAILED)),
        # Its sender let the lease run out (it died): nobody is sending it.
        and_(Notification.status == NotificationStatus.SENDING, Notification.lease_until < now),
    )
    cancelled = {"status": NotificationStatus.CANCELLED, "lease_until": None}
    db.session.execute(
        update(Notification).where(concerning, unsent).values(**cancelled),
        execution_options={"synchronize_session": False},
    )
    emptied = {"subject": "", "body_text": "", "body_html": "", "calendar": None}
    emptied |= {"unsubscribe_url": None, "last_error": None}
    db.session.execute(
        update(Notification).where(concerning).values(**emptied),
        execution_options={"synchronize_session": False},
    )
    if traces.email:
        forget_address(traces.email)
    if traces.former_address_notices:
        db.session.execute(
            update(Notification)
            .where(Notification.key.startswith(traces.former_address_notices, autoescape=True))
            .values(recipient=""),
            execution_options={"synchronize_session": False},
        )


def forget_address(email: str) -> None:
    """Take the address off the rows sent to it, and out of any key that carried it."""
    db.session.execute(
        update(Notification).where(Notification.recipient == email).values(recipient=""),
        execution_options={"synchronize_session": False},
    )
    keyed = db.select(Notification.id, Notification.key).where(
        Notification.key.contains(email, autoescape=True)
    )
    for row_id, key in db.session.execute(keyed).all():
        # The row's id keeps the rewritten key unique.
        new_key = key.replace(email, f"{REMOVED}{row_id}")
        db.session.execute(
            update(Notification).where(Notification.id == row_id).values(key=new_key),
            execution_options={"synchronize_session": False},
        )


def forget_drafts(traces: Traces) -> None:
    """Delete half-finished forms that hold the person's name, email address or phone number."""
    if traces.names:
        answers = db.cast(FormDraft.answers, String)
        db.session.execute(
            delete(FormDraft).where(mentions(answers, traces.names)),
            execution_options={"synchronize_session": False},
        )


def swept_columns():
    """Every free-text column that may name someone else: all String and Text columns that are
    not choices (enums), keys, unique, or another person's own identity."""
    for table in db.metadata.sorted_tables:
        if table.name in NOT_SWEPT:
            continue
        for column in table.columns:
            free_text = isinstance(column.type, String) and not isinstance(column.type, Enum)
            if (
                free_text
                and not column.primary_key
                and not column.unique
                and f"{table.name}.{column.name}" not in OTHERS_IDENTITY
            ):
                yield table, column


def redact_column(table, column, names: tuple[str, ...]) -> None:
    """Replace the names, in any case, wherever this column holds them."""
    if not names:
        return
    # Longest first: an organisation's name is replaced whole, not just the founder's within it.
    longest_first = sorted(names, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(name) for name in longest_first), re.IGNORECASE)
    key = table.primary_key.columns.values()[0]
    holding = db.select(key, column).where(mentions(column, names))
    for row_id, text in db.session.execute(holding).all():
        db.session.execute(
            update(table).where(key == row_id).values({column.name: pattern.sub(REMOVED, text)})
        )
