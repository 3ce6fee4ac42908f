"""The embedded default is safe to leave running: its secrets are its own, its mail page local."""

import stat

from flask import Flask

from surgery import clock
from surgery.cli import exposure_warning
from surgery.services import accounts
from tests.factories import NOW, PASSWORD, admin_account
from tests.web.conftest import development_app
from tests.web.forms import submit
from tests.web.journeys import offer_answers, walk

# The string every development instance used to sign its cookies with, published in the code.
PUBLIC_STRING = "development-only-not-a-secret"
ELSEWHERE = {"REMOTE_ADDR": "192.0.2.10"}


def test_a_development_instance_makes_its_own_secret_key_and_keeps_it(development, tmp_path):
    key = development.config["SECRET_KEY"]
    assert key != PUBLIC_STRING and len(key) >= 43, "at least 256 random bits"
    kept = tmp_path / "secret_key"
    assert kept.read_text().strip() == key
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600, "readable by its owner only"
    assert development_app(tmp_path).config["SECRET_KEY"] == key, "sign-ins survive a restart"
    other = tmp_path / "other"
    other.mkdir()
    assert development_app(other).config["SECRET_KEY"] != key


def test_a_cookie_signed_with_the_old_public_string_opens_nothing(development):
    admin = admin_account()
    accounts.set_password(admin, PASSWORD, NOW)
    browser = development.test_client()
    signed_in = {"email": admin.email, "password": PASSWORD}
    assert submit(browser, "/host/sign-in", signed_in).status_code == 302, "the admin can"
    assert browser.get("/admin/").status_code == 200
    browser = development.test_client()  # a stranger, with only the forged cookie
    forger = Flask("forger")
    forger.secret_key = PUBLIC_STRING
    now = clock.utcnow().timestamp()
    forged = forger.session_interface.get_signing_serializer(forger).dumps(
        {
            "_user_id": f"{admin.id}.{admin.session_version}",
            "_fresh": True,
            "signed_in_at": now,
            "seen_at": now,
        }
    )
    browser.set_cookie("session", forged)
    response = browser.get("/admin/")
    assert response.status_code == 302 and "/host/sign-in" in response.headers["Location"]


def test_the_mail_page_answers_only_on_this_machine(development):
    admin_account()  # queues nothing, but makes an admin whose set-password link is printed
    local = development.test_client()
    assert local.get("/dev/mail").status_code == 200
    assert local.get("/dev/mail", environ_base=ELSEWHERE).status_code == 404


def test_the_mail_preview_may_style_itself_but_run_nothing(development):
    local = development.test_client()
    walk(local, "/volunteer/offer", offer_answers())
    preview = local.get("/dev/mail/1/html")
    assert "Thank you for offering to help" in preview.get_data(as_text=True)
    policy = preview.headers["Content-Security-Policy"]
    assert "script-src" not in policy and "default-src 'none'" in policy and "sandbox" in policy
    assert "frame-ancestors 'self'" in policy
    assert local.get("/dev/mail/1/html", environ_base=ELSEWHERE).status_code == 404


def test_serving_beyond_this_machine_warns(development):
    with development.test_request_context():
        warning = exposure_warning("0.0.0.0")
    assert warning and "anyone who can reach" in warning
    assert exposure_warning("127.0.0.1") is None and exposure_warning("localhost") is None
