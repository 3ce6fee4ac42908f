"""Parsing and normalising postcodes, the user-facing messages, distances, and purity."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from surgery.geo import (
    GridPoint,
    InvalidPostcode,
    Postcode,
    PostcodeError,
    distance_km,
    parse_postcode,
)
from surgery.geo.postcodes import EMPTY_MESSAGE, INVALID_MESSAGE, uncovered_region

GEO_DIR = Path(__file__).resolve().parents[2] / "surgery" / "geo"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("b152tt", "B15 2TT"),
        (" B15 2TT ", "B15 2TT"),
        ("B15  2TT", "B15 2TT"),
        ("\tb15\n2tt\u00a0", "B15 2TT"),
        ("B 1 5 2 T T", "B15 2TT"),
        ("m11ae", "M1 1AE"),  # A9
        ("m601nw", "M60 1NW"),  # A99
        ("w1a 1aa", "W1A 1AA"),  # A9A
        ("cr26xh", "CR2 6XH"),  # AA9
        ("DN551PT", "DN55 1PT"),  # AA99
        ("ec1a1bb", "EC1A 1BB"),  # AA9A
        ("Sw1A 2aA", "SW1A 2AA"),
        ("B15 2TT" + " " * 40, "B15 2TT"),
    ],
)
def test_full_postcodes_are_normalised(typed: str, expected: str) -> None:
    postcode = parse_postcode(typed)
    assert postcode.text == expected
    assert str(postcode) == expected
    assert not postcode.is_district_only


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("b15", "B15"),
        (" M1 ", "M1"),
        ("w1a", "W1A"),
        ("cr2", "CR2"),
        ("dn55", "DN55"),
        ("ec1a", "EC1A"),
    ],
)
def test_district_alone_is_accepted(typed: str, district: str) -> None:
    postcode = parse_postcode(typed)
    assert postcode == Postcode(district)
    assert postcode.is_district_only
    assert postcode.text == district
    assert postcode.district == district


@pytest.mark.parametrize(
    ("typed", "district", "inward", "area"),
    [("B15 2TT", "B15", "2TT", "B"), ("ec1a1bb", "EC1A", "1BB", "EC"), ("w1a", "W1A", None, "W")],
)
def test_parts_of_a_postcode(typed: str, district: str, inward: str | None, area: str) -> None:
    postcode = parse_postcode(typed)
    assert (postcode.district, postcode.inward, postcode.area) == (district, inward, area)


def test_equal_forms_give_equal_hashable_postcodes() -> None:
    assert len({parse_postcode("b152tt"), parse_postcode(" B15  2TT ")}) == 1


@pytest.mark.parametrize(
    "typed",
    [
        "hello",
        "12345",
        "B15 2T",
        "B15 2TTT",
        "B152TTX",
        "B15-2TT",
        "B15 2TT B15",
        "QQ1 1AA",  # Q never starts a postcode
        "XB1 1AA",
        "B15 2CT",  # C is never in the last two letters
        "1B5 2TT",
        "B",
        "B1523",
        "B15 2TT, B15 2TT, B15 2TT, B15 2TT",
        "B" * 1000,
        "<script>",
    ],
)
def test_junk_is_rejected_in_plain_english(typed: str) -> None:
    with pytest.raises(InvalidPostcode) as caught:
        parse_postcode(typed)
    assert caught.value.message == INVALID_MESSAGE
    assert str(caught.value) == INVALID_MESSAGE


@pytest.mark.parametrize("typed", ["", "   ", "\n\t"])
def test_empty_input_asks_for_a_postcode(typed: str) -> None:
    with pytest.raises(InvalidPostcode) as caught:
        parse_postcode(typed)
    assert str(caught.value) == EMPTY_MESSAGE


def test_messages_show_an_example_and_errors_are_value_errors() -> None:
    assert "like B15 2TT" in INVALID_MESSAGE and "like B15." in INVALID_MESSAGE
    assert issubclass(InvalidPostcode, PostcodeError)
    assert issubclass(PostcodeError, ValueError)


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("BT1 1AA", "Northern Ireland"),
        ("bt1", "Northern Ireland"),
        ("GY1 1AA", "the Channel Islands"),
        ("JE2 3AB", "the Channel Islands"),
        ("IM1 1AA", "the Isle of Man"),
        ("im1", "the Isle of Man"),
        ("B15 2TT", None),
        ("G1 1AA", None),
        ("E1 6AN", None),
    ],
)
def test_regions_outside_great_britain_are_recognised(typed: str, region: str | None) -> None:
    assert uncovered_region(parse_postcode(typed)) == region


def test_distance_is_pythagoras_in_kilometres() -> None:
    assert distance_km(GridPoint(0, 0), GridPoint(3000, 4000)) == 5.0
    assert distance_km(GridPoint(400000, 300000), GridPoint(401000, 300000)) == 1.0


def test_distance_is_symmetric_float_and_zero_to_itself() -> None:
    a, b = GridPoint(404997, 283926), GridPoint(384756, 398553)
    assert distance_km(a, b) == distance_km(b, a)
    assert isinstance(distance_km(a, b), float)
    assert distance_km(a, a) == 0.0


def test_grid_points_are_frozen() -> None:
    point = GridPoint(1, 2)
    with pytest.raises(AttributeError):
        point.easting = 3  # type: ignore[misc]


def _imported_modules(source: Path) -> set[str]:
    """Return the top-level names of absolute imports in a Python file."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def test_geo_package_uses_only_the_standard_library() -> None:
    files = sorted(GEO_DIR.glob("*.py"))
    assert files, "surgery/geo has no modules"
    for source in files:
        outside = _imported_modules(source) - set(sys.stdlib_module_names) - {"__future__"}
        assert not outside, f"{source.name} imports {outside}"
