"""Database engine settings that every configuration shares."""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

from surgery.extensions import db


def on_postgresql() -> bool:
    """Whether the database has row locks, SKIP LOCKED and advisory locks; otherwise SQLite."""
    return db.session.get_bind().dialect.name == "postgresql"


def enable_sqlite_foreign_keys() -> None:
    """Switch on foreign keys for every SQLite connection; SQLite leaves them off by default."""
    if not event.contains(Engine, "connect", _sqlite_foreign_keys_on):
        event.listen(Engine, "connect", _sqlite_foreign_keys_on)


def _sqlite_foreign_keys_on(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

