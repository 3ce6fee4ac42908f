"""What other sites and apps take from us: calendar feeds of the sessions to come, for everywhere
and for each town, and a short list of the next sessions near a place for partners to frame."""

import hashlib
from dataclasses import dataclass

from flask import Response, abort, render_template, request

from surgery.clock import utcnow
from surgery.geo.areas import Town, town_by_slug, town_of
from surgery.models import SurgerySession
from surgery.notify import calendar
from surgery.notify.links import link, webcal_link
from surgery.services import feeds
from surgery.services.answers import place_for
from surgery.services.errors import InvalidAnswers
from surgery.services.finding import WITHIN_CHOICES
from surgery.web.caching import still_fresh
from surgery.web.headers import embeddable
from surgery.web.public import blueprint

FEED_NAME = "Social media surgeries"
EMBED_WITHIN_KM = "10"


@dataclass(frozen=True)
class FeedLinks:
    """A feed's two addresses: one a calendar app subscribes to, one that downloads it once."""

    subscribe: str
    download: str


@blueprint.app_template_global()
def calendar_feed(town: Town | None = None) -> FeedLinks:
    """The addresses of the feed of every session, or of one town's."""
    if town is None:
        return FeedLinks(webcal_link("sessions-feed"), link("sessions-feed"))
    return FeedLinks(webcal_link("town-feed", slug=town.slug), link("town-feed", slug=town.slug))


@blueprint.app_template_global()
def town_of_postcode(postcode: str | None) -> Town | None:
    return town_of(postcode) if postcode else None


@blueprint.get("/sessions.ics")
def sessions_feed():
    sessions = feeds.feed_sessions(utcnow())
    return feed_response(FEED_NAME, sessions, "social-media-surgeries.ics")


@blueprint.get("/towns/<slug>/sessions.ics")
def town_feed(slug: str):
    town = town_by_slug(slug) or abort(404)
    sessions = feeds.feed_sessions(utcnow(), town)
    filename = f"social-media-surgeries-{town.slug}.ics"
    return feed_response(f"{FEED_NAME} in {town.name}", sessions, filename)


def feed_response(name: str, sessions: list[SurgerySession], filename: str) -> Response:
    """Answer with the feed, or 304 Not Modified to a calendar app that has it already."""
    etag = feed_etag(name, sessions)
    last_modified = max((s.updated_at for s in sessions), default=None)
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        # Caches may keep it but must ask each time: a cancellation shows at the next fetch.
        "Cache-Control": "no-cache",
    }
    if not still_fresh(etag, last_modified):
        response = Response(calendar.sessions_feed(name, sessions), headers=headers)
    else:
        response = Response(status=304, headers=headers)
    response.mimetype = "text/calendar"
    response.set_etag(etag)
    if last_modified:
        response.last_modified = last_modified
    return response


def feed_etag(name: str, sessions: list[SurgerySession]) -> str:
    """A tag for the feed made from what the file is made of, so that the hourly "anything new?"
    of every subscribed calendar is answered without building the file (about 1 ms a session).
    Any change to a session's row moves its updated_at; a session that passes leaves the list."""
    facts = [link("sessions-feed"), name]
    facts += [f"{s.id}:{s.sequence}:{s.status.value}:{s.updated_at.isoformat()}" for s in sessions]
    return hashlib.sha256("\n".join(facts).encode()).hexdigest()[:32]


@blueprint.get("/embed/sessions")
@embeddable
def embed_sessions():
    """The next sessions near a postcode (or in a town), for a partner's page to frame."""
    postcode = request.args.get("postcode", "")[:10].strip()
    slug = request.args.get("town", "")[:10].strip()
    within_km = request.args.get("within_km", EMBED_WITHIN_KM).strip()
    if within_km not in {str(km) for km in WITHIN_CHOICES}:
        choices = ", ".join(str(km) for km in WITHIN_CHOICES)
        return embed_problem(f"The distance (within_km) must be one of {choices}.")
    if postcode:
        return embed_near(postcode, int(within_km))
    if slug:
        town = town_by_slug(slug)
        if town is None:
            return embed_problem(f"There is no town “{slug}”: use a postcode area, like wv.")
        sessions = feeds.next_sessions_in(town, utcnow())
        return render_template("public/embed.html", sessions=sessions, town=town, distances={})
    return embed_problem("Add a postcode to this list's address, like ?postcode=WV1.")


def embed_near(postcode: str, within_km: int):
    try:
        place = place_for(postcode)
    except InvalidAnswers as error:
        return embed_problem(f"The postcode “{postcode}” did not work. {error.errors['postcode']}")
    found = feeds.next_sessions_near(place, within_km, utcnow())
    return render_template(
        "public/embed.html",
        sessions=[f.surgery_session for f in found],
        distances={f.surgery_session.id: f.distance_km for f in found},
        district=place.postcode.district,
        within_km=within_km,
    )


def embed_problem(message: str):
    """Say what is wrong with the list's address, to the partner setting it up."""
    return render_template("public/embed.html", problem=message), 400


@blueprint.get("/embed")
def embed_help():
    example = link("embed-sessions", postcode="WV1", within_km=EMBED_WITHIN_KM)
    return render_template(
        "public/embed_help.html",
        example=example,
        within_choices=WITHIN_CHOICES,
        embed_length=feeds.EMBED_LENGTH,
    )
