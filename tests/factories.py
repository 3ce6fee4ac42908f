"""Build valid intake answers for service tests; each test changes only what it is about."""

from dataclasses import replace
from datetime import date, time, timedelta

from surgery.clock import london_date
from surgery.extensions import db
from surgery.models import Account, Signup, Skill, SurgerySession, Volunteer
from surgery.services import accounts, reviewing, sessions, signups
from surgery.services.answers import ContactAnswers
from surgery.services.asking import RequestDetails, confirm_help_request, submit_help_request
from surgery.services.matching import run_matching
from surgery.services.offering import OfferDetails, confirm_volunteer, submit_volunteer_offer
from surgery.services.sessions import SessionDetails
from surgery.vocabulary import AccessNeed, Availability, Level, OrganisationKind
from tests.instants import NOW

TODAY = london_date(NOW)


def skill_ids(*names: str) -> tuple[int, ...]:
    query = db.select(Skill.id).where(Skill.name.in_(names)).order_by(Skill.position)
    return tuple(db.session.scalars(query))


def contact(**changes) -> ContactAnswers:
    return replace(ContactAnswers("Maya Patel", "maya@example.org", ""), **changes)


def request_details(**changes) -> RequestDetails:
    details = RequestDetails(
        organisation_name="Ladywood Food Bank",
        organisation_kind=OrganisationKind.CHARITY,
        postcode="B16 8AB",
        skill_ids=skill_ids("Facebook", "Email newsletters"),
        level=Level.FIRST_STEPS,
        goal="Start a Facebook page so more families hear about us.",
        travel_km=5,
        earliest_date=TODAY + timedelta(days=3),
        latest_date=TODAY + timedelta(days=60),
        availability=(Availability.WEEKDAYS,),
        access_needs=(AccessNeed.STEP_FREE,),
        consent_follow_up=True,
    )
    return replace(details, **changes)


def offer_details(**changes) -> OfferDetails:
    details = OfferDetails(
        postcode="B15 2TT",
        skill_ids=skill_ids("Facebook", "Blogging and websites"),
        levels=(Level.EYE_OPENER, Level.FIRST_STEPS),
        travel_km=10,
        availability=(Availability.WEEKDAY_EVENINGS,),
        bio="I run websites for two local charities.",
    )
    return replace(details, **changes)


PASSWORD = "correct horse battery staple"


def apply_to_host(email="hana@example.org") -> Account:
    accounts.apply_to_host("Hana Ito", email, "Moseley", "I run the community hall.", NOW)
    return db.session.scalar(db.select(Account).where(Account.email == email))


def approved_host(email="hana@example.org") -> Account:
    admin = admin_account()
    host = apply_to_host(email)
    accounts.decide_application(admin, host, True, NOW)
    token = accounts.password_url(host).rsplit("/", 1)[1]
    accounts.set_password(accounts.account_for_password_token(token), PASSWORD, NOW)
    return host


def admin_account() -> Account:
    accounts.create_admin("root@example.org", "Ada Admin", NOW)
    return db.session.scalar(db.select(Account).where(Account.email == "root@example.org"))


def weekday_from(day: date) -> date:
    """Return the day itself if it is Monday to Friday, else the Monday after."""
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def session_details(**changes) -> SessionDetails:
    details = SessionDetails(
        title="Moseley social media surgery",
        venue_name="Moseley Exchange",
        venue_address="149-153 Alcester Road, Birmingham",
        postcode="B13 8JP",
        day=weekday_from(TODAY + timedelta(days=14)),
        starts=time(18, 0),
        ends=time(20, 0),
        seats=6,
    )
    return replace(details, **changes)


def published_session(host, when=NOW, **changes) -> SurgerySession:
    """A session the host has created and published."""
    created = sessions.create_session(host, session_details(**changes), when)
    sessions.move_session(host, created, "publish", when)
    return created


def volunteer_signed_up(
    surgery_session, name="Sam Okafor", load=2, when=NOW, **offer_changes
) -> Signup:
    """A confirmed volunteer, emailed at their first name, signed up to help `load` groups."""
    email = f"{name.split()[0].lower()}@example.org"
    submit_volunteer_offer(contact(name=name, email=email), offer_details(**offer_changes), when)
    offered = db.session.scalar(db.select(Volunteer).where(Volunteer.email == email))
    return signups.sign_up(confirm_volunteer(offered, when), surgery_session, load, when)


def confirmed_request(email: str, when=NOW, **changes):
    """A confirmed request near Moseley for weekday evenings (the sessions' default slot)."""
    evenings = {"postcode": "B13 9AE", "availability": (Availability.WEEKDAY_EVENINGS,)}
    details = request_details(**(evenings | changes))
    help_request = submit_help_request(contact(email=email), details, when)
    confirm_help_request(help_request, when)
    return help_request


def agreed_pairing_for(host, surgery_session, email="maya@example.org"):
    """A request the matcher pairs at the session and the host confirms."""
    help_request = confirmed_request(email)
    run_matching(NOW, "test")
    reviewing.confirm_all(host, surgery_session, NOW)
    return help_request
