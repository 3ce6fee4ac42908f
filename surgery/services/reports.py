"""Reports for hosts and admins: what happened at each session, and in each town, in a period.

A host sees the sessions they host (co-hosted ones too) and towns counted from those sessions
only; an admin sees every session. Draft sessions are left out: nobody could come to them. A
session is in the period when its UK date is between the first and the last day, both included.
Every figure is a count; no row names a person or repeats a note or a story.

Per session, the columns are:
- Date: the session's day (UK time). Session: its title. Town: the post town of its postcode
  area (B is Birmingham). Status: published, completed or cancelled.
- Requests: groups that booked a table there, joined its waiting list, or were given a table by
  a pairing, each counted once, even if they later gave the place up or the session was
  cancelled (a group that moved is counted at each session where it had a place).
- Pairings agreed: groups paired with a volunteer there whose pairing is confirmed or locked now
  (proposals not yet agreed, and dropped or ended pairings, are not counted).
- Came: groups with a table that a host checked in, walk-ins included.
- Did not come: groups with a table that a host marked as not come, and, once the session is
  completed, those never checked in (a no-show).
- Outcomes recorded: groups with a table whose attendance a host recorded, came or not.
- Got going: yes / partly / not yet: the answers to the week-on follow-up "Did you get going?"
  from groups that had a table there.
- Three-month answers: answers to "How much has changed for your group?" three months on.
- Average change (1 to 5): those answers' mean score, 1 nothing has changed to 5 a great deal,
  to one decimal place; blank when there are none.

Per town: the town, its number of sessions, and the same counts summed over them (the average
is over all the town's three-month answers, not an average of averages).

SESSION_COLUMNS and TOWN_COLUMNS define each table once: headers, meanings and values, for the
page and for the CSV download alike.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, and_, case, func, or_, select

from surgery.clock import london_date
from surgery.extensions import db
from surgery.geo.areas import town_by_slug
from surgery.models import (
    FIXED_STATES,
    Account,
    Booking,
    BookingStatus,
    FollowUp,
    FollowUpKind,
    GotGoing,
    Outcome,
    Pairing,
    Role,
    SessionStatus,
    SurgerySession,
)
from surgery.services.periods import Period
from surgery.services.towns import area_of_district


@dataclass(frozen=True)
class Counts:
    requests: int = 0
    pairings_agreed: int = 0
    came: int = 0
    did_not_come: int = 0
    outcomes_recorded: int = 0
    got_going_yes: int = 0
    got_going_partly: int = 0
    got_going_not_yet: int = 0
    quarter_answers: int = 0
    change_total: int = 0

    @property
    def average_change(self) -> Decimal | None:
        """The mean three-month score to one decimal place (halves up); None with no answers."""
        if not self.quarter_answers:
            return None
        mean = Decimal(self.change_total) / Decimal(self.quarter_answers)
        return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


COUNT_NAMES = tuple(field.name for field in fields(Counts))


@dataclass(frozen=True)
class SessionRow:
    session_id: int
    day: date
    title: str
    town: str
    status: SessionStatus
    counts: Counts


@dataclass(frozen=True)
class TownRow:
    town: str
    sessions: int
    counts: Counts


@dataclass(frozen=True)
class Column:
    """A report column: its header, what it means in plain words, and its value in a row."""

    header: str
    meaning: str
    value: Callable[[object], object]
    numeric: bool = True


def count_column(header: str, meaning: str, name: str) -> Column:
    return Column(header, meaning, lambda row: getattr(row.counts, name))


COUNT_COLUMNS = (
    count_column(
        "Requests",
        "Groups that booked a table, joined the waiting list or were given a table by a "
        "pairing, each counted once, even if they later gave the place up or the session was "
        "cancelled.",
        "requests",
    ),
    count_column(
        "Pairings agreed",
        "Groups paired with a volunteer whose pairing is confirmed or locked now. Proposals "
        "not yet agreed, and dropped or ended pairings, are not counted.",
        "pairings_agreed",
    ),
    count_column("Came", "Groups with a table that a host checked in, walk-ins included.", "came"),
    count_column(
        "Did not come",
        "Groups with a table that a host marked as not come, and, once a session is completed, "
        "those never checked in.",
        "did_not_come",
    ),
    count_column(
        "Outcomes recorded",
        "Groups with a table whose attendance a host recorded on the day, came or not.",
        "outcomes_recorded",
    ),
    count_column(
        "Got going: yes",
        "Groups that answered yes, a week on, to “Did you get going?”",
        "got_going_yes",
    ),
    count_column("Got going: partly", "Groups that answered partly.", "got_going_partly"),
    count_column("Got going: not yet", "Groups that answered not yet.", "got_going_not_yet"),
    count_column(
        "Three-month answers",
        "Groups that answered, three months on, “How much has changed for your group?”",
        "quarter_answers",
    ),
    Column(
        "Average change (1 to 5)",
        "The mean of those answers, from 1 (nothing has changed) to 5 (a great deal), to one "
        "decimal place. Empty when there are none.",
        lambda row: row.counts.average_change,
    ),
)

SESSION_COLUMNS = (
    Column("Date", "The day of the session, UK time.", lambda row: row.day, numeric=False),
    Column("Session", "The session's title.", lambda row: row.title, numeric=False),
    Column(
        "Town",
        "The post town of the session's postcode area (B is Birmingham).",
        lambda row: row.town,
        numeric=False,
    ),
    Column(
        "Status",
        "Published, completed or cancelled.",
        lambda row: row.status.label,
        numeric=False,
    ),
    *COUNT_COLUMNS,
)

TOWN_COLUMNS = (
    Column(
        "Town",
        "A postcode area, by its post town (B is Birmingham).",
        lambda row: row.town,
        numeric=False,
    ),
    Column(
        "Sessions",
        "Sessions in the town in the period, cancelled ones included.",
        lambda row: row.sessions,
    ),
    *COUNT_COLUMNS,
)


def sessions_in_scope(viewer: Account, period: Period) -> Select:
    """The ids of the sessions the viewer may see (all, for an admin) in the period that were
    published: not drafts, nor drafts called off before they were published."""
    start, end = period.starts(), period.ends()
    query = select(SurgerySession.id).where(
        SurgerySession.was_published.is_(True),
        SurgerySession.starts_at >= start,
        SurgerySession.starts_at < end,
    )
    if viewer.role is not Role.ADMIN:
        query = query.where(SurgerySession.hosts.any(Account.id == viewer.id))
    return query


def per_session_counts(viewer: Account, period: Period) -> Select:
    """One row per session in scope with every count, each counted apart (so no join of one
    session's bookings with its pairings multiplies either), for the tables to select from."""
    scope = sessions_in_scope(viewer, period)
    bookings, pairings = booking_counts(scope), pairing_counts(scope)
    follow_ups = follow_up_counts(scope)
    return (
        select(
            SurgerySession.id.label("session_id"),
            SurgerySession.starts_at,
            SurgerySession.title,
            SurgerySession.district,
            SurgerySession.status,
            *(func.coalesce(bookings.c[name], 0).label(name) for name in BOOKING_COUNTS),
            func.coalesce(pairings.c.pairings_agreed, 0).label("pairings_agreed"),
            *(func.coalesce(follow_ups.c[name], 0).label(name) for name in FOLLOW_UP_COUNTS),
        )
        .outerjoin(bookings, bookings.c.session_id == SurgerySession.id)
        .outerjoin(pairings, pairings.c.session_id == SurgerySession.id)
        .outerjoin(follow_ups, follow_ups.c.session_id == SurgerySession.id)
        .where(SurgerySession.id.in_(scope))
    )


def tally(condition) -> object:
    """The number of rows in a group for which the condition holds."""
    return func.sum(case((condition, 1), else_=0))


BOOKING_COUNTS = ("requests", "came", "did_not_come", "outcomes_recorded")
FOLLOW_UP_COUNTS = (
    "got_going_yes",
    "got_going_partly",
    "got_going_not_yet",
    "quarter_answers",
    "change_total",
)


def booking_counts(scope: Select):
    """Per session: groups that had a place there, and how their attendance went."""
    held = Booking.status == BookingStatus.BOOKED
    completed = SurgerySession.status == SessionStatus.COMPLETED
    return (
        select(
            Booking.session_id,
            func.count(Booking.id).label("requests"),
            tally(and_(held, Outcome.attended.is_(True))).label("came"),
            tally(
                and_(
                    held,
                    or_(Outcome.attended.is_(False), and_(Outcome.id.is_(None), completed)),
                )
            ).label("did_not_come"),
            tally(and_(held, Outcome.id.is_not(None))).label("outcomes_recorded"),
        )
        .join(SurgerySession, SurgerySession.id == Booking.session_id)
        .outerjoin(Outcome, Outcome.booking_id == Booking.id)
        .where(Booking.session_id.in_(scope))
        .group_by(Booking.session_id)
        .subquery()
    )


def pairing_counts(scope: Select):
    """Per session: the pairings agreed there that stand."""
    return (
        select(Pairing.session_id, func.count(Pairing.id).label("pairings_agreed"))
        .where(Pairing.session_id.in_(scope), Pairing.state.in_(FIXED_STATES))
        .group_by(Pairing.session_id)
        .subquery()
    )


def follow_up_counts(scope: Select):
    """Per session: the follow-up answers of the groups that had a table there."""
    week, quarter = FollowUp.kind == FollowUpKind.WEEK, FollowUp.kind == FollowUpKind.QUARTER
    scored = and_(quarter, FollowUp.change_scale.is_not(None))
    return (
        select(
            Booking.session_id,
            tally(and_(week, FollowUp.got_going == GotGoing.YES)).label("got_going_yes"),
            tally(and_(week, FollowUp.got_going == GotGoing.PARTLY)).label("got_going_partly"),
            tally(and_(week, FollowUp.got_going == GotGoing.NOT_YET)).label("got_going_not_yet"),
            tally(scored).label("quarter_answers"),
            func.sum(case((scored, FollowUp.change_scale), else_=0)).label("change_total"),
        )
        .join(
            Booking,
            and_(
                Booking.help_request_id == FollowUp.help_request_id,
                Booking.status == BookingStatus.BOOKED,
            ),
        )
        .where(Booking.session_id.in_(scope))
        .group_by(Booking.session_id)
        .subquery()
    )


def counts_from(row) -> Counts:
    return Counts(**{name: int(getattr(row, name) or 0) for name in COUNT_NAMES})


def town_name(area: str) -> str:
    """The post town of an area ("B" is Birmingham); the area itself for one we do not know."""
    town = town_by_slug(area)
    return town.name if town else area


def session_rows(viewer: Account, period: Period) -> list[SessionRow]:
    """The per-session table the viewer may see for the period, earliest session first."""
    counted = per_session_counts(viewer, period).subquery()
    query = select(counted, area_of_district(counted.c.district).label("area")).order_by(
        counted.c.starts_at, counted.c.session_id
    )
    return [
        SessionRow(
            session_id=row.session_id,
            day=london_date(row.starts_at),
            title=row.title,
            town=town_name(row.area),
            status=SessionStatus(row.status),
            counts=counts_from(row),
        )
        for row in db.session.execute(query)
    ]


def town_rows(viewer: Account, period: Period) -> list[TownRow]:
    """The per-town table: the viewer's sessions in the period summed by postcode area, by name."""
    counted = per_session_counts(viewer, period).subquery()
    area = area_of_district(counted.c.district).label("area")
    query = select(
        area,
        func.count(counted.c.session_id).label("sessions"),
        *(func.sum(counted.c[name]).label(name) for name in COUNT_NAMES),
    ).group_by(area)
    rows = [
        TownRow(town=town_name(row.area), sessions=row.sessions, counts=counts_from(row))
        for row in db.session.execute(query)
    ]
    return sorted(rows, key=lambda row: row.town)


# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A value as CSV text: dates in ISO form, nothing as empty, text that a spreadsheet would
    run as a formula made inert by a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(columns: tuple[Column, ...], rows: list) -> str:
    """The table as CSV: a header row, then one line per row, with exactly the table's cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    writer.writerows([cell(column.value(row)) for column in columns] for row in rows)
    return out.getvalue()
