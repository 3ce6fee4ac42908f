"""Run the matcher: load what it needs in a few queries, call the pure matcher, store proposals."""

import time
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import delete

from surgery.clock import LONDON
from surgery.extensions import db
from surgery.matching import Problem, RequestIn, SessionIn, SignupIn, match
from surgery.models import (
    FIXED_STATES,
    Booking,
    BookingStatus,
    HelpRequest,
    MatchRun,
    Pairing,
    PairingState,
    RequestStatus,
    SessionStatus,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
    VolunteerStatus,
)

LEAD_TIME = timedelta(hours=24)


def run_matching(
    now: datetime, triggered_by: str, session_id: int | None = None, dry_run: bool = False
) -> MatchRun:
    """Replace the proposals (for one session, or all) with the matcher's; store a match run."""
    started = time.perf_counter()
    sessions = upcoming_sessions(now, session_id)
    fixed = fixed_pairings()
    scope = [s.id for s in sessions]
    taken = {p.help_request_id for p in fixed} | proposed_elsewhere(scope)
    problem = Problem(
        requests=tuple(request_inputs(now, taken)),
        sessions=tuple(session_inputs(sessions, fixed)),
        signups=tuple(signup_inputs(sessions, fixed)),
    )
    result = match(problem)
    run = MatchRun(
        started_at=now,
        triggered_by=triggered_by,
        parameters={"lead_hours": LEAD_TIME.total_seconds() / 3600, "session_id": session_id},
        requests_considered=len(problem.requests),
        paired=len(result.pairings),
        unpaired_by_reason=dict(Counter(u.reason.name for u in result.unpaired)),
        unmet_demand=unmet_demand(result.unpaired),
    )
    if dry_run:
        db.session.rollback()
        return run
    replace_proposals(run, result.pairings, scope)
    run.seconds = round(time.perf_counter() - started, 4)
    db.session.commit()
    return run


def upcoming_sessions(now: datetime, session_id: int | None) -> list[SurgerySession]:
    query = db.select(SurgerySession).where(
        SurgerySession.status == SessionStatus.PUBLISHED,
        SurgerySession.starts_at > now + LEAD_TIME,
    )
    if session_id is not None:
        query = query.where(SurgerySession.id == session_id)
    return list(db.session.scalars(query))


def fixed_pairings() -> list[Pairing]:
    return list(db.session.scalars(db.select(Pairing).where(Pairing.state.in_(FIXED_STATES))))


def proposed_elsewhere(scope: list[int]) -> set[int]:
    """Requests with a proposal at a session this run leaves alone, so nobody is paired twice."""
    query = db.select(Pairing.help_request_id).where(
        Pairing.state == PairingState.PROPOSED, Pairing.session_id.not_in(scope)
    )
    return set(db.session.scalars(query))


def request_inputs(now: datetime, taken: set[int]):
    """Open requests not already taken, each with the session it booked, if any."""
    booked = dict(
        db.session.execute(
            db.select(Booking.help_request_id, Booking.session_id).where(
                Booking.status == BookingStatus.BOOKED
            )
        ).all()
    )
    query = db.select(HelpRequest).where(HelpRequest.status == RequestStatus.OPEN)
    for r in db.session.scalars(query):
        if r.id in taken:
            continue
        yield RequestIn(
            id=r.id,
            easting=r.easting,
            northing=r.northing,
            travel_km=r.travel_km,
            skills=frozenset(skill.id for skill in r.skills),
            level=r.level,
            earliest=r.earliest_date,
            latest=r.latest_date,
            availability=frozenset(r.availability),
            access_needs=frozenset(r.access_needs),
            waited_days=max((now - (r.confirmed_at or r.created_at)).days, 0),
            booked_session_id=booked.get(r.id),
        )


def session_inputs(sessions: list[SurgerySession], fixed: list[Pairing]):
    """Sessions with the tables left for groups that have not booked."""
    held = Counter(pairing.session_id for pairing in fixed)
    for s in sessions:
        starts = s.starts_at.astimezone(LONDON)
        yield SessionIn(
            id=s.id,
            easting=s.easting,
            northing=s.northing,
            day=starts.date(),
            slot=slot_of(starts),
            seats_free=max(s.seats - s.seats_taken - held[s.id], 0),
            access=frozenset(s.access),
        )


def slot_of(starts: datetime) -> str:
    """Say when a session starts in the askers' words."""
    if starts.weekday() >= 5:
        return "weekends"
    return "weekday-evenings" if starts.hour >= 17 else "weekdays"


def signup_inputs(sessions: list[SurgerySession], fixed: list[Pairing]):
    held = Counter(pairing.signup_id for pairing in fixed)
    query = (
        db.select(Signup)
        .join(Volunteer)
        .where(
            Signup.session_id.in_([s.id for s in sessions]),
            Signup.status == SignupStatus.ACTIVE,
            Volunteer.status == VolunteerStatus.ACTIVE,
        )
    )
    for signup in db.session.scalars(query):
        yield SignupIn(
            id=signup.id,
            session_id=signup.session_id,
            skills=frozenset(skill.id for skill in signup.volunteer.skills),
            levels=frozenset(signup.volunteer.levels),
            load_free=max(signup.load - held[signup.id], 0),
        )


def unmet_demand(unpaired) -> list[dict]:
    """Unpaired requests counted by district and skill, for the 'where next' view."""
    ids = [u.request_id for u in unpaired]
    counts = Counter()
    for r in db.session.scalars(db.select(HelpRequest).where(HelpRequest.id.in_(ids))):
        for skill in r.skills:
            counts[(r.district, skill.name)] += 1
    return [{"district": d, "skill": s, "requests": n} for (d, s), n in sorted(counts.items())]


def replace_proposals(run: MatchRun, pairings, session_ids: list[int]) -> None:
    db.session.execute(
        delete(Pairing).where(
            Pairing.state == PairingState.PROPOSED, Pairing.session_id.in_(session_ids)
        )
    )
    db.session.add(run)
    db.session.flush()
    for p in pairings:
        db.session.add(
            Pairing(
                help_request_id=p.request_id,
                signup_id=p.signup_id,
                session_id=p.session_id,
                match_run_id=run.id,
                state=PairingState.PROPOSED,
                distance_km=p.distance_km,
                shared_skills=sorted(p.shared_skills),
                cost=p.cost,
                created_at=run.started_at,
            )
        )
