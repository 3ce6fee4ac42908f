"""Pairings as people see them, and the lock that makes matching runs and hosts take turns."""

from sqlalchemy import text
from sqlalchemy.orm import joinedload, lazyload, selectinload

from surgery.database import on_postgresql
from surgery.extensions import db
from surgery.models import FIXED_STATES, HelpRequest, Pairing, PairingState

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


def agreed_pairing(help_request_id: int) -> Pairing | None:
    """The confirmed or locked pairing of a request, for its group to see."""
    query = db.select(Pairing).where(
        Pairing.help_request_id == help_request_id, Pairing.state.in_(FIXED_STATES)
    )
    return db.session.scalar(query)


def agreed_for_signup(signup_id: int) -> list[Pairing]:
    """The confirmed or locked pairings of a volunteer's sign-up, for the volunteer to see."""
    return agreed_for_signups([signup_id]).get(signup_id, [])


def agreed_for_signups(signup_ids: list[int]) -> dict[int, list[Pairing]]:
    """The agreed pairings of each of these sign-ups, by sign-up id, with each group and its
    contact read in the same few statements however many there are."""
    query = (
        db.select(Pairing)
        .where(Pairing.signup_id.in_(signup_ids), Pairing.state.in_(FIXED_STATES))
        .order_by(Pairing.id)
        .options(
            selectinload(Pairing.help_request).options(
                joinedload(HelpRequest.asker), lazyload(HelpRequest.skills)
            )
        )
    )
    agreed: dict[int, list[Pairing]] = {}
    for pairing in db.session.scalars(query):
        agreed.setdefault(pairing.signup_id, []).append(pairing)
    return agreed
