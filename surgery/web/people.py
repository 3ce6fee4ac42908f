"""What the asker and volunteer manage pages share: find the person, give data, erase, new link,
change the email address, and the page that sends a lost link again."""

import json

from flask import Blueprint, Response, abort, render_template, url_for

from surgery.clock import utcnow
from surgery.models import Asker, Volunteer
from surgery.services import email_change, lost_link, personal_data
from surgery.services.errors import InvalidAnswers
from surgery.services.tokens import LinkNotValid, person_for_manage_token
from surgery.web.fields import Form
from surgery.web.forms.common import EmailForm, LostLinkForm
from surgery.web.wizard import show_errors


def person_or_404(token: str, model: type[Asker] | type[Volunteer]):
    """Return the person a manage link belongs to; any other link is simply not found."""
    try:
        person = person_for_manage_token(token)
    except LinkNotValid:
        abort(404)
    if not isinstance(person, model):
        abort(404)
    return person


def add_personal_data_routes(blueprint: Blueprint, model: type[Asker] | type[Volunteer]) -> None:
    """Give a blueprint's manage pages their data download, deletion and new-link routes."""

    def manage_data(token: str):
        return data_download(person_or_404(token, model))

    def manage_delete(token: str):
        person, form = person_or_404(token, model), Form()
        if form.validate_on_submit():
            return erase(person)
        back = url_for(f"{blueprint.name}.manage", token=token)
        return render_template("manage/delete.html", form=form, back=back)

    def manage_new_link(token: str):
        person, form = person_or_404(token, model), Form()
        if form.validate_on_submit():
            return new_link(person)
        back = url_for(f"{blueprint.name}.manage", token=token)
        return render_template("manage/new_link.html", form=form, email=person.email, back=back)

    blueprint.add_url_rule("/manage/<token>/data.json", view_func=manage_data)
    blueprint.add_url_rule(
        "/manage/<token>/delete", view_func=manage_delete, methods=["GET", "POST"]
    )
    blueprint.add_url_rule(
        "/manage/<token>/new-link", view_func=manage_new_link, methods=["GET", "POST"]
    )


def data_download(person: Asker | Volunteer) -> Response:
    body = json.dumps(personal_data.export_personal_data(person), indent=2, ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-social-media-surgery-data.json"'},
    )


def erase(person: Asker | Volunteer):
    personal_data.erase_person(person, utcnow())
    return render_template("manage/deleted.html")


def new_link(person: Asker | Volunteer):
    email = person.email
    personal_data.rotate_manage_link(person, utcnow())
    return render_template("manage/new_link_sent.html", email=email)


def lost_link_page():
    """Ask for an address and send it its private links; say the same whether we know it or not."""
    form = LostLinkForm()
    if form.validate_on_submit():
        lost_link.send_manage_links(form.email.data, utcnow())
        return render_template("manage/lost_link_sent.html", email=form.email.data)
    return render_template("manage/lost_link.html", form=form)


def change_email_page(person: Asker | Volunteer, back: str):
    """Ask for a new address and send it a link that confirms the change."""
    form = EmailForm()
    form.email.label.text = "Your new email address"
    form.email.description = (
        "We will email a link to it. Until you open that link, we keep using your old address."
    )
    if form.validate_on_submit():
        try:
            email_change.request_email_change(person, form.email.data, utcnow())
        except InvalidAnswers as error:
            show_errors(form, error)
        else:
            sent_to = form.email.data
            days = email_change.LINK_LIFETIME.days
            return render_template(
                "manage/change_email_sent.html", email=sent_to, back=back, days=days
            )
    return render_template("manage/change_email.html", form=form, person=person, back=back)
