"""Demo data: groups, volunteers and sessions across Great Britain, so a newcomer sees a living
service. The people and places are in demo_data.toml beside this file."""

import tomllib
from datetime import datetime, time, timedelta
from pathlib import Path

from surgery.clock import london_date
from surgery.extensions import db
from surgery.models import (
    Account,
    AccountStatus,
    Asker,
    HelpRequest,
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


def load_demo(now: datetime) -> bool:
    """Add the demo groups, volunteers, a host and sessions, once; False if already there."""
    if db.session.scalar(db.select(Volunteer.id).where(Volunteer.email.endswith(DEMO_DOMAIN))):
        return False
    skill_ids = {skill.name: skill.id for skill in active_skills()}
    for group in GROUPS:
        add_group(group, skill_ids, now)
    volunteers = {v["name"]: add_volunteer(v, skill_ids, now) for v in VOLUNTEERS}
    # The demo host has no password: nobody can sign in as them.
    host = Account(name="Demo Host", email=demo_email("Demo Host"), town="Everywhere",
                   role=Role.HOST, status=AccountStatus.APPROVED, created_at=now)
    for session in SESSIONS:
        add_session(host, session, volunteers[session["helper"]], now)
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
        title=demo["title"], venue_name=demo["venue"], venue_address=demo["address"],
        postcode=demo["postcode"], day=london_date(now) + timedelta(days=demo["days_ahead"]),
        starts=time(18), ends=time(20), seats=demo["tables"], access=(AccessNeed.STEP_FREE,),
    )
    surgery_session = SurgerySession(created_at=now, hosts=[host])
    apply_session_details(surgery_session, details, now)
    surgery_session.move("publish")
    db.session.add(surgery_session)
    db.session.add(Signup(surgery_session=surgery_session, volunteer=helper, load=2,
                          status=SignupStatus.ACTIVE, created_at=now))
