"""What becomes of pairings when the people in them change their plans."""

from sqlalchemy import update

from surgery.extensions import db
from surgery.models import FIXED_STATES, HelpRequest, Pairing, PairingState, RequestStatus

LIVE_STATES = (PairingState.PROPOSED, *FIXED_STATES)


def end_for_request(help_request: HelpRequest) -> None:
    """The group withdrew or was deleted: its pairings end and free the volunteer's load."""
    db.session.execute(
        update(Pairing)
        .where(Pairing.help_request_id == help_request.id, Pairing.state.in_(LIVE_STATES))
        .values(state=PairingState.CANCELLED)
        .execution_options(synchronize_session=False)
    )


def end_for_signups(signup_ids: list[int]) -> None:
    """These volunteers stopped helping: their groups are open to be paired again.

    A group keeps any table it holds, so the matcher looks for another volunteer at that session.
    """
    live = db.select(Pairing.help_request_id).where(
        Pairing.signup_id.in_(signup_ids), Pairing.state.in_(LIVE_STATES)
    )
    request_ids = list(db.session.scalars(live))
    if not request_ids:
        return
    db.session.execute(
        update(Pairing)
        .where(Pairing.signup_id.in_(signup_ids), Pairing.state.in_(LIVE_STATES))
        .values(state=PairingState.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id.in_(request_ids), HelpRequest.status == RequestStatus.MATCHED)
        .values(status=RequestStatus.OPEN)
        .execution_options(synchronize_session=False)
    )
