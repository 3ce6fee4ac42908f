"""What happened to groups' places: each move returns these, and tell.about turns them into
messages."""

from dataclasses import dataclass

from surgery.models import Booking, Pairing


@dataclass(frozen=True)
class TookTable:
    booking: Booking


@dataclass(frozen=True)
class Agreed:
    pairing: Pairing


@dataclass(frozen=True)
class Swapped:
    pairing: Pairing
    from_signup_id: int


@dataclass(frozen=True)
class Unpaired:
    pairing: Pairing
    lost_table: bool


@dataclass(frozen=True)
class PlaceEnded:
    booking: Booking  # a table or a place in a queue, given up or taken away


@dataclass(frozen=True)
class PlaceFreed:
    booking: Booking  # the group said nothing when asked "still coming?"


@dataclass(frozen=True)
class TableFreed:
    session_id: int


@dataclass(frozen=True)
class GroupsChanged:
    signup_id: int  # the volunteer's agreed groups there changed


Event = (
    TookTable | Agreed | Swapped | Unpaired | PlaceEnded | PlaceFreed | TableFreed | GroupsChanged
)
