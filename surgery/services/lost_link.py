"""Anyone who lost the link to their private page asks for it again by email address."""

from datetime import datetime

from surgery.extensions import db
from surgery.models import Asker, Volunteer
from surgery.notify import keys, outbox
from surgery.services.people import people_at
from surgery.services.tokens import manage_url


def send_manage_links(email: str, now: datetime) -> None:
    """Email an address the links to every private page it has with us (a group's, a
    volunteer's, or both, in one message); send nothing to an address we do not know.

    The page that asks says the same either way, so nobody learns who uses the service.
    """
    known = people_at(email)
    if known is None or (known.asker is None and known.volunteer is None):
        return
    email, asker, volunteer = known
    outbox.queue_email(
        outbox.Envelope(email),
        key=keys.manage_links(asker and asker.id, volunteer and volunteer.id, now),
        template="manage_links",
        subject=subject(asker, volunteer),
        due_at=now,
        name=(asker or volunteer).first_name,
        group_url=asker and manage_url(asker),
        volunteer_url=volunteer and manage_url(volunteer),
    )
    db.session.commit()
    outbox.send_queued(now)


def subject(asker: Asker | None, volunteer: Volunteer | None) -> str:
    if asker and volunteer:
        return "Your links to your group's requests and your volunteering"
    if asker:
        return "Your link to your group's requests for help"
    return "Your link to manage your volunteering"
