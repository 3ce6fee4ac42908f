"""Who may reach what: every route in the URL map against a table of what each visitor gets.

Each route is visited with the ids of host A's session (its pairing, its booked group) and with the
visitor's own private link where the route takes one; anyone without a link of that kind sends a
made-up one. A route added without a row here fails, saying which row to add.

Requests are made as by the route walk (tests/web/test_route_walk.py): CSRF and rate limits off,
so that a POST shows who may make it rather than that it lacked a form token; an empty body. The
world is put back before each route, and after each POST that was not refused, so that what one
visitor did (a group erasing itself, a host cancelling) cannot change what the next one gets.
"""

import pytest

from surgery.extensions import db
from surgery.models import Account, Booking, HelpRequest, Notification, Pairing, Volunteer
from surgery.models import SurgerySession as Session
from surgery.services.tokens import confirmation_token, manage_token, unsubscribe_token
from tests.web import test_route_walk as route_walk
from tests.web.test_route_walk import ARGUMENT, ROLES, RULES, restore, signed_in_client

# The walk's app and world, shared.
walk_world = route_walk.walk_world

SIGN_IN = "sign in"  # a redirect to the host sign-in page
HOME = "home"  # a redirect to some other page of ours
MADE_UP_LINK = "a1-madeup"
REFUSALS = {400, 403, 404, 405, SIGN_IN}

# What signed out, group, volunteer, host A, host B and the admin each get, in that order.
OPEN = (200,) * 6
NOT_FOUND = (404,) * 6  # a link none of them holds (set a password, sign in by email, …)
TO_ANOTHER_PAGE = (HOME,) * 6  # a journey's check page with nothing answered, and the like
HOSTS = (SIGN_IN, SIGN_IN, SIGN_IN, 200, 200, 200)
# Host A's session: another host is told it does not exist; the admin sees the whole network.
HOST_A_PAGE = (SIGN_IN, SIGN_IN, SIGN_IN, 200, 404, 200)
HOST_A_ACTION = (SIGN_IN, SIGN_IN, SIGN_IN, HOME, 404, HOME)
# The admin's pages do not exist for hosts.
ADMIN_PAGE = (SIGN_IN, SIGN_IN, SIGN_IN, 404, 404, 200)
ADMIN_ACTION = (SIGN_IN, SIGN_IN, SIGN_IN, 404, 404, HOME)
# A private link works for its holder only: another kind of link, or a made-up one, finds nothing.
GROUP_PAGE = (404, 200, 404, 404, 404, 404)
GROUP_ACTION = (404, HOME, 404, 404, 404, 404)
VOLUNTEER_PAGE = (404, 404, 200, 404, 404, 404)
VOLUNTEER_ACTION = (404, 404, HOME, 404, 404, 404)

