"""Every message's key: what caused it, so the same news can never be queued twice.

One function a message, from ids and moments only. A key with a moment in it (a session's start,
when a place was taken) makes news again when that moment changes; one without goes once ever.
"""

from datetime import date, datetime


def stamp(moment: datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%S}"


# A group's place.
def booked(booking_id: int, joined_at: datetime) -> str:
    return f"booked:booking:{booking_id}:{stamp(joined_at)}"


def paired(pairing_id: int) -> str:
    return f"paired:pairing:{pairing_id}"


def volunteer_changed(pairing_id: int, signup_id: int) -> str:
    return f"volunteer-changed:pairing:{pairing_id}:signup:{signup_id}"


def unpaired(pairing_id: int) -> str:
    return f"unpaired:pairing:{pairing_id}"


def place_freed(booking_id: int, starts_at: datetime) -> str:
    return f"freed:booking:{booking_id}:{stamp(starts_at)}"


def reminder(booking_id: int, starts_at: datetime, morning: bool = False) -> str:
    """The 48-hour "still coming?" reminder, or the one on the morning of the session."""
    kind = "reminder-morning" if morning else "reminder-48h"
    return f"{kind}:booking:{booking_id}:{stamp(starts_at)}"


# A volunteer at a session.
def signed_up(signup_id: int, now: datetime) -> str:
    return f"signed-up:signup:{signup_id}:{stamp(now)}"


def volunteer_groups(signup_id: int, starts_at: datetime) -> str:
    """The list of groups two days before; a changed list adds `changed(…)` to it."""
    return f"volunteer-groups:signup:{signup_id}:{stamp(starts_at)}"


def changed(key: str, now: datetime) -> str:
    return f"{key}:changed:{stamp(now)}"


def volunteer_morning(signup_id: int, starts_at: datetime) -> str:
    return f"volunteer-morning:signup:{signup_id}:{stamp(starts_at)}"


def volunteer_withdrew(signup_id: int, now: datetime, host_id: int) -> str:
    return f"volunteer-withdrew:signup:{signup_id}:{stamp(now)}:host:{host_id}"


def volunteer_invited(volunteer_id: int, session_id: int) -> str:
    """A host's invitation to help at a session: once per volunteer per session, ever."""
    return f"volunteer-invited:volunteer:{volunteer_id}:session:{session_id}"


# A whole session.
def session_changed(session_id: int, sequence: int, to: str) -> str:
    """`to` names the person told: booking:<id> or signup:<id>."""
    return f"session-changed:session:{session_id}:v{sequence}:{to}"


def session_cancelled(session_id: int, to: str) -> str:
    return f"session-cancelled:session:{session_id}:{to}"


def session_links(session_id: int, email: str, now: datetime) -> str:
    """At most one an hour for an address, however often the form is sent."""
    return f"session-links:{session_id}:{email}:{now:%Y%m%d%H}"


# A request over time.
def confirm_request(request_id: int) -> str:
    return f"confirm-request:{request_id}"


def still_looking(request_id: int) -> str:
    return f"still-looking:request:{request_id}"


def request_expired(request_id: int) -> str:
    return f"expired:request:{request_id}"


def follow_up(kind: str, request_id: int) -> str:
    return f"follow-up-{kind}:request:{request_id}"


# People and accounts.
def confirm_volunteer(volunteer_id: int) -> str:
    return f"confirm-volunteer:{volunteer_id}"


def confirm_volunteer_again(volunteer_id: int, now: datetime) -> str:
    """An offer made again before it was confirmed: at most one new link an hour."""
    return f"confirm-volunteer:{volunteer_id}:again:{now:%Y%m%d%H}"


def volunteer_link(reason: str, volunteer_id: int, now: datetime) -> str:
    """At most one an hour for a volunteer."""
    return f"manage-link:{reason}:v{volunteer_id}:{now:%Y%m%d%H}"


def new_manage_link(token: str) -> str:
    return f"new-manage-link:{token}"


def host_application(account_id: int, admin_id: int) -> str:
    return f"host-application:{account_id}:admin:{admin_id}"


def host_applied(account_id: int) -> str:
    return f"host-applied:{account_id}"


def host_applied_again(account_id: int, now: datetime) -> str:
    """At most one a day, however often the address applies."""
    return f"host-applied-again:{account_id}:{now:%Y%m%d}"


def host_decision(account_id: int) -> str:
    return f"host-decision:{account_id}"


def host_digest(account_id: int, day: date) -> str:
    return f"digest:account:{account_id}:{day.isoformat()}"


def sign_in_paused(account_id: int, session_version: int, now: datetime) -> str:
    """At most one a day for an account, and one more once its link has been used."""
    return f"sign-in-paused:account:{account_id}:v{session_version}:{now:%Y%m%d}"


# Asked for again, and changes of address.
def manage_links(asker_id: int | None, volunteer_id: int | None, now: datetime) -> str:
    """Lost links for one address: at most one email an hour."""
    return f"manage-links:a{asker_id or '-'}:v{volunteer_id or '-'}:{now:%Y%m%d%H}"


def email_change_link(token: str) -> str:
    return f"email-change-link:{token}"


def email_change_refused(kind: str, person_id: int, now: datetime) -> str:
    """To an address already in use: at most one an hour, however often someone tries it."""
    return f"email-change-refused:{kind}{person_id}:{now:%Y%m%d%H}"


def email_changed(kind: str, person_id: int, now: datetime) -> str:
    return f"{email_changed_prefix(kind, person_id)}{stamp(now)}"


def email_changed_prefix(kind: str, person_id: int) -> str:
    """Every notice to a person's former addresses: erasing them finds these by key alone."""
    return f"email-changed:{kind}{person_id}:"


def job_stale(job_id: str, last_success_at: datetime | None, admin_id: int) -> str:
    """One warning an admin per job per stale spell: a spell ends with the job's next success."""
    since = stamp(last_success_at) if last_success_at else "never"
    return f"job-stale:{job_id}:{since}:admin:{admin_id}"
