"""Crafted input an attacker (or a confused browser) sends: each answer is a page, never a crash."""

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField

from surgery import create_app
from surgery.extensions import db
from surgery.models import Account, FormDraft, HelpRequest, Pairing, SurgerySession
from surgery.services.tokens import manage_token
from surgery.vocabulary import AccessNeed
from surgery.web.fields import Form
from tests.conftest import RequestPerAppContextClient, empty_tables
from tests.factories import (
    PASSWORD,
    agreed_pairing_for,
    approved_host,
    confirmed_request,
    published_session,
    volunteer_signed_up,
)
from tests.web.forms import csrf_token, submit
from tests.web.journeys import ask_answers
from tests.web.test_host_sessions import SESSION_FORM

# PostgreSQL's INTEGER ends at 2**31 - 1; SQLite's at 2**63 - 1; Python's never.
TOO_BIG = [2**31, 2**63, 10**30]


def sign_in_as(client, email: str) -> None:
    response = submit(client, "/host/sign-in", {"email": email, "password": PASSWORD})
    assert response.status_code == 302, "signed in"


@pytest.mark.parametrize("number", TOO_BIG)
@pytest.mark.parametrize(
    "path",
    [
        "/sessions/{n}",
        "/sessions/{n}.ics",
        "/manage/a{n}-x",
        "/manage/a{n}-x/data.json",
        "/volunteer/manage/v{n}-x",
        "/unsubscribe/a{n}-x",
    ],
)
def test_an_id_too_big_for_the_database_is_not_found(client, path, number):
    assert client.get(path.format(n=number)).status_code == 404


@pytest.mark.parametrize("number", TOO_BIG)
def test_a_host_asking_for_a_session_id_too_big_is_told_not_found(client, number):
    approved_host()
    sign_in_as(client, "hana@example.org")
    for path in (
        "/host/sessions/{n}",
        "/host/sessions/{n}/edit",
        "/host/sessions/1/pairings/{n}/drop",
    ):
        assert client.get(path.format(n=number)).status_code == 404, path


def test_a_groups_own_link_with_a_request_id_too_big_is_not_found(client):
    help_request = confirmed_group_request()
    manage = f"/manage/{manage_token(help_request.asker)}"
    for path in (f"{manage}/requests/{2**31}/edit", f"{manage}/bookings/{2**63}/cancel"):
        assert client.get(path).status_code == 404, path


def confirmed_group_request() -> HelpRequest:
    return confirmed_request("maya@example.org")


@pytest.fixture
def mail_page_app(migrated_app):
    """The app as the embedded default serves it, with the development mail page."""
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=migrated_app.config["SQLALCHEMY_DATABASE_URI"],
        DEV_MAIL_PAGE=True,
    )
    app.test_client_class = RequestPerAppContextClient
    with app.app_context():
        yield app
        db.session.rollback()
        empty_tables()
        db.session.remove()


@pytest.mark.parametrize("number", TOO_BIG)
def test_the_development_mail_page_with_an_id_too_big_is_not_found(mail_page_app, number):
    assert mail_page_app.test_client().get(f"/dev/mail/{number}").status_code == 404


@pytest.mark.parametrize("signup_id", [str(2**31), str(2**63), "-1", "\x00", " "])
def test_swapping_to_a_volunteer_id_too_big_says_choose_one_and_changes_nothing(client, signup_id):
    host = approved_host()
    surgery_session = published_session(host, access=(AccessNeed.STEP_FREE,))
    volunteer_signed_up(surgery_session)
    agreed_pairing_for(host, surgery_session)
    pairing = db.session.scalar(db.select(Pairing))
    before = pairing.signup_id
    sign_in_as(client, "hana@example.org")
    page = f"/host/sessions/{surgery_session.id}"
    token = csrf_token(client.get(page).get_data(as_text=True))
    response = client.post(
        f"{page}/pairings/{pairing.id}/swap",
        data={"csrf_token": token, "signup_id": signup_id},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Choose a volunteer signed up to this session." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Pairing, pairing.id).signup_id == before


CONTROL_CHARACTER = "contains a hidden character we cannot keep"


@pytest.mark.parametrize("sneaky", ["\x00", "\x1b[31m", "\x7f", "\x85", "line\nbreak"])
def test_applying_to_host_with_a_control_character_is_refused_and_nothing_kept(client, sneaky):
    answers = {"name": f"Hana{sneaky}Ito", "email": "hana@example.org", "town": "Moseley"}
    response = submit(client, "/host/apply", answers | {"why": "I run the hall."})
    assert response.status_code == 200
    assert f"Your name {CONTROL_CHARACTER}" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Account)) is None


