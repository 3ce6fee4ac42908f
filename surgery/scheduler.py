"""The schedule as data: each job is an app context and one service call.

Jobs are safe to run late, twice or in two processes at once: the outbox leases its rows, every
message has a unique key, and the purge deletes by age. Jobs carry no state of their own, so a
restarted scheduler loses nothing: the first run of each job does whatever became due while it was
down.
"""

from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from surgery.clock import real_utcnow, utcnow
from surgery.notify import outbox
from surgery.services import digests, follow_through, matching, personal_data


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
    ScheduledJob("run-matching", 3600, lambda: matching.run_matching(utcnow(), "scheduler")),
)
# Long enough that a scheduler restarted within a day still runs what it missed.
MISFIRE_GRACE_SECONDS = 24 * 3600


def add_jobs(scheduler: BaseScheduler, app: Flask) -> None:
    """Put every job of the schedule on a scheduler, each running inside the app's context."""
    for job in SCHEDULE:
        scheduler.add_job(
            in_app_context(app, job.run),
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


def in_app_context(app: Flask, run: Callable[[], object]) -> Callable[[], None]:
    def job() -> None:
        with app.app_context():
            run()

    return job
