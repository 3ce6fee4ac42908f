"""A group's ask for help, and the person who asked."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, Date, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models.people import ContactMixin, PlaceMixin
from surgery.models.skills import Skill
from surgery.models.types import UTCDateTime, enum_column
from surgery.vocabulary import OrganisationKind


class RequestStatus(enum.StrEnum):
    UNCONFIRMED = "unconfirmed"
    OPEN = "open"
    MATCHED = "matched"
    ATTENDED = "attended"
    NO_SHOW = "no-show"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return {
            RequestStatus.UNCONFIRMED: "Waiting for you to confirm your email address",
            RequestStatus.OPEN: "Looking for a volunteer and a session near you",
            RequestStatus.MATCHED: "Booked at a session",
            RequestStatus.ATTENDED: "You came to a session",
            RequestStatus.NO_SHOW: "Missed a session",
            RequestStatus.WITHDRAWN: "Withdrawn",
            RequestStatus.EXPIRED: "Closed: your dates have passed",
        }[self]


# Moves a person may make through their manage link; matching and sessions add their own later.
ASKER_CAN_WITHDRAW = {RequestStatus.UNCONFIRMED, RequestStatus.OPEN, RequestStatus.MATCHED}
# A matched request may change too: changing where or when gives its place up first (the service).
ASKER_CAN_EDIT = {RequestStatus.UNCONFIRMED, RequestStatus.OPEN, RequestStatus.MATCHED}


help_request_skills = Table(
    "help_request_skills",
    db.metadata,
    Column("help_request_id", ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id"), primary_key=True),
)


class Asker(ContactMixin, db.Model):
    __tablename__ = "askers"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    # One click in any follow-up email stops the follow-ups; booking messages still come.
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requests: Mapped[list["HelpRequest"]] = relationship(
        back_populates="asker", order_by="HelpRequest.id", cascade="all, delete-orphan"
    )


class HelpRequest(PlaceMixin, db.Model):
    __tablename__ = "help_requests"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level_1_to_4"),
        CheckConstraint("earliest_date <= latest_date", name="window_in_order"),
        CheckConstraint("travel_km > 0", name="travel_positive"),
        # Open requests around a place, and the farthest any of them travels (could_come).
        Index("ix_help_requests_status_easting_northing", "status", "easting", "northing"),
        Index("ix_help_requests_status_travel_km", "status", "travel_km"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("askers.id", ondelete="CASCADE"), index=True)
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, "request_status"), default=RequestStatus.UNCONFIRMED, index=True
    )
    organisation_name: Mapped[str] = mapped_column(String(120))
    organisation_kind: Mapped[OrganisationKind] = mapped_column(
        enum_column(OrganisationKind, "organisation_kind")
    )
    level: Mapped[int]
    goal: Mapped[str] = mapped_column(Text)
    travel_km: Mapped[int]
    earliest_date: Mapped[date] = mapped_column(Date)
    latest_date: Mapped[date] = mapped_column(Date)
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    access_needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    access_notes: Mapped[str] = mapped_column(String(500), default="")
    consent_follow_up: Mapped[bool] = mapped_column(default=False)
    consent_share_story: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    asker: Mapped[Asker] = relationship(back_populates="requests")
    skills: Mapped[list[Skill]] = relationship(
        secondary=help_request_skills, order_by=Skill.position, lazy="selectin"
    )

    def __init__(self, **fields):
        # Every request starts unconfirmed, before it is ever flushed.
        super().__init__(**{"status": RequestStatus.UNCONFIRMED, **fields})

    def confirm(self, now: datetime) -> None:
        """Open the request for matching once its email address is confirmed."""
        if self.status is RequestStatus.UNCONFIRMED:
            self.status = RequestStatus.OPEN
            self.confirmed_at = now

    def withdraw(self, now: datetime) -> None:
        """Take the request out of matching; raise ValueError if it has already ended."""
        if self.status not in ASKER_CAN_WITHDRAW:
            raise ValueError(f"A request that is {self.status.value} cannot be withdrawn.")
        self.status = RequestStatus.WITHDRAWN
        self.withdrawn_at = now

    def settle(self, attended: bool) -> None:
        """Record, once the session is over, whether the group came."""
        if self.status in (RequestStatus.OPEN, RequestStatus.MATCHED):
            self.status = RequestStatus.ATTENDED if attended else RequestStatus.NO_SHOW

    @property
    def can_edit(self) -> bool:
        return self.status in ASKER_CAN_EDIT

    @property
    def can_withdraw(self) -> bool:
        return self.status in ASKER_CAN_WITHDRAW
