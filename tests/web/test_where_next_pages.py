"""Where next, as a host sees it: groups waiting far from any session, counts only, and the
volunteers near them a host may invite to their own session, once each."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from surgery.extensions import db
from surgery.models import Notification, Volunteer
from surgery.notify.links import link
from surgery.services import accounts, sessions
from surgery.services.tokens import manage_token, unsubscribe_url
from tests.factories import (
    NOW,
    PASSWORD,
    admin_account,
    approved_host,
    confirmed_request,
    published_session,
    session_details,
    skill_ids,
)
from tests.services.test_where_next import offering_help
from tests.web.forms import csrf_token
from tests.web.test_host_sessions import sign_in_as

OFFERED = ("Facebook", "Blogging and websites")


def wolverhampton_waiting():
    """Two Wolverhampton groups (Facebook) who travel 5 km, waiting 6 and 2 days; one in
    Coventry (Instagram), waiting 9."""
    confirmed_request(
        "cv@example.org",
        when=NOW - timedelta(days=9),
        postcode="CV1 5FB",
        skill_ids=skill_ids("Instagram"),
    )
    for email, days in (("wv-a@example.org", 6), ("wv-b@example.org", 2)):
        confirmed_request(
            email,
            when=NOW - timedelta(days=days),
            postcode="WV1 1AA",
            organisation_name="Whitmore Reans Allotments",
            skill_ids=skill_ids("Facebook"),
        )


def world():
    """Hana's published session in Moseley; Priya (5 km from the groups, travels 40 km: the
    session is in her reach) and Lee (1.3 km from them, travels 10 km: it is not)."""
    hana = approved_host()
    moseley = published_session(hana)
    wolverhampton_waiting()
    priya = offering_help("Priya", 3_000, 4_000, 40, *OFFERED)
    lee = offering_help("Lee", 1_200, -500, 10, *OFFERED)
    return hana, moseley, priya, lee


def invite(client, session_id: int, *volunteers: Volunteer):
    page = client.get("/host/where-next?district=WV1").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(page),
        "district": "WV1",
        "session_id": str(session_id),
        "volunteer_ids": [str(v.id) for v in volunteers],
    }
    return client.post("/host/where-next/invite", data=data)


def invitations() -> list[Notification]:
    query = db.select(Notification).where(Notification.kind == "volunteer_invited")
    return list(db.session.scalars(query.order_by(Notification.id)))


def visible_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_shows_who_waits_where_as_counts_a_chart_and_who_could_help(client):
    world()
    sign_in_as(client, "hana@example.org")

    html = client.get("/host/where-next").get_data(as_text=True)
    text = visible_text(html)

    assert "Groups waiting with no session in reach, by district, most first" in text
    assert (
        "WV1 : volunteers who could help , 2 groups Facebook 2 6 days (4) "
        "CV1 : volunteers who could help , 1 group Instagram 1 9 days (9)"
    ) in text
    assert "<svg" in html and "<title>Groups waiting by district</title>" in html
    assert "<desc>WV1: 2 groups; CV1: 1 group</desc>" in html
    assert "Volunteers who could help in WV1" in text
    assert "Lee Offers Facebook. Helps at: Eye-opener, First steps. Within 2 km from" in text
    assert "Priya Offers Facebook. Helps at: Eye-opener, First steps. Within 5 km from" in text
    assert "Moseley social media surgery" in text
    for private in ("Whitmore Reans", "wv-a@example.org", "priya@example.org", "Example"):
        assert private not in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "no id is repeated"


def test_inviting_queues_one_email_with_the_sign_up_link_and_never_twice(client):
    _, moseley, priya, _ = world()
    sign_in_as(client, "hana@example.org")

    response = invite(client, moseley.id, priya)
    assert response.status_code == 302
    page = visible_text(client.get(response.location).get_data(as_text=True))
    assert "Invited Priya to Moseley social media surgery. We have emailed them." in page

    [email] = invitations()
    sign_up = f"{link('volunteer-sessions', token=manage_token(priya))}#session-{moseley.id}"
    assert (email.recipient, email.subject) == (
        "priya@example.org",
        "Could you help at Moseley social media surgery?",
    )
    assert f"\n{sign_up}\n" in email.body_text and f'href="{sign_up}"' in email.body_html
    sign_up_page = client.get(urlsplit(sign_up).path).get_data(as_text=True)
    assert f'<h2 id="session-{moseley.id}">Moseley social media surgery</h2>' in sign_up_page
    assert f"/volunteer/manage/{manage_token(priya)}/sessions/{moseley.id}/sign-up" in sign_up_page
    assert link("volunteer-manage", token=manage_token(priya)) in email.body_text
    assert email.unsubscribe_url == unsubscribe_url(priya)
    stop = "Stop these emails (you will still hear about your own place or sessions):"
    assert f"{stop}\n{unsubscribe_url(priya)}" in email.body_text
    assert email.session_id == moseley.id
    assert "Already invited to: Moseley social media surgery." in page

    again = client.get(invite(client, moseley.id, priya).location).get_data(as_text=True)
    assert len(invitations()) == 1
    assert (
        "Not invited (already invited to this session, so we did not email them again): Priya."
        in visible_text(again)
    )


def test_a_volunteer_who_stops_invitations_is_not_offered_or_invited_again(client):
    hana, moseley, priya, _ = world()
    sign_in_as(client, "hana@example.org")
    invite(client, moseley.id, priya)
    token = urlsplit(unsubscribe_url(priya)).path
    assert "Hosts will not be able to invite you" in client.get(token).get_data(as_text=True)
    assert "Hosts will not invite you" in client.post(token).get_data(as_text=True)

    later = published_session(hana, title="Another surgery")
    page = visible_text(client.get("/host/where-next?district=WV1").get_data(as_text=True))
    assert "Priya" not in page
    # Not on the list, so not a choice the form accepts.
    assert invite(client, later.id, priya).status_code == 400
    assert len(invitations()) == 1


def test_a_volunteer_the_session_is_too_far_for_is_not_invited(client):
    _, moseley, _, lee = world()
    sign_in_as(client, "hana@example.org")

    page = client.get(invite(client, moseley.id, lee).location).get_data(as_text=True)

    assert invitations() == []
    assert "Not invited (the session is further than they travel): Lee." in visible_text(page)


def test_a_host_cannot_invite_to_another_hosts_session_but_an_admin_can(client):
    _, moseley, priya, _ = world()
    approved_host("bo@example.org")
    sign_in_as(client, "bo@example.org")
    assert invite(client, moseley.id, priya).status_code == 404
    assert invitations() == []

    client.post("/host/sign-out", data={"csrf_token": csrf_token(client.get("/host/").text)})
    accounts.set_password(admin_account(), PASSWORD, NOW)
    sign_in_as(client, "root@example.org")
    assert invite(client, moseley.id, priya).status_code == 302
    assert [n.recipient for n in invitations()] == ["priya@example.org"]


def test_a_host_without_an_upcoming_session_is_asked_to_create_one_first(client):
    world()
    bo = approved_host("bo@example.org")
    sessions.create_session(bo, session_details(title="Bo's draft"), NOW)
    sign_in_as(client, "bo@example.org")

    html = client.get("/host/where-next").get_data(as_text=True)

    assert "To invite them you need an upcoming published session of your own." in html
    assert 'href="/host/sessions/new"' in html
    assert "Priya" in html and 'name="volunteer_ids"' not in html


def test_an_invitation_without_choices_says_what_is_missing(client):
    world()
    sign_in_as(client, "hana@example.org")
    page = client.get("/host/where-next").get_data(as_text=True)

    response = client.post(
        "/host/where-next/invite", data={"csrf_token": csrf_token(page), "district": "WV1"}
    )

    assert response.status_code == 400
    text = visible_text(response.get_data(as_text=True))
    assert "Choose at least one volunteer to invite" in text
    assert "Choose a session to invite them to" in text


def test_signed_out_visitors_are_sent_to_sign_in(client):
    world()
    response = client.get("/host/where-next")
    assert response.status_code == 302 and "/host/sign-in" in response.location


def test_with_nobody_waiting_the_page_says_so(client):
    approved_host()
    sign_in_as(client, "hana@example.org")
    text = visible_text(client.get("/host/where-next").get_data(as_text=True))
    assert "Every group that is waiting has a session within its reach." in text


def test_made_up_choices_are_refused_not_an_error(client):
    _, moseley, priya, _ = world()
    sign_in_as(client, "hana@example.org")
    token = csrf_token(client.get("/host/where-next").get_data(as_text=True))

    def post(**changes):
        data = {"csrf_token": token, "district": "WV1", "session_id": str(moseley.id)}
        data |= {"volunteer_ids": str(priya.id)} | changes
        return client.post("/host/where-next/invite", data=data).status_code

    assert post(session_id="9" * 5000) == 400
    assert post(session_id="x", volunteer_ids="\x00") == 400
    assert post(session_id=str(moseley.id + 1000)) == 404
    assert post(volunteer_ids=str(priya.id + 1000)) == 400
    assert post(district="\x00") == 302
    assert invitations() == []
