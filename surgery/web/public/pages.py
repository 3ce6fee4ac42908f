"""The pages a public service owes the people who use it: privacy, accessibility, contact."""

from flask import current_app, render_template

from surgery.services.email_change import LINK_LIFETIME
from surgery.services.personal_data import DRAFT_LIFETIME, UNCONFIRMED_LIFETIME
from surgery.services.tokens import CONFIRMATION_LIFETIME
from surgery.web.public import blueprint


def addresses() -> dict[str, str]:
    """Where people write to us, and where a security problem goes (the same unless set)."""
    contact = current_app.config["CONTACT_EMAIL"]
    security = current_app.config["SECURITY_EMAIL"] or contact
    return {"contact_email": contact, "security_email": security}


@blueprint.get("/privacy")
def privacy():
    return render_template(
        "public/privacy.html",
        unconfirmed_days=UNCONFIRMED_LIFETIME.days,
        confirm_days=CONFIRMATION_LIFETIME.days,
        draft_days=DRAFT_LIFETIME.days,
        change_days=LINK_LIFETIME.days,
        retention_months=current_app.config["RETENTION_MONTHS"],
        **addresses(),
    )


@blueprint.get("/accessibility")
def accessibility():
    return render_template("public/accessibility.html", **addresses())


@blueprint.get("/contact")
def contact():
    return render_template("public/contact.html", **addresses())
