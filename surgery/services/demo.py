"""Demo data: groups, volunteers and sessions across Great Britain, so a newcomer sees a living
service. The people and places are in demo_data.toml beside this file."""

import math
import tomllib
from datetime import datetime, time, timedelta
from pathlib import Path

from surgery.clock import london_date
from surgery.extensions import db
from surgery.geo import GridPoint, distance_km
from surgery.models import (
    Account,
    AccountStatus,
    Asker,
    Booking,
    BookingStatus,
    FollowUp,
    FollowUpKind,
    GotGoing,
    HelpRequest,
    Outcome,
    Pairing,
    PairingState,
    RequestStatus,
    Role,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
)
from surgery.services.answers import place_for, skills_for
from surgery.services.asking import RequestDetails, apply_details
from surgery.services.offering import OfferDetails, apply_offer
from surgery.services.sessions import SessionDetails, apply_session_details
from surgery.services.skills import active_skills
from surgery.vocabulary import AccessNeed, Availability, Level, OrganisationKind

DEMO_DOMAIN = "demo.example.org"
DATA = tomllib.loads((Path(__file__).parent / "demo_data.toml").read_text(encoding="utf-8"))
GROUPS, VOLUNTEERS, SESSIONS = DATA["groups"], DATA["volunteers"], DATA["sessions"]
HISTORY = DATA["history"]
WEEK_ON, LATER_ON = timedelta(days=7), timedelta(days=90)


def load_demo(now: datetime) -> bool:
    """Add the demo groups, volunteers, a host and sessions, once; False if already there."""
    if db.session.scalar(db.select(Volunteer.id).where(Volunteer.email.endswith(DEMO_DOMAIN))):
        return False
    skill_ids = {skill.name: skill.id for skill in active_skills()}
    for group in GROUPS:
        add_group(group, skill_ids, now)
    volunteers = {v["name"]: add_volunteer(v, skill_ids, now) for v in VOLUNTEERS}
    # The demo host has no password: nobody can sign in as them.
    host = Account(
        name="Demo Host",
        email=demo_email("Demo Host"),
        town="Everywhere",
        role=Role.HOST,
        status=AccountStatus.APPROVED,
        created_at=now,
    )
    for session in SESSIONS:
        add_session(host, session, volunteers[session["helper"]], now)
    for held in HISTORY:
        add_held_session(host, held, volunteers, skill_ids, now)
    db.session.commit()
    return True


def demo_email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{DEMO_DOMAIN}"


def add_group(group: dict, skill_ids: dict[str, int], now: datetime) -> None:
    today = london_date(now)
    details = RequestDetails(
        organisation_name=group["organisation"],
        organisation_kind=OrganisationKind(group["kind"]),
        postcode=group["postcode"],
        skill_ids=tuple(skill_ids[name] for name in group["skills"]),
        level=Level(group["level"]),
        goal=group["goal"],
        travel_km=10,
        earliest_date=today + timedelta(days=2),
        latest_date=today + timedelta(days=75),
        availability=(Availability.WEEKDAYS, Availability.WEEKDAY_EVENINGS, Availability.WEEKENDS),
        access_needs=tuple(AccessNeed(need) for need in group["access"]),
        consent_follow_up=True,
    )
    asker = Asker(name=group["contact"], email=demo_email(group["contact"]), created_at=now)
    help_request = HelpRequest(created_at=now)
    apply_details(help_request, details, now)
    asker.requests.append(help_request)
    asker.confirmed_at = now
    help_request.confirm(now)
    db.session.add(asker)


def add_volunteer(demo: dict, skill_ids: dict[str, int], now: datetime) -> Volunteer:
    details = OfferDetails(
        postcode=demo["postcode"],
        skill_ids=tuple(skill_ids[name] for name in demo["skills"]),
        levels=tuple(Level(level) for level in demo["levels"]),
        travel_km=15,
        availability=(Availability.WEEKDAY_EVENINGS, Availability.WEEKENDS),
        bio=demo["bio"],
    )
    volunteer = Volunteer(name=demo["name"], email=demo_email(demo["name"]), created_at=now)
    apply_offer(volunteer, details, place_for(details.postcode), skills_for(details.skill_ids))
    volunteer.confirm(now)
    db.session.add(volunteer)
    return volunteer


def add_session(host: Account, demo: dict, helper: Volunteer, now: datetime) -> None:
    """Add a published session with one volunteer signed up to help two groups."""
    details = SessionDetails(
        title=demo["title"],
        venue_name=demo["venue"],
        venue_address=demo["address"],
        postcode=demo["postcode"],
        day=london_date(now) + timedelta(days=demo["days_ahead"]),
        starts=time(18),
        ends=time(20),
        seats=demo["tables"],
        access=(AccessNeed.STEP_FREE,),
    )
    surgery_session = SurgerySession(created_at=now, hosts=[host])
    apply_session_details(surgery_session, details, now)
    surgery_session.move("publish")
    db.session.add(surgery_session)
    db.session.add(
        Signup(
            surgery_session=surgery_session,
            volunteer=helper,
            load=2,
            status=SignupStatus.ACTIVE,
            created_at=now,
        )
    )


