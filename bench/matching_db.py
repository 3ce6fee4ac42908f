"""Put a generated matching problem into a real database, then time the matching service on it:
from the database rows to the stored pairings, as the hourly job runs it, and once more with
nothing changed, as the next hour's run finds it.

With a PostgreSQL URL, a scratch database is created on that server and dropped afterwards.
"""

import os
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
from sqlalchemy import create_engine, func, insert, make_url, text

from surgery import create_app
from surgery.clock import LONDON
from surgery.extensions import db
from surgery.matching import Problem
from surgery.models import (
    Asker,
    HelpRequest,
    Pairing,
    RequestStatus,
    SessionStatus,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
    VolunteerStatus,
)
from surgery.models.requests import help_request_skills
from surgery.models.volunteers import volunteer_skills
from surgery.services.matching import run_matching
from surgery.vocabulary import OrganisationKind

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
# When the sessions start, by the slot the generator gave them (UK time).
SLOT_HOURS = {"weekdays": 10, "weekday-evenings": 18, "weekends": 10}
PLACE = {"postcode": "B1", "district": "B1"}  # the grid point is what matching uses


def time_end_to_end(problem: Problem, now: datetime, database_url: str | None = None) -> dict:
    """Load the problem, run the matching service twice, and return its figures."""
    with scratch_database(database_url) as url:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MAIL_BACKEND="outbox")
        with app.app_context():
            flask_migrate.upgrade(directory=str(MIGRATIONS))
            started = time.perf_counter()
            load(problem, now)
            settle(url)
            loaded = time.perf_counter() - started
            started = time.perf_counter()
            paired = run_matching(now, "bench").paired
            seconds = time.perf_counter() - started
            stored = db.session.scalar(db.select(func.count(Pairing.id)))
            started = time.perf_counter()
            again = run_matching(now, "bench").churn
            seconds_again = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
        return {
            "end_to_end_database": make_url(url).get_backend_name(),
            "end_to_end_paired": paired,
            "end_to_end_stored": stored,
            "seconds_end_to_end": round(seconds, 3),
            "seconds_end_to_end_rerun": round(seconds_again, 3),
            "end_to_end_rerun_churn": again,
            "seconds_loading_the_bench_data": round(loaded, 3),
        }


def settle(url: str) -> None:
    """On PostgreSQL, vacuum and analyse the rows just loaded, as autovacuum has long since done on
    a live database: without statistics the planner guesses, and without a visibility map an
    index-only scan still visits the table. (Else autovacuum may start on them mid-run.)"""
    if make_url(url).get_backend_name() != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM (ANALYZE)")


@contextmanager
def scratch_database(server_url: str | None):
    """Yield a URL to an empty database: SQLite in a temporary folder, or, given a PostgreSQL
    URL, a new database on that server, dropped afterwards whatever happens."""
    if not server_url or not server_url.startswith("postgres"):
        with tempfile.TemporaryDirectory() as folder:
            yield server_url or f"sqlite:///{folder}/bench.sqlite3"
        return
    server = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"bench_match_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def load(problem: Problem, now: datetime) -> None:
    """Insert the problem's sessions, volunteers, sign-ups, askers and requests in bulk."""
    db.session.execute(insert(SurgerySession), [session_row(s, now) for s in problem.sessions])
    db.session.execute(insert(Volunteer), [volunteer_row(s, now) for s in problem.signups])
    db.session.execute(
        insert(volunteer_skills),
        [{"volunteer_id": s.id, "skill_id": k} for s in problem.signups for k in s.skills],
    )
    db.session.execute(
        insert(Signup),
        [
            {
                "id": s.id,
                "session_id": s.session_id,
                "volunteer_id": s.id,
                "load": s.load_free,
                "status": SignupStatus.ACTIVE,
                "created_at": now,
                "updated_at": now,
            }
            for s in problem.signups
        ],
    )
    db.session.execute(insert(Asker), [asker_row(r.id, now) for r in problem.requests])
    db.session.execute(insert(HelpRequest), [request_row(r, now) for r in problem.requests])
    db.session.execute(
        insert(help_request_skills),
        [{"help_request_id": r.id, "skill_id": k} for r in problem.requests for k in r.skills],
    )
    db.session.commit()


def session_row(s, now: datetime) -> dict:
    starts = datetime.combine(s.day, datetime.min.time(), tzinfo=LONDON).replace(
        hour=SLOT_HOURS[s.slot]
    )
    return {
        "id": s.id,
        "title": f"Session {s.id}",
        "venue_name": "Venue",
        "venue_address": "Address",
        **PLACE,
        "easting": s.easting,
        "northing": s.northing,
        "starts_at": starts.astimezone(UTC),
        "ends_at": (starts + timedelta(hours=2)).astimezone(UTC),
        "seats": s.seats_free,
        "seats_taken": 0,
        "access": sorted(s.access),
        "status": SessionStatus.PUBLISHED,
        "was_published": True,
        "requires_safeguarding": s.requires_safeguarding,
        "auto_confirm": False,
        "free_unanswered": False,
        "sequence": 0,
        "created_at": now,
        "updated_at": now,
    }


def volunteer_row(signup, now: datetime) -> dict:
    return {
        "id": signup.id,
        "name": f"Volunteer {signup.id}",
        "email": f"volunteer{signup.id}@bench.invalid",
        "manage_secret": f"{signup.id:032x}",
        "status": VolunteerStatus.ACTIVE,
        "levels": sorted(signup.levels),
        "travel_km": 10,
        "availability": [],
        "bio": "",
        **PLACE,
        "easting": 0,
        "northing": 0,
        "safeguarding_checked_at": now if signup.safeguarding_checked else None,
        "created_at": now,
        "confirmed_at": now,
    }


def asker_row(request_id: int, now: datetime) -> dict:
    return {
        "id": request_id,
        "name": f"Asker {request_id}",
        "email": f"asker{request_id}@bench.invalid",
        "manage_secret": f"{request_id:032x}",
        "created_at": now,
        "confirmed_at": now,
    }


def request_row(r, now: datetime) -> dict:
    confirmed = now - timedelta(days=r.waited_days)
    return {
        "id": r.id,
        "asker_id": r.id,
        "status": RequestStatus.OPEN,
        "organisation_name": f"Group {r.id}",
        "organisation_kind": OrganisationKind.COMMUNITY_GROUP,
        "level": r.level,
        "goal": "",
        "travel_km": int(r.travel_km),
        "earliest_date": r.earliest,
        "latest_date": r.latest,
        "availability": sorted(r.availability),
        "access_needs": sorted(r.access_needs),
        **PLACE,
        "easting": r.easting,
        "northing": r.northing,
        "created_at": confirmed,
        "updated_at": confirmed,
        "confirmed_at": confirmed,
    }
