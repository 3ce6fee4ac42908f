"""A session records whether it was ever published: a draft called off before it was published
stays out of the public's sight (its page, its calendar entry, the feeds).

Revision ID: 0021_session_was_published
Revises: 0020_signup_updated_at
Create Date: 2026-12-01 13:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0021_session_was_published'
down_revision = '0020_signup_updated_at'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('surgery_sessions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('was_published', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Nothing recorded whether a cancelled session had been published: the public saw every
    # cancelled one until now, and a subscribed calendar must still see it called off.
    op.execute(
        "UPDATE surgery_sessions SET was_published = true"
        " WHERE status IN ('published', 'completed', 'cancelled')"
    )


def downgrade():
    with op.batch_alter_table('surgery_sessions', schema=None) as batch_op:
        batch_op.drop_column('was_published')