def add_held_session(
    host: Account, demo: dict, volunteers: dict[str, Volunteer], skill_ids: dict[str, int], now
) -> None:
    """Add a session already held: its groups paired and booked, who came, and the follow-up
    answers that were due by now."""
    day = london_date(now) - timedelta(days=demo["days_ago"])
    planned = now - timedelta(days=demo["days_ago"] + 21)
    details = SessionDetails(
        title=demo["title"], venue_name=demo["venue"], venue_address=demo["address"],
        postcode=demo["postcode"], day=day, starts=time(18), ends=time(20),
        seats=max(6, len(demo["groups"])), access=(AccessNeed.STEP_FREE,),
    )  # fmt: skip
    held = SurgerySession(created_at=planned, hosts=[host])
    apply_session_details(held, details, planned)
    held.move("publish")
    held.move("complete")
    held.seats_taken = len(demo["groups"])
    load = math.ceil(len(demo["groups"]) / len(demo["helpers"]))
    signups = [
        Signup(surgery_session=held, volunteer=volunteers[name], load=load,
               status=SignupStatus.ACTIVE, created_at=planned)
        for name in demo["helpers"]
    ]  # fmt: skip
    db.session.add_all([held, *signups])
    helped = {signup: 0 for signup in signups}
    for group in demo["groups"]:
        signup = helper_for(group, helped, load)
        helped[signup] += 1
        add_group_that_was_there(held, signup, group, skill_ids, now)


def helper_for(group: dict, helped: dict[Signup, int], load: int) -> Signup:
    """The volunteer with room who knows most of what the group asked for, as a host would
    pair them; the one with fewest groups so far among equals."""
    with_room = [signup for signup, count in helped.items() if count < load]

    def known(signup: Signup) -> int:
        return len({skill.name for skill in signup.volunteer.skills} & set(group["skills"]))

    return max(with_room, key=lambda signup: (known(signup), -helped[signup]))


def add_group_that_was_there(
    held: SurgerySession, signup: Signup, group: dict, skill_ids: dict[str, int], now
) -> None:
    planned = held.created_at
    came = group.get("came", True)
    help_request = HelpRequest(
        created_at=planned, organisation_name=group["organisation"],
        organisation_kind=OrganisationKind.COMMUNITY_GROUP, level=2, goal="Get started online.",
        travel_km=10, earliest_date=london_date(planned), latest_date=london_date(held.ends_at),
        availability=[Availability.WEEKDAY_EVENINGS.value], access_needs=[],
        consent_follow_up=True, consent_share_story=bool(group.get("story")),
        confirmed_at=planned,
    )  # fmt: skip
    help_request.move_to(place_for(held.postcode))
    help_request.skills = skills_for(tuple(skill_ids[name] for name in group["skills"]))
    help_request.status = RequestStatus.ATTENDED if came else RequestStatus.NO_SHOW
    asker = Asker(name=group["contact"], email=demo_email(group["contact"]), created_at=planned,
                  confirmed_at=planned, requests=[help_request])  # fmt: skip
    booking = Booking(surgery_session=held, help_request=help_request,
                      status=BookingStatus.BOOKED, joined_at=planned)  # fmt: skip
    shared = {skill.id for skill in help_request.skills} & {
        skill.id for skill in signup.volunteer.skills
    }
    pairing = Pairing(
        help_request=help_request, signup=signup, surgery_session=held,
        state=PairingState.CONFIRMED, distance_km=round(distance_km(
            _point(signup.volunteer), _point(help_request)), 1),
        shared_skills=sorted(shared), created_at=planned,
    )  # fmt: skip
    outcome = Outcome(booking=booking, attended=came, recorded_at=held.ends_at,
                      skills_covered=[skill.id for skill in help_request.skills])  # fmt: skip
    db.session.add_all([asker, booking, pairing, outcome])
    if came:
        add_answers(help_request, held.ends_at, group, now)


def add_answers(help_request: HelpRequest, ended: datetime, group: dict, now) -> None:
    """The follow-up answers a group gave, as far as they were due by now."""
    if group.get("got_going") and ended + WEEK_ON <= now:
        db.session.add(FollowUp(help_request=help_request, kind=FollowUpKind.WEEK,
                                got_going=GotGoing(group["got_going"]),
                                answered_at=ended + WEEK_ON))  # fmt: skip
    if group.get("change") and ended + LATER_ON <= now:
        db.session.add(FollowUp(help_request=help_request, kind=FollowUpKind.QUARTER,
                                change_scale=group["change"], story=group.get("story", ""),
                                may_share_story=bool(group.get("story")),
                                answered_at=ended + LATER_ON))  # fmt: skip


def _point(person: Volunteer | HelpRequest) -> GridPoint:
    return GridPoint(person.easting, person.northing)
