"""Friendly pages for the errors people can meet, and JSON for the API's callers."""

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from surgery.extensions import db
from surgery.web.api import blueprint as api

# Failures of the database as a whole (down, unreachable, out of connections), not of one query.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)
# Long enough for a restarting database; browsers and API clients may wait this long to retry.
RETRY_AFTER_SECONDS = 30

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    """Answer errors with our own pages (JSON under the API): 404, 413, 500, a missing form
    token, any other HTTP error of the API's, and the database being unavailable (503)."""
    app.register_error_handler(404, not_found)
    app.register_error_handler(413, too_large)
    app.register_error_handler(500, server_error)
    app.register_error_handler(CSRFError, form_expired)
    app.register_error_handler(HTTPException, other_http_error)
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, database_unavailable)


def for_the_api() -> bool:
    """Whether the request was for the API, including an address under it that does not exist."""
    return request.path == api.url_prefix or request.path.startswith(f"{api.url_prefix}/")


def api_error(code: int, message: str):
    return {"error": message, "status": code}, code


def not_found(_error):
    if for_the_api():
        return api_error(404, "Nothing is at this address.")
    return render_template("errors/404.html"), 404


def too_large(_error):
    if for_the_api():
        return api_error(413, "The request is too large.")
    return render_template("errors/413.html"), 413


def form_expired(_error):
    return render_template("errors/form_expired.html"), 400


def other_http_error(error: HTTPException):
    """The API says what went wrong in JSON; a page keeps Werkzeug's own answer."""
    if for_the_api():
        response = error.get_response()
        body, code = api_error(error.code or 500, error.description or error.name)
        return body, code, [(k, v) for k, v in response.headers if k.lower() == "allow"]
    return error


def server_error(_error):
    forget_the_failed_transaction()
    if for_the_api():
        return api_error(500, "Something went wrong on our side. Please try again later.")
    return render_template("errors/500.html"), 500


def database_unavailable(error: SQLAlchemyError):
    """The database is down or out of reach: say so and when to try again, with nothing of the
    page that was being built."""
    # The route and the error's class only: a path may hold a private link, and the error's text
    # quotes the statement and its parameters, people's details.
    failed = (request.method, request.endpoint, type(error).__name__)
    log.error("database unavailable: %s %s, %s", *failed)
    forget_the_failed_transaction()
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if for_the_api():
        body, code = api_error(503, "The service is unavailable for a moment. Try again later.")
        return body, code, headers
    return render_template("errors/503.html"), 503, headers


def forget_the_failed_transaction() -> None:
    # The failed request may have left the transaction broken; the answer must still be given.
    try:
        db.session.rollback()
    except SQLAlchemyError:
        log.exception("could not roll back after an error")
