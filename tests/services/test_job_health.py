"""Job health: /healthz reports each scheduled job's last success, a stale job makes it 503 with
the job named, and admins get one email a stale spell."""

from datetime import timedelta

from surgery import clock
from surgery.scheduler import SCHEDULE, ScheduledJob, run_and_record
from surgery.services import health
from tests.factories import NOW, admin_account

WATCHED_SINCE = "surgery.jobs_watched_since"


def every_job_succeeded(at) -> None:
    for job in SCHEDULE:
        health.record_job_run(job.id, at, None, [])


def healthz(client, at):
    clock.freeze(at)
    response = client.get("/healthz")
    return response.status_code, response.get_json()


def test_healthz_reports_each_jobs_last_success(client):
    every_job_succeeded(NOW)
    status, body = healthz(client, NOW + timedelta(minutes=30))
    assert status == 200 and body["status"] == "ok"
    assert set(body["jobs"]) == {job.id for job in SCHEDULE}
    assert all(job["last_success_at"] == NOW.isoformat() for job in body["jobs"].values())


def test_a_job_that_stops_succeeding_makes_healthz_503_naming_it(client):
    every_job_succeeded(NOW)
    # Every job but delivery keeps succeeding; delivery runs every minute, so an hour and a
    # minute without a success is too long.
    later = NOW + timedelta(minutes=62)
    for job in SCHEDULE:
        if job.id != "deliver-due-mail":
            health.record_job_run(job.id, later, None, [])
    status, body = healthz(client, later)
    assert status == 503
    assert body["stale_jobs"] == ["deliver-due-mail"]
    assert body["jobs"]["deliver-due-mail"]["stale"] is True


def test_admins_get_one_email_a_stale_spell(client, mailbox):
    admin_account()
    mailbox.received.clear()
    every_job_succeeded(NOW)
    stale = NOW + timedelta(hours=2, minutes=1)  # the hourly jobs too, now
    for minutes in (0, 5, 60):
        healthz(client, stale + timedelta(minutes=minutes))
    warnings = mailbox.to("root@example.org")
    subjects = sorted(message["Subject"] for message in warnings)
    assert subjects == sorted(
        f"The scheduled job {job.id} has stopped succeeding"
        for job in SCHEDULE
        if job.every_seconds < 24 * 3600
    )
    # Once a job succeeds again, its next stale spell warns again.
    every_job_succeeded(stale)
    mailbox.received.clear()
    healthz(client, stale + timedelta(hours=3))
    assert len(mailbox.to("root@example.org")) == len(warnings)


def test_the_runner_records_a_job_that_raises_and_the_admins_hear_of_it(app, client, mailbox):
    admin_account()
    mailbox.received.clear()

    def broken() -> None:
        raise ZeroDivisionError

    job = ScheduledJob("deliver-due-mail", 60, broken)
    run_and_record(job)
    assert healthz(client, NOW)[1]["jobs"]["deliver-due-mail"]["last_error"] == "ZeroDivisionError"
    clock.freeze(NOW + timedelta(minutes=62))
    run_and_record(job)
    status, body = healthz(client, NOW + timedelta(minutes=62))
    assert status == 503 and body["stale_jobs"] == ["deliver-due-mail"]
    assert [m["Subject"] for m in mailbox.to("root@example.org")] == [
        "The scheduled job deliver-due-mail has stopped succeeding"
    ]


def test_where_no_scheduler_ever_ran_healthz_stays_ok(client):
    """A development or test database: no job has run, and none is expected to."""
    status, body = healthz(client, NOW + timedelta(days=30))
    assert status == 200
    assert all(job["last_success_at"] is None for job in body["jobs"].values())


def test_in_production_a_job_never_seen_is_stale_once_watched_long_enough(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_MUST_RUN", True)
    monkeypatch.delitem(app.extensions, WATCHED_SINCE, raising=False)
    assert healthz(client, NOW)[0] == 200, "just started: the scheduler may not have run yet"
    status, body = healthz(client, NOW + timedelta(minutes=62))
    assert status == 503 and "deliver-due-mail" in body["stale_jobs"]
    monkeypatch.delitem(app.extensions, WATCHED_SINCE, raising=False)
