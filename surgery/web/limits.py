"""How often one client address, or anyone aiming at one account or inbox, may send the forms
that check a password or send an email, and call the API; refused with a page saying when to try
again.

Flask-Limiter counts (in memory in the embedded default, in Redis in production). The limits are a
table of settings, so a test or an operator can change any one without touching the views. Each app
has its own Limiter, not one in surgery.extensions: Flask-Limiter keeps the first app's key prefix,
storage options and fallback on the instance, so one instance cannot serve differently configured
apps in one process (as the tests build them).
"""

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from math import ceil

from flask import Flask, current_app, render_template, request, session
from flask_limiter import Limiter, RateLimitExceeded
from werkzeug.middleware.proxy_fix import ProxyFix

from surgery.clock import real_utcnow
from surgery.services import drafts


def client_address() -> str:
    return f"address:{request.remote_addr or 'unknown'}"


def everyone() -> str:
    return "everyone"


def email_in_form() -> str:
    """Return the key for the address a form names; none (no limit of this kind) without one."""
    return recipient(request.form.get("email"))


def email_in_draft(journey: str) -> Callable[[], str]:
    """Return a key function for the address given earlier in a multi-step journey."""

    def key() -> str:
        answers = drafts.load_answers(session.get(f"draft:{journey}"), journey)
        return recipient(answers.get("email"))

    return key


def recipient(email: object) -> str:
    """Return a key for an email address that does not spell it out: the counts live in Redis
    for up to a day, beyond the reach of erasure."""
    # Loosely normalised: the service's stricter rule would let a flood through on its errors.
    address = email.strip().lower() if isinstance(email, str) else ""
    if not address:
        return ""
    secret = current_app.config["SECRET_KEY"].encode()
    return "to:" + hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Rule:
    """On POSTs to these endpoints, at most what `setting` allows for each value of `key`.

    With a `shared` name one count serves every endpoint of every rule of that name: an inbox has
    one allowance, whichever form writes to it.
    """

    setting: str
    endpoints: tuple[str, ...]
    key: Callable[[], str]
    shared: str | None = None


# Forms that email a private link to an address typed into them.
LINK_REQUESTS = (
    "public.lost_link",
    "volunteers.lost_link",
    "public.session_links",
    "public.manage_email",
    "volunteers.manage_email",
)
NEW_LINKS = ("public.manage_new_link", "volunteers.manage_new_link")
RULES = (
    Rule("RATELIMIT_SIGN_IN", ("hosts.sign_in",), client_address),
    Rule("RATELIMIT_SIGN_IN_ACCOUNT", ("hosts.sign_in",), email_in_form),
    Rule("RATELIMIT_APPLY", ("hosts.apply",), client_address),
    Rule("RATELIMIT_APPLY_EVERYONE", ("hosts.apply",), everyone),
    Rule("RATELIMIT_ASK", ("public.ask_check",), client_address),
    Rule("RATELIMIT_OFFER", ("volunteers.offer_check",), client_address),
    Rule("RATELIMIT_LINK_REQUEST", LINK_REQUESTS + NEW_LINKS, client_address),
    Rule("RATELIMIT_PER_RECIPIENT", ("public.ask_check",), email_in_draft("ask"), "to"),
    Rule("RATELIMIT_PER_RECIPIENT", ("volunteers.offer_check",), email_in_draft("offer"), "to"),
    Rule("RATELIMIT_PER_RECIPIENT", LINK_REQUESTS, email_in_form, "to"),
)


def setting(name: str) -> Callable[[], str]:
    """Return a reader of one limit setting, read at each request."""
    return lambda: current_app.config[name]


def register(app: Flask) -> None:
    """Count requests where the configuration says, and answer a refused one with a 429."""
    if app.config["TRUSTED_PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXY_HOPS"])
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    if not app.config["RATELIMIT_ENABLED"]:
        return
    limiter = app.extensions["rate_limiter"] = Limiter(key_func=client_address, app=app)
    for rule in RULES:
        for endpoint in rule.endpoints:
            app.view_functions[endpoint] = limit(limiter, rule)(app.view_functions[endpoint])
    limiter.limit(setting("RATELIMIT_API"), key_func=client_address)(app.blueprints["api"])


def limit(limiter: Limiter, rule: Rule):
    if rule.shared:
        return limiter.shared_limit(
            setting(rule.setting), rule.shared, key_func=rule.key, methods=["POST"]
        )
    return limiter.limit(setting(rule.setting), key_func=rule.key, methods=["POST"])


def too_many_requests(_error: RateLimitExceeded):
    seconds = seconds_to_wait()
    headers = {"Retry-After": str(seconds)}
    if request.path.startswith("/api/"):
        message = f"Too many requests. Try again {in_words(seconds)}."
        return {"error": message, "retry_after": seconds}, 429, headers
    return render_template("errors/429.html", wait=in_words(seconds)), 429, headers


def seconds_to_wait() -> int:
    """Return how long until every limit this request broke lets one more through."""
    # The limits are counted by the machine's clock, whatever moment the service's clock shows.
    now = real_utcnow().timestamp()
    limiter = current_app.extensions["rate_limiter"]
    resets = [found.window.reset_time for found in limiter.current_limits if found.breached]
    return max(1, ceil(max(resets, default=now + 60) - now))


def in_words(seconds: int) -> str:
    minutes = ceil(seconds / 60)
    if minutes <= 1:
        return "in a minute"
    if minutes < 60:
        return f"in {minutes} minutes"
    hours = round(seconds / 3600)
    return "in about an hour" if hours <= 1 else f"in about {hours} hours"
