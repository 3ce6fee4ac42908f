"""Response headers that keep private links and personal pages private."""

from flask import Flask, Response, request


def register(app: Flask) -> None:
    """Add the headers to every response."""
    app.after_request(add_privacy_headers)


def add_privacy_headers(response: Response) -> Response:
    # A private link in the address must not leak to another site through the Referer header.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if is_private_page():
        # Pages behind a private link or a sign-in must not stay in a shared computer's cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def is_private_page() -> bool:
    has_token = bool(request.view_args and "token" in request.view_args)
    return has_token or request.path.startswith(("/host", "/admin", "/dev/mail"))
