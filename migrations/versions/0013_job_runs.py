"""Job health: each scheduled job's last success and last failure.

Revision ID: 0013_job_runs
Revises: 0012_not_here_again
Create Date: 2026-11-30 20:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013_job_runs'
down_revision = '0012_not_here_again'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_runs',
        sa.Column('job_id', sa.String(length=50), nullable=False),
        sa.Column('first_run_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error_class', sa.String(length=100), nullable=True),
        sa.Column('items_failed', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('job_id', name=op.f('pk_job_runs')),
    )


def downgrade():
    op.drop_table('job_runs')
