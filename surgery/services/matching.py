"""Run the matcher: load what it needs, call the pure matcher, store proposals and a run."""

import time
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, delete, or_, update

from surgery.database import among, insert_many
from surgery.extensions import db
from surgery.matching import Problem, match
from surgery.matching.solve import cyclic_gc_paused
from surgery.models import (
    MatchRun,
    Pairing,
    PairingState,
    SessionStatus,
    Signup,
    Skill,
    SurgerySession,
    VolunteerStatus,
)
from surgery.services import pairings, placement, tell
from surgery.services.keeping import KeptCopies
from surgery.services.matching_inputs import (
    fixed_requests,
    proposed_elsewhere,
    proposed_here,
    request_inputs,
    requests_that_could_come,
    ruled_out,
    session_inputs,
    signup_input,
    signup_inputs,
    surgery_sessions,
    upcoming_sessions,
)

LEAD_TIME = timedelta(hours=24)


def run_matching(
    now: datetime,
    triggered_by: str,
    session_id: int | None = None,
    dry_run: bool = False,
    lead_time: timedelta = LEAD_TIME,
) -> MatchRun:
    """Replace the proposals (for one session, or all) with the matcher's; store a match run.

    At sessions whose hosts chose it, the new proposals are agreed at once and the groups told.
    """
    run, events = propose(now, triggered_by, session_id, lead_time, dry_run)
    if dry_run:
        db.session.rollback()
        return run
    # Agreeing takes tables and frees none (a group's place in a queue at most), so there is
    # nothing more to settle than the messages.
    tell.about(events, now)
    db.session.commit()
    return run


# Reading a national run's rows and storing its proposals make hundreds of thousands of lasting
# objects too: the collector's walks over them cost such a run over half a second.
@cyclic_gc_paused()
def propose(
    now: datetime,
    triggered_by: str,
    session_id: int | None = None,
    lead_time: timedelta = LEAD_TIME,
    dry_run: bool = False,
) -> tuple[MatchRun, list[placement.Event]]:
    """Store the matcher's proposals and the run, agreeing them where the hosts chose it; return
    the run and what happened to groups' places. The caller commits (or rolls back)."""
    started = time.perf_counter()
    pairings.take_turns()
    sessions = upcoming_sessions(now, session_id, lead_time)
    scope = [s.id for s in sessions]
    taken = fixed_requests() | proposed_elsewhere(scope)
    requests, districts = request_inputs(now, taken)
    before = proposed_here(scope)
    problem = Problem(
        requests=tuple(requests),
        sessions=tuple(session_inputs(sessions)),
        signups=tuple(signup_inputs(scope)),
        ruled_out=ruled_out(scope),
        # Among equally good answers, last run's: a host reviewing sees the same list each hour.
        proposed_before=frozenset((r, proposal.signup_id) for r, proposal in before.items()),
    )
    result = match(problem)
    run = MatchRun(
        started_at=now,
        triggered_by=triggered_by,
        parameters={"lead_hours": lead_time.total_seconds() / 3600, "session_id": session_id},
        requests_considered=len(problem.requests),
        paired=len(result.pairings),
        unpaired_by_reason=dict(Counter(u.reason.name for u in result.unpaired)),
        unmet_demand=unmet_demand(result.unpaired, problem.requests, districts),
        churn=churn({r: (p.signup_id, p.session_id) for r, p in before.items()}, result.pairings),
    )
    if dry_run:
        return run, []
    replace_proposals(run, result.pairings, scope, before)
    auto_confirming = surgery_sessions([s for s in sessions if s.auto_confirm])
    events = agree_where_hosts_chose(auto_confirming, now)
    run.seconds = round(time.perf_counter() - started, 4)
    return run, events


def churn(before: dict[int, tuple[int, int]], pairings) -> dict[str, int]:
    """What became of the earlier proposals (request → (sign-up, session)) in these pairings:
    kept exactly, moved to another volunteer or session, or dropped; and how many are new."""
    now = {p.request_id: (p.signup_id, p.session_id) for p in pairings}
    kept = sum(1 for request, where in before.items() if now.get(request) == where)
    still = sum(1 for request in before if request in now)
    return {
        "before": len(before),
        "kept": kept,
        "moved": still - kept,
        "dropped": len(before) - still,
        "new": len(now) - still,
    }


def unmet_demand(unpaired, requests, districts: dict[int, str]) -> list[dict]:
    """Unpaired requests counted by district and skill, for the 'where next' view."""
    skills_of = {r.id: r.skills for r in requests}
    names = dict(db.session.execute(db.select(Skill.id, Skill.name)).all())
    counts = Counter(
        (districts[u.request_id], names[skill_id])
        for u in unpaired
        for skill_id in skills_of[u.request_id]
    )
    return [{"district": d, "skill": s, "requests": n} for (d, s), n in sorted(counts.items())]


