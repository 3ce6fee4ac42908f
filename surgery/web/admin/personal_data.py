"""Subject access: an admin finds what we hold about an email address, downloads it, erases it.

Every step is a POST carrying the address in its body, so it never appears in a URL, a browser's
history or a server's access log.
"""

import json

from flask import Response, abort, render_template
from flask_login import current_user

from surgery.clock import london_date, utcnow
from surgery.services import subject_access
from surgery.services.errors import InvalidAnswers
from surgery.web.admin import blueprint
from surgery.web.admin.forms import FindPersonalDataForm, PersonalDataActionForm
from surgery.web.wizard import show_errors


@blueprint.get("/personal-data")
def personal_data():
    return render_template("admin/personal_data_find.html", form=FindPersonalDataForm())


@blueprint.post("/personal-data")
def find_personal_data():
    form = FindPersonalDataForm()
    if not form.validate():
        return render_template("admin/personal_data_find.html", form=form), 400
    try:
        held = subject_access.holdings(form.email.data)
    except InvalidAnswers as error:
        show_errors(form, error)
        return render_template("admin/personal_data_find.html", form=form), 400
    return render_template("admin/personal_data_found.html", held=held, form=action_form(held))


@blueprint.post("/personal-data/download")
def download_personal_data():
    held = submitted_holdings()
    data = subject_access.export(current_user, held, utcnow())
    name = f"personal-data-{london_date(utcnow()).isoformat()}.json"
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@blueprint.post("/personal-data/erase")
def erase_personal_data():
    form = PersonalDataActionForm()
    held = submitted_holdings(form)
    if form.confirmed.data != "yes":
        form.confirmed.data = "yes"
        return render_template("admin/personal_data_erase.html", held=held, form=form)
    subject_access.erase(current_user, held, utcnow())
    return render_template("admin/personal_data_erased.html")


def action_form(held: subject_access.Holdings) -> PersonalDataActionForm:
    form = PersonalDataActionForm()
    form.email.data, form.confirmed.data = held.email, ""
    return form


def submitted_holdings(form: PersonalDataActionForm | None = None) -> subject_access.Holdings:
    """Read the address a button sent; a tampered one is a bad request."""
    form = form or PersonalDataActionForm()
    if not form.validate():
        abort(400)
    try:
        return subject_access.holdings(form.email.data)
    except InvalidAnswers:
        abort(400)
