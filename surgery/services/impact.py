"""What surgeries change, in public figures: none small enough to point at a person.

Every figure counts what happened at sessions held (completed) in the chosen town and period:
- groups helped: groups that came to one of those sessions;
- volunteers: volunteers signed up to help at one of them; hours: each one's time there, added up;
- got going: of the groups helped who answered the follow-up a week on, how many said "yes";
- change score: their average answer, 1 to 5, to "what has changed?" about three months on;
- skills asked for and offered: by the groups who asked in that town and period (confirmed
  requests made then), and by the volunteers who helped at those sessions;
- stories: what the groups helped wrote and agreed to share. They agreed to it "without our
  names", so a story shows its organisation and never a person's name.
A count from 1 to SMALLEST_SHOWN - 1 is not shown, nor anything worked out from it (a share, an
average); that holds for each answer in a breakdown too ("partly: 1" would point at one group).
None is the one rule-free count: it names nobody. Stories are shown wherever their group was
helped: each group agreed to share its own.
"""

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from surgery.extensions import db
from surgery.geo.areas import Town, town_of
from surgery.models import (
    Asker,
    Booking,
    BookingStatus,
    FollowUp,
    FollowUpKind,
    GotGoing,
    HelpRequest,
    RequestStatus,
    SessionStatus,
    Signup,
    SignupStatus,
    Skill,
    SurgerySession,
    Volunteer,
)
from surgery.models.requests import help_request_skills
from surgery.models.volunteers import volunteer_skills
from surgery.services.periods import Period
from surgery.services.towns import in_town

SMALLEST_SHOWN = 5


@dataclass(frozen=True)
class Story:
    organisation: str
    story: str
    change_score: int | None


@dataclass(frozen=True)
class Impact:
    town: Town | None
    period: Period
    sessions_held: int
    towns: int
    # None: from 1 to SMALLEST_SHOWN - 1, so not shown.
    groups_helped: int | None
    volunteers: int | None
    volunteer_hours: float | None
    week_answers: int | None  # groups helped who answered "did you get going?"
    got_going: dict[str, int | None] | None  # "yes", "partly", "not-yet": how many said each
    got_going_share: float | None  # the share who said "yes", 0 to 1
    quarter_answers: int | None
    change_scores: dict[int, int | None] | None  # 1 to 5: how many gave each
    average_change: float | None
    skills_asked: list[tuple[str, int]] = field(default_factory=list)  # most first, 5 or more
    skills_offered: list[tuple[str, int]] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)

    def as_public_json(self) -> dict:
        """The figures for the open-data API: the same as the page shows, no more."""
        figures = asdict(self)
        figures["town"] = {"slug": self.town.slug, "name": self.town.name} if self.town else None
        figures["period"] = {
            "from": self.period.first_day.isoformat() if self.period.first_day else None,
            "to": self.period.last_day.isoformat() if self.period.last_day else None,
        }
        figures["change_scores"] = (
            {str(score): count for score, count in self.change_scores.items()}
            if self.change_scores
            else None
        )
        figures["skills_asked"] = [{"skill": n, "groups": c} for n, c in self.skills_asked]
        figures["skills_offered"] = [{"skill": n, "volunteers": c} for n, c in self.skills_offered]
        figures["smallest_count_shown"] = SMALLEST_SHOWN
        return figures


def shown(count: int) -> int | None:
    return count if count == 0 or count >= SMALLEST_SHOWN else None


def measure(town: Town | None = None, period: Period | None = None) -> Impact:
    """The public figures for one town (or all) over one period (or all time)."""
    period = period or Period()
    held = _sessions_held(town, period)
    held_ids = select(held.c.id)
    sessions = db.session.execute(select(held.c.district)).scalars().all()
    helped = _groups_helped(held_ids)
    helped_count = db.session.scalar(select(func.count()).select_from(helped.subquery())) or 0
    volunteers, hours = _volunteers_and_hours(held_ids)
    week = _answers(helped, FollowUpKind.WEEK, FollowUp.got_going)
    quarter = _answers(helped, FollowUpKind.QUARTER, FollowUp.change_scale)
    week_total, quarter_total = sum(week.values()), sum(quarter.values())
    groups_shown = helped_count >= SMALLEST_SHOWN
    week_shown = groups_shown and week_total >= SMALLEST_SHOWN
    quarter_shown = groups_shown and quarter_total >= SMALLEST_SHOWN
    said_yes = week.get(GotGoing.YES, 0)
    # The share says how many did not say yes as well: both must be fit to show.
    share_shown = week_shown and None not in (shown(said_yes), shown(week_total - said_yes))
    return Impact(
        town=town,
        period=period,
        sessions_held=len(sessions),
        towns=len({town_of(district) for district in sessions} - {None}),
        groups_helped=shown(helped_count),
        volunteers=shown(volunteers),
        volunteer_hours=round(hours, 1) if shown(volunteers) is not None else None,
        week_answers=week_total if week_shown else None,
        got_going={kind.value: shown(week.get(kind, 0)) for kind in GotGoing}
        if week_shown
        else None,
        got_going_share=said_yes / week_total if share_shown else None,
        quarter_answers=quarter_total if quarter_shown else None,
        change_scores={score: shown(quarter.get(score, 0)) for score in range(1, 6)}
        if quarter_shown
        else None,
        average_change=(
            round(sum(score * n for score, n in quarter.items()) / quarter_total, 1)
            if quarter_shown
            else None
        ),
        skills_asked=_skills_asked(town, period),
        skills_offered=_skills_offered(held_ids),
        stories=_stories(helped),
    )


