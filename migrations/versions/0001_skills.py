"""Skills, with the starting list.

Revision ID: 0001_skills
Revises:
Create Date: 2026-11-25
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001_skills"
down_revision = None
branch_labels = None
depends_on = None

# A frozen copy: later edits to the list belong to admins (or to a later migration), not to this one.
STARTING_SKILLS = [
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("whatsapp-groups", "WhatsApp groups"),
    ("blogging-websites", "Blogging and websites"),
    ("email-newsletters", "Email newsletters"),
    ("canva-design", "Canva and design"),
    ("video", "Video"),
    ("online-fundraising", "Online fundraising"),
    ("online-safety", "Online safety and privacy"),
    ("shared-documents", "Shared documents"),
    ("video-calls", "Video calls"),
    ("ai-tools", "AI tools"),
]


def upgrade():
    skills = op.create_table(
        "skills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skills")),
        sa.UniqueConstraint("name", name=op.f("uq_skills_name")),
        sa.UniqueConstraint("slug", name=op.f("uq_skills_slug")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        skills,
        [
            {"slug": slug, "name": name, "position": position, "active": True, "created_at": now}
            for position, (slug, name) in enumerate(STARTING_SKILLS)
        ],
    )


def downgrade():
    op.drop_table("skills")
