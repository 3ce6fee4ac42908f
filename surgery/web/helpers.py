"""Values and filters every template can use."""

from datetime import date, datetime

from flask import Flask

from surgery.clock import LONDON
from surgery.services.skills import active_skills
from surgery.vocabulary import AccessNeed, Availability, Level
from surgery.web.charts import number_text

SERVICE_NAME = "Social Media Surgery"


def long_date(value: date) -> str:
    """Say a date as people write it: 1 December 2026."""
    return f"{value:%-d %B %Y}"


def clock(moment: datetime) -> str:
    """Say a time as people do: 6pm, 6:30pm."""
    hour = moment.strftime("%-I")
    minutes = "" if moment.minute == 0 else moment.strftime(":%M")
    return f"{hour}{minutes}{moment.strftime('%p').lower()}"


def when(starts_at: datetime, ends_at: datetime) -> str:
    """Say when a session is, in UK time: Tuesday 1 December 2026, 6pm to 8pm."""
    starts, ends = starts_at.astimezone(LONDON), ends_at.astimezone(LONDON)
    return f"{starts:%A} {long_date(starts.date())}, {clock(starts)} to {clock(ends)}"


def skill_names(skill_ids: list[int]) -> str:
    names = {skill.id: skill.name for skill in active_skills()}
    return ", ".join(names.get(skill_id, "") for skill_id in skill_ids)


def level_titles(levels: list[int]) -> str:
    return ", ".join(Level(level).title for level in levels)


def availability_labels(choices: list[str]) -> str:
    return ", ".join(Availability(choice).label for choice in choices)


def access_labels(needs: list[str]) -> str:
    return ", ".join(AccessNeed(need).label for need in needs) or "None"


def distance(km: float) -> str:
    """Say a distance the one way every page does: '2.4 km'; 'under 100 m' rather than
    '0.0 km'."""
    return "under 100 m" if km < 0.1 else f"{km:.1f} km"


def plural(count: int, noun: str) -> str:
    """'1 pairing', '3 pairings'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def register(app: Flask) -> None:
    """Give templates the service name, and the words for our stored values."""
    app.add_template_filter(long_date)
    app.add_template_global(SERVICE_NAME, "service_name")
    for helper in (
        level_titles,
        availability_labels,
        access_labels,
        when,
        skill_names,
        plural,
        distance,
        number_text,
    ):
        app.add_template_global(helper)