def _sessions_held(town: Town | None, period: Period):
    query = select(SurgerySession.id, SurgerySession.district).where(
        SurgerySession.status == SessionStatus.COMPLETED,
        period.contains(SurgerySession.starts_at),
    )
    if town:
        query = query.where(in_town(SurgerySession.district, town))
    return query.subquery()


def _groups_helped(held_ids):
    """The ids of the groups that came to one of the sessions held."""
    return (
        select(HelpRequest.id)
        .join(Booking, Booking.help_request_id == HelpRequest.id)
        .where(
            Booking.session_id.in_(held_ids),
            Booking.status == BookingStatus.BOOKED,
            HelpRequest.status == RequestStatus.ATTENDED,
        )
        .distinct()
    )


def _volunteers_and_hours(held_ids) -> tuple[int, float]:
    signed_up = (
        select(Signup.volunteer_id, SurgerySession.starts_at, SurgerySession.ends_at)
        .join(SurgerySession, SurgerySession.id == Signup.session_id)
        .where(Signup.session_id.in_(held_ids), Signup.status == SignupStatus.ACTIVE)
    )
    rows = db.session.execute(signed_up).all()
    seconds = sum((ends - starts).total_seconds() for _, starts, ends in rows)
    return len({volunteer_id for volunteer_id, _, _ in rows}), seconds / 3600


def _answers(helped, kind: FollowUpKind, answer_column) -> Counter:
    query = (
        select(answer_column, func.count())
        .where(
            FollowUp.help_request_id.in_(helped),
            FollowUp.kind == kind,
            answer_column.is_not(None),
        )
        .group_by(answer_column)
    )
    return Counter(dict(db.session.execute(query).tuples().all()))


def _skills_asked(town: Town | None, period: Period) -> list[tuple[str, int]]:
    query = (
        select(Skill.name, func.count(HelpRequest.id))
        .join(help_request_skills, help_request_skills.c.skill_id == Skill.id)
        .join(HelpRequest, HelpRequest.id == help_request_skills.c.help_request_id)
        .where(HelpRequest.confirmed_at.is_not(None), period.contains(HelpRequest.created_at))
        .group_by(Skill.name)
    )
    if town:
        query = query.where(in_town(HelpRequest.district, town))
    return _most_first(db.session.execute(query).tuples().all())


def _skills_offered(held_ids) -> list[tuple[str, int]]:
    helping = (
        select(Signup.volunteer_id)
        .where(Signup.session_id.in_(held_ids), Signup.status == SignupStatus.ACTIVE)
        .distinct()
    )
    query = (
        select(Skill.name, func.count(volunteer_skills.c.volunteer_id))
        .join(volunteer_skills, volunteer_skills.c.skill_id == Skill.id)
        .join(Volunteer, Volunteer.id == volunteer_skills.c.volunteer_id)
        .where(Volunteer.id.in_(helping), Volunteer.erased_at.is_(None))
        .group_by(Skill.name)
    )
    return _most_first(db.session.execute(query).tuples().all())


def _most_first(counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(
        ((name, count) for name, count in counts if shown(count)),
        key=lambda row: (-row[1], row[0]),
    )


def _stories(helped) -> list[Story]:
    query = (
        select(HelpRequest.organisation_name, FollowUp.story, FollowUp.change_scale)
        .join(HelpRequest, HelpRequest.id == FollowUp.help_request_id)
        .join(Asker, Asker.id == HelpRequest.asker_id)
        .where(
            FollowUp.help_request_id.in_(helped),
            FollowUp.may_share_story.is_(True),
            FollowUp.story != "",
            Asker.erased_at.is_(None),
        )
        .order_by(FollowUp.answered_at.desc(), FollowUp.id.desc())
    )
    return [
        Story(organisation, story, score)
        for organisation, story, score in db.session.execute(query)
    ]


# The periods the public page offers, by the name in its address: (words, days back from today).
PERIODS = {
    "all": ("All time", None),
    "year": ("The past year", 365),
    "quarter": ("The past 3 months", 91),
}


def period_named(name: str, today: date) -> Period:
    """One of PERIODS, ending today (UK) and as long as it says; unknown names mean all time."""
    days = PERIODS.get(name, PERIODS["all"])[1]
    return Period(today - timedelta(days=days - 1), today) if days else Period()
