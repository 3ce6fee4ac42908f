"""Backups of the whole database, and restoring one.

SQLite: SQLite's online backup API, which copies a consistent snapshot while the site keeps
running, into a file beside the target that replaces it only once complete and checked, so a
failed backup (a full disk) never leaves a broken file where a good one was. Restoring copies the
backup into the live database in one transaction: it happens wholly or not at all.

PostgreSQL: `pg_dump` in its custom format, and `pg_restore --clean --single-transaction`.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from surgery.extensions import db


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, for the operator."""


@dataclass(frozen=True)
class Done:
    path: Path
    tool: str  # "sqlite backup API" or "pg_dump"/"pg_restore"
    size: int


def backup(path: Path) -> Done:
    """Write a backup of the whole database to `path`, replacing any file there once complete."""
    url = db.engine.url
    db.session.remove()  # a transaction of ours must not hold back the snapshot
    if url.get_backend_name() == "sqlite":
        if not url.database or not Path(url.database).is_file():
            raise BackupError(f"There is no database at {url.database}: nothing to back up.")
        return backup_sqlite(path)
    if url.get_backend_name() == "postgresql":
        partial = path.with_name(path.name + ".partial")
        run_tool("pg_dump", "--format=custom", "--no-owner", f"--file={partial}", url=url)
        os.replace(partial, path)
        return Done(path, "pg_dump", path.stat().st_size)
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


def backup_sqlite(path: Path) -> Done:
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    source = db.engine.raw_connection()
    try:
        with sqlite3.connect(partial) as copy:
            source.driver_connection.backup(copy)
            check(copy, "The backup")
        copy.close()
        os.replace(partial, path)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"The backup could not be written to {path}: {reason(error)}") from None
    finally:
        source.close()
    return Done(path, "sqlite backup API", path.stat().st_size)


def restore(path: Path) -> Done:
    """Replace everything in the database with the backup at `path`."""
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    url = db.engine.url
    db.session.remove()
    if url.get_backend_name() == "sqlite":
        restore_sqlite(path)
        tool = "sqlite backup API"
    elif url.get_backend_name() == "postgresql":
        run_tool(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            url=url,
            arguments=[str(path)],
        )
        tool = "pg_restore"
    else:
        raise BackupError(f"Restoring {url.get_backend_name()} databases is not supported.")
    db.engine.dispose()  # no pooled connection keeps a view of the old database
    return Done(path, tool, path.stat().st_size)


def restore_sqlite(path: Path) -> None:
    try:
        backup_file = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        with backup_file:
            check(backup_file, "The file")
            if not backup_file.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'"
            ).fetchone():
                raise BackupError(f"{path} is not a backup of this service's database.")
            live = db.engine.raw_connection()
            try:
                backup_file.backup(live.driver_connection)
            finally:
                live.close()
        backup_file.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Could not restore from {path}: {reason(error)}") from None


def database_name() -> str:
    """The database's address for people to read: its password hidden."""
    return db.engine.url.render_as_string(hide_password=True)


def check(connection: sqlite3.Connection, what: str) -> None:
    if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        raise BackupError(f"{what} failed SQLite's integrity check.")


def reason(error: sqlite3.Error) -> str:
    if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return "the disk is full. Nothing was changed: free some space and try again."
    return str(error)


def run_tool(tool: str, *options: str, url: URL, arguments: list[str] | None = None) -> None:
    """Run pg_dump or pg_restore against the database, its password in the environment only
    (never on the command line, where other users of the machine could read it)."""
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed: install PostgreSQL's client tools.")
    environment = os.environ | ({"PGPASSWORD": url.password} if url.password else {})
    target = url.set(drivername="postgresql", password=None).render_as_string()
    command = [tool, *options, f"--dbname={target}", *(arguments or [])]
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")
