"""Signing in and out as a host, and what each kind of visitor may reach."""

import pytest

from surgery.extensions import db
from surgery.models import Account, Volunteer
from surgery.services import accounts
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from tests.factories import NOW, PASSWORD, admin_account, approved_host, contact, offer_details
from tests.web.forms import csrf_token, submit


def sign_in(client, email="hana@example.org", password=PASSWORD):
    return submit(client, "/host/sign-in", {"email": email, "password": password})


def test_applying_to_host_through_the_page(client):
    data = {"name": "Hana Ito", "email": "hana@example.org", "town": "Moseley", "why": "Hall."}
    page = submit(client, "/host/apply", data).get_data(as_text=True)
    assert "Application sent" in page
    assert db.session.scalar(db.select(Account.town)) == "Moseley"


def test_a_host_signs_in_and_sees_their_page(client):
    approved_host()
    response = sign_in(client)
    assert response.headers["Location"] == "/host/"
    page = client.get("/host/").get_data(as_text=True)
    assert "<h1>Your sessions</h1>" in page and "Hana Ito" in page


def test_a_wrong_password_gets_one_message_that_reveals_nothing(client):
    approved_host()
    wrong_password = sign_in(client, password="not the password").get_data(as_text=True)
    unknown_email = sign_in(client, email="x@example.org").get_data(as_text=True)
    message = "Your email address or password is not right"
    assert message in wrong_password and message in unknown_email


def test_host_pages_need_signing_in(client):
    response = client.get("/host/")
    assert response.status_code == 302 and "/host/sign-in" in response.headers["Location"]


def test_admin_pages_are_for_admins_only(client):
    assert client.get("/admin/").status_code == 302
    approved_host()
    sign_in(client)
    assert client.get("/admin/").status_code == 404
    approve = client.post("/admin/applications/1/approve", data={"csrf_token": token(client)})
    assert approve.status_code == 404


def token(client) -> str:
    return csrf_token(client.get("/host/").get_data(as_text=True))


def test_an_admin_approves_an_application_from_the_admin_page(client, mailbox):
    admin = admin_account()
    accounts.set_password(admin, PASSWORD, admin.created_at)
    accounts.apply_to_host("Hana Ito", "hana@example.org", "Moseley", "Hall.", admin.created_at)
    sign_in(client, "root@example.org")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Hana Ito, Moseley" in page
    host = db.session.scalar(db.select(Account).where(Account.email == "hana@example.org"))
    client.post(f"/admin/applications/{host.id}/approve", data={"csrf_token": token(client)})
    db.session.expire_all()
    assert host.status.value == "approved"
    assert "Set your password" in mailbox.html_of(mailbox.to("hana@example.org")[-1])


def test_an_admin_records_and_removes_a_volunteers_safeguarding_check(client):
    admin = admin_account()
    accounts.set_password(admin, PASSWORD, admin.created_at)
    sam_contact = contact(name="Sam Okafor", email="sam@example.org")
    submit_volunteer_offer(sam_contact, offer_details(), NOW)
    sam = confirm_volunteer(db.session.scalar(db.select(Volunteer)), NOW)
    sign_in(client, "root@example.org")
    unknown = record_check(client, "nobody@example.org")
    assert unknown.status_code == 400
    assert "No confirmed volunteer has that email address" in unknown.get_data(as_text=True)
    page = client.get(record_check(client, "sam@example.org").location)
    assert "Recorded a safeguarding check for Sam Okafor" in page.get_data(as_text=True)
    assert sam.safeguarding_checked_at is not None
    client.post(f"/admin/safeguarding/{sam.id}/remove", data={"csrf_token": token(client)})
    db.session.expire_all()
    assert sam.safeguarding_checked_at is None


def test_hosts_cannot_record_safeguarding_checks(client):
    approved_host()
    sign_in(client)
    assert record_check(client, "sam@example.org").status_code == 404


def record_check(client, email: str):
    return client.post("/admin/safeguarding", data={"csrf_token": token(client), "email": email})


def test_after_signing_out_a_copied_cookie_no_longer_works(client, app):
    approved_host()
    sign_in(client)
    stolen = client.get_cookie("session").value
    client.post("/host/sign-out", data={"csrf_token": token(client)})

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/host/")
    assert response.status_code == 302 and "/host/sign-in" in response.headers["Location"]


EXPIRED = [("seen_at", 31 * 60), ("signed_in_at", 13 * 3600)]


@pytest.mark.parametrize(("key", "seconds_ago"), EXPIRED)
def test_a_session_idle_for_30_minutes_or_older_than_12_hours_ends(client, key, seconds_ago):
    approved_host()
    sign_in(client)
    with client.session_transaction() as session:
        session[key] -= seconds_ago
    response = client.get("/host/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out because you had been away for a while" in page


def test_opening_the_set_password_link_changes_nothing(client, mailbox):
    admin = admin_account()
    accounts.apply_to_host("Hana Ito", "hana@example.org", "Moseley", "Hall.", admin.created_at)
    host = db.session.scalar(db.select(Account).where(Account.email == "hana@example.org"))
    accounts.decide_application(admin, host, True, admin.created_at)
    path = "/host/set-password/" + accounts.password_token(host)
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    db.session.expire_all()
    assert host.password_hash is None
    submit(client, path, {"password": PASSWORD, "confirm": PASSWORD})
    used = client.get(path)
    assert used.status_code == 410, "a used link is gone"
    assert "This link has already been used" in used.get_data(as_text=True)
