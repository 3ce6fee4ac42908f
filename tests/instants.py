"""The one instant the whole suite runs at, and the UK's clock changes around it.

By default the suite tests the present: the real time when the run starts, rounded down to the
minute. `SURGERY_TEST_NOW` (read by the testing configuration) runs it at any other instant. Every
test starts with `surgery.clock` frozen there, and all test data is made relative to it.

`python -m tests.instants clocks-back` prints the night the UK's clocks next go back (00:30 UTC,
half an hour before the change), and `a-year-ahead` the instant a year on, for CI to run at.
"""

import sys
from datetime import UTC, date, datetime, timedelta

from config import TestingConfig
from surgery.clock import LONDON, real_utcnow


def chosen_instant() -> datetime:
    """Return SURGERY_TEST_NOW, else the present rounded down to the minute: the machine's time,
    asked of surgery.clock once, before any test freezes it."""
    chosen = TestingConfig.CLOCK_FROZEN_AT
    if chosen is None:
        chosen = real_utcnow().replace(second=0, microsecond=0)
    return chosen.astimezone(UTC)


def clock_changes(after: date, days: int = 400) -> list[date]:
    """Return the days (UK) on which the clocks change, from `after` on, within `days`."""
    changes = []
    for offset in range(days):
        day = after + timedelta(days=offset)
        before = datetime(day.year, day.month, day.day, tzinfo=LONDON).utcoffset()
        later = datetime.combine(day + timedelta(days=1), datetime.min.time(), LONDON).utcoffset()
        if before != later:
            changes.append(day)
    return changes


def next_clocks_back(after: date) -> date:
    """Return the next Sunday the UK's clocks go back an hour (from BST to GMT)."""
    return next(day for day in clock_changes(after) if day.month >= 9)


def next_clocks_forward(after: date) -> date:
    """Return the next Sunday the UK's clocks go forward an hour (from GMT to BST)."""
    return next(day for day in clock_changes(after) if day.month <= 4)


NOW = chosen_instant()


if __name__ == "__main__":
    choice = sys.argv[1] if len(sys.argv) > 1 else ""
    today = NOW.astimezone(LONDON).date()
    if choice == "clocks-back":
        night = next_clocks_back(today + timedelta(days=1))
        print(datetime(night.year, night.month, night.day, 0, 30, tzinfo=UTC).isoformat())
    elif choice == "a-year-ahead":
        print((NOW + timedelta(days=365)).isoformat())
    else:
        sys.exit("usage: python -m tests.instants clocks-back | a-year-ahead")
