"""Time as the service sees it: stored in UTC, shown and reasoned about in Europe/London.

Everything that needs "now" asks `utcnow()`, so one call to `freeze` moves the whole service, with
its tokens and its scheduled messages, to another moment: the tests do, at an instant they choose.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

_frozen_at: datetime | None = None


def utcnow() -> datetime:
    """Return the current time, aware, in UTC (the frozen instant while the clock is frozen)."""
    if _frozen_at is not None:
        return _frozen_at
    return real_utcnow()


def real_utcnow() -> datetime:
    """Return the machine's time, frozen or not: for APScheduler, which times its runs by it."""
    return datetime.now(UTC)


def freeze(moment: datetime) -> None:
    """Stop the clock at a moment (aware); `freeze` again to move it, `thaw` to let it run."""
    global _frozen_at
    if moment.tzinfo is None:
        raise ValueError("Freeze the clock at an aware moment, not a naive one.")
    _frozen_at = moment.astimezone(UTC)


def thaw() -> None:
    """Let the clock follow the real time again."""
    global _frozen_at
    _frozen_at = None


def london_date(moment: datetime) -> date:
    """Return the calendar date in the UK at a moment."""
    return moment.astimezone(LONDON).date()


def how_soon(now: datetime, moment: datetime) -> str:
    """Say how far off a moment is in UK calendar days: today, tomorrow, in 3 days."""
    days = (london_date(moment) - london_date(now)).days
    if days <= 0:
        return "today"
    return "tomorrow" if days == 1 else f"in {days} days"
