"""Every model, imported here so that Alembic and the app see the whole schema."""

from surgery.models.skills import Skill

__all__ = ["Skill"]
