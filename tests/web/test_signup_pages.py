"""A volunteer signs up from their private page; the host sees who is coming."""

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Volunteer
from surgery.services import sessions
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.services.tokens import manage_token
from tests.factories import PASSWORD, approved_host, contact, offer_details, session_details
from tests.web.forms import csrf_token, submit


def test_a_volunteer_signs_up_and_the_host_sees_them(client):
    host = approved_host()
    created = sessions.create_session(host, session_details(), utcnow())
    sessions.move_session(host, created, "publish", utcnow())
    submit_volunteer_offer(
        contact(name="Sam Okafor", email="sam@example.org"), offer_details(), utcnow()
    )
    sam = confirm_volunteer(db.session.scalar(db.select(Volunteer)), utcnow())
    manage = f"/volunteer/manage/{manage_token(sam)}"

    page = client.get(f"{manage}/sessions").get_data(as_text=True)
    assert "Moseley social media surgery" in page
    client.post(
        f"{manage}/sessions/{created.id}/sign-up",
        data={"csrf_token": csrf_token(page), "load": "2"},
    )
    page = client.get(f"{manage}/sessions").get_data(as_text=True)
    assert "You offered to help 2 groups here." in page

    public = client.get(f"/sessions/{created.id}").get_data(as_text=True)
    assert "Facebook, Blogging and websites" in public
    assert "Sam" not in public, "the public page names no volunteer"

    submit(client, "/host/sign-in", {"email": "hana@example.org", "password": PASSWORD})
    run_sheet = client.get(f"/host/sessions/{created.id}").get_data(as_text=True)
    assert "Sam Okafor: Facebook, Blogging and websites; up to 2 groups" in run_sheet
