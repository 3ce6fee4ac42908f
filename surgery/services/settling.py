"""The end of a unit of work that moved groups' places: fill the tables it freed, then queue the
messages for everything that happened, all before the caller's one commit."""

from datetime import datetime, timedelta

from flask import current_app

from surgery.extensions import db
from surgery.models import PairingState, SessionStatus, SurgerySession
from surgery.services import matching, placement, tell
from surgery.services.placement.events import Event, TableFreed, TookTable
from surgery.services.placement.tables import promote_waiting


def settle(events: list[Event], now: datetime) -> None:
    """Fill each table the moves freed, then queue the messages; the caller commits."""
    events = list(events)
    freed = dict.fromkeys(e.session_id for e in events if isinstance(e, TableFreed))
    for session_id in freed:
        events += fill_table(session_id, now)
    tell.about(events, now)


def fill_table(session_id: int, now: datetime) -> list[Event]:
    """Give a freed table to the group that waited longest, and propose again at the session.

    Within the last days before it (from the 48-hour reminder on), when a host may not look
    again in time, the table is also agreed at once: the promoted group with its volunteer, else
    the matcher's cheapest proposal. Before that, proposals wait for the host, as always.
    """
    surgery_session = db.session.get(SurgerySession, session_id)
    if surgery_session.status is not SessionStatus.PUBLISHED or surgery_session.starts_at <= now:
        return []
    events = promote_waiting(session_id, now)
    _, proposed = matching.propose(now, "table-freed", session_id, lead_time=timedelta(0))
    events += proposed
    last_days = timedelta(hours=current_app.config["REMINDER_HOURS_BEFORE"])
    if surgery_session.starts_at - now > last_days:
        return events
    promoted = {e.booking.help_request_id for e in events if isinstance(e, TookTable)}
    for pairing in matching.proposals_at(session_id):
        if promoted and pairing.help_request_id not in promoted:
            continue
        agreed = placement.agree(pairing, PairingState.CONFIRMED, now)
        if agreed is not None:
            return events + agreed
    return events
