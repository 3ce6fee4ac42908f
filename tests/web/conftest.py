"""Fixtures the page tests share."""

import flask_migrate
import pytest

from surgery import create_app
from surgery.extensions import db
from tests.factories import approved_host


@pytest.fixture
def host(app):
    """An approved host, Hana, with the tests' password."""
    return approved_host()


@pytest.fixture
def development(tmp_path, monkeypatch):
    """A development app as `make run` starts it, with its own instance folder."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = development_app(tmp_path)
    with app.app_context():
        flask_migrate.upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def development_app(folder):
    return create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'dev.db'}",
        SECRET_KEY_FILE=str(folder / "secret_key"),
    )
