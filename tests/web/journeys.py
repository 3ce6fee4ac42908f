"""Complete answers for the two intake journeys, and a walk through every step."""

import re
from datetime import timedelta

from tests.factories import TODAY
from tests.web.forms import submit


def ask_answers(**changes) -> dict[str, dict]:
    """Answers to each ask-for-help step, by step; `changes` replaces single fields."""
    today = TODAY
    steps = {
        "contact": {"name": "Maya Patel", "email": "maya@example.org", "phone": ""},
        "group": {"organisation_name": "Ladywood Food Bank", "organisation_kind": "charity"},
        "postcode": {"postcode": "b16 8ab"},
        "skills": {"skills": ["1", "5"]},
        "level": {"level": "2"},
        "goal": {"goal": "Start a Facebook page so more families hear about us."},
        "travel": {"travel_km": "5"},
        "when": {
            "earliest_date": (today + timedelta(days=3)).isoformat(),
            "latest_date": (today + timedelta(days=60)).isoformat(),
            "availability": ["weekdays", "weekends"],
        },
        "access": {"access_needs": ["step-free"], "access_notes": ""},
        "keeping-in-touch": {"consent_follow_up": "y"},
    }
    for step in steps.values():
        for field in step.keys() & changes.keys():
            step[field] = changes[field]
    return steps


def offer_answers(**changes) -> dict[str, dict]:
    steps = {
        "contact": {"name": "Sam Okafor", "email": "sam@example.org"},
        "postcode": {"postcode": "B15 2TT"},
        "skills": {"skills": ["1", "4"]},
        "levels": {"levels": ["1", "2"]},
        "travel": {"travel_km": "10"},
        "availability": {"availability": ["weekday-evenings"]},
        "about-you": {"bio": "I run websites for two local charities."},
    }
    for step in steps.values():
        for field in step.keys() & changes.keys():
            step[field] = changes[field]
    return steps


def walk(client, prefix: str, steps: dict[str, dict]):
    """Answer each step in order, then send from the check page; return the last response."""
    for slug, data in steps.items():
        response = submit(client, f"{prefix}/{slug}", data)
        assert response.status_code == 302, f"step {slug} did not accept its answers"
    return submit(client, f"{prefix}/check", follow=True)


def link_in(text: str, path: str) -> str:
    """Return the path of the first link in an email that starts with `path`."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", text)
    assert match, f"no {path} link in the email"
    return match.group(1)
