"""Each match run records how many of the previous run's proposals it kept, moved or dropped.

Revision ID: 0015_match_churn
Revises: 0014_volunteer_unsubscribe
Create Date: 2026-12-01 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_match_churn'
down_revision = '0014_volunteer_unsubscribe'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('match_runs', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('churn', sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('match_runs', schema=None) as batch_op:
        batch_op.drop_column('churn')
