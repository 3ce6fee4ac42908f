"""Who is signed in, and for how long: Flask-Login, plus our own limits on a session's life."""

from datetime import datetime

from flask import Flask, current_app, flash, session, url_for
from flask_login import current_user, login_user, logout_user

from surgery.clock import utcnow
from surgery.extensions import login_manager
from surgery.models import Account
from surgery.services.accounts import account_for_session


def register(app: Flask) -> None:
    """Load accounts from the session, and end sessions that are too old or idle too long."""
    login_manager.user_loader(account_for_session)
    login_manager.login_view = "hosts.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    app.before_request(end_expired_session)


def start_session(now: datetime) -> None:
    """Mark when this browser signed in; call right after login_user."""
    session.permanent = True
    session["signed_in_at"] = session["seen_at"] = now.timestamp()


def start_fresh_session(account: Account, now: datetime) -> None:
    """Sign this browser in as the account, keeping nothing the browser carried before."""
    session.clear()
    login_user(account)
    start_session(now)


def landing_page(account: Account) -> str:
    """Where signing in leads: an admin's work is on the admin page, a host's on their sessions."""
    return url_for("admin.index" if account.is_admin else "hosts.dashboard")


def end_expired_session() -> None:
    """Sign out a session past 12 hours in all, or idle for 30 minutes; else note this request."""
    if not current_user.is_authenticated:
        return
    now = utcnow().timestamp()
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    idle = current_app.config["SIGN_IN_IDLE_LIMIT"].total_seconds()
    started, seen = session.get("signed_in_at", 0), session.get("seen_at", 0)
    if now - started > lifetime or now - seen > idle:
        logout_user()
        session.clear()
        flash("You were signed out because you had been away for a while. Sign in again.", "info")
        return
    session["seen_at"] = now
