"""What every response says to the browser, and where absolute addresses come from."""

from surgery import create_app
from tests.factories import published_session

EVIL_HOST = {"Host": "evil.example"}


def policy(response) -> dict[str, str]:
    """The Content-Security-Policy as {directive: sources}."""
    header = response.headers["Content-Security-Policy"]
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in header.split(";") if part)


def test_every_page_has_a_strict_content_security_policy(client):
    response = client.get("/")
    directives = policy(response)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"  # only /embed/sessions may be framed
    assert directives["form-action"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"


def test_errors_and_json_carry_the_policy_too(client):
    for path in ("/no-such-page", "/healthz"):
        assert "frame-ancestors 'none'" in client.get(path).headers["Content-Security-Policy"]


def test_strict_transport_security_only_where_the_site_is_served_over_https(client, tmp_path):
    assert "Strict-Transport-Security" not in client.get("/").headers
    production = production_app(tmp_path)
    response = production.test_client().get("/", base_url="https://surgery.example.org")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_production_answers_only_to_its_own_host_name(tmp_path):
    production = production_app(tmp_path).test_client()
    assert production.get("/", base_url="https://surgery.example.org").status_code == 200
    assert production.get("/", base_url="https://evil.example").status_code == 400


def test_the_calendar_file_links_to_the_public_address_whatever_host_was_asked(client, app, host):
    surgery_session = published_session(host)
    response = client.get(f"/sessions/{surgery_session.id}.ics", headers=EVIL_HOST)
    calendar = response.get_data(as_text=True).replace("\r\n ", "")
    base = app.config["PUBLIC_BASE_URL"]
    assert f"URL:{base}/sessions/{surgery_session.id}" in calendar
    assert "evil.example" not in calendar


def test_the_api_links_to_the_public_address_whatever_host_was_asked(client, app, host):
    surgery_session = published_session(host)
    response = client.get(
        "/api/v1/sessions", query_string={"postcode": surgery_session.postcode}, headers=EVIL_HOST
    )
    assert response.status_code == 200
    found = response.get_json()["sessions"]
    assert found, "the session is found from its own postcode"
    base = app.config["PUBLIC_BASE_URL"]
    assert found[0]["url"] == f"{base}/sessions/{surgery_session.id}"
    assert found[0]["calendar"] == f"{base}/sessions/{surgery_session.id}.ics"
    assert "evil.example" not in response.get_data(as_text=True)


def production_app(tmp_path):
    return create_app(
        "production",
        SECRET_KEY="production-test-key",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'production.db'}",
        PUBLIC_BASE_URL="https://surgery.example.org",
    )

