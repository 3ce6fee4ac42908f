"""Delivery killed mid-batch, and delivery while the SMTP server is down, counted at a real server.

The SMTP server runs in this process, so it keeps counting across the kill of the delivery
process; the delivery loop runs in a process of its own, as `flask scheduler run` does, against the
same database (PostgreSQL in CI's second pass, SQLite otherwise).
"""

import signal
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta

from surgery.extensions import db
from surgery.models import Notification, NotificationStatus
from surgery.notify import outbox
from tests.factories import NOW
from tests.services.test_outbox_concurrency import (
    LOOP,
    REPO,
    CountingServer,
    queue_due,
    wait_for,
)
from tests.smtp import free_port


def start_loop(url: str, port: int, now: datetime, log_path) -> subprocess.Popen:
    with open(log_path, "a") as log:
        return subprocess.Popen(
            [sys.executable, "-c", LOOP, url, str(port), now.isoformat()],
            cwd=REPO,
            stdout=log,
            stderr=log,
        )


def test_a_delivery_process_killed_mid_batch_repeats_at_most_the_message_in_flight(app, tmp_path):
    message_ids = queue_due(300)
    server = CountingServer(delay=0.005)  # slow enough that the kill lands mid-batch
    server.start()
    url, log = app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "loop.log"
    try:
        loop = start_loop(url, server.port, NOW, log)
        # Past a whole batch and into the next: a batch recorded only at its end loses its half.
        halfway = outbox.BATCH_SIZE + outbox.BATCH_SIZE // 2
        try:
            wait_for(lambda: sum(server.ids.values()) >= halfway or loop.poll() is not None)
        finally:
            loop.send_signal(signal.SIGKILL)
            loop.wait()
        assert loop.returncode == -signal.SIGKILL, log.read_text()
        assert sum(server.ids.values()) < len(message_ids), "the kill should land mid-run"

        server.delay = 0
        # Restarted once the dead process's lease has run out, as the next scheduler run would.
        restarted = start_loop(url, server.port, NOW + outbox.LEASE + timedelta(minutes=1), log)
        assert restarted.wait(timeout=120) == 0, log.read_text()
    finally:
        server.stop()

    lost = set(message_ids) - set(server.ids)
    repeated = {message_id: count for message_id, count in server.ids.items() if count > 1}
    assert lost == set()
    assert len(repeated) <= 1 and max(server.ids.values()) <= 2, f"repeated: {len(repeated)}"
    statuses = Counter(db.session.scalars(db.select(Notification.status)))
    assert statuses == {NotificationStatus.SENT: len(message_ids)}


def test_messages_wait_while_the_smtp_server_is_down_and_go_once_it_is_up(app, monkeypatch):
    message_ids = queue_due(5)
    # Nothing listens on this port: every connection is refused, as when the server is down.
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())
    while_down = outbox.deliver_due(NOW)
    assert while_down.sent == [] and while_down.failed == []
    assert len(while_down.retrying) == len(message_ids)
    waiting = Counter(db.session.scalars(db.select(Notification.status)))
    assert waiting == {NotificationStatus.PENDING: len(message_ids)}

    server = CountingServer()
    server.start()
    monkeypatch.setitem(app.config, "SMTP_PORT", server.port)
    try:
        # Not before the retry is due: a server that was down is not hammered every minute.
        assert outbox.deliver_due(NOW + timedelta(seconds=30)).sent == []
        later = outbox.deliver_due(NOW + timedelta(hours=1))
    finally:
        server.stop()
    assert sorted(later.sent) == sorted(db.session.scalars(db.select(Notification.id)))
    assert server.ids == Counter(dict.fromkeys(message_ids, 1))
    statuses = Counter(db.session.scalars(db.select(Notification.status)))
    assert statuses == {NotificationStatus.SENT: len(message_ids)}
