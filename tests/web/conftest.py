"""Fixtures the page tests share."""

import flask_migrate
import pytest

from surgery import create_app
from surgery.extensions import db
from surgery.models import Account
from surgery.services import accounts
from tests.factories import NOW, admin_account, approved_host


@pytest.fixture
def host(app):
    """An approved host, Hana, with the tests' password."""
    return approved_host()


@pytest.fixture
def password_link(app):
    """The set-password link in the email Hana Ito, of Moseley, gets when an admin approves her."""
    admin = admin_account()
    accounts.apply_to_host("Hana Ito", "hana@example.org", "Moseley", "Hall.", NOW)
    host = db.session.scalar(db.select(Account).where(Account.email == "hana@example.org"))
    accounts.decide_application(admin, host, True, NOW)
    return "/host/set-password/" + accounts.password_token(host)


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
