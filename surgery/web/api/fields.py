"""What the API says about each thing: the facts its public page shows, and nothing personal."""

from surgery.geo.areas import Town, town_of
from surgery.models import Skill, SurgerySession
from surgery.notify.links import link
from surgery.services.signups import skills_on_offer


def public_fields(
    surgery_session: SurgerySession,
    distance_km: float | None = None,
    skills: list[str] | None = None,
) -> dict:
    """A session as its public page shows it: no host, volunteer or group, no full postcode.
    A list gives the skills on offer read for many sessions at once (skills_on_offer_at)."""
    fields = {
        "id": surgery_session.id,
        "title": surgery_session.title,
        "status": surgery_session.status.value,
        "starts_at": surgery_session.starts_at.isoformat(),
        "ends_at": surgery_session.ends_at.isoformat(),
        "venue": surgery_session.venue_name,
        "district": surgery_session.district,
        "town": town_fields(town_of(surgery_session.district)),
        "tables": surgery_session.seats,
        "tables_free": surgery_session.seats_left,
        "access": surgery_session.access,
        "skills": skills_on_offer(surgery_session) if skills is None else skills,
        "url": link("session", session_id=surgery_session.id),
        "calendar": link("session-calendar", session_id=surgery_session.id),
        "updated_at": surgery_session.updated_at.isoformat(),
    }
    if distance_km is not None:
        fields["distance_km"] = round(distance_km, 1)
    return fields


def town_fields(town: Town | None) -> dict | None:
    return {"slug": town.slug, "name": town.name} if town else None


def town_listing(town: Town, upcoming: int) -> dict:
    """A town, how many sessions it has coming, and where to find them."""
    return {
        **town_fields(town),
        "upcoming_sessions": upcoming,
        "sessions": link("api-sessions", town=town.slug),
        "calendar": link("town-feed", slug=town.slug),
    }


def skill_fields(skill: Skill) -> dict:
    return {"slug": skill.slug, "name": skill.name}
