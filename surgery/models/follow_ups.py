"""What a group told us after its session: a week on, and three months on."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.extensions import db
from surgery.models.requests import HelpRequest
from surgery.models.types import UTCDateTime, enum_column


class FollowUpKind(enum.StrEnum):
    WEEK = "week"  # "did you get going?"
    QUARTER = "quarter"  # "what has changed for your group?"


class GotGoing(enum.StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NOT_YET = "not-yet"

    @property
    def label(self) -> str:
        return {
            GotGoing.YES: "Yes",
            GotGoing.PARTLY: "Partly",
            GotGoing.NOT_YET: "Not yet",
        }[self]


class FollowUp(db.Model):
    __tablename__ = "follow_ups"
    __table_args__ = (
        UniqueConstraint("help_request_id", "kind"),
        CheckConstraint("change_scale BETWEEN 1 AND 5", name="change_scale_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    help_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[FollowUpKind] = mapped_column(enum_column(FollowUpKind, "follow_up_kind"))
    got_going: Mapped[GotGoing | None] = mapped_column(enum_column(GotGoing, "got_going"))
    change_scale: Mapped[int | None]
    line: Mapped[str] = mapped_column(String(300), default="")
    story: Mapped[str] = mapped_column(Text, default="")
    may_share_story: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())

    help_request: Mapped[HelpRequest] = relationship()
