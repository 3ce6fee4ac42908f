"""Upcoming sessions town by town, for someone who would rather look around than type a postcode."""

from flask import abort, render_template, request

from surgery.clock import utcnow
from surgery.geo.areas import town_by_slug
from surgery.services import towns
from surgery.services.finding import PAGE_SIZE
from surgery.services.signups import skills_on_offer_at
from surgery.web.caching import public_page
from surgery.web.public import blueprint

# Far past any real list; keeps a made-up page number from overflowing the query's offset.
MOST_PAGES = 10_000


@blueprint.get("/towns")
def town_list():
    counts = towns.upcoming_by_town(utcnow())
    coming = [(town, count) for town, count in sorted(counts.items()) if count]
    return public_page(render_template("public/towns.html", towns=coming))


@blueprint.get("/towns/<slug>")
def town_sessions(slug: str):
    town = town_by_slug(slug) or abort(404)
    now = utcnow()
    page = min(max(request.args.get("page", 1, type=int), 1), MOST_PAGES)
    shown, total = towns.upcoming_page(now, town, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:
        # A page that has emptied since it was linked to: show the last one there is.
        page = pages
        shown, total = towns.upcoming_page(now, town, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    skills = skills_on_offer_at(s.id for s in shown)
    return public_page(
        render_template(
            "public/town.html",
            town=town,
            sessions=shown,
            total=total,
            page=page,
            pages=pages,
            skills=skills,
        )
    )
