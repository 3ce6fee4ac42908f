"""Indexes for "could come if a table frees": open requests around a place, and how far the
farthest-travelling of them will go.

Revision ID: 0017_request_place_indexes
Revises: 0016_speed_indexes
Create Date: 2026-12-01 05:30:00

"""
from alembic import op

revision = '0017_request_place_indexes'
down_revision = '0016_speed_indexes'
branch_labels = None
depends_on = None

INDEXES = (
    ('help_requests', 'ix_help_requests_status_easting_northing', ['status', 'easting', 'northing']),
    ('help_requests', 'ix_help_requests_status_travel_km', ['status', 'travel_km']),
)


def upgrade():
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
