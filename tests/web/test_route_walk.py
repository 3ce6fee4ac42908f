"""Every route in the URL map, walked with generated addresses, query strings and form bodies, as
each kind of visitor: whatever is sent, the answer is never a server error.

The walk's app has CSRF switched off (WTF_CSRF_ENABLED=False), so that generated bodies reach the
views and their forms instead of stopping at the form-token check; the token check itself is
tested by the pages' own tests (and a POST without a token is refused before any view runs).
Rate limits are off too (RATELIMIT_ENABLED=False): thousands of requests from one address would
otherwise be answered 429 and reach nothing; a 429 is accepted all the same. The development mail
page is on, so that its routes are walked as well.
"""

import os
import re
import string
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surgery import clock, create_app
from surgery.database import LARGEST_ID
from surgery.extensions import db
from surgery.models import Account, Booking, Notification, Signup
from surgery.services import accounts, sessions
from surgery.services.tokens import confirmation_token, manage_token, unsubscribe_token
from surgery.vocabulary import AccessNeed
from surgery.web.public.asking import ASK
from surgery.web.volunteers.views import OFFER
from tests.conftest import REFERENCE_TABLES, RequestPerAppContextClient, empty_tables
from tests.factories import (
    NOW,
    PASSWORD,
    agreed_pairing_for,
    apply_to_host,
    approved_host,
    published_session,
    session_details,
    volunteer_signed_up,
)
from tests.web.journeys import ask_answers, offer_answers
from tests.web.test_host_sessions import SESSION_FORM

# A longer walk now and then finds more: ROUTE_WALK_EXAMPLES=200 pytest tests/web/test_route_walk.py
EXAMPLES_PER_ROUTE = int(os.environ.get("ROUTE_WALK_EXAMPLES", "16"))
ROLES = ("signed out", "group", "volunteer", "host A", "host B", "admin")
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def walk_app(database_url: str):
    """The app as the walk drives it: see the module's docstring for what is switched off."""
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        DEV_MAIL_PAGE=True,
        WTF_CSRF_ENABLED=False,
        RATELIMIT_ENABLED=False,
        MAIL_BACKEND="outbox",
        CLOCK_FROZEN_AT=NOW,
    )
    app.test_client_class = RequestPerAppContextClient
    return app


# The URL map, read once to name the tests; each test walks its route in an app of its own.
RULES = sorted(
    (rule for rule in walk_app("sqlite://").url_map.iter_rules() if rule.endpoint != "static"),
    key=lambda rule: rule.rule,
)


@dataclass
class World:
    """Everyone the walk visits as, and the ids and links that name their things."""

    accounts: dict[str, int]
    tokens: dict[str, list[str]]
    ids: list[int]
    prefixes: list[str] = field(default_factory=list)


def build_world() -> World:
    """Host A with a published session where group Maya is paired with volunteer Sam; host B
    with a session of their own; an admin; an application waiting for a decision."""
    host_a = approved_host("hana@example.org")
    admin = db.session.scalar(db.select(Account).where(Account.email == "root@example.org"))
    accounts.set_password(admin, PASSWORD, NOW)
    host_b = apply_to_host("bo@example.org")
    accounts.decide_application(admin, host_b, True, NOW)
    token = accounts.password_url(host_b).rsplit("/", 1)[1]
    accounts.set_password(accounts.account_for_password_token(token), PASSWORD, NOW)
    apply_to_host("ivy@example.org")

    session_a = published_session(host_a, access=(AccessNeed.STEP_FREE,))
    signup = volunteer_signed_up(session_a)
    help_request = agreed_pairing_for(host_a, session_a)
    session_b = sessions.create_session(host_b, session_details(title="Bo's surgery"), NOW)
    asker, volunteer = help_request.asker, signup.volunteer
    ids = {session_a.id, session_b.id, help_request.id, signup.id, asker.id, volunteer.id}
    for model in (Booking, Notification, Signup, Account):
        ids.update(db.session.scalars(db.select(model.id)))
    bookings = db.session.scalars(db.select(Booking.id)).all()
    return World(
        accounts={"host A": host_a.id, "host B": host_b.id, "admin": admin.id},
        tokens={
            "group": [
                manage_token(asker),
                confirmation_token("request", help_request.id),
                unsubscribe_token(asker),
            ],
            "volunteer": [manage_token(volunteer), confirmation_token("volunteer", volunteer.id)],
            "host A": [unsubscribe_token(host_a)],
        },
        ids=sorted(ids),
        prefixes=[f"b{booking_id}-" for booking_id in bookings],
    )


