"""Parse UK postcodes typed by people, and the plain-English errors they can see."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longer input cannot be a postcode even with generous spacing; refusing it early
# keeps the normalising work bounded whatever someone pastes into the form.
MAX_INPUT_LENGTH = 32

EMPTY_MESSAGE = "Enter a postcode, like B15 2TT, or just the first part, like B15."
INVALID_MESSAGE = "Enter a real UK postcode, like B15 2TT, or just the first part, like B15."

# The Royal Mail letter rules per position, so "QQ1 1AA" is rejected as impossible
# rather than reported as "not found". Checked against every row of Code-Point Open.
_DISTRICT = (
    r"[A-PR-UWYZ](?:[0-9][0-9]?|[A-HK-Y][0-9][0-9]?|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9][ABEHMNPRV-Y])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_SHAPE = re.compile(rf"({_DISTRICT})({_INWARD})?")

# Code-Point Open covers Great Britain only; these areas look valid but are absent.
NOT_COVERED = {
    "BT": "Northern Ireland",
    "GY": "the Channel Islands",
    "JE": "the Channel Islands",
    "IM": "the Isle of Man",
}


class PostcodeError(ValueError):
    """A postcode problem whose message is safe and meant to be shown to people."""

    def __init__(self, message: str, postcode: Postcode | None = None) -> None:
        """Store the user-facing message and, when known, the parsed postcode."""
        super().__init__(message)
        self.message = message
        self.postcode = postcode


class InvalidPostcode(PostcodeError):
    """The text cannot be a UK postcode or postcode district."""


class UnknownPostcode(PostcodeError):
    """The postcode looks right but is not in the postcode table."""


class PostcodeNotCovered(PostcodeError):
    """The postcode is outside Great Britain, which the table does not cover."""


@dataclass(frozen=True, slots=True)
class Postcode:
    """A normalised full postcode (``B15 2TT``) or a district on its own (``B15``)."""

    district: str
    inward: str | None = None

    @property
    def is_district_only(self) -> bool:
        """Return True when only the district (the first part) was given."""
        return self.inward is None

    @property
    def text(self) -> str:
        """Return the normalised form: ``B15 2TT``, or ``B15`` for a district."""
        return self.district if self.inward is None else f"{self.district} {self.inward}"

    @property
    def area(self) -> str:
        """Return the postcode area, the leading letters (``B``, ``EC``)."""
        return self.district[:2] if self.district[1].isalpha() else self.district[:1]

    def __str__(self) -> str:
        """Return the normalised text."""
        return self.text


def split_postcode(text: str) -> tuple[str, str | None] | None:
    """Return (district, inward or None) for postcode-shaped text, else None."""
    if len(text.strip()) > MAX_INPUT_LENGTH:
        return None
    match = _SHAPE.fullmatch("".join(text.split()).upper())
    return None if match is None else (match[1], match[2])


def parse_postcode(text: str) -> Postcode:
    """Return the normalised Postcode for text; raise InvalidPostcode if it cannot be one."""
    if not text or not text.strip():
        raise InvalidPostcode(EMPTY_MESSAGE)
    parts = split_postcode(text)
    if parts is None:
        raise InvalidPostcode(INVALID_MESSAGE)
    return Postcode(*parts)


def uncovered_region(postcode: Postcode) -> str | None:
    """Return the region name if the postcode is outside Great Britain, else None."""
    return NOT_COVERED.get(postcode.area)


def not_covered_error(postcode: Postcode, region: str) -> PostcodeNotCovered:
    """Return the error explaining that a postcode's region is not covered."""
    message = (
        "Sorry, we can only find places in Great Britain for now. "
        f"{postcode.text} is in {region}, which we can't cover yet."
    )
    return PostcodeNotCovered(message, postcode)


def unknown_error(postcode: Postcode, district_known: bool) -> UnknownPostcode:
    """Return the error for a well-formed postcode that the table does not contain."""
    if postcode.is_district_only:
        hint = "Check it, or enter your full postcode, like B15 2TT."
    elif district_known:
        hint = f"Check it, or enter just the first part, like {postcode.district}."
    else:
        hint = "Check it, or enter just the first part of your postcode, like B15."
    return UnknownPostcode(f"We couldn't find {postcode.text}. {hint}", postcode)
