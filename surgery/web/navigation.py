"""The links a signed-in host or admin sees at the top of every page, kept in one list.

To add a page to it, add one line to NAVIGATION: its label, its endpoint, and who may see it.
Signing out is a button (a POST with a form token), so base.html adds it after these links.
"""

import enum
from dataclasses import dataclass

from flask import Flask, has_request_context, request, url_for
from flask_login import current_user


class Audience(enum.Enum):
    HOSTS = "hosts"  # every signed-in account: admins run sessions too
    ADMINS = "admins"


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    audience: Audience


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Your sessions", "hosts.dashboard", Audience.HOSTS),
    NavItem("Reports", "hosts.reports", Audience.HOSTS),
    NavItem("Where next", "hosts.where_next", Audience.HOSTS),
    NavItem("Admin", "admin.index", Audience.ADMINS),
    NavItem("Failed emails", "admin.failed_emails", Audience.ADMINS),
    NavItem("Personal data", "admin.personal_data", Audience.ADMINS),
)


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    current: bool  # this link is the page being shown (aria-current="page")


def may_see(item: NavItem, is_admin: bool) -> bool:
    return item.audience is Audience.HOSTS or is_admin


def links_for(is_admin: bool, endpoint: str | None) -> list[NavLink]:
    """Return the links an account sees, marking the one for `endpoint` as the current page."""
    return [
        NavLink(item.label, url_for(item.endpoint), item.endpoint == endpoint)
        for item in NAVIGATION
        if may_see(item, is_admin)
    ]


def signed_in_account():
    """Return the account signed in on this request, or None."""
    if not has_request_context():  # an email rendered by the scheduler
        return None
    return current_user if current_user.is_authenticated else None


@dataclass(frozen=True)
class AccountNavigation:
    name: str  # whose account is signed in, said beside the links
    links: list[NavLink]


def for_templates() -> dict:
    """Give every page `account_navigation`: the signed-in account's links, else None."""
    account = signed_in_account()
    if account is None:
        return {"account_navigation": None}
    links = links_for(account.is_admin, request.endpoint)
    return {"account_navigation": AccountNavigation(account.name, links)}


def register(app: Flask) -> None:
    app.context_processor(for_templates)
