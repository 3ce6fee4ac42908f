"""A surgery session: a time and a place where volunteers sit down with groups."""

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models.accounts import Account
from surgery.models.people import PlaceMixin
from surgery.models.types import UTCDateTime, enum_column


class SessionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            SessionStatus.DRAFT: "Draft: only hosts can see it",
            SessionStatus.PUBLISHED: "Published",
            SessionStatus.COMPLETED: "Completed",
            SessionStatus.CANCELLED: "Cancelled",
        }[self]


# The moves a host may make; anything else is refused.
MOVES = {
    "publish": ({SessionStatus.DRAFT}, SessionStatus.PUBLISHED),
    "cancel": ({SessionStatus.DRAFT, SessionStatus.PUBLISHED}, SessionStatus.CANCELLED),
    "complete": ({SessionStatus.PUBLISHED}, SessionStatus.COMPLETED),
}

session_hosts = Table(
    "session_hosts",
    db.metadata,
    Column("session_id", ForeignKey("surgery_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("account_id", ForeignKey("accounts.id"), primary_key=True),
)


class SurgerySession(PlaceMixin, db.Model):
    __tablename__ = "surgery_sessions"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="starts_before_it_ends"),
        CheckConstraint("seats BETWEEN 1 AND 100", name="seats_1_to_100"),
        CheckConstraint("seats_taken >= 0", name="seats_taken_not_negative"),
        Index("ix_surgery_sessions_status_starts_at", "status", "starts_at"),
        # The finder: published sessions still to start in a square around a place, nearest
        # first; the index holds all a search orders by, so only a page's rows are read.
        Index("ix_surgery_sessions_place", "easting", "northing", "status", "starts_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    venue_name: Mapped[str] = mapped_column(String(120))
    venue_address: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    seats: Mapped[int]
    # Changed only by one conditional UPDATE, so two bookings can never take the last table.
    seats_taken: Mapped[int] = mapped_column(default=0)
    level_focus: Mapped[int | None]
    partners: Mapped[str] = mapped_column(String(300), default="")
    access: Mapped[list[str]] = mapped_column(JSON, default=list)
    access_notes: Mapped[str] = mapped_column(String(500), default="")
    volunteer_notes: Mapped[str] = mapped_column(Text, default="")
    # Once published it is the public's to see, cancelled or held; a draft called off before
    # it was ever published stays the hosts' own.
    was_published: Mapped[bool] = mapped_column(default=False)
    # Only volunteers whose safeguarding check an admin recorded may be paired here.
    requires_safeguarding: Mapped[bool] = mapped_column(default=False)
    # The matcher's proposals here are agreed at once and the groups told, without a host's review.
    auto_confirm: Mapped[bool] = mapped_column(default=False)
    # A group that has not said it is still coming a day before gives its table to the next group.
    free_unanswered: Mapped[bool] = mapped_column(default=False)
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus, "session_status"), index=True
    )
    # Calendar apps replace an event only when its SEQUENCE grows: bumped on every change.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Indexed: the finder reads the latest change to any session to know its copy still holds.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )

    hosts: Mapped[list[Account]] = relationship(
        secondary=session_hosts, order_by=Account.id, lazy="selectin"
    )

    def __init__(self, **fields):
        super().__init__(
            **{
                "status": SessionStatus.DRAFT,
                "was_published": False,
                "sequence": 0,
                "seats_taken": 0,
                "requires_safeguarding": False,
                "auto_confirm": False,
                "free_unanswered": False,
                **fields,
            }
        )

    def move(self, action: str) -> None:
        """Publish, cancel or complete; raise ValueError for a move this state does not allow."""
        allowed_from, to = MOVES[action]
        if self.status not in allowed_from:
            raise ValueError(f"A {self.status.value} session cannot be {to.value}.")
        self.status = to
        self.was_published = self.was_published or to is SessionStatus.PUBLISHED
        self.sequence += 1

    def can(self, action: str) -> bool:
        return self.status in MOVES[action][0]

    @property
    def seats_left(self) -> int:
        return max(self.seats - self.seats_taken, 0)

    def is_hosted_by(self, account: Account) -> bool:
        return any(host.id == account.id for host in self.hosts)