def test_tabs_and_line_breaks_are_fine_in_text_over_several_lines(client):
    answers = {"name": "Hana Ito", "email": "hana@example.org", "town": "Moseley"}
    response = submit(client, "/host/apply", answers | {"why": "I run\r\nthe\thall."})
    assert "Application sent" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Account)) is not None


def test_a_step_of_asking_for_help_refuses_a_nul_and_keeps_no_draft_of_it(client):
    contact = ask_answers()["contact"] | {"name": "Maya\x00Patel"}
    response = submit(client, "/ask/contact", contact)
    assert response.status_code == 200
    assert f"Your name {CONTROL_CHARACTER}" in response.get_data(as_text=True)
    assert all(
        "\x00" not in str(draft.answers) for draft in db.session.scalars(db.select(FormDraft))
    )


def test_a_draft_that_somehow_holds_a_nul_sends_the_group_back_to_that_question(client):
    for slug, answers in ask_answers().items():
        assert submit(client, f"/ask/{slug}", answers).status_code == 302, slug
    draft = db.session.scalar(db.select(FormDraft))
    draft.answers = {**draft.answers, "goal": "Start a page\x00"}
    db.session.commit()

    assert client.get("/ask/check").headers["Location"].endswith("/ask/goal")
    response = client.post(
        "/ask/check",
        data={"csrf_token": csrf_token(client.get("/ask/goal").get_data(as_text=True))},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/ask/goal")
    assert db.session.scalar(db.select(HelpRequest)) is None

    assert submit(client, "/ask/goal", {"goal": "Start a page"}).status_code == 302
    assert submit(client, "/ask/check").headers["Location"].endswith("/ask/sent")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "Moseley\x00surgery", f"The title {CONTROL_CHARACTER}"),
        ("venue_address", "149\x00 Alcester Road", f"The address {CONTROL_CHARACTER}"),
        ("day", " ", "Enter the date"),
        ("day", "", "Enter the date"),
        ("day", "\x00", "Enter the date as a real date"),
        ("access", " ", "Choose from the list"),
        ("access", "", "Choose from the list"),
        ("level_focus", " ", "Choose from the list"),
        ("starts", " ", "Enter a start time"),
        ("seats", " ", "Enter how many tables there are"),
    ],
)
def test_a_session_form_with_hostile_answers_says_what_is_wrong_and_saves_nothing(
    client, field, value, message
):
    approved_host()
    sign_in_as(client, "hana@example.org")
    response = submit(client, "/host/sessions/new", SESSION_FORM | {field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(SurgerySession)) is None


@pytest.mark.parametrize("value", [" ", "", "\x00", "not-a-need"])
def test_a_blank_access_need_is_a_question_to_answer_again(client, value):
    response = submit(client, "/ask/access", {"access_needs": [value], "access_notes": ""})
    assert response.status_code == 200
    assert "Choose from the list" in response.get_data(as_text=True)


def test_the_api_answers_an_address_it_does_not_have_in_json(client):
    for path, code in (
        ("/api/v1/nothing-here", 404),
        ("/api/v1", 404),
        ("/api/v1/sessions/1", 404),
    ):
        response = client.get(path)
        assert (response.status_code, response.is_json) == (code, True), path
        assert response.get_json()["error"]


def test_the_api_answers_a_method_it_does_not_take_in_json(client):
    response = client.delete("/api/v1/sessions")
    assert (response.status_code, response.is_json) == (405, True)
    assert response.headers["Allow"]


UNREACHABLE_DATABASES = {
    "sqlite": "sqlite:///{tmp}/missing-folder/surgery.sqlite3",
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/surgery?connect_timeout=2",
}


@pytest.fixture(params=sorted(UNREACHABLE_DATABASES))
def without_database(request, tmp_path):
    """The app, with its database out of reach."""
    url = UNREACHABLE_DATABASES[request.param].format(tmp=tmp_path)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    app.test_client_class = RequestPerAppContextClient
    return app


def test_the_api_answers_a_database_outage_in_json(without_database):
    response = without_database.test_client().get("/api/v1/sessions?postcode=B13")
    assert (response.status_code, response.is_json) == (503, True)
    assert "unavailable" in response.get_json()["error"]
    assert response.headers["Retry-After"]


def test_a_page_answers_a_database_outage_with_a_friendly_503_page(without_database):
    client = without_database.test_client()
    for path in ("/sessions/1", "/sessions/1.ics", "/manage/a1-xyz"):
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 503, path
        assert "Sorry, the service is unavailable" in page and page.rstrip().endswith("</html>")
    assert client.get("/healthz").status_code == 503


def test_a_form_sent_during_a_database_outage_says_it_was_not_saved(without_database):
    client = without_database.test_client()
    step = client.get("/ask/contact")
    assert step.status_code == 200, "the first question needs no database"
    response = client.post(
        "/ask/contact",
        data={"csrf_token": csrf_token(step.get_data(as_text=True))} | ask_answers()["contact"],
    )
    assert response.status_code == 503
    assert "it has not been saved" in response.get_data(as_text=True)


@pytest.mark.parametrize("body", [[""], ["abc"], {"email": 5, "password": ["x"]}, {"a": {"b": 1}}])
def test_a_json_body_sent_to_a_page_is_no_answer_and_no_crash(client, body):
    help_request = confirmed_group_request()
    manage = f"/manage/{manage_token(help_request.asker)}"
    token = csrf_token(client.get(f"{manage}/contact").get_data(as_text=True))
    for path in (f"{manage}/contact", f"{manage}/delete", "/host/sign-in", "/ask/contact"):
        response = client.post(path, json=body, headers={"X-CSRFToken": token})
        assert response.status_code in (200, 302), path
    page = client.post("/ask/contact", json=body, headers={"X-CSRFToken": token})
    assert "Enter your name" in page.get_data(as_text=True), "the form's own fields were empty"


def test_every_form_with_text_refuses_control_characters(app):
    """A form built on FlaskForm alone would skip the shared checks; ours are all built on Form."""
    import surgery.web.forms.accounts  # noqa: F401  (every form module, so every form is known)
    import surgery.web.forms.asking  # noqa: F401
    import surgery.web.forms.finding  # noqa: F401
    import surgery.web.forms.follow_through  # noqa: F401
    import surgery.web.forms.offering  # noqa: F401
    import surgery.web.forms.sessions  # noqa: F401

    def subclasses(cls):
        return [sub for child in cls.__subclasses__() for sub in (child, *subclasses(child))]

    with app.test_request_context():
        outside = [
            form.__name__
            for form in subclasses(FlaskForm)
            if form.__module__.startswith("surgery.")
            and not issubclass(form, Form)
            and any(isinstance(field, StringField) for field in form())
        ]
    assert not outside, f"Build these forms on surgery.web.fields.Form: {outside}"


def test_an_outage_is_logged_without_the_private_link_or_what_was_typed(without_database, caplog):
    client = without_database.test_client()
    step = client.get("/ask/contact")
    answers = ask_answers()["contact"]
    client.post(
        "/ask/contact", data={"csrf_token": csrf_token(step.get_data(as_text=True))} | answers
    )
    client.get("/manage/a1-secretlinkpart")
    logged = caplog.text
    assert "database unavailable" in logged
    assert "secretlinkpart" not in logged
    assert all(value not in logged for value in answers.values() if len(value) > 3)
