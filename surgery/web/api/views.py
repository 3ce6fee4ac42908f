"""The API's operations; what each takes and answers is described in surgery.web.api.spec."""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime

from flask import request

from surgery.clock import london_date, utcnow
from surgery.geo.areas import Town, town_by_slug
from surgery.notify.links import link
from surgery.services import finding, impact, towns
from surgery.services.answers import place_for
from surgery.services.errors import InvalidAnswers
from surgery.services.periods import Period
from surgery.services.signups import skills_on_offer_at
from surgery.services.skills import active_skills
from surgery.web.api import blueprint
from surgery.web.api.answers import answer, encoded, problem, sent
from surgery.web.api.arguments import BadArgument, arguments
from surgery.web.api.fields import public_fields, skill_fields, town_listing
from surgery.web.api.spec import document

# The days the impact figures may be asked about: before the service began, after any use.
FIRST_YEAR, LAST_YEAR = 2000, 2099


@blueprint.errorhandler(BadArgument)
def bad_argument(error: BadArgument):
    return problem(400, str(error))


@dataclass(frozen=True)
class Window:
    """Which page of how many, and so which slice of the results."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@blueprint.get("/sessions")
def sessions():
    asked = arguments("api.sessions")
    town = chosen_town(asked["town"])
    now = utcnow()
    if asked["postcode"] is None:
        return answer(*sessions_listed(asked, town, now))
    # The same answer for everyone: kept, it is sent as it was encoded, without the database.
    key = ("api", request.query_string)
    return sent(finding.kept_search(key, now, lambda: sessions_near(asked, town, now)))


def sessions_near(asked: dict, town: Town | None, now: datetime):
    """The answer for a search near a postcode, encoded, and the sessions found (whose first to
    start leaves the answer)."""
    try:
        place = place_for(asked["postcode"])
    except InvalidAnswers as error:
        raise BadArgument(error.errors["postcode"]) from None
    found = finding.find_sessions(
        place, asked["within_km"], now, asked["page"], asked["per_page"], town
    )
    window = Window(asked["page"], asked["per_page"], found.total)
    listed = [public_fields(f.surgery_session, f.distance_km, f.skills) for f in found.results]
    ids = [f.surgery_session.id for f in found.results]
    changed = towns.sessions_last_changed(now, town, ids)
    return encoded(*page_answer(asked, window, listed, changed)), found


def sessions_listed(asked: dict, town: Town | None, now: datetime):
    """The answer for upcoming sessions, soonest first, in a town if one is named."""
    if request.args.get("within_km") is not None:
        raise BadArgument("within_km needs a postcode to measure from.")
    offset = (asked["page"] - 1) * asked["per_page"]
    page, total = towns.upcoming_page(now, town, offset, asked["per_page"])
    window = Window(asked["page"], asked["per_page"], total)
    ids = [surgery_session.id for surgery_session in page]
    skills = skills_on_offer_at(ids)
    listed = [public_fields(s, skills=skills[s.id]) for s in page]
    return page_answer(asked, window, listed, towns.sessions_last_changed(now, town, ids))


def page_answer(asked: dict, window: Window, listed: list[dict], changed: datetime | None):
    """A page of sessions as answer() takes it: the body, when it last changed, its links."""
    links = page_links(asked, window)
    body = {
        "page": window.page,
        "per_page": window.per_page,
        "pages": window.pages,
        "total": window.total,
        "next": links["next"],
        "prev": links["prev"],
        "sessions": listed,
    }
    return body, changed, links


def chosen_town(slug: str | None) -> Town | None:
    if slug is None:
        return None
    town = town_by_slug(slug)
    if town is None:
        raise BadArgument(f"town: {slug!r} is not a UK postcode area.")
    return town


def page_links(asked: dict, window: Window) -> dict[str, str | None]:
    """The addresses of the first, previous, next and last pages, with the same filters."""
    filters = {name: value for name, value in asked.items() if value is not None}
    if asked["postcode"] is None:
        filters.pop("within_km")

    def page(number: int) -> str:
        return link("api-sessions", **(filters | {"page": number}))

    return {
        "first": page(1),
        "prev": page(min(window.page - 1, window.pages)) if window.page > 1 else None,
        "next": page(window.page + 1) if window.page < window.pages else None,
        "last": page(window.pages),
    }


@blueprint.get("/sessions/<int:session_id>", endpoint="session")
def one_session(session_id: int):
    surgery_session = finding.public_session(session_id)
    if surgery_session is None:
        return problem(404, "No public session has this id.")
    signups_changed = towns.last_signup_change([session_id])
    changed = max(surgery_session.updated_at, signups_changed or surgery_session.updated_at)
    return answer(public_fields(surgery_session), changed)


@blueprint.get("/towns", endpoint="towns")
def town_list():
    now = utcnow()
    counts = towns.upcoming_by_town(now)
    body = {"towns": [town_listing(town, count) for town, count in sorted(counts.items())]}
    return answer(body, towns.sessions_last_changed(now))


@blueprint.get("/skills")
def skills():
    # Skills record when they were made, not when renamed: the ETag alone validates this list.
    return answer({"skills": [skill_fields(skill) for skill in active_skills()]})


@blueprint.get("/impact")
def impact_figures():
    asked = arguments("api.impact")
    if asked["period"] and (asked["from"] or asked["to"]):
        raise BadArgument("Give period, or from and to: not both.")
    if asked["period"]:
        period = impact.period_named(asked["period"], london_date(utcnow()))
    else:
        period = months_asked(asked["from"], asked["to"])
    figures = impact.measure(chosen_town(asked["town"]), period).as_public_json()
    # Stories are groups' own words: the page shows those they agreed to share; open data keeps
    # to the counts.
    figures.pop("stories", None)
    # Follow-up answers and bookings record no change time: the ETag alone validates these.
    return answer(figures)


def months_asked(first_day: date | None, last_day: date | None) -> Period:
    """The whole months from `from` to `to`: two periods a day apart would give one day's
    figures, a single session's. Raise BadArgument for anything else."""
    for day in (first_day, last_day):
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise BadArgument(f"Choose days from {FIRST_YEAR} to {LAST_YEAR}.")
    if first_day and first_day.day != 1:
        raise BadArgument("from must be the first day of a month.")
    if last_day and last_day.day != monthrange(last_day.year, last_day.month)[1]:
        raise BadArgument("to must be the last day of a month.")
    if first_day and last_day and last_day < first_day:
        raise BadArgument("to must be on or after from.")
    return Period(first_day, last_day)


@blueprint.get("/openapi.json")
def openapi():
    return answer(document())
