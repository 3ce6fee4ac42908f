"""The skill "Something else", last on the list, for what the list does not name.

Revision ID: 0018_something_else_skill
Revises: 0017_request_place_indexes
Create Date: 2026-12-01 06:00:00

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0018_something_else_skill'
down_revision = '0017_request_place_indexes'
branch_labels = None
depends_on = None

SLUG, NAME = 'something-else', 'Something else'

skills = sa.table(
    'skills',
    sa.column('id', sa.Integer),
    sa.column('slug', sa.String),
    sa.column('name', sa.String),
    sa.column('position', sa.Integer),
    sa.column('active', sa.Boolean),
    sa.column('created_at', sa.DateTime(timezone=True)),
)
help_request_skills = sa.table('help_request_skills', sa.column('skill_id', sa.Integer))
volunteer_skills = sa.table('volunteer_skills', sa.column('skill_id', sa.Integer))


def upgrade():
    connection = op.get_bind()
    same = sa.or_(skills.c.slug == SLUG, skills.c.name == NAME)
    if connection.scalar(sa.select(skills.c.id).where(same)) is not None:
        return  # an admin added it already
    last = connection.scalar(sa.select(sa.func.max(skills.c.position)))
    # As the first migration does: a migration runs before the service and its clock.
    op.bulk_insert(skills, [{
        'slug': SLUG, 'name': NAME, 'position': (last or 0) + 1, 'active': True,
        'created_at': datetime.now(UTC),
    }])


def downgrade():
    connection = op.get_bind()
    skill_id = connection.scalar(sa.select(skills.c.id).where(skills.c.slug == SLUG))
    if skill_id is None:
        return
    # Requests and offers that chose it lose that choice, as they would if it were never added.
    for chosen in (help_request_skills, volunteer_skills):
        op.execute(chosen.delete().where(chosen.c.skill_id == skill_id))
    op.execute(skills.delete().where(skills.c.id == skill_id))
