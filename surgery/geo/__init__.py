"""Find where UK postcodes are, without Flask or a database server.

Pure standard library: parse what people type, place it on the British National
Grid from OS Code-Point Open, and measure straight-line distances.
"""

from .grid import GridPoint, distance_km
from .index import (
    Place,
    PostcodeIndex,
    build_index,
    default_source_dir,
    ensure_index,
)
from .postcodes import (
    InvalidPostcode,
    Postcode,
    PostcodeError,
    PostcodeNotCovered,
    UnknownPostcode,
    parse_postcode,
)

__all__ = [
    "GridPoint",
    "InvalidPostcode",
    "Place",
    "Postcode",
    "PostcodeError",
    "PostcodeIndex",
    "PostcodeNotCovered",
    "UnknownPostcode",
    "build_index",
    "default_source_dir",
    "distance_km",
    "ensure_index",
    "parse_postcode",
]
