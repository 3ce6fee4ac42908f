"""Answers to a multi-step form, kept on the server between steps so nothing typed is lost."""

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models.types import UTCDateTime


class FormDraft(db.Model):
    __tablename__ = "form_drafts"

    # The browser holds only this random id (in its signed session cookie), never the answers.
    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    journey: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
