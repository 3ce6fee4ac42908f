"""A group's place: its request's status, its table (a booking, or a place on a waiting list) and
its volunteer (a pairing). Only this package changes them, and it changes them together.

The moves are in MOVES (who makes each; README "A group's place" says what each changes and who
is told). A move changes rows and returns what happened as events; it never commits. The caller
commits once: `settle` first turns the events into messages (queued in the same transaction, so
none is lost) and fills any table a move freed (the waiting list, else the matcher for that
session), in the same unit of work.

The rules kept true after every move (tests/services/test_place_moves.py checks them):
- a group holds at most one table, and a session's seats_taken is the tables held there;
- a request is MATCHED exactly when it has an agreed pairing, and then holds a table there;
- a group waiting for a table holds none and has no agreed pairing.
"""

from datetime import datetime

from sqlalchemy import update

from surgery.extensions import db
from surgery.models import (
    FIXED_STATES,
    Booking,
    BookingStatus,
    HelpRequest,
    Pairing,
    PairingState,
    RequestStatus,
    SurgerySession,
)
from surgery.services.pairings import LIVE_STATES
from surgery.services.placement.events import (
    Agreed,
    Event,
    GroupsChanged,
    PlaceFreed,
    Swapped,
    TookTable,
    Unpaired,
)
from surgery.services.placement.tables import (
    ACTIVE,
    active_booking,
    booking_row,
    free_booking,
    holds_table_at,
    take_seat,
)

# Each move, and who makes it.
MOVES = {
    "book": "the group",
    "join the waiting list": "the group, when the session is full",
    "promote from the waiting list": "the service, when a table frees",
    "propose": "the matcher",
    "agree": "a host (confirm or lock), or the matcher where the host chose it",
    "swap": "a host",
    "drop": "a host",
    "give up": "the group",
    "free when unanswered": "the scheduler",
    "withdraw": "the group",
    "expire": "the scheduler",
    "volunteer withdraws": "the volunteer",
    "cancel the session": "a host",
    "complete the session": "a host, once it has started",
    "walk in": "a host, for a group that turns up (a table, and a volunteer in the room)",
}


class BookingRefused(Exception):
    """A booking that cannot be made; the message says why, for the person booking."""


def live_pairing(help_request: HelpRequest) -> Pairing | None:
    query = db.select(Pairing).where(
        Pairing.help_request_id == help_request.id, Pairing.state.in_(LIVE_STATES)
    )
    return db.session.scalar(query)


def book(help_request: HelpRequest, surgery_session: SurgerySession, now) -> list[Event]:
    """Take a table if one is free, else join the waiting list; any place held before is given
    up for it. The caller has checked the session takes bookings and the group may book."""
    current = active_booking(help_request)
    events: list[Event] = []
    took = take_seat(surgery_session.id)
    if not took and current is not None and current.status is BookingStatus.BOOKED:
        # Never swap a place the group has for a place in a queue.
        raise BookingRefused(
            f"That session is full. To wait for a place there, first give up your place at "
            f"{current.surgery_session.title}."
        )
    if current is not None:
        events += give_up(current, now)
    booking = booking_row(help_request, surgery_session, took, now)
    if took:
        db.session.flush()
        events.append(TookTable(booking))
    return events


def agree(pairing: Pairing, state: PairingState, now: datetime) -> list[Event] | None:
    """Confirm or lock a pairing: the group holds a table at its session and the request is
    MATCHED. Return None, changing nothing, when no table is left for it."""
    group = pairing.help_request
    events: list[Event] = []
    if pairing.state is PairingState.PROPOSED:
        if holds_table_at(group, pairing.session_id) is None:
            if not take_seat(pairing.session_id):
                return None
            current = active_booking(group)
            if current is not None:
                events += free_booking(current, now)[1]
            booking_row(group, pairing.surgery_session, True, now)
            pairing.took_table = True
        events += [Agreed(pairing), GroupsChanged(pairing.signup_id)]
    pairing.state = state
    group.status = RequestStatus.MATCHED
    return events


def swap(pairing: Pairing, signup, now: datetime) -> list[Event]:
    """Give the group another volunteer at the same session; the caller checked they may."""
    was = pairing.signup_id
    pairing.signup_id = signup.id
    pairing.signup = signup
    wanted = {skill.id for skill in pairing.help_request.skills}
    pairing.shared_skills = sorted(wanted & {skill.id for skill in signup.volunteer.skills})
    if pairing.state not in FIXED_STATES:
        return []
    return [Swapped(pairing, was), GroupsChanged(was), GroupsChanged(signup.id)]


def drop(pairing: Pairing, here_again: bool, now: datetime) -> list[Event]:
    """Undo a pairing. A table it gave the group is freed; one the group booked stays theirs."""
    was_agreed = pairing.state in FIXED_STATES
    pairing.state = PairingState.DECLINED
    pairing.not_here_again = not here_again
    held = holds_table_at(pairing.help_request, pairing.session_id)
    lost_table = pairing.took_table and held is not None
    events = free_booking(held, now)[1] if lost_table else []
    reopen(pairing.help_request)
    if was_agreed:
        events += [Unpaired(pairing, lost_table), GroupsChanged(pairing.signup_id)]
    return events


