"""A volunteer may stop invitations to sessions with one click, as groups stop follow-ups.

Revision ID: 0014_volunteer_unsubscribe
Revises: 0013_job_runs
Create Date: 2026-12-01 02:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_volunteer_unsubscribe'
down_revision = '0013_job_runs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsubscribed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_column('unsubscribed_at')
