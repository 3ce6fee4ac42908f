"""A sign-up records when it last changed: a withdrawal, or signing up again, moves the
Last-Modified of the public lists that show the skills on offer.

Revision ID: 0020_signup_updated_at
Revises: 0019_session_place_index
Create Date: 2026-12-01 13:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0020_signup_updated_at'
down_revision = '0019_session_place_index'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
    # A sign-up made before has not changed since, as far as anyone can tell.
    op.execute('UPDATE signups SET updated_at = created_at')
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