HOSTILE_WORDS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t",
    "\r\n",
    "\x1b[2J",
    "\u202eevil",
    "é",
    "😀",
    "0",
    "-1",
    "1.5",
    "1e9",
    "NaN",
    str(LARGEST_ID),
    str(LARGEST_ID + 1),
    str(2**63),
    str(10**30),
    "9" * 5000,
    "x" * 3000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "y",
    "yes",
    "on",
    "check",
    "week",
    "quarter",
    "approve",
    "decline",
    "//evil.example",
]


def words(world: World) -> st.SearchStrategy[str]:
    """Anything a hostile or confused visitor might put in a URL or a field."""
    return st.one_of(
        st.sampled_from(HOSTILE_WORDS),
        st.sampled_from([str(i) for i in world.ids]),
        st.integers().map(str),
        st.text(max_size=20),
        st.text(alphabet=string.printable, max_size=12),
    )


def path_value(world: World, role: str, name: str) -> st.SearchStrategy[str]:
    """A value for one part of a route's address: often a real one, else anything."""
    real = {
        "token": world.tokens.get(role, []),
        "slug": [step.slug for step in ASK.steps + OFFER.steps] + ["check", "sent"],
        "kind": ["week", "quarter"],
        "decision": ["approve", "decline"],
        "filename": ["css/surgery.css"],
    }.get(name, [str(i) for i in world.ids])
    anything = st.sampled_from(EDGE_NUMBERS) | words(world)
    if not real:
        return anything
    # A visitor's own link most of the time: what lies behind it is where the forms are.
    weight = 3 if name == "token" else 1
    return st.one_of(*[st.sampled_from(real)] * weight, anything)


# Numbers at and past the edges of what an id column holds.
EDGE_NUMBERS = [
    "0",
    "-1",
    str(LARGEST_ID),
    str(LARGEST_ID + 1),
    str(2**63),
    str(10**30),
    "9" * 5000,
]


def field_names() -> list[str]:
    """Every field name our forms and views read from a request body."""
    from surgery.web import fields

    names = {"signup_id", "here_again", "load", "answer", "csrf_token", "next"}
    for form_class in all_subclasses(fields.Form):
        names.update(name for name in form_class()._fields if name != "csrf_token")
    return sorted(names)


def all_subclasses(cls) -> list[type]:
    return [sub for child in cls.__subclasses__() for sub in (child, *all_subclasses(child))]


VALID_BODIES = [
    SESSION_FORM,
    {"name": "Hana Ito", "email": "hana@example.org", "town": "Moseley", "why": "I host."},
    {"email": "hana@example.org", "password": PASSWORD},
    {"password": PASSWORD, "confirm": PASSWORD},
    {"reason": "The venue is closed.", "email": "bo@example.org", "load": "2"},
    {"got_going": "yes", "line": "Thanks", "change_scale": "3", "story": "More came."},
    *ask_answers().values(),
    *offer_answers().values(),
]


def body(world: World, names: list[str]) -> st.SearchStrategy[dict]:
    """A form body: nothing, a good one, or a good one with a few answers made hostile."""
    value = words(world) | st.lists(words(world), max_size=3)
    prefixed = st.sampled_from(world.prefixes or [""]).flatmap(
        lambda prefix: st.sampled_from(["attended", "skills", "note"]).map(prefix.__add__)
    )
    changes = st.dictionaries(st.sampled_from(names) | prefixed | st.text(max_size=8), value)
    return st.builds(
        lambda base, changed: base | changed, st.sampled_from([{}, *VALID_BODIES]), changes
    )


