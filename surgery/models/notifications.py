"""The outbox: every email the service will send is a row here first."""

import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models.types import UTCDateTime, enum_column


class NotificationStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


def new_message_id() -> str:
    return f"<{secrets.token_hex(16)}@surgery.invalid>"


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One row per message the service means to send, so the same message can never go twice.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # An invitation (.ics) sent with the message; its METHOD says whether it adds or cancels.
    calendar: Mapped[str | None] = mapped_column(Text)
    # The session a message is about, so it can be withdrawn when the session changes or ends.
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("surgery_sessions.id", ondelete="SET NULL"), index=True
    )
    # Set on messages a person may stop (follow-ups, digests): the one-click unsubscribe address.
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[NotificationStatus] = mapped_column(
        enum_column(NotificationStatus, "notification_status"),
        default=NotificationStatus.PENDING,
        index=True,
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[str] = mapped_column(String(200), unique=True, default=new_message_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
