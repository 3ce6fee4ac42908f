"""Count the SQL statements a piece of work sends: pages and services must not ask row by row."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from surgery.extensions import db


@contextmanager
def statements_sent() -> Iterator[list[str]]:
    """Collect every statement the engine sends while the block runs."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
