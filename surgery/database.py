"""Database engine settings that every configuration shares."""

import sqlite3
from collections.abc import Iterable

from sqlalchemy import ARRAY, ColumnElement, Integer, Table, any_, bindparam, event, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from surgery.extensions import db

# Every id column is PostgreSQL's INTEGER. A larger number names no row, and asking the database
# for one is an error there (SQLite's limit is 2**63 - 1, Python's none), so it is never asked.
LARGEST_ID = 2**31 - 1


def row_id(text: str | None) -> int | None:
    """Return the id a string of plain digits names, or None if it cannot name a row."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(LARGEST_ID)):
        return None
    number = int(text)
    return number if 0 < number <= LARGEST_ID else None


def on_postgresql() -> bool:
    """Whether the database has row locks, SKIP LOCKED and advisory locks; otherwise SQLite."""
    return db.session.get_bind().dialect.name == "postgresql"


def among(column, ids: Iterable[int]) -> ColumnElement[bool]:
    """`column IN ids`; on PostgreSQL as one array parameter (`= ANY(:ids)`): a national match
    run asks about thousands of sessions at once, and the driver takes longer to prepare a
    statement with thousands of parameters than the database takes to answer it."""
    ids = list(ids)
    if on_postgresql():
        return column == any_(bindparam(None, ids, type_=ARRAY(Integer)))
    return column.in_(ids)


def insert_or_on_conflict(model):
    """An INSERT for this database that can say ON CONFLICT (both dialects spell it alike)."""
    return (postgresql.insert if on_postgresql() else sqlite.insert)(model)


def insert_many(table: Table, rows: list[dict]) -> None:
    """Insert many rows at once, in the session's transaction: by COPY on PostgreSQL (a national
    match run writes tens of thousands of proposals, and COPY takes a tenth of the time of
    INSERTs), by one executemany INSERT on SQLite. Every row has the same keys."""
    if not rows:
        return
    if not on_postgresql():
        db.session.execute(insert(table), rows)
        return
    connection = db.session.connection()
    # Each value as the column's type would bind it: an enum by its value, JSON as text, …
    processors = {
        name: table.c[name].type.bind_processor(connection.dialect) or (lambda value: value)
        for name in rows[0]
    }
    names = ", ".join(f'"{name}"' for name in processors)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([process(row[name]) for name, process in processors.items()])


def enable_sqlite_foreign_keys() -> None:
    """Switch on foreign keys for every SQLite connection; SQLite leaves them off by default."""
    if not event.contains(Engine, "connect", _sqlite_foreign_keys_on):
        event.listen(Engine, "connect", _sqlite_foreign_keys_on)


def _sqlite_foreign_keys_on(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Delivery commits once a message, so each sent mark is kept before the next is sent. In
        # write-ahead mode with NORMAL sync a commit survives the process being killed without
        # waiting for the disk each time (a power cut may lose the last commits, never corrupt).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

