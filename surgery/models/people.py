"""What askers and volunteers share: contact details, a place, a private manage link."""

import secrets
from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from surgery.clock import utcnow
from surgery.geo import Place
from surgery.models.types import UTCDateTime


def new_manage_secret() -> str:
    """Return 128 random bits; the manage link is derived from them, so rotating them revokes it."""
    return secrets.token_hex(16)


class ContactMixin:
    """A person reached by email, who manages their entry through a private link."""

    name: Mapped[str | None] = mapped_column(String(100))
    # Null once the person has asked us to delete their data.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    manage_secret: Mapped[str] = mapped_column(String(32), default=new_manage_secret)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def first_name(self) -> str:
        return (self.name or "").split(" ")[0]

    def rotate_manage_secret(self) -> None:
        """Revoke every manage link sent so far."""
        self.manage_secret = new_manage_secret()


class PlaceMixin:
    """Where someone is: the postcode they gave (full or district) and its grid point."""

    postcode: Mapped[str] = mapped_column(String(8))
    district: Mapped[str] = mapped_column(String(4))
    easting: Mapped[int] = mapped_column(Integer)
    northing: Mapped[int] = mapped_column(Integer)

    def move_to(self, place: Place) -> None:
        """Set the postcode (as given: full or district), its district and its grid point."""
        self.postcode = place.postcode.text
        self.district = place.postcode.district
        self.easting, self.northing = place.point.easting, place.point.northing
