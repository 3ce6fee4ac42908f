"""Answers to a multi-step form, kept between steps under a random id the browser holds."""

import secrets
from datetime import datetime

from surgery.extensions import db
from surgery.models import FormDraft


def load_answers(draft_id: str | None, journey: str) -> dict:
    """Return the answers saved so far for this journey, or nothing."""
    draft = db.session.get(FormDraft, draft_id) if draft_id else None
    if draft is None or draft.journey != journey:
        return {}
    return dict(draft.answers)


def save_answers(draft_id: str | None, journey: str, answers: dict, now: datetime) -> str:
    """Merge answers into the draft (creating it if needed); return the draft's id."""
    draft = db.session.get(FormDraft, draft_id) if draft_id else None
    if draft is None or draft.journey != journey:
        draft = FormDraft(id=secrets.token_urlsafe(32), journey=journey, answers={})
        db.session.add(draft)
    draft.answers = {**draft.answers, **answers}
    draft.updated_at = now
    db.session.commit()
    return draft.id


def discard(draft_id: str | None) -> None:
    """Forget a draft once its answers have been sent."""
    draft = db.session.get(FormDraft, draft_id) if draft_id else None
    if draft is not None:
        db.session.delete(draft)
        db.session.commit()
