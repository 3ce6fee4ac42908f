"""Emails link to pages by kind: every kind names a route the app serves, under PUBLIC_BASE_URL."""

from surgery.models import FollowUpKind
from surgery.notify.links import LINKS, link

SOME_VALUES = {"token": "a1-x", "kind": FollowUpKind.WEEK}


def test_every_kind_of_link_is_a_route_of_the_app(app):
    endpoints = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    for kind, endpoint in LINKS.items():
        assert endpoint in endpoints, f"{kind} names {endpoint}, which no route serves"
        arguments = endpoints[endpoint].arguments
        values = {name: SOME_VALUES.get(name, 1) for name in arguments}
        url = link(kind, **values)
        assert url.startswith(app.config["PUBLIC_BASE_URL"] + "/"), url


def test_links_follow_the_public_address_not_the_request(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://surgery.example.org/uk")
    assert link("ask") == "https://surgery.example.org/uk/ask"
