"""Hosts review the matcher's proposals for their session: confirm, lock, swap, drop."""

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
from surgery.services import audit

SHOWN = (PairingState.PROPOSED, *FIXED_STATES)


def pairings_at(surgery_session: SurgerySession) -> list[Pairing]:
    """The proposed, confirmed and locked pairings at a session."""
    query = (
        db.select(Pairing)
        .where(Pairing.session_id == surgery_session.id, Pairing.state.in_(SHOWN))
        .order_by(Pairing.id)
    )
    return list(db.session.scalars(query))


def confirm_all(host: Account, surgery_session: SurgerySession, now: datetime) -> int:
    """Confirm every proposal at the session; return how many were confirmed."""
    proposed = [p for p in pairings_at(surgery_session) if p.state is PairingState.PROPOSED]
    for pairing in proposed:
        settle(pairing, PairingState.CONFIRMED)
    audit.record(
        host, "confirmed-pairings", f"session:{surgery_session.id}", now, str(len(proposed))
    )
    db.session.commit()
    return len(proposed)


def lock(host: Account, pairing: Pairing, now: datetime) -> None:
    """Keep this pairing whatever the matcher proposes later."""
    settle(pairing, PairingState.LOCKED)
    audit.record(host, "locked-pairing", f"pairing:{pairing.id}", now)
    db.session.commit()


def drop(host: Account, pairing: Pairing, now: datetime) -> None:
    """Undo a pairing; the request goes back to open, to be matched again."""
    pairing.state = PairingState.DECLINED
    if pairing.help_request.status is RequestStatus.MATCHED:
        pairing.help_request.status = RequestStatus.OPEN
    audit.record(host, "dropped-pairing", f"pairing:{pairing.id}", now)
    db.session.commit()


def swap(host: Account, pairing: Pairing, signup_id: int, now: datetime) -> None:
    """Give the group another volunteer signed up to the same session; raise ValueError if none."""
    signup = db.session.get(Signup, signup_id)
    if signup is None or signup.session_id != pairing.session_id:
        raise ValueError("Choose a volunteer signed up to this session.")
    if signup.status is not SignupStatus.ACTIVE:
        raise ValueError("That volunteer is no longer signed up to this session.")
    groups = db.select(db.func.count(Pairing.id)).where(
        Pairing.signup_id == signup.id, Pairing.state.in_(SHOWN)
    )
    if db.session.scalar(groups) >= signup.load:
        raise ValueError("That volunteer already has as many groups as they offered to help.")
    pairing.signup_id = signup.id
    audit.record(host, "swapped-volunteer", f"pairing:{pairing.id}", now)
    db.session.commit()


def settle(pairing: Pairing, state: PairingState) -> None:
    pairing.state = state
    if pairing.help_request.status is RequestStatus.OPEN:
        pairing.help_request.status = RequestStatus.MATCHED


def agreed_pairing(help_request_id: int) -> Pairing | None:
    """The confirmed or locked pairing of a request, for its group to see."""
    query = db.select(Pairing).where(
        Pairing.help_request_id == help_request_id, Pairing.state.in_(FIXED_STATES)
    )
    return db.session.scalar(query)


def agreed_for_signup(signup_id: int) -> list[Pairing]:
    """The confirmed or locked pairings of a volunteer's sign-up, for the volunteer to see."""
    query = (
        db.select(Pairing)
        .where(Pairing.signup_id == signup_id, Pairing.state.in_(FIXED_STATES))
        .order_by(Pairing.id)
    )
    return list(db.session.scalars(query))
