"""Benchmark the outbox: deliver 10,000 due emails to a local SMTP server and count what arrived.

    .venv/bin/python bench/notify.py [--count 10000] [--workers 2] [--batch-size 50]
                                     [--database-url postgresql://…/scratch]

Makes a throwaway SQLite file database (or uses --database-url, which must hold no outbox rows),
migrates it, queues `count` due rows, then runs `deliver_due` in `workers` processes at once (as
several schedulers would), against aiosmtpd in a child process that counts the Message-IDs it
receives: a real SMTP conversation per batch. Prints figures for people, then one JSON object as
the last line.
"""

import argparse
import json
import logging
import multiprocessing
import os
import re
import signal
import socket
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import flask_migrate  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import delete, insert  # noqa: E402

from config import database_url  # noqa: E402
from surgery import create_app  # noqa: E402
from surgery.clock import utcnow  # noqa: E402
from surgery.extensions import db  # noqa: E402
from surgery.logs import JsonFormatter  # noqa: E402
from surgery.models import Notification, NotificationStatus  # noqa: E402
from surgery.models.notifications import new_message_id  # noqa: E402
from surgery.notify import outbox  # noqa: E402
from surgery.notify.messages import render_email  # noqa: E402

TARGET_PER_S = 300
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


def parse_args() -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="due emails to deliver")
    parser.add_argument(
        "--workers", type=int, default=2, help="delivery loops at once (default: one a core)"
    )
    parser.add_argument("--batch-size", type=int, default=outbox.BATCH_SIZE)
    parser.add_argument("--database-url", help="an empty scratch database instead of SQLite")
    parser.add_argument(
        "--kill-count", type=int, default=1000, help="due emails for the loop killed mid-run"
    )
    return parser.parse_args()


class CountingHandler:
    """Counts each Message-ID the server accepts; nothing else is kept."""

    def __init__(self):
        self.ids: Counter[str] = Counter()

    async def handle_DATA(self, server, session, envelope) -> str:
        found = MESSAGE_ID.search(envelope.content)
        self.ids[found.group(1).decode() if found else "(none)"] += 1
        return "250 Message accepted for delivery"


def serve_smtp(port: int, control) -> None:
    """Run aiosmtpd until told to stop, then send back the Message-IDs it received."""
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    control.send("ready")
    control.recv()
    controller.stop()
    control.send((dict(handler.ids), time.process_time()))


def start_smtp_server() -> tuple[int, multiprocessing.Process, object]:
    """Start the counting SMTP server in its own process, so it has a core of its own."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.Process(target=serve_smtp, args=(port, theirs), daemon=True)
    process.start()
    assert ours.recv() == "ready"
    return port, process, ours


def stop_smtp_server(process: multiprocessing.Process, control) -> tuple[Counter[str], float]:
    """Stop the server; return the Message-IDs it received and the CPU seconds it used."""
    control.send("stop")
    ids, cpu = control.recv()
    process.join()
    return Counter(ids), cpu


def quiet_json_logs() -> None:
    """Format the outbox's log lines as in production, but throw them away."""
    handler = logging.StreamHandler(open(os.devnull, "w"))
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("surgery")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def queue_rows(count: int, now, prefix: str = "bench") -> list[str]:
    """Insert `count` due rows in one statement; return their Message-IDs."""
    rendered = render_email(
        "new_manage_link",
        "Your new private link",
        person=SimpleNamespace(first_name="Maya"),
        manage_url="http://127.0.0.1:5000/manage/a1-x",
    )
    rows = [
        {
            "key": f"{prefix}:{n}",
            "kind": "new_manage_link",
            "recipient": f"person{n}@example.org",
            "subject": rendered.subject,
            "body_text": rendered.text,
            "body_html": rendered.html,
            "due_at": now,
            "created_at": now,
            "message_id": new_message_id(),
        }
        for n in range(count)
    ]
    db.session.execute(insert(Notification), rows)
    db.session.commit()
    return [row["message_id"] for row in rows]


def deliver(app, workers: int, now) -> tuple[float, float, int]:
    """Run the delivery loops at once, each in its own process with its own connections; return
    the seconds until the last one ends, the CPU seconds they used and how many they sent."""
    with app.app_context():
        db.engine.dispose()  # each process opens its own connections
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(workers + 1), context.SimpleQueue()

    def loop() -> None:
        with app.app_context():
            start.wait()
            cpu = time.process_time()
            sent = len(outbox.deliver_due(now).sent)
            results.put((sent, time.process_time() - cpu))

    processes = [context.Process(target=loop) for _ in range(workers)]
    for process in processes:
        process.start()
    start.wait()
    began = time.perf_counter()
    finished = [results.get() for _ in processes]
    seconds = time.perf_counter() - began
    for process in processes:
        process.join()
    return seconds, sum(cpu for _, cpu in finished), sum(sent for sent, _ in finished)