ACCESS: dict[str, tuple] = {
    # An empty body: the form asks again (400 where the page is only ever posted to).
    "GET /": OPEN,
    "GET /about": OPEN,
    "GET /accessibility": OPEN,
    "GET /admin/": ADMIN_PAGE,
    "GET /impact": OPEN,
    "POST /admin/applications/<int:account_id>/<any(approve, decline):decision>": ADMIN_ACTION,
    "GET /admin/failed-emails": ADMIN_PAGE,
    "POST /admin/failed-emails/<int:notification_id>/retry": ADMIN_ACTION,
    "GET /admin/personal-data": ADMIN_PAGE,
    "POST /admin/personal-data": (SIGN_IN, SIGN_IN, SIGN_IN, 404, 404, 400),
    "POST /admin/personal-data/download": (SIGN_IN, SIGN_IN, SIGN_IN, 404, 404, 400),
    "POST /admin/personal-data/erase": (SIGN_IN, SIGN_IN, SIGN_IN, 404, 404, 400),
    "POST /admin/safeguarding": (SIGN_IN, SIGN_IN, SIGN_IN, 404, 404, 400),
    "POST /admin/safeguarding/<int:volunteer_id>/remove": ADMIN_ACTION,
    "GET /api/v1/impact": OPEN,
    "GET /api/v1/openapi.json": OPEN,
    "GET /api/v1/sessions": OPEN,
    "GET /api/v1/sessions/<int:session_id>": OPEN,
    "GET /api/v1/skills": OPEN,
    "GET /api/v1/towns": OPEN,
    "GET /ask": OPEN,
    "GET /ask/<slug>": OPEN,
    "POST /ask/<slug>": OPEN,
    "GET /ask/check": TO_ANOTHER_PAGE,
    "POST /ask/check": TO_ANOTHER_PAGE,
    "GET /ask/sent": OPEN,
    "GET /change-email/<token>": NOT_FOUND,
    "POST /change-email/<token>": NOT_FOUND,
    "GET /confirm/<token>": (404, 200, 200, 404, 404, 404),
    "POST /confirm/<token>": (404, 200, 200, 404, 404, 404),
    "GET /contact": OPEN,
    "GET /embed": OPEN,
    "GET /embed/sessions": (400,) * 6,  # no place: the list says what to add to its address
    "GET /dev/mail": OPEN,
    "GET /dev/mail/<int:notification_id>": OPEN,
    "GET /dev/mail/<int:notification_id>/html": OPEN,
    "GET /healthz": OPEN,
    "GET /host/": HOSTS,
    "GET /host/apply": OPEN,
    "POST /host/apply": OPEN,
    "GET /host/reports": HOSTS,
    "GET /host/reports/<any(sessions, towns):table>.csv": HOSTS,
    "GET /host/sessions/<int:session_id>": HOST_A_PAGE,
    "POST /host/sessions/<int:session_id>/bookings/<int:booking_id>/outcome": HOST_A_ACTION,
    "GET /host/sessions/<int:session_id>/cancel": HOST_A_PAGE,
    "POST /host/sessions/<int:session_id>/cancel": HOST_A_PAGE,
    "POST /host/sessions/<int:session_id>/co-hosts": HOST_A_ACTION,
    "GET /host/sessions/<int:session_id>/complete": HOST_A_ACTION,
    "POST /host/sessions/<int:session_id>/complete": HOST_A_ACTION,
    "GET /host/sessions/<int:session_id>/edit": HOST_A_PAGE,
    "POST /host/sessions/<int:session_id>/edit": HOST_A_PAGE,
    "POST /host/sessions/<int:session_id>/match": HOST_A_ACTION,
    "GET /host/sessions/<int:session_id>/pairings/<int:pairing_id>/drop": HOST_A_PAGE,
    "POST /host/sessions/<int:session_id>/pairings/<int:pairing_id>/drop": HOST_A_ACTION,
    "POST /host/sessions/<int:session_id>/pairings/<int:pairing_id>/lock": HOST_A_ACTION,
    "POST /host/sessions/<int:session_id>/pairings/<int:pairing_id>/swap": HOST_A_ACTION,
    "POST /host/sessions/<int:session_id>/pairings/confirm-all": HOST_A_ACTION,
    "POST /host/sessions/<int:session_id>/publish": HOST_A_ACTION,
    "POST /host/sessions/<int:session_id>/walk-ins": (SIGN_IN, SIGN_IN, SIGN_IN, 404, 404, 404),
    "GET /host/sessions/new": HOSTS,
    "POST /host/sessions/new": HOSTS,
    "GET /host/set-password/<token>": NOT_FOUND,
    "POST /host/set-password/<token>": NOT_FOUND,
    "GET /host/sign-in": OPEN,
    "POST /host/sign-in": OPEN,
    "GET /host/sign-in/<token>": NOT_FOUND,
    "POST /host/sign-in/<token>": NOT_FOUND,
    "POST /host/sign-out": (SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN),
    "GET /host/where-next": HOSTS,
    # An empty body names no district with groups waiting: back to the page, nothing sent.
    "POST /host/where-next/invite": (SIGN_IN, SIGN_IN, SIGN_IN, HOME, HOME, HOME),
    "GET /lost-link": OPEN,
    "POST /lost-link": OPEN,
    "GET /manage/<token>": GROUP_PAGE,
    "GET /manage/<token>/bookings/<int:booking_id>/cancel": GROUP_PAGE,
    "POST /manage/<token>/bookings/<int:booking_id>/cancel": GROUP_ACTION,
    "GET /manage/<token>/bookings/<int:booking_id>/still-coming": GROUP_PAGE,
    "POST /manage/<token>/bookings/<int:booking_id>/still-coming": (404, 400, 404, 404, 404, 404),
    "GET /manage/<token>/contact": GROUP_PAGE,
    "POST /manage/<token>/contact": GROUP_PAGE,
    "GET /manage/<token>/data.json": GROUP_PAGE,
    "GET /manage/<token>/delete": GROUP_PAGE,
    "POST /manage/<token>/delete": GROUP_PAGE,
    "GET /manage/<token>/email": GROUP_PAGE,
    "POST /manage/<token>/email": GROUP_PAGE,
    "GET /manage/<token>/new-link": GROUP_PAGE,
    "POST /manage/<token>/new-link": GROUP_PAGE,
    "POST /manage/<token>/requests/<int:request_id>/book/<int:session_id>": GROUP_ACTION,
    "GET /manage/<token>/requests/<int:request_id>/edit": GROUP_PAGE,
    "POST /manage/<token>/requests/<int:request_id>/edit": GROUP_PAGE,
    "GET /manage/<token>/requests/<int:request_id>/follow-up/<any(week, quarter):kind>": NOT_FOUND,
    "POST /manage/<token>/requests/<int:request_id>/follow-up/<any(week, quarter):kind>": NOT_FOUND,
    "GET /manage/<token>/requests/<int:request_id>/sessions": GROUP_PAGE,
    "GET /manage/<token>/requests/<int:request_id>/withdraw": GROUP_PAGE,
    "POST /manage/<token>/requests/<int:request_id>/withdraw": GROUP_ACTION,
    "GET /manage/lost-link": TO_ANOTHER_PAGE,
    "GET /privacy": OPEN,
    "GET /sessions": OPEN,
    "GET /sessions.ics": OPEN,
    "GET /sessions/<int:session_id>": OPEN,
    "GET /sessions/<int:session_id>.ics": OPEN,
    "POST /sessions/<int:session_id>/links": (400, 400, 400, 400, 400, 400),
    "GET /towns": OPEN,
    "GET /towns/<slug>": NOT_FOUND,  # the walk's slug names no town
    "GET /towns/<slug>/sessions.ics": NOT_FOUND,  # the walk's slug names no town
    "GET /unsubscribe/<token>": GROUP_PAGE,
    "POST /unsubscribe/<token>": GROUP_PAGE,
    "GET /volunteer/lost-link": OPEN,
    "POST /volunteer/lost-link": OPEN,
    "GET /volunteer/manage/<token>": VOLUNTEER_PAGE,
    "GET /volunteer/manage/<token>/certificate": VOLUNTEER_PAGE,
    "GET /volunteer/manage/<token>/data.json": VOLUNTEER_PAGE,
    "GET /volunteer/manage/<token>/delete": VOLUNTEER_PAGE,
    "POST /volunteer/manage/<token>/delete": VOLUNTEER_PAGE,
    "GET /volunteer/manage/<token>/edit": VOLUNTEER_PAGE,
    "POST /volunteer/manage/<token>/edit": VOLUNTEER_PAGE,
    "GET /volunteer/manage/<token>/email": VOLUNTEER_PAGE,
    "POST /volunteer/manage/<token>/email": VOLUNTEER_PAGE,
    "GET /volunteer/manage/<token>/new-link": VOLUNTEER_PAGE,
    "POST /volunteer/manage/<token>/new-link": VOLUNTEER_PAGE,
    "GET /volunteer/manage/<token>/pause": VOLUNTEER_PAGE,
    "POST /volunteer/manage/<token>/pause": VOLUNTEER_ACTION,
    "POST /volunteer/manage/<token>/resume": VOLUNTEER_ACTION,
    "GET /volunteer/manage/<token>/sessions": VOLUNTEER_PAGE,
    "POST /volunteer/manage/<token>/sessions/<int:session_id>/sign-up": VOLUNTEER_ACTION,
    "GET /volunteer/manage/<token>/sessions/<int:session_id>/withdraw": VOLUNTEER_PAGE,
    "POST /volunteer/manage/<token>/sessions/<int:session_id>/withdraw": VOLUNTEER_ACTION,
    "GET /volunteer/offer": OPEN,
    "GET /volunteer/offer/<slug>": OPEN,
    "POST /volunteer/offer/<slug>": OPEN,
    "GET /volunteer/offer/check": TO_ANOTHER_PAGE,
    "POST /volunteer/offer/check": TO_ANOTHER_PAGE,
    "GET /volunteer/offer/sent": OPEN,
}


