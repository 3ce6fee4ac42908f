"""The databases bench/web.py measures: a fresh PostgreSQL database per scale, migrated with
`flask db upgrade`, then filled with national data (bulk COPY) or the demo data, plus the same
fixture at both scales: a host with a password whose session has 30 agreed pairings, and a group
with a private link."""

import json
import os
import random
import sqlite3
import subprocess
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import psycopg
from matcher import towns  # noqa: E402  (beside this file)

REPO = Path(__file__).resolve().parents[1]
SERVER = "postgresql://postgres@127.0.0.1:5432"
HOST_EMAIL = "bench-host@bench.example.org"  # .invalid is refused by the form
HOST_PASSWORD = "bench-host-password-not-secret-42"
SLOTS = ["weekdays", "weekday-evenings", "weekends"]
ACCESS = ["step-free", "hearing-loop", "quiet-space", "device-to-borrow", "parking"]
NATIONAL = {"sessions": 20_000, "requests": 200_000, "volunteers": 50_000, "signups": 100_000}
DAYS_AHEAD = 120
PAIRINGS = 30


@dataclass(frozen=True)
class Town:
    district: str
    postcodes: list[tuple[str, int, int]]  # (postcode, easting, northing), all in the district


@dataclass(frozen=True)
class Fixture:
    """What the pages need from a seeded database."""

    session_id: int  # a typical published session, for the session page and its .ics
    session_postcode: str  # where it is: a search from here finds sessions at every scale
    host_session_id: int  # the host's session with its 30 pairings
    group_token: str  # the group's private manage link


@contextmanager
def fresh_database(scale: str) -> Iterator[str]:
    """Create a uniquely named database, yield its URL, and drop it afterwards, even on failure."""
    name = f"bench_web_{scale}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{SERVER}/{name}"
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flask_command(env: dict, *args: str) -> None:
    """Run a `flask` command of the service on the bench database (as production would)."""
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "flask"), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def bench_towns(seed: int = 7) -> list[Town]:
    """bench/matcher.py's sixty districts, each with its real postcodes."""
    index = sqlite3.connect(REPO / ".cache" / "postcodes.sqlite3")
    by_point = dict(
        ((e, n), d)
        for d, e, n in index.execute(
            "SELECT district, easting, northing FROM districts WHERE postcodes > 1000"
        )
    )
    chosen = []
    for point in towns(seed):
        district = by_point[point]
        rows = index.execute(
            # A range, not LIKE, so that the primary key is used: "B1 " up to "B1!".
            "SELECT postcode, easting, northing FROM postcodes"
            " WHERE postcode >= ? AND postcode < ?",
            (f"{district} ", f"{district}!"),
        ).fetchall()
        chosen.append(Town(district, rows))
    return chosen