def give_up(held: Booking, now: datetime, unanswered: bool = False) -> list[Event]:
    """The group gives up its table or its place in the queue, and with it its volunteer there.

    With `unanswered`, only while the group still has not said it is coming (it may just have);
    return [] when nothing changed.
    """
    cancelled, events = free_booking(held, now, unless_coming=unanswered)
    if not cancelled:
        return []
    events += end_pairings(held.help_request)
    if unanswered:
        events.append(PlaceFreed(held))
    return events


def withdraw(help_request: HelpRequest, now: datetime) -> list[Event]:
    """The group withdraws its request (or erases it): it gives up whatever it holds."""
    if help_request.can_withdraw:
        help_request.withdraw(now)
    return leave(help_request, now)


def erase(help_request: HelpRequest, now: datetime) -> list[Event]:
    """The group is erased: it gives up what it holds at a session still to start, as if it
    withdrew. A table or pairing at a session under way or held stays: that session's record
    (who came, the tables it had taken, its volunteers' groups) does not change."""
    held = [place for place in (active_booking(help_request), live_pairing(help_request)) if place]
    if any(place.surgery_session.starts_at <= now for place in held):
        return []
    return withdraw(help_request, now)


def expire(help_request: HelpRequest, now: datetime) -> list[Event]:
    """The request's last date has passed: it closes, giving up any place in a queue."""
    help_request.status = RequestStatus.EXPIRED
    return leave(help_request, now)


def walk_in(help_request: HelpRequest, surgery_session: SurgerySession, now) -> Booking | None:
    """A group that turned up takes a free table, in the room; None if every table is taken."""
    if not take_seat(surgery_session.id):
        return None
    return booking_row(help_request, surgery_session, True, now)


def complete(surgery_session: SurgerySession) -> None:
    """The session is over: each group with a table came (it was checked in) or did not."""
    booked = db.select(Booking).where(
        Booking.session_id == surgery_session.id, Booking.status == BookingStatus.BOOKED
    )
    for held in db.session.scalars(booked):
        held.help_request.settle(bool(held.outcome and held.outcome.attended))


def leave(help_request: HelpRequest, now: datetime) -> list[Event]:
    """Give up whatever the request holds (it is withdrawn, expired or erased)."""
    held = active_booking(help_request)
    events = free_booking(held, now)[1] if held is not None else []
    return events + end_pairings(help_request)


def volunteer_leaves(signup_ids: list[int]) -> list[Event]:
    """These sign-ups ended: their groups keep their tables and are open to be paired again."""
    ended = db.select(Pairing).where(
        Pairing.signup_id.in_(signup_ids), Pairing.state.in_(LIVE_STATES)
    )
    events: list[Event] = []
    for pairing in db.session.scalars(ended):
        if pairing.state in FIXED_STATES:
            events.append(Unpaired(pairing, lost_table=False))
        pairing.state = PairingState.CANCELLED
        reopen(pairing.help_request)
    return events


def cancel_session(surgery_session: SurgerySession) -> None:
    """Every place and pairing at a cancelled session ends; its groups are open again."""
    at_session = db.select(Pairing).where(
        Pairing.session_id == surgery_session.id, Pairing.state.in_(LIVE_STATES)
    )
    for pairing in db.session.scalars(at_session):
        pairing.state = PairingState.CANCELLED
        reopen(pairing.help_request)
    db.session.execute(
        update(Booking)
        .where(Booking.session_id == surgery_session.id, Booking.status.in_(ACTIVE))
        .values(status=BookingStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    surgery_session.seats_taken = 0


def pair_walk_in(help_request: HelpRequest, signup, now) -> Pairing:
    """Agree the host's pairing of a walk-in with a volunteer in the room; nobody is emailed.

    The group took its table by walking in, not through this pairing: dropping the volunteer
    later leaves the group its table.
    """
    wanted = {skill.id for skill in help_request.skills}
    pairing = Pairing(
        help_request=help_request,
        signup=signup,
        session_id=signup.session_id,
        state=PairingState.CONFIRMED,
        distance_km=0.0,
        shared_skills=sorted(wanted & {skill.id for skill in signup.volunteer.skills}),
        cost=0,
        took_table=False,
        created_at=now,
    )
    db.session.add(pairing)
    help_request.status = RequestStatus.MATCHED
    return pairing


def end_pairings(help_request: HelpRequest) -> list[Event]:
    """End the request's live pairing; an agreed one leaves its volunteer's list."""
    pairing = live_pairing(help_request)
    if pairing is None:
        return []
    was_agreed = pairing.state in FIXED_STATES
    pairing.state = PairingState.CANCELLED
    reopen(help_request)
    return [GroupsChanged(pairing.signup_id)] if was_agreed else []


def reopen(help_request: HelpRequest) -> None:
    if help_request.status is RequestStatus.MATCHED:
        help_request.status = RequestStatus.OPEN