def answer(response) -> int | str:
    """A response as the table writes it: its status, or where a redirect goes."""
    if response.status_code in (301, 302, 303):
        location = response.headers["Location"]
        return SIGN_IN if "/host/sign-in" in location else HOME
    return response.status_code


def address_for(links: dict, ids: dict, role: str, rule) -> str:
    """The rule's address with host A's ids, and the visitor's own link of the kind it takes."""
    values = ids | {"token": link_for(links.get(role, {}), rule.rule)}
    return ARGUMENT.sub(lambda m: str(values[m["name"]]), rule.rule)


def link_for(links: dict, rule: str) -> str:
    for start, kind in (
        ("/confirm/", "confirm"),
        ("/unsubscribe/", "unsubscribe"),
        ("/manage/", "manage"),
        ("/volunteer/manage/", "manage"),
    ):
        if rule.startswith(start):
            return links.get(kind, MADE_UP_LINK)
    return MADE_UP_LINK


def host_a_ids() -> dict:
    """Ids in host A's session: the booked group's, its pairing's, the volunteer's."""
    session = db.session.scalar(db.select(Session).order_by(Session.id))
    return {
        "session_id": session.id,
        "pairing_id": db.session.scalar(db.select(Pairing.id)),
        "booking_id": db.session.scalar(db.select(Booking.id)),
        "request_id": db.session.scalar(db.select(HelpRequest.id)),
        "volunteer_id": db.session.scalar(db.select(Volunteer.id)),
        "notification_id": db.session.scalar(db.select(Notification.id)),
        "account_id": db.session.scalar(
            db.select(Account.id).where(Account.email == "ivy@example.org")
        ),
        "kind": "week",
        "decision": "approve",
        "slug": "contact",
        "table": "sessions",
    }


