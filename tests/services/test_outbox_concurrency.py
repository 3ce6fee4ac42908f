"""Delivery loops at once, and a loop killed mid-batch: every due message goes, none twice."""

import asyncio
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

from surgery import create_app
from surgery.extensions import db
from surgery.models import Notification, NotificationStatus
from surgery.models.notifications import new_message_id
from surgery.notify import outbox
from surgery.notify.outbox import Envelope
from tests.factories import NOW
from tests.smtp import SmtpServer

# SQLite has no row locks, so loops racing for rows only mean something on PostgreSQL.
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
REPO = Path(__file__).resolve().parents[2]
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


class CountingServer(SmtpServer):
    """Counts the Message-IDs it accepts, parsing nothing else; waits `delay` s before each 250."""

    def __init__(self, delay: float = 0.0):
        super().__init__()
        self.delay, self.ids = delay, Counter()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.ids[MESSAGE_ID.search(envelope.content).group(1).decode()] += 1
        await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


def queue_due(count: int) -> list[str]:
    """Put `count` rows due at NOW in the outbox in one statement; return their Message-IDs."""
    rows = [
        {
            "key": f"test:bulk:{n}",
            "kind": "test",
            "recipient": f"person{n}@example.org",
            "subject": f"Message {n}",
            "body_text": "Hello.",
            "body_html": "<p>Hello.</p>",
            "due_at": NOW,
            "created_at": NOW,
            "message_id": new_message_id(),
        }
        for n in range(count)
    ]
    db.session.execute(insert(Notification), rows)
    db.session.commit()
    return [row["message_id"] for row in rows]


def two_loops_at_once_deliver_every_message_exactly_once(app):
    message_ids = queue_due(2000)
    server = CountingServer()
    server.start()
    racing = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_BACKEND="smtp",
        SMTP_HOST=server.hostname,
        SMTP_PORT=server.port,
    )
    # Two processes, as two schedulers would be, each opening its own connections after the fork.
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(2), context.Queue()

    def loop() -> None:
        with racing.app_context():
            try:
                start.wait()
                results.put(outbox.deliver_due(NOW).sent)
            except Exception as error:  # noqa: BLE001  (reported below, with the test's failure)
                results.put(repr(error))

    loops = [context.Process(target=loop) for _ in range(2)]
    for process in loops:
        process.start()
    sent = [results.get(timeout=120) for _ in loops]
    for process in loops:
        process.join(timeout=60)
    server.stop()

    assert all(isinstance(ids, list) and ids for ids in sent), f"both loops send: {sent}"
    assert sorted(sent[0] + sent[1]) == sorted(db.session.scalars(db.select(Notification.id)))
    assert server.ids == Counter(dict.fromkeys(message_ids, 1))
    attempts = Counter(db.session.scalars(db.select(Notification.attempts)))
    assert attempts == {1: 2000}


def rows_another_loop_has_locked_are_skipped_not_waited_for(app):
    queue_due(3)
    first, *others = db.session.scalars(db.select(Notification.id).order_by(Notification.id))
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    other_loop = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with other_loop.app_context():
        db.session.execute(
            db.select(Notification.id).where(Notification.id == first).with_for_update()
        )
        try:
            with app.app_context():
                claimed = [row.id for row in outbox.claim_due(NOW, 10)]
        finally:
            db.session.rollback()
            db.engine.dispose()
    assert claimed == others


def ten_workers_queueing_the_same_message_at_once_make_one_row(app):
    racing = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 10, "max_overflow": 0},
    )
    start, results, errors = threading.Barrier(10), [], []

    def queue() -> None:
        with racing.app_context():
            try:
                start.wait()
                row = outbox.queue_email(
                    Envelope("maya@example.org"),
                    key="test:race",
                    template="new_manage_link",
                    subject="Your new private link",
                    due_at=NOW,
                    person={"first_name": "Maya"},
                    manage_url="http://127.0.0.1:5000/manage/a1-x",
                )
                db.session.commit()
                results.append(row is not None)
            except Exception as error:  # noqa: BLE001  (reported below, with the test's failure)
                errors.append(repr(error))

    threads = [threading.Thread(target=queue) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with racing.app_context():
        db.engine.dispose()

    assert errors == []
    assert sorted(results) == [False] * 9 + [True]
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 1


if ON_POSTGRES:
    test_two_loops_at_once_deliver_every_message_exactly_once = (
        two_loops_at_once_deliver_every_message_exactly_once
    )
    test_rows_another_loop_has_locked_are_skipped_not_waited_for = (
        rows_another_loop_has_locked_are_skipped_not_waited_for
    )
    test_ten_workers_queueing_the_same_message_at_once_make_one_row = (
        ten_workers_queueing_the_same_message_at_once_make_one_row
    )


# A delivery loop in a process of its own, as the scheduler runs it.
LOOP = """
import sys
from datetime import datetime
from surgery import create_app
from surgery.notify import outbox

url, port, now = sys.argv[1:]
app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MAIL_BACKEND="smtp",
                 SMTP_HOST="127.0.0.1", SMTP_PORT=int(port))
with app.app_context():
    outbox.deliver_due(datetime.fromisoformat(now))
"""


def test_a_loop_killed_mid_batch_loses_nothing_and_repeats_at_most_its_batch(
    app, monkeypatch, tmp_path
):
    batch = outbox.BATCH_SIZE
    message_ids = queue_due(2 * batch + batch // 2)
    server = CountingServer(delay=0.02)  # slow enough that the kill lands mid-batch
    server.start()
    monkeypatch.setitem(app.config, "SMTP_PORT", server.port)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with open(tmp_path / "loop.log", "w") as log:
        loop = subprocess.Popen(
            [sys.executable, "-c", LOOP, url, str(server.port), NOW.isoformat()],
            cwd=REPO,
            stdout=log,
            stderr=log,
        )
    try:
        # Halfway through the second batch: the first is recorded, the second is in flight.
        wait_for(lambda: sum(server.ids.values()) >= batch + batch // 2 or loop.poll() is not None)
    finally:
        loop.send_signal(signal.SIGKILL)
        loop.wait()
    assert loop.returncode == -signal.SIGKILL, (tmp_path / "loop.log").read_text()
    in_flight = set(db.session.scalars(message_ids_of(NotificationStatus.SENDING)))
    sent_before = set(db.session.scalars(message_ids_of(NotificationStatus.SENT)))
    assert 0 < len(in_flight) <= batch and sent_before, "the kill should land mid-batch"

    server.delay = 0
    restarted = outbox.deliver_due(NOW + outbox.LEASE + timedelta(minutes=1))
    server.stop()

    assert set(server.ids) == set(message_ids), "every due message arrives"
    repeated = {message_id for message_id, count in server.ids.items() if count > 1}
    assert repeated <= in_flight and max(server.ids.values()) <= 2
    assert len(restarted.sent) == len(message_ids) - len(sent_before)
    statuses = Counter(db.session.scalars(db.select(Notification.status)))
    assert statuses == {NotificationStatus.SENT: len(message_ids)}


def message_ids_of(status: NotificationStatus):
    return db.select(Notification.message_id).where(Notification.status == status)


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)
