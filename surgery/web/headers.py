"""Response headers that keep private links and personal pages private, and pages our own."""

from flask import Flask, Response, current_app, request


def content_security_policy(frame_ancestors: str) -> str:
    """Every script and style is a file we serve: nothing inline, so an injected tag cannot run."""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
            "base-uri 'none'",
            "object-src 'none'",
        )
    )


# No other site may frame our pages (clickjacking), but for the few made to be framed.
CONTENT_SECURITY_POLICY = content_security_policy("'none'")
# A page marked embeddable shows public facts only, with links and no forms: any site may frame it.
EMBEDDABLE_POLICY = content_security_policy("*")


def embeddable(view):
    """Mark a view as a page partners' websites may show in a frame (an <iframe>)."""
    view.embeddable = True
    return view


def register(app: Flask) -> None:
    """Add the headers to every response."""
    app.after_request(add_privacy_headers)


def add_privacy_headers(response: Response) -> Response:
    # A view with a reason to differ (the development mail preview) sets its own policy.
    if may_be_framed():
        response.headers.setdefault("Content-Security-Policy", EMBEDDABLE_POLICY)
    else:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
    # A private link in the address must not leak to another site through the Referer header.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if current_app.config["HSTS_SECONDS"]:
        response.headers.setdefault(
            "Strict-Transport-Security",
            f"max-age={current_app.config['HSTS_SECONDS']}; includeSubDomains",
        )
    if is_private_page():
        # Pages behind a private link or a sign-in must not stay in a shared computer's cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def may_be_framed() -> bool:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "embeddable", False)


def is_private_page() -> bool:
    has_token = bool(request.view_args and "token" in request.view_args)
    return has_token or request.path.startswith(("/host", "/admin", "/dev/mail"))