def replace_proposals(run: MatchRun, pairings, session_ids: list[int], before) -> None:
    """Store the run and its proposals in place of the earlier ones at these sessions.

    A proposal made exactly as before stays the same row (its id, and when it was first
    proposed), stamped with this run and brought up to date; the rest are deleted and inserted.
    An hourly run that changes little then writes little.
    """
    db.session.add(run)
    db.session.flush()
    staying = {}
    for pairing in pairings:
        earlier = before.get(pairing.request_id)
        if earlier and (earlier.signup_id, earlier.session_id) == (
            pairing.signup_id,
            pairing.session_id,
        ):
            staying[earlier.id] = (earlier, pairing)
    ids = list(staying)
    for start in range(0, len(ids), IDS_AT_ONCE):
        db.session.execute(
            update(Pairing)
            .where(among(Pairing.id, ids[start : start + IDS_AT_ONCE]))
            .values(match_run_id=run.id)
        )
    db.session.execute(
        delete(Pairing).where(
            Pairing.state == PairingState.PROPOSED,
            among(Pairing.session_id, session_ids),
            or_(Pairing.match_run_id.is_(None), Pairing.match_run_id != run.id),
        )
    )
    changed = [
        {"pairing_id": earlier.id, **facts(pairing)}
        for earlier, pairing in staying.values()
        if (earlier.cost, earlier.distance_km, earlier.shared_skills)
        != (pairing.cost, pairing.distance_km, pairing.shared_skills)
    ]
    if changed:  # a day's more waiting, say, or a volunteer's new skill
        table = Pairing.__table__
        db.session.execute(
            update(table).where(table.c.id == bindparam("pairing_id")),
            [{**row, "shared_skills": sorted(row["shared_skills"])} for row in changed],
        )
        db.session.expire_all()  # rows loaded before now read as stored
    kept_requests = {pairing.request_id for _, pairing in staying.values()}
    new = [pairing for pairing in pairings if pairing.request_id not in kept_requests]
    if not new:
        return
    insert_many(
        Pairing.__table__,
        [
            {
                "help_request_id": p.request_id,
                "signup_id": p.signup_id,
                "session_id": p.session_id,
                "match_run_id": run.id,
                "state": PairingState.PROPOSED,
                **facts(p),
                "shared_skills": sorted(p.shared_skills),
                "created_at": run.started_at,
                "took_table": False,
                "not_here_again": False,
            }
            for p in new
        ],
    )


# Ids per statement: well inside SQLite's and PostgreSQL's limits on bound parameters.
IDS_AT_ONCE = 10_000


def facts(pairing) -> dict:
    """What a proposal says that the matcher may see differently from one run to the next."""
    return {
        "cost": pairing.cost,
        "distance_km": pairing.distance_km,
        "shared_skills": pairing.shared_skills,
    }


# "Could come" is a forecast a host sees each time they open a full session's page: each worker
# keeps it for COULD_COME_SECONDS while the session's tables and proposals stand, so a change at
# the session shows at once and a group newly asking within the minute.
COULD_COME_SECONDS = 60
_could_come = KeptCopies(most=256)


def forget_could_come() -> None:
    _could_come.forget()


class WaitingGroup(NamedTuple):
    """A group that could come if a table freed, as its host may see it before it is paired:
    where it is, what it asks for, its level; not who."""

    request_id: int
    district: str
    skill_ids: frozenset[int]
    level: int
    waited_days: int


def could_come(
    surgery_session: SurgerySession,
    now: datetime,
    live: list[Pairing],
    volunteers: list[Signup],
) -> list[WaitingGroup]:
    """Open groups nobody has paired, not already at this session, that could come to it if a
    table freed, while it is ahead and its tables are all taken or proposed; longest waiting
    first. Given the session's live pairings and its volunteers signed up, as its page has
    them loaded. Kept for COULD_COME_SECONDS while the session's tables and proposals stand.

    Given room for everyone, the matcher pairs exactly the groups its rules allow here.
    """
    if surgery_session.status is not SessionStatus.PUBLISHED or surgery_session.starts_at <= now:
        return []
    proposed = sum(1 for pairing in live if pairing.state is PairingState.PROPOSED)
    if surgery_session.seats_left > proposed:
        return []  # a table is free even once the proposals are agreed: groups may book it
    stamp = (surgery_session.seats_left, proposed, surgery_session.updated_at)
    waiting = _could_come.get(surgery_session.id, stamp, now)
    if waiting is None:
        waiting = groups_that_could_come(surgery_session, volunteers, now)
        kept_until = now + timedelta(seconds=COULD_COME_SECONDS)
        _could_come.keep(surgery_session.id, stamp, kept_until, waiting)
    return waiting


def groups_that_could_come(
    surgery_session: SurgerySession, volunteers: list[Signup], now: datetime
) -> list[WaitingGroup]:
    requests, districts = requests_that_could_come(surgery_session, now)
    room = len(requests)
    (session_in,) = session_inputs([surgery_session])
    # Room for every group, at the session and with each volunteer: who could come, not who fits.
    helping = [s for s in volunteers if s.volunteer.status is VolunteerStatus.ACTIVE]
    problem = Problem(
        requests=tuple(requests),
        sessions=(replace(session_in, seats_free=room),),
        signups=tuple(signup_input(signup, load_free=room) for signup in helping),
        ruled_out=ruled_out([surgery_session.id]),
    )
    eligible = {pairing.request_id for pairing in match(problem).pairings}
    waiting = [
        WaitingGroup(r.id, districts[r.id], r.skills, r.level, r.waited_days)
        for r in requests
        if r.id in eligible
    ]
    return sorted(waiting, key=lambda group: (-group.waited_days, group.request_id))


def proposals_at(session_id: int) -> list[Pairing]:
    """The proposals at a session, the cheapest first."""
    query = db.select(Pairing).where(
        Pairing.session_id == session_id, Pairing.state == PairingState.PROPOSED
    )
    return list(db.session.scalars(query.order_by(Pairing.cost, Pairing.id)))


def agree_where_hosts_chose(sessions: list[SurgerySession], now: datetime) -> list:
    """Agree the new proposals at these sessions, as far as tables go; return the events."""
    events = []
    for surgery_session in sessions:
        for pairing in proposals_at(surgery_session.id):
            events += placement.agree(pairing, PairingState.CONFIRMED, now) or []
    return events
