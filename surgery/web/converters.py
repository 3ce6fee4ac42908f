"""URL converters that keep what the database cannot hold out of the views."""

from flask import Flask
from werkzeug.routing import IntegerConverter, ValidationError

from surgery.database import row_id


class RowIdConverter(IntegerConverter):
    """`<int:…>` in our routes: a row id, 1 to LARGEST_ID in ASCII digits. Anything else matches
    no route, so it is a 404 rather than a number the database answers with an error."""

    def to_python(self, value: str) -> int:
        number = row_id(value)
        if number is None:
            raise ValidationError
        return number


def register(app: Flask) -> None:
    """Make `<int:…>` a row id; call before any blueprint adds its routes."""
    app.url_map.converters["int"] = RowIdConverter
