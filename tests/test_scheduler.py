"""The schedule: stable job ids, safe settings, and each job doing its one service call."""

from datetime import timedelta
from types import SimpleNamespace

from apscheduler.schedulers.background import BackgroundScheduler

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import HelpRequest
from surgery.notify import outbox
from surgery.notify.outbox import Envelope
from surgery.scheduler import SCHEDULE, add_jobs
from surgery.services.asking import submit_help_request
from tests.factories import contact, request_details


def test_every_job_has_a_stable_id_and_catches_up_once_after_downtime(app):
    scheduler = BackgroundScheduler(timezone="UTC")
    add_jobs(scheduler, app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {
        "deliver-due-mail",
        "create-due-messages",
        "send-digests",
        "purge-unconfirmed",
        "anonymise-inactive",
        "run-matching",
    }
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time >= 3600
        # APScheduler keeps the wall clock: the first run is at start, before the interval's.
        assert job.next_run_time < job.trigger.start_date, "runs at start"


def test_the_delivery_job_sends_due_mail_once(app, mailbox):
    outbox.queue_email(
        Envelope("maya@example.org"),
        key="test:scheduler",
        template="new_manage_link",
        subject="Your new private link",
        due_at=utcnow(),
        person=SimpleNamespace(first_name="Maya"),
        manage_url="http://127.0.0.1:5000/manage/a1-x",
    )
    db.session.commit()
    job = next(job for job in SCHEDULE if job.id == "deliver-due-mail")
    job.run()
    job.run()
    assert [message["To"] for message in mailbox.received] == ["maya@example.org"]


def test_the_purge_job_deletes_stale_unconfirmed_requests(app):
    submit_help_request(contact(), request_details(), utcnow() - timedelta(days=8))
    next(job for job in SCHEDULE if job.id == "purge-unconfirmed").run()
    assert db.session.scalar(db.select(db.func.count(HelpRequest.id))) == 0


def test_each_scheduled_run_records_its_success_for_healthz(app, client):
    scheduler = BackgroundScheduler(timezone="UTC")
    add_jobs(scheduler, app)
    scheduler.get_job("purge-unconfirmed").func()
    purge = client.get("/healthz").get_json()["jobs"]["purge-unconfirmed"]
    assert purge["last_success_at"] == utcnow().isoformat() and purge["last_error"] is None
