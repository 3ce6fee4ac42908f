"""A volunteer signed up to help at a session, and how many groups they can take there."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models.sessions import SurgerySession
from surgery.models.types import UTCDateTime, enum_column
from surgery.models.volunteers import Volunteer


class SignupStatus(enum.StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class Signup(db.Model):
    __tablename__ = "signups"
    __table_args__ = (
        UniqueConstraint("session_id", "volunteer_id"),
        CheckConstraint("load BETWEEN 1 AND 3", name="load_1_to_3"),
        # The volunteers still coming to a session, and the skills they bring.
        Index("ix_signups_session_id_status", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("surgery_sessions.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    load: Mapped[int]
    status: Mapped[SignupStatus] = mapped_column(enum_column(SignupStatus, "signup_status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A withdrawal or a sign-up again changes the skills on offer that public lists show, and so
    # when they last changed (their Last-Modified).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    surgery_session: Mapped[SurgerySession] = relationship()
    volunteer: Mapped[Volunteer] = relationship()
