"""One bad row never stops a job: each item of a scheduled job in a transaction of its own.

A job hands each session, request or host to `each_alone`. An item that raises is rolled back,
logged by its ids and the error's class (never its message, which may quote someone's details),
and left for the next run, which tries it again; the items after it go on. The job runner
(`surgery.scheduler`) counts the items left, so a job that keeps failing one is reported.
"""

import logging
import traceback
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TypeVar

from surgery.extensions import db

log = logging.getLogger(__name__)

Item = TypeVar("Item")


class ItemFailure:
    """An item a job had to leave, named by ids only."""

    def __init__(self, job: str, ids: dict[str, int], error: Exception):
        self.job, self.ids, self.error_class = job, ids, type(error).__name__
        frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
        self.where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""


# The failures of the job running in this context; the runner starts it with an empty list.
failures: ContextVar[list[ItemFailure] | None] = ContextVar("job_item_failures", default=None)


def each_alone(
    job: str,
    items: Iterable[Item],
    work: Callable[[Item], object],
    ids: Callable[[Item], dict[str, int]],
) -> int:
    """Do `work` for each item, committing each on its own; return how many failed."""
    left = 0
    for item in list(items):
        # Read before the work: after a rollback the item's attributes would need the database.
        named = ids(item)
        try:
            work(item)
            db.session.commit()
        except Exception as error:  # noqa: BLE001  (any item's fault stays with that item)
            db.session.rollback()
            left += 1
            failure = ItemFailure(job, named, error)
            log.error(
                "job item failed",
                extra={"job": job, **named, "error": failure.error_class, "at": failure.where},
            )
            if (recorded := failures.get()) is not None:
                recorded.append(failure)
    return left
