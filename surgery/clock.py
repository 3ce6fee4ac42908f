"""Time as the service sees it: stored in UTC, shown and reasoned about in Europe/London."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


def london_date(moment: datetime) -> date:
    """Return the calendar date in the UK at a moment."""
    return moment.astimezone(LONDON).date()
