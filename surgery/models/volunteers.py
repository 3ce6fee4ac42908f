"""A volunteer ("surgeon") and what they offer."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.extensions import db
from surgery.models.people import ContactMixin, PlaceMixin
from surgery.models.skills import Skill
from surgery.models.types import UTCDateTime, enum_column


class VolunteerStatus(enum.StrEnum):
    UNCONFIRMED = "unconfirmed"
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"

    @property
    def label(self) -> str:
        return {
            VolunteerStatus.UNCONFIRMED: "Waiting for you to confirm your email address",
            VolunteerStatus.ACTIVE: "Offering help",
            VolunteerStatus.WITHDRAWN: "Not offering help at the moment",
            VolunteerStatus.ERASED: "Deleted",
        }[self]


volunteer_skills = Table(
    "volunteer_skills",
    db.metadata,
    Column("volunteer_id", ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id"), primary_key=True),
)


class Volunteer(ContactMixin, PlaceMixin, db.Model):
    __tablename__ = "volunteers"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[VolunteerStatus] = mapped_column(
        enum_column(VolunteerStatus, "volunteer_status"),
        default=VolunteerStatus.UNCONFIRMED,
        index=True,
    )
    levels: Mapped[list[int]] = mapped_column(JSON, default=list)
    travel_km: Mapped[int]
    bio: Mapped[str] = mapped_column(String(500), default="")
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # One click in an invitation to a session stops invitations; news of their own sessions
    # still comes.
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When an admin recorded a safeguarding check (such as DBS); the certificate is not kept here.
    safeguarding_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    skills: Mapped[list[Skill]] = relationship(
        secondary=volunteer_skills, order_by=Skill.position, lazy="selectin"
    )

    def __init__(self, **fields):
        # Every volunteer starts unconfirmed, before they are ever flushed.
        super().__init__(**{"status": VolunteerStatus.UNCONFIRMED, **fields})

    def confirm(self, now: datetime) -> None:
        """Start offering help once the email address is confirmed."""
        if self.status is VolunteerStatus.UNCONFIRMED:
            self.status = VolunteerStatus.ACTIVE
            self.confirmed_at = now

    def withdraw(self, now: datetime) -> None:
        """Stop offering help for now; the entry stays and can be resumed."""
        if self.status is VolunteerStatus.ACTIVE:
            self.status = VolunteerStatus.WITHDRAWN
            self.withdrawn_at = now

    def resume(self) -> None:
        """Offer help again after a withdrawal."""
        if self.status is VolunteerStatus.WITHDRAWN:
            self.status = VolunteerStatus.ACTIVE
            self.withdrawn_at = None
