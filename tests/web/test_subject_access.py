"""Subject access for admins: find what is held about an address, download it, erase it."""

import json
import re

import pytest

from surgery.extensions import db
from surgery.models import AuditEvent, Volunteer
from surgery.services.asking import confirm_help_request, submit_help_request
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from tests.factories import NOW, contact, offer_details, request_details
from tests.web.forms import csrf_token, submit
from tests.web.test_admin_failed_messages import sign_in, signed_in_admin

FIND = "/admin/personal-data"


@pytest.fixture
def maya(app):
    """A group that asked for help, and volunteers too, with one address."""
    help_request = submit_help_request(contact(phone="0121 496 0000"), request_details(), NOW)
    confirm_help_request(help_request, NOW)
    submit_volunteer_offer(contact(), offer_details(), NOW)
    confirm_volunteer(db.session.scalar(db.select(Volunteer)), NOW)
    return help_request.asker


def found_page(client, email="maya@example.org"):
    return submit(client, FIND, {"email": email})


def act(client, action: str, page: str, **extra):
    """Press a button on a page: post its hidden address and form token to the action."""
    email = re.search(r'name="email" type="hidden" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf_token(page), "email": email, **extra}
    return client.post(f"{FIND}/{action}", data=data)


def audit_rows() -> list[tuple[str, str, str]]:
    rows = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))
    return [(event.action, event.subject, event.detail) for event in rows]


def test_an_admin_finds_what_is_held_about_an_address(client, maya):
    signed_in_admin(client)
    assert 'href="/admin/personal-data"' in client.get("/admin/").get_data(as_text=True)

    found = found_page(client, "  Maya@Example.org ")

    page = found.get_data(as_text=True)
    assert found.status_code == 200
    for shown in ("Maya Patel", "Ladywood Food Bank", "A volunteer", "Download everything"):
        assert shown in page, shown


def test_an_admin_downloads_everything_as_json_and_the_log_keeps_no_address(client, maya):
    signed_in_admin(client)

    download = act(client, "download", found_page(client).get_data(as_text=True))

    assert download.status_code == 200 and download.mimetype == "application/json"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Cache-Control"] == "no-store"
    data = json.loads(download.get_data(as_text=True))
    assert data["as_a_group"]["phone"] == "0121 496 0000"
    assert data["as_a_group"]["requests"][0]["organisation"] == "Ladywood Food Bank"
    assert data["as_a_volunteer"]["offer"]["bio"] == "I run websites for two local charities."
    assert data["emails_to_this_address"], "the confirmation emails are part of it"
    (exported,) = [row for row in audit_rows() if row[0] == "exported-personal-data"]
    assert exported[1] == f"asker:{maya.id} volunteer:{volunteer_id()}"
    assert not [row for row in audit_rows() if "maya" in " ".join(row).lower()]


def volunteer_id() -> int:
    return db.session.scalar(db.select(Volunteer.id))


def test_erasing_asks_first_saying_what_will_go_then_erases(client, maya):
    signed_in_admin(client)
    found = found_page(client).get_data(as_text=True)

    asked = act(client, "erase", found)

    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Are you sure" in page
    for said in ("Ladywood Food Bank", "volunteer", "cannot be undone"):
        assert said in page, said
    assert maya.email == "maya@example.org", "nothing is erased before the admin confirms"

    erased = act(client, "erase", page, confirmed="yes")

    assert erased.status_code == 200 and "erased" in erased.get_data(as_text=True).lower()
    db.session.expire_all()
    assert (maya.email, maya.name, maya.phone) == (None, None, None)
    assert db.session.get(Volunteer, volunteer_id()).email is None
    (row,) = [row for row in audit_rows() if row[0] == "erased-personal-data"]
    assert "maya" not in " ".join(row).lower()
    again = found_page(client).get_data(as_text=True)
    assert "We hold nothing about this address" in again


def test_a_wrong_address_is_explained_on_the_form(client, maya):
    signed_in_admin(client)
    answer = found_page(client, "not an address")
    assert answer.status_code == 400
    assert "Enter an email address in the right format" in answer.get_data(as_text=True)


def test_only_admins_reach_personal_data(client, maya, host):
    page = client.get(FIND)
    assert page.status_code == 302 and "sign-in" in page.headers["Location"]
    sign_in(client, "hana@example.org")
    assert client.get(FIND).status_code == 404
    token = csrf_token(client.get("/host/").get_data(as_text=True))
    for action in ("download", "erase"):
        answer = client.post(
            f"{FIND}/{action}",
            data={"csrf_token": token, "email": "maya@example.org", "confirmed": "yes"},
        )
        assert answer.status_code == 404
    db.session.expire_all()
    assert maya.email == "maya@example.org"


def test_every_personal_data_form_needs_its_token(client, maya):
    signed_in_admin(client)
    for action in ("", "/download", "/erase"):
        answer = client.post(f"{FIND}{action}", data={"email": "maya@example.org"})
        assert answer.status_code == 400
    db.session.expire_all()
    assert maya.email == "maya@example.org"


def test_the_audit_log_says_who_by_name(client, host):
    signed_in_admin(client)

    page = client.get("/admin/").get_data(as_text=True)

    log = page[page.index("<h2>Audit log</h2>") :]
    approved = next(row for row in log.split("<tr>") if "approved" in row)
    assert "<td>Ada Admin</td>" in approved
