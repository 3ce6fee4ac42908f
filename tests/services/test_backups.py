"""`flask db backup` and `flask db restore`: back up, change, restore, and find what was backed up;
and a full disk on SQLite: a clear error, nothing corrupted."""

import sqlite3
from types import SimpleNamespace

import flask_migrate
import pytest
from sqlalchemy import delete, event, insert, text
from sqlalchemy.exc import OperationalError

from surgery import create_app
from surgery.extensions import db
from surgery.models import Account, Notification
from surgery.notify import outbox
from surgery.notify.outbox import Envelope
from tests.factories import NOW, admin_account, approved_host


def everything() -> dict[str, list[tuple]]:
    """Every row of every table, in order: what a restore must bring back exactly."""
    db.session.remove()
    return {
        table.name: sorted(map(tuple, db.session.execute(table.select())), key=repr)
        for table in db.metadata.sorted_tables
    }


def test_a_backup_restored_brings_back_the_database_as_it_was(app, runner, tmp_path):
    approved_host()
    backup = tmp_path / "surgery.backup"
    backed_up = everything()

    result = runner.invoke(args=["db", "backup", str(backup)])
    assert result.exit_code == 0, result.output
    tool = "pg_dump" if db.engine.dialect.name == "postgresql" else "sqlite backup API"
    assert f"Backed up the database to {backup}" in result.output and tool in result.output

    host = db.session.scalar(db.select(Account).where(Account.email == "hana@example.org"))
    host.name = "Someone Else"
    db.session.execute(delete(Notification))
    db.session.commit()
    assert everything() != backed_up

    refused = runner.invoke(args=["db", "restore", str(backup)], input="n\n")
    assert refused.exit_code == 1
    assert "anything written since that backup is lost" in refused.output
    assert everything() != backed_up, "nothing restored without a yes"

    result = runner.invoke(args=["db", "restore", str(backup)], input="y\n")
    assert result.exit_code == 0, result.output
    assert f"Restored the database from {backup}" in result.output
    assert everything() == backed_up


def test_restoring_a_file_that_is_not_a_backup_changes_nothing(app, runner, tmp_path):
    admin_account()
    before = everything()
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    result = runner.invoke(args=["db", "restore", "--yes", str(not_a_backup)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "Traceback" not in result.output
    assert everything() == before


@pytest.fixture
def small_sqlite_app(tmp_path):
    """An app on a SQLite file of its own, whatever database the suite runs on."""
    url = f"sqlite:///{tmp_path / 'small.sqlite3'}"
    small = create_app("testing", SQLALCHEMY_DATABASE_URI=url, CLOCK_FROZEN_AT=NOW)
    with small.app_context():
        flask_migrate.upgrade()
        yield small
        db.session.remove()
        db.engine.dispose()


def fill_the_disk() -> None:
    """From now on every connection may not grow the database file by a page: as a full disk."""

    def no_more_pages(connection, _record) -> None:
        if isinstance(connection, sqlite3.Connection):
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {pages}")

    db.session.remove()
    db.engine.dispose()
    event.listen(db.engine, "connect", no_more_pages)


def queue_many(count: int, start: int = 0) -> None:
    rows = [
        {
            "key": f"test:full:{n}",
            "kind": "test",
            "recipient": f"person{n}@example.org",
            "subject": "Hello",
            "body_text": "Hello. " * 200,
            "body_html": "<p>Hello.</p>",
            "due_at": NOW,
            "created_at": NOW,
            "message_id": f"<{n}@test>",
        }
        for n in range(start, start + count)
    ]
    db.session.execute(insert(Notification), rows)
    db.session.commit()


def integrity() -> str:
    return db.session.execute(text("PRAGMA integrity_check")).scalar()


def test_a_full_disk_refuses_the_write_and_keeps_what_was_there(small_sqlite_app):
    queue_many(5)
    fill_the_disk()
    with pytest.raises(OperationalError, match="database or disk is full"):
        queue_many(500, start=5)
    db.session.rollback()
    # A small write that fits in the pages already there still works; nothing is corrupted.
    outbox.queue_email(
        Envelope("maya@example.org"),
        key="test:after-full",
        template="new_manage_link",
        subject="Your new private link",
        due_at=NOW,
        person=SimpleNamespace(first_name="Maya"),
        manage_url="http://127.0.0.1:5000/manage/a1-x",
    )
    db.session.commit()
    assert integrity() == "ok"
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 6


def test_restoring_onto_a_full_disk_says_so_and_leaves_the_database_as_it_was(
    small_sqlite_app, tmp_path
):
    # A backup larger than the database it will be restored into.
    queue_many(500)
    runner = small_sqlite_app.test_cli_runner()
    backup = tmp_path / "big.backup"
    assert runner.invoke(args=["db", "backup", str(backup)]).exit_code == 0
    db.session.execute(text("DELETE FROM notifications WHERE id > 3"))
    db.session.commit()
    db.session.execute(text("VACUUM"))
    before = everything()
    fill_the_disk()

    result = runner.invoke(args=["db", "restore", "--yes", str(backup)])

    assert result.exit_code == 1
    assert "the disk is full. Nothing was changed" in result.output
    assert integrity() == "ok"
    assert everything() == before
