"""What a volunteer has given: the sessions they helped at, the groups they helped, the hours.

The words the volunteer reads (on their page and on their certificate) say the same as these
definitions:

- **A session they gave**: one its host has marked as completed and whose end has passed, at which
  the volunteer was still signed up to help. A sign-up they withdrew does not count; a cancelled
  session or one still ahead does not count. A session counts even if no group was paired with
  them there: they came to help.
- **A group they helped**: a group agreed with them (confirmed or locked) at one of those sessions,
  that the host recorded as having come. A group that did not come, or that the host moved to
  someone else, does not count. A group that asked us to erase its details afterwards still
  counts (erasing ends its pairing, but not the fact that it came), shown as "a group". A group
  helped at two sessions is one group: the count is of the people who asked, not of visits.
- **Hours given**: the sum of the lengths of the sessions they gave, rounded to the nearest half
  hour (a quarter of an hour rounds up).

Two queries, whatever the length of the history: one for the sessions, one for the groups.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_

from surgery.clock import london_date
from surgery.extensions import db
from surgery.models import (
    FIXED_STATES,
    Asker,
    Booking,
    HelpRequest,
    Outcome,
    Pairing,
    PairingState,
    SessionStatus,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
)

HALF_HOUR_SECONDS = 30 * 60
ERASED_GROUP = "a group"


@dataclass(frozen=True)
class GroupHelped:
    """A group as its volunteer may see it: the asker's first name and the organisation."""

    asker_id: int
    first_name: str
    organisation: str

    @property
    def label(self) -> str:
        """'Maya from Ladywood Food Bank'; 'a group' once the group erased its details."""
        if self.first_name and self.organisation:
            return f"{self.first_name} from {self.organisation}"
        return self.first_name or self.organisation or ERASED_GROUP


@dataclass(frozen=True)
class SessionGiven:
    session_id: int
    title: str
    venue_name: str
    starts_at: datetime
    ends_at: datetime
    groups: tuple[GroupHelped, ...]

    @property
    def day(self) -> date:
        return london_date(self.starts_at)


@dataclass(frozen=True)
class Series:
    """The sessions of one name (a recurring surgery): how many, from when to when."""

    title: str
    count: int
    first_day: date
    last_day: date


@dataclass(frozen=True)
class Recognition:
    sessions: tuple[SessionGiven, ...]
    group_count: int
    half_hours: int
    issued_on: date

    @property
    def has_given(self) -> bool:
        return bool(self.sessions)

    @property
    def session_count(self) -> int:
        return len(self.sessions)

    @property
    def hours(self) -> str:
        return hours_in_words(self.half_hours)

    @property
    def first_day(self) -> date | None:
        return self.sessions[0].day if self.sessions else None

    @property
    def last_day(self) -> date | None:
        return self.sessions[-1].day if self.sessions else None

    @property
    def series(self) -> tuple[Series, ...]:
        """The sessions grouped by name, in the order each name was first given: a long history
        said in a few lines."""
        named: dict[str, list[SessionGiven]] = {}
        for given in self.sessions:
            named.setdefault(given.title, []).append(given)
        return tuple(
            Series(title, len(same), same[0].day, same[-1].day) for title, same in named.items()
        )


def hours_in_words(half_hours: int) -> str:
    """Say a number of half hours as people write it: '½ hour', '1 hour', '7½ hours'."""
    whole, half = divmod(half_hours, 2)
    number = ("" if whole == 0 and half else str(whole)) + ("½" if half else "")
    return f"{number} hour{'' if half_hours in (1, 2) else 's'}"


def recognition_of(volunteer: Volunteer, now: datetime) -> Recognition:
    """Return what the volunteer has given up to `now`, and the day (UK) it is issued."""
    given = sessions_given(volunteer.id, now)
    groups = groups_helped(volunteer.id, now)
    sessions = tuple(
        SessionGiven(
            row.id,
            row.title,
            row.venue_name,
            row.starts_at,
            row.ends_at,
            tuple(groups.get(row.id, ())),
        )
        for row in given
    )
    seconds = sum((row.ends_at - row.starts_at).total_seconds() for row in given)
    return Recognition(
        sessions=sessions,
        group_count=len({g.asker_id for s in sessions for g in s.groups}),
        half_hours=int((seconds + HALF_HOUR_SECONDS // 2) // HALF_HOUR_SECONDS),
        issued_on=london_date(now),
    )


def gave_it(volunteer_id: int, now: datetime):
    """SQL: the sign-up is the volunteer's, still active, at a completed session that has ended."""
    return and_(
        Signup.volunteer_id == volunteer_id,
        Signup.status == SignupStatus.ACTIVE,
        SurgerySession.status == SessionStatus.COMPLETED,
        SurgerySession.ends_at <= now,
    )


def sessions_given(volunteer_id: int, now: datetime) -> list:
    """The sessions the volunteer gave, earliest first, as rows of the columns shown."""
    query = (
        db.select(
            SurgerySession.id,
            SurgerySession.title,
            SurgerySession.venue_name,
            SurgerySession.starts_at,
            SurgerySession.ends_at,
        )
        .join(Signup, Signup.session_id == SurgerySession.id)
        .where(gave_it(volunteer_id, now))
        .order_by(SurgerySession.starts_at, SurgerySession.id)
    )
    return list(db.session.execute(query))


def groups_helped(volunteer_id: int, now: datetime) -> dict[int, list[GroupHelped]]:
    """The groups the volunteer helped, by session id, in the order they were paired."""
    # Erasing a group ends its pairing (CANCELLED) after the fact; it still came.
    agreed = or_(
        Pairing.state.in_(FIXED_STATES),
        and_(Pairing.state == PairingState.CANCELLED, Asker.erased_at.is_not(None)),
    )
    query = (
        db.select(
            Pairing.session_id,
            Asker.id,
            Asker.name,
            Asker.erased_at,
            HelpRequest.id,
            HelpRequest.organisation_name,
        )
        .join(Signup, Pairing.signup_id == Signup.id)
        .join(SurgerySession, Pairing.session_id == SurgerySession.id)
        .join(HelpRequest, Pairing.help_request_id == HelpRequest.id)
        .join(Asker, HelpRequest.asker_id == Asker.id)
        .join(
            Booking,
            and_(
                Booking.session_id == Pairing.session_id,
                Booking.help_request_id == Pairing.help_request_id,
            ),
        )
        .join(Outcome, Outcome.booking_id == Booking.id)
        .where(gave_it(volunteer_id, now), Outcome.attended.is_(True), agreed)
        .order_by(Pairing.session_id, Pairing.id)
    )
    helped: dict[int, list[GroupHelped]] = {}
    seen: set[tuple[int, int]] = set()
    for session_id, asker_id, name, erased_at, request_id, organisation in db.session.execute(
        query
    ):
        # A sign-up withdrawn and made again may leave two ended pairings for one erased group.
        if (session_id, request_id) in seen:
            continue
        seen.add((session_id, request_id))
        group = (
            GroupHelped(asker_id, "", "")
            if erased_at
            else GroupHelped(asker_id, (name or "").split(" ")[0], organisation or "")
        )
        helped.setdefault(session_id, []).append(group)
    return helped
