"""Indexes for the busy pages: the finder's search, a session's people, the latest change.

Revision ID: 0016_speed_indexes
Revises: 0015_match_churn
Create Date: 2026-12-01 03:05:00

"""
from alembic import op

revision = '0016_speed_indexes'
down_revision = '0015_match_churn'
branch_labels = None
depends_on = None

INDEXES = (
    ('surgery_sessions', 'ix_surgery_sessions_status_starts_at', ['status', 'starts_at']),
    ('surgery_sessions', 'ix_surgery_sessions_easting_northing', ['easting', 'northing']),
    ('surgery_sessions', 'ix_surgery_sessions_updated_at', ['updated_at']),
    ('signups', 'ix_signups_session_id_status', ['session_id', 'status']),
    ('bookings', 'ix_bookings_session_id_status', ['session_id', 'status']),
    ('pairings', 'ix_pairings_session_id_state', ['session_id', 'state']),
)


def upgrade():
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
