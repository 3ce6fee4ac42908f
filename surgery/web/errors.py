"""Friendly pages for the errors people can meet."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from surgery.extensions import db


def register(app: Flask) -> None:
    """Render our own pages for 404, 413, 500 and a missing form token."""
    app.register_error_handler(404, not_found)
    app.register_error_handler(413, too_large)
    app.register_error_handler(500, server_error)
    app.register_error_handler(CSRFError, form_expired)


def not_found(_error):
    return render_template("errors/404.html"), 404


def too_large(_error):
    return render_template("errors/413.html"), 413


def form_expired(_error):
    return render_template("errors/form_expired.html"), 400


def server_error(_error):
    # The failed request may have left the transaction broken; the page must still render.
    db.session.rollback()
    return render_template("errors/500.html"), 500
