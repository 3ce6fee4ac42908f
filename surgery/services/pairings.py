"""What becomes of pairings when the people in them change their plans."""

from sqlalchemy import text, update

from surgery.database import on_postgresql
from surgery.extensions import db
from surgery.models import FIXED_STATES, HelpRequest, Pairing, PairingState, RequestStatus

LIVE_STATES = (PairingState.PROPOSED, *FIXED_STATES)
# Any fixed number, the same in every process: the advisory lock that makes changes take turns.
PAIRINGS_LOCK = 5_318_008


def take_turns() -> None:
    """Matching runs and hosts' changes to pairings wait for each other on PostgreSQL (until the
    transaction ends), so neither works from proposals the other is replacing. On SQLite, where
    one scheduler and one writer at a time are the rule, the unique index of live pairings still
    refuses a group paired twice."""
    if on_postgresql():
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PAIRINGS_LOCK})


def end_for_signups(signup_ids: list[int]) -> None:
    """These volunteers stopped helping: their groups are open to be paired again.

    A group keeps any table it holds, so the matcher looks for another volunteer at that session.
    """
    end_and_reopen(Pairing.signup_id.in_(signup_ids))


def end_at_session(session_id: int) -> None:
    """The session was cancelled: its groups are open to be paired elsewhere."""
    end_and_reopen(Pairing.session_id == session_id)


def end_and_reopen(which) -> None:
    live = (which, Pairing.state.in_(LIVE_STATES))
    request_ids = list(db.session.scalars(db.select(Pairing.help_request_id).where(*live)))
    if not request_ids:
        return
    db.session.execute(
        update(Pairing)
        .where(*live)
        .values(state=PairingState.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id.in_(request_ids), HelpRequest.status == RequestStatus.MATCHED)
        .values(status=RequestStatus.OPEN)
        .execution_options(synchronize_session=False)
    )


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
