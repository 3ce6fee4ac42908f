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
    assert len(names) == 12
