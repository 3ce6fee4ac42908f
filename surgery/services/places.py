"""Places for the app: the shared postcode index, opened on first use."""

from pathlib import Path

from flask import current_app

from surgery.geo import (
    GridPoint,
    InvalidPostcode,
    Place,
    PostcodeIndex,
    build_index,
    ensure_index,
    parse_postcode,
)


def postcode_index() -> PostcodeIndex:
    """Return this app's postcode index, building the index file first if it is missing."""
    index = current_app.extensions.get("postcode_index")
    if index is None:
        path = ensure_index(current_app.config["GEO_INDEX_PATH"])
        index = current_app.extensions["postcode_index"] = PostcodeIndex(path)
    return index


def locate(text: str) -> Place:
    """Place a full postcode or a district; raise a PostcodeError with a message for people."""
    return postcode_index().locate(text)


def tidy_postcode(text: str) -> str:
    """Return the postcode in its usual form (B15 2TT) if it looks like one, else as typed."""
    try:
        return parse_postcode(text).text
    except InvalidPostcode:
        return text


def prepare_postcode_index(force: bool = False) -> tuple[Path, int | None]:
    """Build the index file if it is missing (or always, with force); return (path, rows built)."""
    path = Path(current_app.config["GEO_INDEX_PATH"])
    if force or not path.exists():
        return path, build_index(path)
    return ensure_index(path), None


def place_of(row) -> Place:
    """Return where a stored row is, from its own grid point: no second look-up that could fail."""
    return Place(parse_postcode(row.postcode), GridPoint(row.easting, row.northing))
