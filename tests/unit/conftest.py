"""Fixtures for the surgery.geo unit tests: a tiny synthetic source and the real index."""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from surgery.geo import PostcodeIndex, build_index, ensure_index

REPO = Path(__file__).resolve().parents[2]

# Rows as Code-Point Open writes them: postcode, quality, easting, northing, CRLF endings.
TINY_SOURCE = {
    "b.csv.gz": [
        "B1 1AY,10,406523,286448",
        "B1 1ZZ,90,0,0",
        "B15 2TT,10,404997,283926",
        "B152TU,10,405010,285020",
        "B15 2TX,10,405022,285031",
        "B2 1AA,90,0,0",
        "NOT A POSTCODE,10,1,2",
        "B1 1AB",
    ],
    "ec.csv.gz": ["EC1A 1BB,10,531073,182317"],
    "m.csv.gz": ["M1 1AE,10,384756,398553"],
}

SourceMaker = Callable[[dict[str, list[str]]], Path]


@pytest.fixture
def make_source(tmp_path: Path) -> SourceMaker:
    """Return a function writing gzipped CSV files into a fresh folder."""

    def make(files: dict[str, list[str]]) -> Path:
        folder = tmp_path / f"source{len(list(tmp_path.glob('source*')))}"
        folder.mkdir()
        for name, lines in files.items():
            with gzip.open(folder / name, "wb") as handle:
                handle.write("".join(f"{line}\r\n" for line in lines).encode("ascii"))
        return folder

    return make


@pytest.fixture
def tiny_source(make_source: SourceMaker) -> Path:
    """Return a folder holding the tiny synthetic Code-Point Open extract."""
    return make_source(TINY_SOURCE)


@pytest.fixture
def tiny_index(tiny_source: Path, tmp_path: Path) -> Iterator[PostcodeIndex]:
    """Yield a PostcodeIndex built from the tiny synthetic extract."""
    path = tmp_path / "index" / "postcodes.sqlite3"
    build_index(path, tiny_source)
    index = PostcodeIndex(path)
    yield index
    index.close()


@pytest.fixture(scope="session")
def postcode_index() -> Iterator[PostcodeIndex]:
    """Yield the real full index, building it once into the cache folder if needed."""
    path = Path(os.environ.get("GEO_INDEX_PATH") or REPO / ".cache" / "postcodes.sqlite3")
    index = PostcodeIndex(ensure_index(path))
    yield index
    index.close()
