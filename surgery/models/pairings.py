"""A proposed or agreed pairing of a group with a volunteer at a session, and each match run."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models.requests import HelpRequest
from surgery.models.sessions import SurgerySession
from surgery.models.signups import Signup
from surgery.models.types import UTCDateTime, enum_column


class PairingState(enum.StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    LOCKED = "locked"
    DECLINED = "declined"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            PairingState.PROPOSED: "Proposed: not sent to anyone yet",
            PairingState.CONFIRMED: "Confirmed: the group has been told",
            PairingState.LOCKED: "Locked: the group has been told; the matcher keeps it",
            PairingState.DECLINED: "Dropped",
            PairingState.CANCELLED: "Ended",
        }[self]


# The matcher may replace proposals; these it must leave exactly as they are.
FIXED_STATES = (PairingState.CONFIRMED, PairingState.LOCKED)


class MatchRun(db.Model):
    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seconds: Mapped[float] = mapped_column(default=0.0)
    triggered_by: Mapped[str] = mapped_column(String(40))
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    requests_considered: Mapped[int] = mapped_column(default=0)
    paired: Mapped[int] = mapped_column(default=0)
    unpaired_by_reason: Mapped[dict] = mapped_column(JSON, default=dict)
    # Unpaired requests by district and skill: where sessions or volunteers are needed next.
    unmet_demand: Mapped[list] = mapped_column(JSON, default=list)
    # What became of the previous run's proposals at these sessions: {"before", "kept" (same
    # volunteer), "moved" (another volunteer or session), "dropped" (none), "new"}. Agreed
    # pairings are fixed and never counted. Empty for runs before this was recorded.
    churn: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))

    @property
    def churn_summary(self) -> str:
        """The churn in a sentence, for hosts, admins and the command line."""
        if not self.churn:
            return ""
        c = self.churn
        return (
            f"Kept {c['kept']} of {c['before']} earlier proposals; {c['moved']} moved, "
            f"{c['dropped']} dropped; {c['new']} new."
        )


class Pairing(db.Model):
    __tablename__ = "pairings"
    __table_args__ = (
        # A group has at most one live pairing, whatever runs at once (two schedulers, a host).
        Index(
            "uq_pairings_one_live_per_request",
            "help_request_id",
            unique=True,
            sqlite_where=text("state IN ('proposed', 'confirmed', 'locked')"),
            postgresql_where=text("state IN ('proposed', 'confirmed', 'locked')"),
        ),
        # A session's live pairings, for its host's page, without reading its old ones.
        Index("ix_pairings_session_id_state", "session_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    help_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    signup_id: Mapped[int] = mapped_column(ForeignKey("signups.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("surgery_sessions.id", ondelete="CASCADE"), index=True
    )
    match_run_id: Mapped[int | None] = mapped_column(ForeignKey("match_runs.id"), index=True)
    state: Mapped[PairingState] = mapped_column(enum_column(PairingState, "pairing_state"))
    distance_km: Mapped[float]
    shared_skills: Mapped[list[int]] = mapped_column(JSON, default=list)
    cost: Mapped[int] = mapped_column(default=0)
    # The group had not booked: agreeing gave it its table, so dropping the pairing frees it.
    took_table: Mapped[bool] = mapped_column(default=False)
    # A host dropped it and said the group is not to be proposed at this session again.
    not_here_again: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    help_request: Mapped[HelpRequest] = relationship()
    signup: Mapped[Signup] = relationship()
    surgery_session: Mapped[SurgerySession] = relationship()
