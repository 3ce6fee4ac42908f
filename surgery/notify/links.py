"""Absolute links (for emails, calendar files and the API) by kind, always from PUBLIC_BASE_URL,
never from the Host a request named. Services name the page a message links to, never a route
of the web layer, so renaming a route is a change in one table (checked against the app's
routes by tests/test_links.py)."""

from urllib.parse import urlsplit

from flask import current_app

# Each kind of page an email links to, and the route that serves it.
LINKS = {
    "admin": "admin.index",
    "api-sessions": "api.sessions",
    "ask": "public.ask_start",
    "confirm-email": "public.confirm",
    "embed-sessions": "public.embed_sessions",
    "email-change": "public.confirm_email_change",
    "follow-up": "public.follow_up",
    "group-manage": "public.manage",
    "group-sessions": "public.manage_sessions",
    "host-dashboard": "hosts.dashboard",
    "host-session": "hosts.session_page",
    "host-where-next": "hosts.where_next",
    "session": "public.session_page",
    "session-calendar": "public.session_ics",
    "sessions-feed": "public.sessions_feed",
    "set-password": "hosts.set_password",
    "sign-in": "hosts.sign_in",
    "sign-in-link": "hosts.sign_in_link",
    "still-coming": "public.still_coming",
    "town-feed": "public.town_feed",
    "unsubscribe": "public.unsubscribe",
    "volunteer-manage": "volunteers.manage",
    "volunteer-sessions": "volunteers.manage_sessions",
}


def link(kind: str, /, **values) -> str:
    """Return the full address of a kind of page, as people reach the site, outside any request."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(LINKS[kind], values, force_external=True)


def webcal_link(kind: str, /, **values) -> str:
    """Return a calendar feed's address for subscribing: webcal: in place of http(s):, which
    makes a browser hand the feed to the calendar app rather than download it once."""
    return "webcal:" + link(kind, **values).split(":", 1)[1]