# Queries that reach past the postcode check (a later, repeated key is read second).
GOOD_QUERIES = [[], [("postcode", "B13 9AE")], [("postcode", "B13 9AE"), ("within_km", "10")]]


def query(world: World) -> st.SearchStrategy[str]:
    keys = st.sampled_from(["page", "postcode", "within_km", "next", "change", "kind"])
    more = st.lists(st.tuples(keys | st.text(max_size=6), words(world)), max_size=3)
    return st.builds(lambda base, more: urlencode(base + more), st.sampled_from(GOOD_QUERIES), more)


def address(world: World, role: str, rule) -> st.SearchStrategy[str]:
    """The route's address with each of its parts filled in, percent-encoded as a browser does."""
    parts = st.fixed_dictionaries({name: path_value(world, role, name) for name in rule.arguments})
    return parts.map(
        lambda values: ARGUMENT.sub(lambda m: quote(values[m["name"]], safe=""), rule.rule)
    )


# <name> or <converter:name> or <converter(arguments):name> in a rule.
ARGUMENT = re.compile(r"<(?:[^<>:]+:)?(?P<name>[^<>:]+)>")


def signed_in_client(app, world: World, role: str):
    """A new browser; for a host or the admin, with a live sign-in, as after the sign-in form."""
    client = app.test_client()
    account_id = world.accounts.get(role)
    if account_id is not None:
        account = db.session.get(Account, account_id)
        with client.session_transaction() as cookie:
            cookie["_user_id"] = account.get_id()
            cookie["_fresh"] = True
            cookie["signed_in_at"] = cookie["seen_at"] = NOW.timestamp()
    return client


def snapshot() -> dict:
    """Every row of every table, to put back before each route is walked."""
    return {
        table: [dict(row) for row in db.session.execute(table.select()).mappings()]
        for table in db.metadata.sorted_tables
        if table.name not in REFERENCE_TABLES
    }


def restore(rows: dict) -> None:
    """Empty the tables and put the snapshot's rows back: a walk may erase or cancel anything."""
    db.session.rollback()
    empty_tables()
    for table, table_rows in rows.items():
        if table_rows:
            db.session.execute(table.insert(), table_rows)
    db.session.commit()
    db.session.expire_all()


@pytest.fixture(scope="module")
def walk_world(migrated_app):
    """The walk's app over the suite's database, and a world built once."""
    app = walk_app(migrated_app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        clock.freeze(NOW)
        try:
            world = build_world()
            yield app, world, snapshot()
        finally:
            db.session.rollback()
            empty_tables()
            db.session.remove()


@pytest.fixture
def walk(walk_world):
    """The world as it was built, whatever the last route's walk did to it."""
    app, world, rows = walk_world
    with app.app_context():
        restore(rows)
        yield app, world


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.rule} {rule.endpoint}")
def test_no_address_query_or_body_gets_a_server_error(walk, rule):
    app, world = walk
    names = field_names()
    methods = sorted(rule.methods - IGNORED_METHODS)

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def visit(data):
        role = data.draw(st.sampled_from(ROLES), label="role")
        path = data.draw(address(world, role, rule), label="path")
        method = data.draw(st.sampled_from([*methods, "GET", "POST"]), label="method")
        arguments = {"query_string": data.draw(query(world), label="query")}
        if method != "GET":
            if data.draw(st.booleans(), label="as JSON"):
                arguments["json"] = data.draw(body(world, names) | st.lists(words(world)))
            else:
                arguments["data"] = data.draw(body(world, names), label="body")
        client = signed_in_client(app, world, role)
        response = client.open(path, method=method, **arguments)
        assert response.status_code < 500, f"{method} {path} as {role}: {response.status_code}"

    visit()
