"""What the scheduler's jobs last did, so a job that has stopped succeeding is noticed."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from surgery.extensions import db
from surgery.models.types import UTCDateTime


class JobRun(db.Model):
    __tablename__ = "job_runs"

    job_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    # A job that has never succeeded is judged from its first run here.
    first_run_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The exception's class only: its message may quote a row, and with it someone's details.
    last_error_class: Mapped[str | None] = mapped_column(String(100))
    # Items (sessions, requests, hosts) the last run had to leave for the next one.
    items_failed: Mapped[int] = mapped_column(default=0)