def finder_postcodes(places: list[Town], count: int = 200, seed: int = 11) -> list[str]:
    """Postcodes people search from: mostly in the districts with sessions, a few anywhere."""
    rng = random.Random(seed)
    near = [rng.choice(rng.choice(places).postcodes)[0] for _ in range(count * 4 // 5)]
    index = sqlite3.connect(REPO / ".cache" / "postcodes.sqlite3")
    total = index.execute("SELECT count(*) FROM postcodes").fetchone()[0]
    anywhere = [
        index.execute(
            "SELECT postcode FROM postcodes LIMIT 1 OFFSET ?", (rng.randrange(total),)
        ).fetchone()[0]
        for _ in range(count - len(near))
    ]
    # Only England, Wales and Scotland are covered: the index holds nothing else.
    postcodes = near + anywhere
    rng.shuffle(postcodes)
    return postcodes


def copy_rows(cursor, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed_national(url: str, now: datetime, places: list[Town], seed: int = 7) -> dict:
    """Fill the migrated database with national data in bulk; return the row counts."""
    rng = random.Random(seed)
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        skill_ids = [row[0] for row in cursor.execute("SELECT id FROM skills WHERE active")]
        hosts = add_hosts(cursor, places, now)
        sessions = add_sessions(cursor, rng, places, hosts, now)
        volunteers = add_volunteers(cursor, rng, places, skill_ids, now)
        add_signups(cursor, rng, sessions, volunteers, now)
        add_requests(cursor, rng, places, skill_ids, now)
        for table in ("surgery_sessions", "signups", "help_requests", "askers", "volunteers"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")  # fmt: skip
        connection.commit()
        # A live database's autovacuum has long since made its visibility map and statistics;
        # rows just copied in have neither, and index-only scans would still visit the table.
        connection.autocommit = True
        cursor.execute("VACUUM (ANALYZE)")
    return dict(NATIONAL)


def add_hosts(cursor, places: list[Town], now: datetime) -> list[int]:
    columns = ["id", "name", "email", "town", "why", "role", "status", "session_version",
               "failed_sign_ins", "created_at", "decided_at"]  # fmt: skip
    rows = [
        (i + 1, f"Host {i + 1}", f"host{i + 1}@bench.invalid", t.district, "", "host",
         "approved", 1, 0, now, now)
        for i, t in enumerate(places)
    ]  # fmt: skip
    copy_rows(cursor, "accounts", columns, rows)
    cursor.execute("SELECT setval(pg_get_serial_sequence('accounts', 'id'), %s)", (len(rows),))
    return [row[0] for row in rows]


def place_columns(town: Town, rng: random.Random) -> tuple:
    postcode, easting, northing = rng.choice(town.postcodes)
    return postcode, town.district, easting, northing


def add_sessions(cursor, rng, places, hosts, now) -> list[tuple[int, int]]:
    """20,000 sessions over the coming 120 days: published, a few cancelled or drafts."""
    columns = ["id", "title", "venue_name", "venue_address", "postcode", "district", "easting",
               "northing", "starts_at", "ends_at", "seats", "seats_taken", "partners", "access",
               "access_notes", "volunteer_notes", "requires_safeguarding", "auto_confirm",
               "free_unanswered", "status", "was_published", "sequence", "created_at",
               "updated_at"]  # fmt: skip
    rows, sessions, links = [], [], []
    for i in range(1, NATIONAL["sessions"] + 1):
        town_number = rng.randrange(len(places))
        town = places[town_number]
        starts = datetime.combine(
            now.date() + timedelta(days=1 + rng.randrange(DAYS_AHEAD)), time(rng.choice((10, 18)))
        ).replace(tzinfo=UTC)
        status = rng.choices(["published", "cancelled", "draft"], [96, 2, 2])[0]
        rows.append(
            (i, f"Social media surgery {i}", f"Library {i}", f"{i} High Street, {town.district}",
             *place_columns(town, rng), starts, starts + timedelta(hours=2), rng.randint(3, 8), 0,
             "", json.dumps(rng.sample(ACCESS, rng.randint(1, 3))), "", "", rng.random() < 0.1,
             False, False, status, status != "draft", 0, now, now)
        )  # fmt: skip
        sessions.append((i, town_number))
        links.append((i, hosts[town_number]))
    copy_rows(cursor, "surgery_sessions", columns, rows)
    copy_rows(cursor, "session_hosts", ["session_id", "account_id"], links)
    return sessions


def add_volunteers(cursor, rng, places, skill_ids, now) -> list[tuple[int, int]]:
    columns = ["id", "name", "email", "manage_secret", "created_at", "confirmed_at", "status",
               "levels", "travel_km", "bio", "availability", "postcode", "district", "easting",
               "northing", "safeguarding_checked_at"]  # fmt: skip
    rows, skills, volunteers = [], [], []
    for i in range(1, NATIONAL["volunteers"] + 1):
        town_number = rng.randrange(len(places))
        rows.append(
            (i, f"Volunteer {i}", f"volunteer{i}@bench.invalid", f"{i:032x}", now, now, "active",
             json.dumps(sorted(rng.sample(range(1, 5), rng.randint(2, 3)))),
             rng.choice([5, 10, 15]), "", json.dumps(rng.sample(SLOTS, rng.randint(1, 3))),
             *place_columns(places[town_number], rng), now if rng.random() < 0.5 else None)
        )  # fmt: skip
        skills += [(i, k) for k in rng.sample(skill_ids, min(len(skill_ids), rng.randint(2, 4)))]
        volunteers.append((i, town_number))
    copy_rows(cursor, "volunteers", columns, rows)
    copy_rows(cursor, "volunteer_skills", ["volunteer_id", "skill_id"], skills)
    return volunteers


def add_signups(cursor, rng, sessions, volunteers, now) -> None:
    """Two sign-ups per volunteer, at two different sessions in their town."""
    by_town: dict[int, list[int]] = {}
    for session_id, town_number in sessions:
        by_town.setdefault(town_number, []).append(session_id)
    rows, signup_id = [], 0
    for volunteer_id, town_number in volunteers:
        for session_id in rng.sample(by_town[town_number], 2):
            signup_id += 1
            load = rng.randint(1, 3)
            rows.append((signup_id, session_id, volunteer_id, load, "active", now, now))
    columns = ["id", "session_id", "volunteer_id", "load", "status", "created_at", "updated_at"]
    copy_rows(cursor, "signups", columns, rows)


def add_requests(cursor, rng, places, skill_ids, now) -> None:
    """200,000 groups asking, each with one request, most of them waiting."""
    askers, requests, skills = [], [], []
    today = now.date()
    for i in range(1, NATIONAL["requests"] + 1):
        confirmed = now - timedelta(days=rng.randrange(60))
        askers.append((i, f"Asker {i}", f"asker{i}@bench.invalid", f"{i:032x}", confirmed,
                       confirmed))  # fmt: skip
        earliest = today + timedelta(days=rng.randrange(40))
        status = rng.choices(["open", "matched", "withdrawn"], [90, 7, 3])[0]
        requests.append(
            (i, i, status, f"Group {i}", "community-group", rng.randint(1, 4), "",
             rng.choice([2, 5, 10, 20]), earliest, earliest + timedelta(days=rng.randint(7, 45)),
             json.dumps(rng.sample(SLOTS, rng.randint(1, 3))), json.dumps([]), "", False, False,
             *place_columns(rng.choice(places), rng), confirmed, confirmed, confirmed)
        )  # fmt: skip
        skills += [(i, k) for k in rng.sample(skill_ids, min(len(skill_ids), rng.randint(1, 3)))]
    asker_columns = ["id", "name", "email", "manage_secret", "created_at", "confirmed_at"]
    copy_rows(cursor, "askers", asker_columns, askers)
    columns = ["id", "asker_id", "status", "organisation_name", "organisation_kind", "level",
               "goal", "travel_km", "earliest_date", "latest_date", "availability",
               "access_needs", "access_notes", "consent_follow_up", "consent_share_story",
               "postcode", "district", "easting", "northing", "created_at", "updated_at",
               "confirmed_at"]  # fmt: skip
    copy_rows(cursor, "help_requests", columns, requests)
    copy_rows(cursor, "help_request_skills", ["help_request_id", "skill_id"], skills)
