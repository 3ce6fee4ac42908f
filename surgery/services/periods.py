"""A period of UK calendar days, as reports, the impact page and the open data count them."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, true

from surgery.clock import LONDON, london_date


@dataclass(frozen=True)
class Period:
    """UK calendar days, both ends included; None leaves that end open."""

    first_day: date | None = None
    last_day: date | None = None

    @classmethod
    def last_twelve_months(cls, now: datetime) -> "Period":
        """From this day a year ago (28 February for 29 February) to today."""
        today = london_date(now)
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:
            year_ago = today.replace(year=today.year - 1, day=28)
        return cls(year_ago, today)

    def starts(self) -> datetime | None:
        """The instant the first day starts (UK midnight, in UTC)."""
        return _uk_midnight(self.first_day) if self.first_day else None

    def ends(self) -> datetime | None:
        """The instant the last day is over."""
        return _uk_midnight(self.last_day + timedelta(days=1)) if self.last_day else None

    def contains(self, column) -> ColumnElement[bool]:
        """A condition on a time column: in the period."""
        conditions = []
        if self.first_day:
            conditions.append(column >= self.starts())
        if self.last_day:
            conditions.append(column < self.ends())
        return and_(true(), *conditions)


def _uk_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), LONDON).astimezone(UTC)
