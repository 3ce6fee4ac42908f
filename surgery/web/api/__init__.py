"""A small public JSON API: the same facts as the public pages, nothing more."""

from flask import Blueprint, request

from surgery.clock import utcnow
from surgery.notify.links import link
from surgery.services import finding
from surgery.services.answers import place_for
from surgery.services.errors import InvalidAnswers
from surgery.services.signups import skills_on_offer

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


@blueprint.get("/sessions")
def sessions():
    postcode = request.args.get("postcode", "")[:10]
    within_km = request.args.get("within_km", 10, type=int)
    if within_km not in finding.WITHIN_CHOICES:
        return {"error": f"within_km must be one of {list(finding.WITHIN_CHOICES)}"}, 400
    try:
        place = place_for(postcode)
    except InvalidAnswers as error:
        return {"error": error.errors["postcode"]}, 400
    page = finding.find_sessions(place, within_km, utcnow(), request.args.get("page", 1, type=int))
    return {
        "page": page.page,
        "pages": page.pages,
        "total": page.total,
        "sessions": [public_fields(found) for found in page.results],
    }


def public_fields(found: finding.Found) -> dict:
    surgery_session = found.surgery_session
    return {
        "id": surgery_session.id,
        "title": surgery_session.title,
        "starts_at": surgery_session.starts_at.isoformat(),
        "ends_at": surgery_session.ends_at.isoformat(),
        "venue": surgery_session.venue_name,
        "district": surgery_session.district,
        "distance_km": round(found.distance_km, 1),
        "tables": surgery_session.seats,
        "tables_free": surgery_session.seats_left,
        "access": surgery_session.access,
        "skills": skills_on_offer(surgery_session),
        "url": link("session", session_id=surgery_session.id),
        "calendar": link("session-calendar", session_id=surgery_session.id),
    }
