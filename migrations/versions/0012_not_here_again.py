"""A host who drops a pairing says whether the group may be proposed at that session again.

Revision ID: 0012_not_here_again
Revises: 0011_one_live_pairing
Create Date: 2026-11-30 17:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012_not_here_again'
down_revision = '0011_one_live_pairing'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('not_here_again', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.drop_column('not_here_again')
