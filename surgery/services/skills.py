"""The skill list. The starting list arrives with the first migration; admins edit it."""

from surgery.extensions import db
from surgery.models import Skill


def active_skills() -> list[Skill]:
    """Return the skills people can pick now, in the admin's order."""
    query = db.select(Skill).where(Skill.active).order_by(Skill.position, Skill.name)
    return list(db.session.scalars(query))