def private_links() -> dict:
    asker = db.session.scalar(db.select(HelpRequest)).asker
    volunteer = db.session.scalar(db.select(Volunteer))
    request_id = db.session.scalar(db.select(HelpRequest.id))
    return {
        "group": {
            "manage": manage_token(asker),
            "confirm": confirmation_token("request", request_id),
            "unsubscribe": unsubscribe_token(asker),
        },
        "volunteer": {
            "manage": manage_token(volunteer),
            "confirm": confirmation_token("volunteer", volunteer.id),
        },
    }


def routes() -> list[tuple[str, object]]:
    return [
        (f"{method} {rule.rule}", rule)
        for rule in RULES
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


@pytest.mark.parametrize("route, rule", routes(), ids=[name for name, _ in routes()])
def test_each_visitor_gets_what_the_access_table_says(walk_world, route, rule):
    app, world, rows = walk_world
    method = route.split(" ", 1)[0]
    answers = []
    with app.app_context():
        restore(rows)
        links, ids = private_links(), host_a_ids()
        for role in ROLES:
            client = signed_in_client(app, world, role)
            response = client.open(address_for(links, ids, role, rule), method=method)
            answers.append(answer(response))
            if method != "GET" and answers[-1] not in REFUSALS:
                restore(rows)
    answers = tuple(answers)
    assert route in ACCESS, (
        f"No row for {route!r} in ACCESS (tests/web/test_access_table.py). Add one saying what "
        f"{', '.join(ROLES)} should each get; today they get {answers!r}."
    )
    assert answers == ACCESS[route], f"{route}: {dict(zip(ROLES, answers, strict=True))}"


def test_the_table_has_no_row_for_a_route_that_is_gone():
    gone = ACCESS.keys() - {name for name, _ in routes()}
    assert not gone, f"Remove these rows from ACCESS: their routes no longer exist: {sorted(gone)}"
