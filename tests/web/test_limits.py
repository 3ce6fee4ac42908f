"""Abuse limits as production has them: a flood from one address, or at one account or inbox, is
refused with a page (or JSON) that says when to try again; counted in Redis across workers."""

import uuid

import pytest
import redis
from limits import parse_many

from surgery import create_app
from surgery.extensions import db
from surgery.models import Notification
from surgery.web.limits import in_words
from tests.conftest import RequestPerAppContextClient
from tests.factories import approved_host
from tests.web.forms import csrf_token, submit
from tests.web.journeys import ask_answers, offer_answers, walk

REDIS_URL = "redis://127.0.0.1:6379/3"
SHARED_SETTINGS = (
    "SQLALCHEMY_DATABASE_URI",
    "MAIL_BACKEND",
    "SMTP_HOST",
    "SMTP_PORT",
    "CLOCK_FROZEN_AT",
)


def limited_app(app, **settings):
    """Another app on the suite's database with the limits on, as every other configuration has
    them; each counts afresh unless it shares a storage."""
    limited = create_app(
        "testing",
        RATELIMIT_ENABLED=True,
        **{name: app.config[name] for name in SHARED_SETTINGS},
        **settings,
    )
    limited.test_client_class = RequestPerAppContextClient
    return limited


@pytest.fixture
def limited(app):
    built = limited_app(app)
    yield built
    with built.app_context():
        db.engine.dispose()


def allowance(app, setting: str) -> int:
    """The fewest requests any of a setting's limits lets through."""
    return min(item.amount for item in parse_many(app.config[setting]))


def sign_in(client, email="hana@example.org", address="198.51.100.7"):
    """Try a wrong password from a client address, as a browser there would."""
    environ = {"REMOTE_ADDR": address}
    page = client.get("/host/sign-in", environ_base=environ)
    data = {
        "csrf_token": csrf_token(page.get_data(as_text=True)),
        "email": email,
        "password": "wrong guess here",
    }
    return client.post("/host/sign-in", data=data, environ_base=environ)


def test_asking_five_times_for_someone_elses_address_sends_only_the_limits_worth(limited, mailbox):
    client = limited.test_client()
    pages = [walk(client, "/ask", ask_answers(email="victim@example.org")) for _ in range(5)]

    allowed = allowance(limited, "RATELIMIT_PER_RECIPIENT")
    queued = db.session.scalar(
        db.select(db.func.count(Notification.id)).where(
            Notification.recipient == "victim@example.org"
        )
    )
    assert queued == allowed < 5
    assert len(mailbox.to("victim@example.org")) == allowed
    assert [page.status_code for page in pages] == [200] * allowed + [429] * (5 - allowed)
    refusal = pages[-1].get_data(as_text=True)
    assert "Please wait before trying again" in refusal and "try again in" in refusal


def test_the_sixth_sign_in_from_one_address_within_a_minute_is_refused_saying_when(limited):
    client = limited.test_client()
    answers = [sign_in(client, email=f"guess{n}@example.org") for n in range(6)]

    assert [answer.status_code for answer in answers] == [200] * 5 + [429]
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 60
    assert "You can try again in a minute" in answers[-1].get_data(as_text=True)
    # Another address is not held up by the first one's flood.
    assert sign_in(client, email="guess@example.org", address="203.0.113.9").status_code == 200


def test_one_account_is_limited_whatever_addresses_the_guesses_come_from(limited):
    client = limited.test_client()
    allowed = allowance(limited, "RATELIMIT_SIGN_IN_ACCOUNT")
    answers = [sign_in(client, address=f"198.51.100.{n}") for n in range(allowed + 1)]

    assert [answer.status_code for answer in answers] == [200] * allowed + [429]
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 15 * 60
    # The pause per account is minutes, not hours: see tests/services/test_sign_in_throttle.py.
    assert sign_in(client, email="other@example.org", address="198.51.100.1").status_code == 200


def test_an_inbox_has_one_allowance_whichever_form_writes_to_it(limited):
    client = limited.test_client()
    allowed = allowance(limited, "RATELIMIT_PER_RECIPIENT")
    answers = [
        submit(client, "/volunteer/lost-link", {"email": "Victim@Example.org "})
        for _ in range(allowed)
    ]
    answers.append(walk(client, "/volunteer/offer", offer_answers(email="victim@example.org")))
    assert [answer.status_code for answer in answers] == [200] * allowed + [429]


def test_the_api_answers_a_flood_in_json_saying_when(app):
    limited = limited_app(app, RATELIMIT_API="2 per minute")
    client = limited.test_client()
    answers = [client.get("/api/v1/sessions?postcode=B13+8JP") for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    refused = answers[-1]
    assert refused.is_json and refused.json["retry_after"] == int(refused.headers["Retry-After"])
    assert refused.json["error"].startswith("Too many requests. Try again in")


def test_behind_a_proxy_each_forwarded_client_is_counted_apart(app):
    limited = limited_app(app, TRUSTED_PROXY_HOPS=1)
    client = limited.test_client()

    def through_proxy(client_address: str):
        client.environ_base["HTTP_X_FORWARDED_FOR"] = client_address
        return sign_in(client, email=f"{client_address}@example.org", address="10.0.0.2")

    assert [through_proxy(f"198.51.100.{n}").status_code for n in range(6)] == [200] * 6
    assert [through_proxy("203.0.113.9").status_code for _ in range(6)] == [200] * 5 + [429]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "in a minute"),
        (60, "in a minute"),
        (61, "in 2 minutes"),
        (900, "in 15 minutes"),
        (3600, "in about an hour"),
        (5 * 3600, "in about 5 hours"),
    ],
)
def test_the_wait_is_said_in_plain_words(seconds, words):
    assert in_words(seconds) == words


def test_the_suites_own_app_is_not_throttled(client):
    approved_host()
    assert all(sign_in(client).status_code == 200 for _ in range(12))


@pytest.fixture
def redis_prefix():
    """A key prefix for this run alone, its keys removed afterwards."""
    prefix = f"surgery-test-{uuid.uuid4().hex}"
    yield prefix
    server = redis.Redis.from_url(REDIS_URL)
    keys = list(server.scan_iter(f"*{prefix}*"))
    if keys:
        server.delete(*keys)
    server.close()


def test_workers_count_together_in_redis(app, redis_prefix):
    settings = {
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        # A Redis that does not answer must fail this test, not be replaced by memory.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": False,
    }
    first_worker = limited_app(app, **settings)
    client = first_worker.test_client()
    answers = [sign_in(client, email=f"guess{n}@example.org") for n in range(5)]
    assert [answer.status_code for answer in answers] == [200] * 5
    keys = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"*{redis_prefix}*"))
    assert keys and not [key for key in keys if b"example.org" in key], "no address in Redis"

    # A second worker, with its own storage connection, sees the first one's count.
    second_worker = limited_app(app, **settings)
    sixth = sign_in(second_worker.test_client(), email="guess5@example.org")
    assert sixth.status_code == 429
    assert "Please wait before trying again" in sixth.get_data(as_text=True)
    for worker in (first_worker, second_worker):
        with worker.app_context():
            db.engine.dispose()
