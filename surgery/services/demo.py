"""Demo data: groups and volunteers across Great Britain, so a newcomer sees a living service."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from surgery.clock import london_date
from surgery.extensions import db
from surgery.models import Asker, HelpRequest, Volunteer
from surgery.services.answers import place_for, skills_for
from surgery.services.asking import RequestDetails, apply_details
from surgery.services.offering import OfferDetails, apply_offer
from surgery.services.skills import active_skills
from surgery.vocabulary import AccessNeed, Availability, Level, OrganisationKind

DEMO_DOMAIN = "demo.example.org"


@dataclass(frozen=True)
class DemoGroup:
    contact: str
    organisation: str
    kind: OrganisationKind
    postcode: str
    skills: tuple[str, ...]
    level: Level
    goal: str
    access: tuple[AccessNeed, ...] = ()


@dataclass(frozen=True)
class DemoVolunteer:
    name: str
    postcode: str
    skills: tuple[str, ...]
    levels: tuple[Level, ...]
    bio: str


K, L = OrganisationKind, Level
GROUPS = [
    DemoGroup("Maya Patel", "Balsall Heath Food Bank", K.CHARITY, "B13 9AE", ("Facebook",),
              L.FIRST_STEPS, "A Facebook page so more families know when we are open."),
    DemoGroup("Tariq Hussain", "Sparkbrook Youth Football", K.COMMUNITY_GROUP, "B11 1AG",
              ("WhatsApp groups", "Online safety and privacy"), L.PLANNING,
              "Run our parents' WhatsApp group safely.", (AccessNeed.STEP_FREE,)),
    DemoGroup("Grace Okoro", "Rusholme Residents Association", K.COMMUNITY_GROUP, "M14 5AE",
              ("Email newsletters",), L.EYE_OPENER, "Start a monthly email newsletter."),
    DemoGroup("Pat Nolan", "Chorlton Allotment Society", K.COMMUNITY_GROUP, "M21 9AG",
              ("Blogging and websites",), L.FIRST_STEPS, "A simple website with our waiting list."),
    DemoGroup("Aisha Begum", "Hyde Park Reading Circle", K.JUST_ME, "LS6 3AE",
              ("Video calls",), L.EYE_OPENER, "Let members who can't travel join by video.",
              (AccessNeed.HEARING_LOOP,)),
    DemoGroup("Dennis Clarke", "Beeston Men's Shed", K.CHARITY, "LS11 5AE",
              ("Online fundraising",), L.PLANNING, "Raise £2,000 online for new tools."),
    DemoGroup("Chloe Evans", "Easton Community Choir", K.COMMUNITY_GROUP, "BS5 6AE",
              ("Video", "Instagram"), L.DOING_IT, "Share short videos of our concerts."),
    DemoGroup("Imran Ali", "Bedminster Repair Café", K.SOCIAL_ENTERPRISE, "BS3 4AF",
              ("Canva and design", "Facebook"), L.FIRST_STEPS, "Posters and posts for each café."),
    DemoGroup("Helen Walsh", "Sharrow Tenants' Forum", K.COMMUNITY_GROUP, "S7 1BE",
              ("Shared documents",), L.FIRST_STEPS, "Keep minutes and rotas in shared documents."),
    DemoGroup("Joe Robson", "Byker Community Garden", K.CHARITY, "NE6 5AE",
              ("Instagram",), L.EYE_OPENER, "Show people what grows in the garden each month.",
              (AccessNeed.PARKING,)),
    DemoGroup("Sunita Sharma", "Lenton Carers' Café", K.CHARITY, "NG7 2AE",
              ("Online safety and privacy",), L.EYE_OPENER, "Help carers spot scam messages.",
              (AccessNeed.QUIET_SPACE, AccessNeed.DEVICE_TO_BORROW)),
    DemoGroup("Ben Taylor", "Highfields Library Friends", K.PUBLIC_SERVICE, "LE2 0AF",
              ("AI tools",), L.PLANNING, "Understand what AI tools could do for our volunteers."),
    DemoGroup("Siobhan Kelly", "Toxteth Over-60s Club", K.COMMUNITY_GROUP, "L8 1SY",
              ("Video calls", "WhatsApp groups"), L.EYE_OPENER,
              "Keep in touch with members in hospital.", (AccessNeed.STEP_FREE,)),
    DemoGroup("Rhys Morgan", "Cathays Litter Pickers", K.JUST_ME, "CF24 4AE",
              ("Facebook",), L.FIRST_STEPS, "Organise litter picks through a Facebook group."),
    DemoGroup("Fiona Campbell", "Shawlands Parent Network", K.COMMUNITY_GROUP, "G41 2AE",
              ("Email newsletters", "Canva and design"), L.FIRST_STEPS,
              "A newsletter that parents actually read."),
    DemoGroup("Tom Barker", "Norwich Lads' Club", K.CHARITY, "NR3 1AF",
              ("Online fundraising", "Blogging and websites"), L.DOING_IT,
              "Move our fundraising page and tell our story better."),
]

VOLUNTEERS = [
    DemoVolunteer("Sam Okafor", "B15 2AE", ("Facebook", "Blogging and websites", "Instagram"),
                  (L.EYE_OPENER, L.FIRST_STEPS), "I look after websites for two local charities."),
    DemoVolunteer("Lucy Chen", "M21 9AG", ("Email newsletters", "Canva and design"),
                  (L.FIRST_STEPS, L.PLANNING), "Designer; I love a good newsletter."),
    DemoVolunteer("Owen Jones", "LS11 5AE", ("Online fundraising", "Video calls"),
                  (L.PLANNING, L.DOING_IT), "Fundraiser for a hospice for ten years."),
    DemoVolunteer("Priya Nair", "BS3 4AF", ("Instagram", "Video", "Canva and design"),
                  (L.FIRST_STEPS, L.DOING_IT), "I make short videos for small businesses."),
    DemoVolunteer("Mark Ellis", "S11 8AH", ("Shared documents", "Online safety and privacy"),
                  tuple(Level), "Retired IT teacher. Patient with beginners."),
    DemoVolunteer("Ruth Adeyemi", "NE4 5AE", ("Instagram", "Facebook"),
                  (L.EYE_OPENER, L.FIRST_STEPS), "Social media for a theatre company."),
    DemoVolunteer("Gareth Price", "CF11 9AF", ("Facebook", "WhatsApp groups"),
                  (L.EYE_OPENER, L.FIRST_STEPS), "Community organiser; WhatsApp is my life."),
    DemoVolunteer("Morag Reid", "G12 8AF", ("Email newsletters", "AI tools"),
                  (L.PLANNING, L.DOING_IT), "Newsletter editor and curious about AI."),
    DemoVolunteer("Ade Bello", "LE3 5AJ", ("AI tools", "Online safety and privacy"),
                  (L.EYE_OPENER, L.PLANNING), "Software developer who likes explaining things."),
    DemoVolunteer("Kath Doyle", "L15 0DW", ("Video calls", "WhatsApp groups"),
                  (L.EYE_OPENER,), "I teach my mum's friends video calling every week."),
    DemoVolunteer("James Holt", "NR2 4AF", ("Blogging and websites", "Online fundraising"),
                  (L.FIRST_STEPS, L.PLANNING, L.DOING_IT), "Web developer at a local charity."),
]


def load_demo(now: datetime) -> bool:
    """Add the demo groups and volunteers, once; return False if they were already there."""
    if db.session.scalar(db.select(Volunteer.id).where(Volunteer.email.endswith(DEMO_DOMAIN))):
        return False
    skill_ids = {skill.name: skill.id for skill in active_skills()}
    for group in GROUPS:
        add_group(group, skill_ids, now)
    for volunteer in VOLUNTEERS:
        add_volunteer(volunteer, skill_ids, now)
    db.session.commit()
    return True


def demo_email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{DEMO_DOMAIN}"


def add_group(group: DemoGroup, skill_ids: dict[str, int], now: datetime) -> None:
    today = london_date(now)
    details = RequestDetails(
        organisation_name=group.organisation,
        organisation_kind=group.kind,
        postcode=group.postcode,
        skill_ids=tuple(skill_ids[name] for name in group.skills),
        level=group.level,
        goal=group.goal,
        travel_km=10,
        earliest_date=today + timedelta(days=2),
        latest_date=today + timedelta(days=75),
        availability=(Availability.WEEKDAYS, Availability.WEEKENDS),
        access_needs=group.access,
        consent_follow_up=True,
    )
    asker = Asker(name=group.contact, email=demo_email(group.contact), created_at=now)
    help_request = HelpRequest(created_at=now)
    apply_details(help_request, details, now)
    asker.requests.append(help_request)
    asker.confirmed_at = now
    help_request.confirm(now)
    db.session.add(asker)


def add_volunteer(demo: DemoVolunteer, skill_ids: dict[str, int], now: datetime) -> None:
    details = OfferDetails(
        postcode=demo.postcode,
        skill_ids=tuple(skill_ids[name] for name in demo.skills),
        levels=demo.levels,
        travel_km=15,
        availability=(Availability.WEEKDAY_EVENINGS, Availability.WEEKENDS),
        bio=demo.bio,
    )
    volunteer = Volunteer(name=demo.name, email=demo_email(demo.name), created_at=now)
    apply_offer(volunteer, details, place_for(demo.postcode), skills_for(details.skill_ids))
    volunteer.confirm(now)
    db.session.add(volunteer)
