"""What the asker and volunteer manage pages share: find the person, give data, erase, new link."""

import json

from flask import Blueprint, Response, abort, render_template, url_for
from flask_wtf import FlaskForm

from surgery.clock import utcnow
from surgery.models import Asker, Volunteer
from surgery.services import personal_data
from surgery.services.tokens import LinkNotValid, person_for_manage_token


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
        person, form = person_or_404(token, model), FlaskForm()
        if form.validate_on_submit():
            return erase(person)
        back = url_for(f"{blueprint.name}.manage", token=token)
        return render_template("manage/delete.html", form=form, back=back)

    def manage_new_link(token: str):
        person, form = person_or_404(token, model), FlaskForm()
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
