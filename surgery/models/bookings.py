"""A group's place at a session, or its place in the session's waiting list."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models.requests import HelpRequest
from surgery.models.sessions import SurgerySession
from surgery.models.types import UTCDateTime, enum_column


class BookingStatus(enum.StrEnum):
    BOOKED = "booked"
    WAITING = "waiting"
    CANCELLED = "cancelled"


class Booking(db.Model):
    __tablename__ = "bookings"
    __table_args__ = (
        UniqueConstraint("session_id", "help_request_id"),
        # A session's booked groups, or its waiting list.
        Index("ix_bookings_session_id_status", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("surgery_sessions.id", ondelete="CASCADE"), index=True
    )
    help_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus, "booking_status"))
    # The waiting list is served in the order people joined it.
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The group answered "still coming?" with yes.
    coming_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    surgery_session: Mapped[SurgerySession] = relationship()
    help_request: Mapped[HelpRequest] = relationship()
