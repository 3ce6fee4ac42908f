from datetime import timedelta

import pytest

from surgery import clock
from surgery.extensions import db
from surgery.models import Volunteer
from surgery.services.asking import submit_help_request
from surgery.services.offering import submit_volunteer_offer
from surgery.services.tokens import (
    LinkExpired,
    LinkNotValid,
    confirmation_token,
    manage_token,
    person_for_manage_token,
    read_confirmation_token,
)
from tests.factories import NOW, contact, offer_details, request_details


@pytest.fixture
def asker(app):
    return submit_help_request(contact(), request_details(), NOW).asker


def test_a_manage_link_finds_its_person(asker):
    token = manage_token(asker)
    assert person_for_manage_token(token) is asker
    assert len(token.split("-", 1)[1]) >= 22, "at least 128 bits after the id"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "v" + token[1:],
        lambda token: token.split("-")[0],
        lambda token: "a999-" + token.split("-", 1)[1],
        lambda token: "",
        lambda token: "a" + "9" * 40 + "-x",
    ],
)
def test_a_guessed_or_altered_manage_link_finds_nobody(asker, tamper):
    with pytest.raises(LinkNotValid):
        person_for_manage_token(tamper(manage_token(asker)))


def test_a_link_signed_with_another_secret_key_finds_nobody(app, asker):
    token = manage_token(asker)
    app.config["SECRET_KEY"], key = "another-key", app.config["SECRET_KEY"]
    try:
        with pytest.raises(LinkNotValid):
            person_for_manage_token(token)
    finally:
        app.config["SECRET_KEY"] = key


def test_volunteer_links_find_volunteers_only(app):
    submit_volunteer_offer(contact(email="sam@example.org"), offer_details(), NOW)
    volunteer = db.session.scalar(db.select(Volunteer))
    assert person_for_manage_token(manage_token(volunteer)) is volunteer


def test_a_confirmation_link_works_for_seven_days_then_expires(app):
    token = confirmation_token("request", 42)
    clock.freeze(NOW + timedelta(days=7))
    assert read_confirmation_token(token) == ("request", 42)
    clock.freeze(NOW + timedelta(days=7, seconds=1))
    with pytest.raises(LinkExpired):
        read_confirmation_token(token)


def test_an_altered_confirmation_link_is_not_valid(app):
    token = confirmation_token("request", 42)
    with pytest.raises(LinkNotValid):
        read_confirmation_token(token.replace(".", "x.", 1))