def kill_mid_run(app, count: int, now) -> tuple[list[str], float]:
    """Queue `count` more due rows, SIGKILL a delivery loop mid-run, then run a new one once the
    dead one's lease has run out, as the next scheduler run would; return the rows' Message-IDs
    and when the kill landed (seconds after the loop started)."""
    with app.app_context():
        message_ids = queue_rows(count, now, prefix="bench-kill")
        db.engine.dispose()
    context = multiprocessing.get_context("fork")

    def loop(at) -> None:
        with app.app_context():
            outbox.deliver_due(at)

    doomed = context.Process(target=loop, args=(now,))
    doomed.start()
    # Long enough to be well into a batch, short of the end of the run.
    kill_after = min(1.0, count / TARGET_PER_S / 3)
    time.sleep(kill_after)
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.join()
    restarted = context.Process(target=loop, args=(now + outbox.LEASE + timedelta(minutes=1),))
    restarted.start()
    restarted.join()
    return message_ids, kill_after


def make_app(url: str | None, directory: str, port: int):
    """Build the app sending to our server, its database migrated; refuse one with outbox rows."""
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url or f"sqlite:///{directory}/outbox.sqlite3",
        MAIL_BACKEND="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
    )
    with app.app_context():
        flask_migrate.upgrade()
        if db.session.scalar(db.select(db.func.count(Notification.id))):
            sys.exit("The database already has outbox rows: give the bench an empty scratch one.")
    return app


def main() -> None:
    """Run the benchmark and print the results."""
    args = parse_args()
    outbox.BATCH_SIZE = args.batch_size
    port, server, control = start_smtp_server()
    quiet_json_logs()
    url = database_url(args.database_url) if args.database_url else None
    with tempfile.TemporaryDirectory() as directory:
        app = make_app(url, directory, port)
        now = utcnow()
        with app.app_context():
            began = time.perf_counter()
            message_ids = queue_rows(args.count, now)
            queue_s = time.perf_counter() - began
        seconds, cpu, sent = deliver(app, args.workers, now)
        killed_ids, kill_after = kill_mid_run(app, args.kill_count, now)
        arrived, server_cpu = stop_smtp_server(server, control)
        with app.app_context():
            statuses = Counter(
                db.session.scalars(
                    db.select(Notification.status).where(Notification.key.like("bench:%"))
                )
            )
            db.session.execute(delete(Notification).where(Notification.key.like("bench%")))
            db.session.commit()
            dialect = db.engine.dialect.name
            db.engine.dispose()
    expected = set(message_ids) | set(killed_ids)
    result = {
        "due": len(message_ids),
        "delivered": sum(1 for message_id in message_ids if arrived[message_id]),
        "duplicates": sum(arrived[m] - 1 for m in message_ids if arrived[m] > 1),
        "lost": sum(1 for message_id in message_ids if not arrived[message_id]),
        "unexpected": sum(count for key, count in arrived.items() if key not in expected),
        "marked_sent": statuses[NotificationStatus.SENT],
        "messages_per_s": round(sent / seconds, 1),
        "seconds": round(seconds, 2),
        "cpu_ms_per_message": round(cpu * 1000 / max(1, len(message_ids)), 2),
        "server_cpu_ms_per_message": round(server_cpu * 1000 / max(1, arrived.total()), 2),
        "queue_s": round(queue_s, 2),
        # One loop killed with SIGKILL mid-run and started again: each message sent is recorded
        # before the next goes, so at most the one in flight may arrive twice.
        "killed_after_s": round(kill_after, 2),
        "lost_after_kill": sum(1 for message_id in killed_ids if not arrived[message_id]),
        "repeats_after_kill": sum(
            arrived[message_id] - 1 for message_id in killed_ids if arrived[message_id] > 1
        ),
        "workers": args.workers,
        "batch_size": args.batch_size,
        "database": dialect,
    }
    report(result)
    print(json.dumps(result))


def report(r: dict) -> None:
    """Print the figures for people, with the targets they are judged against."""
    print(f"Queued {r['due']:,} due emails in {r['queue_s']} s ({r['database']}).")
    print(
        f"Delivered {r['delivered']:,} in {r['seconds']} s with {r['workers']} worker(s), "
        f"batches of {r['batch_size']}: {r['messages_per_s']} messages/s "
        f"(target ≥ {TARGET_PER_S})"
    )
    print(
        f"CPU a message: {r['cpu_ms_per_message']} ms in the delivery loops, "
        f"{r['server_cpu_ms_per_message']} ms in the SMTP server"
    )
    print(
        f"Lost {r['lost']}, duplicates {r['duplicates']}, unexpected {r['unexpected']} "
        f"(target 0 each); rows marked sent: {r['marked_sent']:,}"
    )
    print(
        f"A loop killed {r['killed_after_s']} s into a run, then restarted: lost "
        f"{r['lost_after_kill']} (target 0), repeated {r['repeats_after_kill']} (target ≤ 1)"
    )


if __name__ == "__main__":
    main()
