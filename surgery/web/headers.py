"""Response headers that keep private links and personal pages private, and pages our own."""

from flask import Flask, Response, current_app, request

# Every script and style is a file we serve: nothing inline, so an injected tag cannot run.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)


def register(app: Flask) -> None:
    """Add the headers to every response."""
    app.after_request(add_privacy_headers)


def add_privacy_headers(response: Response) -> Response:
    # A view with a reason to differ (the development mail preview) sets its own policy.
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    # A private link in the address must not leak to another site through the Referer header.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config["HSTS_SECONDS"]:
        response.headers.setdefault(
            "Strict-Transport-Security",
            f"max-age={current_app.config['HSTS_SECONDS']}; includeSubDomains",
        )
    if is_private_page():
        # Pages behind a private link or a sign-in must not stay in a shared computer's cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def is_private_page() -> bool:
    has_token = bool(request.view_args and "token" in request.view_args)
    return has_token or request.path.startswith(("/host", "/admin", "/dev/mail"))
