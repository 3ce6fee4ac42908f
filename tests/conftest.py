"""Fixtures for the app-level tests: one migrated database per run, emptied after each test."""

import os

import flask_migrate
import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete

from config import database_url as configured_database_url
from surgery import clock, create_app
from surgery.extensions import db
from surgery.services import finding, matching
from tests.instants import NOW
from tests.smtp import SmtpServer

# Rows every test starts with: reference data that the migrations themselves put in.
REFERENCE_TABLES = {"skills"}


def database_url(tmp_path_factory) -> str:
    """Return the database this run tests against: DATABASE_URL, else a fresh SQLite file."""
    if os.environ.get("DATABASE_URL"):
        return configured_database_url(default="")
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'surgery.sqlite3'}"


class RequestPerAppContextClient(FlaskClient):
    """Gives every request its own app context, as in production, so nothing in `g` (the form
    token, the signed-in user) leaks from one request, or one client, to the next."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def frozen_clock():
    """Start every test with the service's clock stopped at the suite's instant (tests.instants);
    a test moves it on with clock.freeze, and nothing in a test reads the wall clock."""
    clock.freeze(NOW)
    yield NOW
    clock.freeze(NOW)


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on loopback that keeps what it receives."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server):
    """The messages that reached the SMTP server during this test."""
    smtp_server.received.clear()
    return smtp_server


@pytest.fixture(scope="session")
def migrated_app(tmp_path_factory, smtp_server):
    """Build the app once, sending mail to the test SMTP server, with its database at head."""
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url(tmp_path_factory),
        MAIL_BACKEND="smtp",
        SMTP_HOST=smtp_server.hostname,
        SMTP_PORT=smtp_server.port,
        CLOCK_FROZEN_AT=NOW,
    )
    app.test_client_class = RequestPerAppContextClient
    with app.app_context():
        flask_migrate.upgrade()
    return app


@pytest.fixture
def app(migrated_app):
    """Give a test the app inside an app context, and empty what the test wrote afterwards."""
    with migrated_app.app_context():
        yield migrated_app
        db.session.rollback()
        empty_tables()
        db.session.remove()
        # The finder and "could come" keep copies per process: the next test starts afresh.
        finding.forget_found()
        matching.forget_could_come()


def empty_tables() -> None:
    """Delete every row a test may have written, children first."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in REFERENCE_TABLES:
            db.session.execute(delete(table))
    db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
