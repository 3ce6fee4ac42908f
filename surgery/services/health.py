"""Whether the service can do its work: the database answers, and the scheduled jobs succeed.

A job is stale when it has not succeeded for its interval and an hour more (a job every minute:
after 61 minutes; every hour: two hours, so two runs in a row failed; daily: 25 hours). A job
that has never run on this database is not stale: a development or test database where no
scheduler ever ran must not fail /healthz forever. Production sets JOBS_MUST_RUN, and there a job
never seen is stale once this process has been watching for as long.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from surgery.clock import utcnow
from surgery.database import insert_or_on_conflict
from surgery.extensions import db
from surgery.models import Account, AccountStatus, JobRun, Role
from surgery.notify import keys, outbox
from surgery.notify.links import link

GRACE = timedelta(hours=1)


def database_answers() -> bool:
    """Return True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


@dataclass(frozen=True)
class JobHealth:
    job_id: str
    every_seconds: int
    last_success_at: datetime | None
    last_failure_at: datetime | None
    last_error_class: str | None
    items_failed: int
    stale: bool

    def as_json(self) -> dict:
        def moment(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "last_success_at": moment(self.last_success_at),
            "last_failure_at": moment(self.last_failure_at),
            "last_error": self.last_error_class,
            "items_failed": self.items_failed,
            "stale": self.stale,
        }


def record_job_run(job_id: str, now: datetime, error: Exception | None, failed_items) -> None:
    """Record a run: a success only when the job finished and left no item for the next run."""
    db.session.rollback()  # whatever the job left unfinished is not ours to commit
    if error is None and not failed_items:
        values = {"last_success_at": now, "items_failed": 0}
    else:
        failure = error or failed_items[0]
        error_class = type(failure).__name__ if error else failure.error_class
        values = {
            "last_failure_at": now,
            "last_error_class": error_class,
            "items_failed": len(failed_items),
        }
    db.session.execute(
        insert_or_on_conflict(JobRun)
        .values(job_id=job_id, first_run_at=now, **{"items_failed": 0} | values)
        .on_conflict_do_update(index_elements=[JobRun.job_id], set_=values)
    )
    db.session.commit()


def watching_since() -> datetime:
    """When this process first looked at the jobs' health."""
    return current_app.extensions.setdefault("surgery.jobs_watched_since", utcnow())


def job_health(now: datetime, intervals: dict[str, int]) -> list[JobHealth]:
    """Each scheduled job's last success and failure, and whether it is stale."""
    runs = {run.job_id: run for run in db.session.scalars(db.select(JobRun))}
    must_run = current_app.config["JOBS_MUST_RUN"]
    since = watching_since()
    report = []
    for job_id, every_seconds in intervals.items():
        run = runs.get(job_id)
        allowed = timedelta(seconds=every_seconds) + GRACE
        if run is None:
            stale = must_run and now - since > allowed
        else:
            # A job failing from its very first run is judged from that run.
            stale = now - (run.last_success_at or run.first_run_at) > allowed
        report.append(
            JobHealth(
                job_id=job_id,
                every_seconds=every_seconds,
                last_success_at=run.last_success_at if run else None,
                last_failure_at=run.last_failure_at if run else None,
                last_error_class=run.last_error_class if run else None,
                items_failed=run.items_failed if run else 0,
                stale=stale,
            )
        )
    return report


def warn_admins_of_stale_jobs(now: datetime, intervals: dict[str, int]) -> int:
    """Email each admin once per stale spell of each job; return how many emails were queued."""
    stale = [job for job in job_health(now, intervals) if job.stale]
    if not stale:
        return 0
    admins = db.session.scalars(
        db.select(Account).where(
            Account.role == Role.ADMIN, Account.status == AccountStatus.APPROVED
        )
    ).all()
    queued = 0
    for job in stale:
        for admin in admins:
            queued += bool(
                outbox.queue_email(
                    outbox.Envelope(admin.email),
                    key=keys.job_stale(job.job_id, job.last_success_at, admin.id),
                    template="job_stale",
                    subject=f"The scheduled job {job.job_id} has stopped succeeding",
                    due_at=now,
                    admin=admin,
                    job_id=job.job_id,
                    last_success_at=job.last_success_at,
                    last_error=job.last_error_class,
                    items_failed=job.items_failed,
                    admin_url=link("admin"),
                )
            )
    db.session.commit()
    outbox.send_queued(now)
    return queued
