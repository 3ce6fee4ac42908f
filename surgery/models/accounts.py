"""Hosts and admins: the people who sign in."""

import enum
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models.types import UTCDateTime, enum_column


class Role(enum.StrEnum):
    HOST = "host"
    ADMIN = "admin"


class AccountStatus(enum.StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    DECLINED = "declined"


class Account(db.Model):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    town: Mapped[str] = mapped_column(String(80), default="")
    why: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[Role] = mapped_column(enum_column(Role, "account_role"))
    status: Mapped[AccountStatus] = mapped_column(enum_column(AccountStatus, "account_status"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    # Bumped on sign-out and password change: a session cookie carries it, so old cookies die.
    session_version: Mapped[int] = mapped_column(default=1)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A host who unsubscribed from the daily digest.
    digest_unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __init__(self, **fields):
        super().__init__(**{"status": AccountStatus.APPLIED, "session_version": 1, **fields})

    # Flask-Login's user interface, written out: this model is not a UserMixin so that the id it
    # hands the session can carry the session version.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.status is AccountStatus.APPROVED and self.password_hash is not None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0]


class AuditEvent(db.Model):
    """Who changed what, when: every change a host or admin makes."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(db.ForeignKey("accounts.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(80))
    detail: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
