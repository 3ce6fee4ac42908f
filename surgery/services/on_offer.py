"""The skills on offer at a session: those of the volunteers signed up there, as one column that a
query of sessions can carry, so a list of sessions and their skills is one statement."""

from sqlalchemy import Text, cast, func

from surgery.extensions import db
from surgery.models import Signup, SignupStatus, Skill, SurgerySession
from surgery.models.volunteers import volunteer_skills


def skills_on_offer_column():
    """For each session the query reads, its volunteers' skills folded into one text: each as
    "position<TAB>name", one per line, in no order and perhaps more than once (SQLite can neither
    order inside an aggregate nor give DISTINCT a separator); skills_from unfolds it."""
    item = cast(Skill.position, Text).concat("\t").concat(Skill.name)
    return (
        db.select(func.aggregate_strings(item, "\n"))
        .select_from(Signup)
        .join(volunteer_skills, volunteer_skills.c.volunteer_id == Signup.volunteer_id)
        .join(Skill, Skill.id == volunteer_skills.c.skill_id)
        .where(Signup.session_id == SurgerySession.id, Signup.status == SignupStatus.ACTIVE)
        .correlate(SurgerySession)
        .scalar_subquery()
    )


def skills_from(folded: str | None) -> list[str]:
    """The skill names in a folded column, each once, in the skill list's order."""
    if not folded:
        return []
    items = {tuple(line.split("\t", 1)) for line in folded.split("\n")}
    return [name for _, name in sorted((int(position), name) for position, name in items)]
