"""The same few rows at every scale, through the service's own models: a host who can sign in,
hosting one session with 30 agreed pairings, and a group (one of those 30) with a private link."""

from datetime import datetime, time, timedelta

from sqlalchemy import text
from web_seed import HOST_EMAIL, HOST_PASSWORD, PAIRINGS, Fixture, Town

from surgery.extensions import db
from surgery.models import (
    Account,
    AccountStatus,
    Asker,
    Booking,
    BookingStatus,
    HelpRequest,
    Pairing,
    PairingState,
    RequestStatus,
    Role,
    SessionStatus,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
    VolunteerStatus,
)
from surgery.services.accounts import hasher
from surgery.services.skills import active_skills
from surgery.services.tokens import manage_token
from surgery.vocabulary import OrganisationKind

HELPERS = 10  # each helps three groups


def add_fixture(now: datetime, town: Town) -> Fixture:
    """Add the host's session with its pairings and return what the pages need (app context)."""
    postcode, easting, northing = town.postcodes[0]
    place = {"postcode": postcode, "district": town.district, "easting": easting,
             "northing": northing}  # fmt: skip
    skills = active_skills()
    host = Account(name="Bench Host", email=HOST_EMAIL, town=town.district, role=Role.HOST,
                   status=AccountStatus.APPROVED, password_hash=hasher.hash(HOST_PASSWORD),
                   created_at=now, decided_at=now)  # fmt: skip
    starts = datetime.combine(now.date() + timedelta(days=7), time(18), tzinfo=now.tzinfo)
    hosted = SurgerySession(
        title="Bench host's session", venue_name="Central Library", venue_address="1 Main St",
        starts_at=starts, ends_at=starts + timedelta(hours=2), seats=PAIRINGS,
        seats_taken=PAIRINGS, access=["step-free"], status=SessionStatus.PUBLISHED,
        was_published=True, hosts=[host], created_at=now, updated_at=now, **place,
    )  # fmt: skip
    signups = [helper_signup(n, hosted, skills, now, place) for n in range(HELPERS)]
    askers = [paired_group(n, hosted, signups[n % HELPERS], skills, now, place)
              for n in range(PAIRINGS)]  # fmt: skip
    db.session.add_all([host, hosted, *signups, *askers])
    db.session.commit()
    typical = db.session.get(SurgerySession, typical_session(hosted.id, now))
    return Fixture(typical.id, typical.postcode, hosted.id, manage_token(askers[0]))


def helper_signup(n: int, hosted, skills, now, place) -> Signup:
    volunteer = Volunteer(name=f"Helper {n}", email=f"helper{n}@bench.invalid",
                          status=VolunteerStatus.ACTIVE, levels=[1, 2, 3], travel_km=10,
                          availability=["weekday-evenings"], skills=skills[n % 3 :: 3],
                          created_at=now, confirmed_at=now, **place)  # fmt: skip
    return Signup(surgery_session=hosted, volunteer=volunteer, load=PAIRINGS // HELPERS,
                  status=SignupStatus.ACTIVE, created_at=now)  # fmt: skip


def paired_group(n: int, hosted, signup: Signup, skills, now, place) -> Asker:
    wanted = skills[n % len(skills) :: 5][:2]
    help_request = HelpRequest(
        status=RequestStatus.MATCHED, organisation_name=f"Paired group {n}",
        organisation_kind=OrganisationKind.COMMUNITY_GROUP, level=2, goal="Get going online.",
        travel_km=10, earliest_date=now.date(), latest_date=now.date() + timedelta(days=30),
        availability=["weekday-evenings"], access_needs=[], skills=wanted,
        created_at=now, updated_at=now, confirmed_at=now, **place,
    )  # fmt: skip
    shared = sorted({s.id for s in wanted} & {s.id for s in signup.volunteer.skills})
    db.session.add_all([
        Booking(surgery_session=hosted, help_request=help_request, status=BookingStatus.BOOKED,
                joined_at=now),
        Pairing(help_request=help_request, signup=signup, surgery_session=hosted,
                state=PairingState.CONFIRMED, distance_km=1.5, shared_skills=shared,
                created_at=now),
    ])  # fmt: skip
    return Asker(name=f"Contact {n}", email=f"paired{n}@bench.invalid", created_at=now,
                 confirmed_at=now, requests=[help_request])  # fmt: skip


def typical_session(hosted_id: int, now: datetime) -> int:
    """A published, coming session with the commonest number of sign-ups (the host's aside)."""
    return db.session.execute(
        text("""
            WITH counted AS (
                SELECT s.id, count(u.id) AS helpers FROM surgery_sessions s
                LEFT JOIN signups u ON u.session_id = s.id AND u.status = 'active'
                WHERE s.status = 'published' AND s.starts_at > :now AND s.id <> :hosted
                GROUP BY s.id
            ), commonest AS (
                SELECT helpers FROM counted GROUP BY helpers
                ORDER BY count(*) DESC, helpers DESC LIMIT 1
            )
            SELECT min(id) FROM counted WHERE helpers = (SELECT helpers FROM commonest)
        """),
        {"now": now, "hosted": hosted_id},
    ).scalar_one()
