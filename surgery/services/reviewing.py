"""Hosts review the matcher's proposals for their session: confirm, lock, swap, drop."""

from dataclasses import dataclass
from datetime import datetime

from surgery.extensions import db
from surgery.models import (
    FIXED_STATES,
    Account,
    Pairing,
    PairingState,
    RequestStatus,
    Signup,
    SignupStatus,
    SurgerySession,
)
from surgery.services import audit, booking, notifications, pairings, tell
from surgery.services.pairings import LIVE_STATES

NO_TABLE = "There is no table left at this session for that group."
GONE = "The matcher has just changed that pairing. Here are the pairings as they are now."


def pairings_at(surgery_session: SurgerySession) -> list[Pairing]:
    """The proposed, confirmed and locked pairings at a session."""
    query = (
        db.select(Pairing)
        .where(Pairing.session_id == surgery_session.id, Pairing.state.in_(LIVE_STATES))
        .order_by(Pairing.id)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class Confirmed:
    confirmed: int
    no_table: int  # proposals left as they were: the session filled up since the matcher ran


def confirm_all(host: Account, surgery_session: SurgerySession, now: datetime) -> Confirmed:
    """Agree every proposal at the session that still has a table; the groups are told."""
    pairings.take_turns()
    proposed = [p for p in pairings_at(surgery_session) if p.state is PairingState.PROPOSED]
    agreed = [p for p in proposed if agree(p, PairingState.CONFIRMED, now)]
    audit.record(
        host, "confirmed-pairings", f"session:{surgery_session.id}", now, str(len(agreed))
    )
    db.session.commit()
    notifications.send_queued(now)
    return Confirmed(len(agreed), len(proposed) - len(agreed))


def lock(host: Account, pairing: Pairing, now: datetime) -> None:
    """Keep this pairing whatever the matcher proposes; raise ValueError if no table is left."""
    pairing = current(pairing)
    if not agree(pairing, PairingState.LOCKED, now):
        raise ValueError(NO_TABLE)
    audit.record(host, "locked-pairing", f"pairing:{pairing.id}", now)
    db.session.commit()
    notifications.send_queued(now)


def current(pairing: Pairing) -> Pairing:
    """The pairing as it is once any matching run has finished with it; raise ValueError if that
    run replaced it (the host was looking at an older page)."""
    pairings.take_turns()
    fresh = db.session.get(Pairing, pairing.id, populate_existing=True)
    if fresh is None or fresh.state not in LIVE_STATES:
        raise ValueError(GONE)
    return fresh


def agree(pairing: Pairing, state: PairingState, now: datetime) -> bool:
    """Confirm or lock a pairing. An agreed group holds a table and is told, with an invitation.

    Return False, changing nothing, when the session has no table left for the group.
    """
    if pairing.state is PairingState.PROPOSED:
        group, surgery_session = pairing.help_request, pairing.surgery_session
        if not booking.has_table_at(group, surgery_session):
            if not booking.take_table_for(group, surgery_session, now):
                return False
            pairing.took_table = True
        tell.group_paired(pairing, now)
    pairing.state = state
    if pairing.help_request.status is RequestStatus.OPEN:
        pairing.help_request.status = RequestStatus.MATCHED
    return True


def drop(host: Account, pairing: Pairing, now: datetime, here_again: bool = False) -> None:
    """Undo a pairing; the request goes back to open, to be matched again: elsewhere, or at this
    session too (with another volunteer) only if the host says `here_again`.

    A table the pairing gave the group is freed (the waiting list takes it); a table the group
    booked itself stays theirs. Raise ValueError if the pairing has gone meanwhile.
    """
    pairing = current(pairing)
    was_agreed = pairing.state in FIXED_STATES
    pairing.state = PairingState.DECLINED
    pairing.not_here_again = not here_again
    held = booking.active_booking(pairing.help_request)
    lost_table = pairing.took_table and held is not None and held.session_id == pairing.session_id
    if lost_table:
        booking.release(held, now)
    if was_agreed:
        tell.group_unpaired(pairing, lost_table, now)
    if pairing.help_request.status is RequestStatus.MATCHED:
        pairing.help_request.status = RequestStatus.OPEN
    audit.record(host, "dropped-pairing", f"pairing:{pairing.id}", now)
    db.session.commit()
    notifications.send_queued(now)


def swap(host: Account, pairing: Pairing, signup_id: int, now: datetime) -> list[str]:
    """Give the group another volunteer signed up to the same session; raise ValueError if none.

    Return the wanted skills the new volunteer knows (none is allowed, and the host is warned).
    """
    pairing = current(pairing)
    signup = db.session.get(Signup, signup_id)
    if signup is None or signup.session_id != pairing.session_id:
        raise ValueError("Choose a volunteer signed up to this session.")
    if signup.status is not SignupStatus.ACTIVE:
        raise ValueError("That volunteer is no longer signed up to this session.")
    if (
        pairing.surgery_session.requires_safeguarding
        and signup.volunteer.safeguarding_checked_at is None
    ):
        raise ValueError("This session needs a safeguarding check that volunteer has not had.")
    groups = db.select(db.func.count(Pairing.id)).where(
        Pairing.signup_id == signup.id, Pairing.state.in_(LIVE_STATES)
    )
    if db.session.scalar(groups) >= signup.load:
        raise ValueError("That volunteer already has as many groups as they offered to help.")
    pairing.signup_id = signup.id
    wanted = {skill.id: skill.name for skill in pairing.help_request.skills}
    pairing.shared_skills = sorted(wanted.keys() & {s.id for s in signup.volunteer.skills})
    db.session.flush()
    db.session.refresh(pairing)
    if pairing.state in FIXED_STATES:
        tell.volunteer_changed(pairing, now)
    audit.record(host, "swapped-volunteer", f"pairing:{pairing.id}", now)
    db.session.commit()
    notifications.send_queued(now)
    return [wanted[skill_id] for skill_id in pairing.shared_skills]
