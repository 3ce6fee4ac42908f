"""The schedule as data: each job is an app context and one service call.

Jobs are safe to run late, twice or in two processes at once: the outbox leases its rows, every
message has a unique key, and the purge deletes by age. Jobs carry no state of their own, so a
restarted scheduler loses nothing: the first run of each job does whatever became due while it was
down.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from surgery.clock import real_utcnow, utcnow
from surgery.notify import outbox
from surgery.services import (
    digests,
    follow_through,
    health,
    isolation,
    matching,
    personal_data,
    retention,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduledJob:
    id: str
    every_seconds: int
    run: Callable[[], object]


SCHEDULE = (
    ScheduledJob("deliver-due-mail", 60, lambda: outbox.deliver_due(utcnow())),
    ScheduledJob(
        "create-due-messages", 300, lambda: follow_through.create_due_messages(utcnow())
    ),
    ScheduledJob("send-digests", 3600, lambda: digests.send_digests(utcnow())),
    ScheduledJob("purge-unconfirmed", 3600, lambda: personal_data.purge_unconfirmed(utcnow())),
    ScheduledJob("anonymise-inactive", 86400, lambda: retention.anonymise_inactive(utcnow())),
    ScheduledJob("run-matching", 3600, lambda: matching.run_matching(utcnow(), "scheduler")),
)
# Long enough that a scheduler restarted within a day still runs what it missed.
MISFIRE_GRACE_SECONDS = 24 * 3600


def add_jobs(scheduler: BaseScheduler, app: Flask) -> None:
    """Put every job of the schedule on a scheduler, each running inside the app's context."""
    for job in SCHEDULE:
        scheduler.add_job(
            in_app_context(app, job),
            IntervalTrigger(seconds=job.every_seconds),
            id=job.id,
            name=job.id,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            replace_existing=True,
            # Once at start, then every interval: a scheduler that was down catches up at once.
            next_run_time=real_utcnow(),
        )


def in_app_context(app: Flask, scheduled: ScheduledJob) -> Callable[[], None]:
    def job() -> None:
        with app.app_context():
            run_and_record(scheduled)

    return job


def run_and_record(scheduled: ScheduledJob) -> None:
    """Run a job, then record whether it succeeded, for /healthz and the admins' warning.

    A job that leaves some items for the next run (see surgery.services.isolation) has not
    succeeded: someone is still waiting for those. A job that raises is logged by its error's
    class only, since a database error's message can quote a row.
    """
    left = isolation.failures.set([])
    error = None
    try:
        scheduled.run()
    except Exception as raised:  # noqa: BLE001  (recorded, and the next run tries again)
        error = raised
        log.error("job failed", extra={"job": scheduled.id, "error": type(raised).__name__})
    finally:
        failed_items = isolation.failures.get() or []
        isolation.failures.reset(left)
    now = utcnow()
    health.record_job_run(scheduled.id, now, error, failed_items)
    health.warn_admins_of_stale_jobs(now, job_intervals())


def job_intervals() -> dict[str, int]:
    """Each job's id and how often it runs, in seconds: what /healthz judges staleness by."""
    return {job.id: job.every_seconds for job in SCHEDULE}
