"""The finder's index holds what a search orders by: place, status, start and id, so the database
finds a page of the nearest sessions from the index alone and reads only that page's rows.

Revision ID: 0019_session_place_index
Revises: 0018_something_else_skill
Create Date: 2026-12-01 10:05:00

"""
from alembic import op

revision = '0019_session_place_index'
down_revision = '0018_something_else_skill'
branch_labels = None
depends_on = None

OLD = ('ix_surgery_sessions_easting_northing', ['easting', 'northing'])
NEW = ('ix_surgery_sessions_place', ['easting', 'northing', 'status', 'starts_at', 'id'])


def upgrade():
    op.drop_index(OLD[0], table_name='surgery_sessions')
    op.create_index(NEW[0], 'surgery_sessions', NEW[1], unique=False)


def downgrade():
    op.drop_index(NEW[0], table_name='surgery_sessions')
    op.create_index(OLD[0], 'surgery_sessions', OLD[1], unique=False)
