"""The migrations are the schema: from empty they build exactly what the models describe."""

import os
import secrets

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, make_url, text

from surgery import create_app
from surgery.extensions import db
from surgery.services.skills import active_skills


def empty_databases():
    """Yield the kinds of empty database to test: SQLite always, PostgreSQL when the run has one."""
    yield "sqlite"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        yield "postgresql"


@pytest.fixture(params=list(empty_databases()))
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    yield from fresh_postgres_database(os.environ["DATABASE_URL"])


def fresh_postgres_database(server_url: str):
    """Create an empty PostgreSQL database beside the test one, yield its URL, then drop it."""
    url = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"surgery_empty_{secrets.token_hex(4)}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_the_models(empty_database_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        flask_migrate.upgrade()
        assert schema_differences() == []
        db.engine.dispose()


def test_downgrade_to_empty_and_back_again(empty_database_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        flask_migrate.upgrade()
        assert schema_differences() == []
        db.engine.dispose()


def test_the_first_migration_brings_the_starting_skill_list(app):
    names = [skill.name for skill in active_skills()]
    assert names[:3] == ["Facebook", "Instagram", "WhatsApp groups"]
    assert {"Online safety and privacy", "AI tools", "Canva and design"} <= set(names)
    assert len(names) == 13 and names[-1] == "Something else", "12, then 0018's last"


BEFORE_TABLES_WERE_BOOKED = [
    "INSERT INTO askers (id, manage_secret, created_at) VALUES (1, 's', CURRENT_TIMESTAMP)",
    "INSERT INTO help_requests (id, asker_id, status, organisation_name, organisation_kind, level,"
    " goal, travel_km, earliest_date, latest_date, availability, access_needs, access_notes,"
    " consent_follow_up, consent_share_story, created_at, updated_at, postcode, district,"
    " easting, northing) VALUES (1, 1, 'matched', 'Group', 'charity', 1, '', 5, '2027-01-01',"
    " '2027-02-01', '[]', '[]', '', false, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'B1',"
    " 'B1', 0, 0)",
    "INSERT INTO surgery_sessions (id, title, venue_name, venue_address, starts_at, ends_at, seats,"
    " partners, access, access_notes, volunteer_notes, status, sequence, created_at, updated_at,"
    " postcode, district, easting, northing, seats_taken) VALUES (1, 'S', 'V', 'A',"
    " '2027-01-10 18:00:00+00:00', '2027-01-10 20:00:00+00:00', 3, '', '[]', '', '',"
    " 'published', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'B1', 'B1', 0, 0, 0)",
    "INSERT INTO volunteers (id, status, levels, travel_km, bio, availability, manage_secret,"
    " created_at, postcode, district, easting, northing) VALUES (1, 'active', '[1]', 5, '', '[]',"
    " 's', CURRENT_TIMESTAMP, 'B1', 'B1', 0, 0)",
    "INSERT INTO signups (id, session_id, volunteer_id, load, status, created_at)"
    " VALUES (1, 1, 1, 1, 'active', CURRENT_TIMESTAMP)",
    "INSERT INTO pairings (id, help_request_id, signup_id, session_id, state, distance_km,"
    " shared_skills, cost, created_at) VALUES (1, 1, 1, 1, 'confirmed', 0, '[]', 0,"
    " CURRENT_TIMESTAMP)",
]


def upgraded_from_0008(url: str, *queries: str) -> list[list]:
    """The rows each query finds after upgrading a database that held data at 0008."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        flask_migrate.upgrade(revision="0008_pairings")
        with db.engine.begin() as connection:
            for statement in BEFORE_TABLES_WERE_BOOKED:
                connection.execute(text(statement))
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            found = [connection.execute(text(query)).all() for query in queries]
        db.engine.dispose()
    return found


def test_upgrading_gives_pairings_agreed_before_their_tables(empty_database_url):
    booked, taken, took = upgraded_from_0008(
        empty_database_url,
        "SELECT status FROM bookings",
        "SELECT seats_taken FROM surgery_sessions",
        "SELECT took_table FROM pairings",
    )
    assert (booked, taken, [bool(row[0]) for row in took]) == ([("booked",)], [(1,)], [True])


def test_upgrading_gives_each_sign_up_its_own_time_as_its_last_change(empty_database_url):
    [[(created, updated)]] = upgraded_from_0008(
        empty_database_url, "SELECT created_at, updated_at FROM signups"
    )
    assert updated is not None and updated == created


def test_upgrading_keeps_a_published_session_public(empty_database_url):
    [[(was_published,)]] = upgraded_from_0008(
        empty_database_url, "SELECT was_published FROM surgery_sessions"
    )
    assert bool(was_published) is True
