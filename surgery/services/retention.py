"""Retention: people we have not heard from for RETENTION_MONTHS are anonymised, as if they had
asked us to erase them. Their anonymous counts stay; nothing else about them does."""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func

from surgery.extensions import db
from surgery.models import (
    Asker,
    Booking,
    FollowUp,
    HelpRequest,
    Signup,
    SurgerySession,
    Volunteer,
)
from surgery.services import audit, isolation
from surgery.services.personal_data import erase_person


@dataclass(frozen=True)
class RetentionReport:
    askers: int
    volunteers: int


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day if shorter)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def anonymise_inactive(now: datetime, months: int | None = None) -> RetentionReport:
    """Erase every group and volunteer whose last activity is older than the retention period;
    each on its own, so one that fails is logged by its id and tried again on the next run."""
    months = months or current_app.config["RETENTION_MONTHS"]
    cutoff = months_before(now, months)
    askers = erase_each(Asker, stale(asker_activity(), cutoff), now)
    volunteers = erase_each(Volunteer, stale(volunteer_activity(), cutoff), now)
    if askers or volunteers:
        detail = f"askers: {askers}, volunteers: {volunteers}"
        audit.record(None, "anonymised-inactive", f"older-than:{months}-months", now, detail)
        db.session.commit()
    return RetentionReport(askers, volunteers)


def erase_each(model: type[Asker] | type[Volunteer], ids: list[int], now: datetime) -> int:
    """Erase each person in a transaction of their own; return how many were erased."""
    people = [db.session.get(model, person_id) for person_id in ids]
    id_name = f"{model.__name__.lower()}_id"
    failed = isolation.each_alone(
        "anonymise-inactive",
        people,
        lambda person: erase_person(person, now),
        lambda person: {id_name: person.id},
    )
    return len(people) - failed


def stale(activity: dict[int, datetime], cutoff: datetime) -> list[int]:
    return sorted(person_id for person_id, last in activity.items() if last < cutoff)


def latest(rows: Iterable[tuple], into: dict[int, datetime]) -> None:
    """Keep, for each person id, the latest of the moments in the rows (id, moment, moment...)."""
    for person_id, *moments in rows:
        known = [m for m in (into.get(person_id), *moments) if m is not None]
        if known:
            into[person_id] = max(known)


def asker_activity() -> dict[int, datetime]:
    """The last time each group not yet erased did anything: asked, confirmed, changed a request,
    had a session (its end), or answered a follow-up."""
    activity: dict[int, datetime] = {}
    live = Asker.erased_at.is_(None)
    latest(
        db.session.execute(db.select(Asker.id, Asker.created_at, Asker.confirmed_at).where(live)),
        activity,
    )
    by_request = (
        db.select(HelpRequest.asker_id).join(Asker).where(live).group_by(HelpRequest.asker_id)
    )
    latest(db.session.execute(by_request.add_columns(func.max(HelpRequest.updated_at))), activity)
    sessions = by_request.join(Booking, Booking.help_request_id == HelpRequest.id).join(
        SurgerySession, SurgerySession.id == Booking.session_id
    )
    latest(db.session.execute(sessions.add_columns(func.max(SurgerySession.ends_at))), activity)
    answers = by_request.join(FollowUp, FollowUp.help_request_id == HelpRequest.id)
    latest(db.session.execute(answers.add_columns(func.max(FollowUp.answered_at))), activity)
    return activity


def volunteer_activity() -> dict[int, datetime]:
    """The last time each volunteer not yet erased did anything: offered, confirmed, withdrew,
    signed up, or helped at a session (its end)."""
    activity: dict[int, datetime] = {}
    live = Volunteer.erased_at.is_(None)
    people = db.select(
        Volunteer.id, Volunteer.created_at, Volunteer.confirmed_at, Volunteer.withdrawn_at
    ).where(live)
    latest(db.session.execute(people), activity)
    signups = (
        db.select(
            Signup.volunteer_id, func.max(Signup.created_at), func.max(SurgerySession.ends_at)
        )
        .join(Volunteer, Volunteer.id == Signup.volunteer_id)
        .join(SurgerySession, SurgerySession.id == Signup.session_id)
        .where(live)
        .group_by(Signup.volunteer_id)
    )
    latest(db.session.execute(signups), activity)
    return activity
