"""Subject access for admins: find everything held about an email address, give it, erase it.

The audit log records each export and erasure by the ids of the rows concerned, never the
address itself: the log must not become one more place that holds it.
"""

from dataclasses import dataclass
from datetime import datetime

from surgery.extensions import db
from surgery.models import Account, Asker, AuditEvent, FormDraft, Notification, Volunteer
from surgery.services import audit, erasure
from surgery.services.answers import normalise_email
from surgery.services.people import people_at
from surgery.services.personal_data import (
    email_record,
    emails_to,
    erase_person,
    export_personal_data,
)


@dataclass(frozen=True)
class Holdings:
    """Whose an email address is, and how much we hold about it."""

    email: str
    asker: Asker | None
    volunteer: Volunteer | None
    account: Account | None
    emails: int
    drafts: int

    @property
    def people(self) -> list[Asker | Volunteer]:
        """The people erasing the address erases (a host's account is not one of them)."""
        return [person for person in (self.asker, self.volunteer) if person is not None]

    @property
    def found(self) -> bool:
        return bool(self.people or self.account or self.emails or self.drafts)

    @property
    def audit_subject(self) -> str:
        """The rows concerned, by id: what the audit log keeps instead of the address."""
        ids = [f"asker:{self.asker.id}"] if self.asker else []
        ids += [f"volunteer:{self.volunteer.id}"] if self.volunteer else []
        ids += [f"account:{self.account.id}"] if self.account else []
        return " ".join(ids)[:80] or "no-one"


def holdings(email: str) -> Holdings:
    """Return what is held about an address; raise InvalidAnswers if it is not one."""
    email = normalise_email(email)
    mentioning = erasure.mentions(db.cast(FormDraft.answers, db.String), (email,))
    _, asker, volunteer = people_at(email)
    return Holdings(
        email=email,
        asker=asker,
        volunteer=volunteer,
        account=db.session.scalar(db.select(Account).where(Account.email == email)),
        emails=count(db.select(Notification.id).where(Notification.recipient == email)),
        drafts=count(db.select(FormDraft.id).where(mentioning)),
    )


def count(query) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))


def export(admin: Account, held: Holdings, now: datetime) -> dict:
    """Return everything held about the address, as JSON-ready data, and log that it was given."""
    data = {
        "email": held.email,
        "exported_at": now.isoformat(),
        "as_a_group": held.asker and export_personal_data(held.asker),
        "as_a_volunteer": held.volunteer and export_personal_data(held.volunteer),
        "as_a_host_or_admin": held.account and account_record(held.account),
        "emails_to_this_address": [email_record(row) for row in emails_to(held.email)],
        "unfinished_forms": [draft.answers for draft in drafts_naming(held.email)],
        "notes_naming_them": notes_naming(held),
    }
    audit.record(admin, "exported-personal-data", held.audit_subject, now)
    db.session.commit()
    return data


def erase(admin: Account, held: Holdings, now: datetime) -> None:
    """Erase the group and the volunteer with this address, everything naming them, the emails
    to it and the drafts holding it (a host's account stays); log it by ids."""
    subject = held.audit_subject
    for person in held.people:
        erase_person(person, now)
    if held.account is None:
        # Left over from before (a purged entry's drafts, say); a host's own mail is theirs.
        erasure.erase_traces(erasure.Traces(held.email, (held.email,)), now)
    audit.record(admin, "erased-personal-data", subject, now)
    db.session.commit()


def account_record(account: Account) -> dict:
    return {
        "name": account.name,
        "email": account.email,
        "role": account.role.value,
        "status": account.status.value,
        "town": account.town,
        "why_you_wanted_to_host": account.why,
        "created_at": account.created_at.isoformat(),
        "changes_you_made": [
            {"at": event.at.isoformat(), "action": event.action, "subject": event.subject}
            for event in db.session.scalars(
                db.select(AuditEvent).where(AuditEvent.account_id == account.id)
            )
        ],
    }


def drafts_naming(email: str) -> list[FormDraft]:
    answers = db.cast(FormDraft.answers, db.String)
    return list(db.session.scalars(db.select(FormDraft).where(erasure.mentions(answers, (email,)))))


def notes_naming(held: Holdings) -> list[dict]:
    """Free text others wrote that names the group or volunteer (a host's notes, say)."""
    names = tuple({name for person in held.people for name in erasure.traces_of(person).names})
    if not names:
        return []
    found = []
    for table, column in erasure.swept_columns():
        query = db.select(column).where(erasure.mentions(column, names))
        found += [
            {"where": f"{table.name}.{column.name}", "text": text}
            for text in db.session.scalars(query)
        ]
    return found
