"""Whether the service can do its work."""

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from surgery.extensions import db


def database_answers() -> bool:
    """Return True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True
