"""Hosts review the matcher's proposals for their session: confirm, lock, swap, drop."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import joinedload

from surgery.extensions import db
from surgery.models import (
    Account,
    Booking,
    HelpRequest,
    MatchRun,
    Pairing,
    PairingState,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
)
from surgery.notify import outbox
from surgery.services import audit, pairings, placement
from surgery.services.pairings import LIVE_STATES
from surgery.services.settling import settle

NO_TABLE = "There is no table left at this session for that group."
GONE = "The matcher has just changed that pairing. Here are the pairings as they are now."


def pairings_at(surgery_session: SurgerySession) -> list[Pairing]:
    """The proposed, confirmed and locked pairings at a session."""
    query = (
        db.select(Pairing)
        .where(Pairing.session_id == surgery_session.id, Pairing.state.in_(LIVE_STATES))
        .order_by(Pairing.id)
        # Each pairing is shown with its group and volunteer and their skills: loaded together,
        # in one query, not one by one.
        .options(
            joinedload(Pairing.help_request).joinedload(HelpRequest.asker),
            joinedload(Pairing.help_request).joinedload(HelpRequest.skills),
            joinedload(Pairing.signup).joinedload(Signup.volunteer).joinedload(Volunteer.skills),
        )
    )
    return list(db.session.scalars(query).unique())


@dataclass(frozen=True)
class Confirmed:
    confirmed: int
    no_table: int  # proposals left as they were: the session filled up since the matcher ran


def confirm_all(host: Account, surgery_session: SurgerySession, now: datetime) -> Confirmed:
    """Agree every proposal at the session that still has a table; the groups are told."""
    pairings.take_turns()
    proposed = [p for p in pairings_at(surgery_session) if p.state is PairingState.PROPOSED]
    moves = [placement.agree(p, PairingState.CONFIRMED, now) for p in proposed]
    agreed = [events for events in moves if events is not None]
    audit.record(
        host, "confirmed-pairings", f"session:{surgery_session.id}", now, str(len(agreed))
    )
    finish([event for events in agreed for event in events], now)
    return Confirmed(len(agreed), len(proposed) - len(agreed))


@dataclass(frozen=True)
class Matched:
    confirmed: int  # agreed at once, where the host chose it, and the groups told
    proposed: int  # waiting for the host; at an auto-confirm session, those with no table left


def matched_here(surgery_session: SurgerySession, run: MatchRun) -> Matched:
    """What a matching run for this session did there: the pairings it agreed, and those it left
    proposed."""
    if not surgery_session.auto_confirm:
        return Matched(0, run.paired)
    left = db.select(db.func.count(Pairing.id)).where(
        Pairing.session_id == surgery_session.id, Pairing.state == PairingState.PROPOSED
    )
    # A run that did not reach the session (it starts too soon) paired nobody there.
    proposed = min(db.session.scalar(left), run.paired)
    return Matched(run.paired - proposed, proposed)


def lock(host: Account, pairing: Pairing, now: datetime) -> None:
    """Keep this pairing whatever the matcher proposes; raise ValueError if no table is left."""
    pairing = current(pairing)
    events = placement.agree(pairing, PairingState.LOCKED, now)
    if events is None:
        raise ValueError(NO_TABLE)
    audit.record(host, "locked-pairing", f"pairing:{pairing.id}", now)
    finish(events, now)


def current(pairing: Pairing) -> Pairing:
    """The pairing as it is once any matching run has finished with it; raise ValueError if that
    run replaced it (the host was looking at an older page)."""
    pairings.take_turns()
    fresh = db.session.get(Pairing, pairing.id, populate_existing=True)
    if fresh is None or fresh.state not in LIVE_STATES:
        raise ValueError(GONE)
    return fresh


def drop(host: Account, pairing: Pairing, now: datetime, here_again: bool = False) -> None:
    """Undo a pairing; the request goes back to open, to be matched again: elsewhere, or at this
    session too (with another volunteer) only if the host says `here_again`.

    A table the pairing gave the group is freed (the waiting list takes it); a table the group
    booked itself stays theirs. Raise ValueError if the pairing has gone meanwhile.
    """
    pairing = current(pairing)
    events = placement.drop(pairing, here_again, now)
    audit.record(host, "dropped-pairing", f"pairing:{pairing.id}", now)
    finish(events, now)


def swap(host: Account, pairing: Pairing, signup_id: int, now: datetime) -> list[str]:
    """Give the group another volunteer signed up to the same session; raise ValueError if none.

    Return the wanted skills the new volunteer knows (none is allowed, and the host is warned).
    """
    pairing = current(pairing)
    signup = db.session.get(Signup, signup_id)
    if signup is None or signup.session_id != pairing.session_id:
        raise ValueError("Choose a volunteer signed up to this session.")
    groups = db.select(db.func.count(Pairing.id)).where(
        Pairing.signup_id == signup.id, Pairing.state.in_(LIVE_STATES)
    )
    refused = why_not_swap_to(pairing.surgery_session, signup, db.session.scalar(groups))
    if refused:
        raise ValueError(refused)
    events = placement.swap(pairing, signup, now)
    audit.record(host, "swapped-volunteer", f"pairing:{pairing.id}", now)
    finish(events, now)
    names = {skill.id: skill.name for skill in pairing.help_request.skills}
    return [names[skill_id] for skill_id in pairing.shared_skills]


def why_not_swap_to(surgery_session: SurgerySession, signup: Signup, groups: int) -> str | None:
    """Why this volunteer, with this many live pairings here, cannot take another group; None
    when they can."""
    if signup.status is not SignupStatus.ACTIVE:
        return "That volunteer is no longer signed up to this session."
    if surgery_session.requires_safeguarding and signup.volunteer.safeguarding_checked_at is None:
        return "This session needs a safeguarding check that volunteer has not had."
    if groups >= signup.load:
        return "That volunteer already has as many groups as they offered to help."
    return None


def swap_choices(
    surgery_session: SurgerySession, live: list[Pairing], volunteers: list[Signup]
) -> dict[int, list[Signup]]:
    """For each live pairing, the other volunteers signed up here whom the host could swap in.

    Read from the pairings and sign-ups the page has loaded already, by the rule swap keeps.
    """
    groups = Counter(pairing.signup_id for pairing in live)
    free = [s for s in volunteers if why_not_swap_to(surgery_session, s, groups[s.id]) is None]
    return {p.id: [s for s in free if s.id != p.signup_id] for p in live}


def confirmable(surgery_session: SurgerySession, live: list[Pairing], booked: list[Booking]) -> int:
    """How many of the proposals confirm_all would confirm now: those whose group holds a table
    here already (`booked`: the tables held at this session), and as many others as there are
    tables left."""
    holding = {b.help_request_id for b in booked}
    proposed = [p for p in live if p.state is PairingState.PROPOSED]
    seated = sum(1 for p in proposed if p.help_request_id in holding)
    return seated + min(len(proposed) - seated, surgery_session.seats_left)


def finish(events: list, now: datetime) -> None:
    """End a host's change: fill freed tables, queue the messages, commit once, send."""
    settle(events, now)
    db.session.commit()
    outbox.send_queued(now)
