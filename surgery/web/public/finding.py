"""Find a session near you; a session's public page and its calendar file."""

from datetime import datetime

from flask import Response, abort, render_template, request

from surgery.clock import utcnow
from surgery.notify.calendar import session_calendar
from surgery.notify.links import link
from surgery.services import finding
from surgery.services.answers import place_for
from surgery.services.booking import email_booking_links
from surgery.services.errors import InvalidAnswers
from surgery.services.signups import skills_on_offer
from surgery.web.caching import public_page, same_for_everyone
from surgery.web.forms.common import LostLinkForm
from surgery.web.forms.finding import FinderForm
from surgery.web.public import blueprint
from surgery.web.wizard import show_errors


@blueprint.get("/sessions")
def find():
    now = utcnow()
    if not (request.args and same_for_everyone()):
        return public_page(search_page(now)[0])
    # The same page for everyone signed out: kept, it is answered without the database.
    key = ("finder", request.query_string)
    return public_page(finding.kept_search(key, now, lambda: search_page(now)))


def search_page(now: datetime) -> tuple[str, finding.FinderPage | None]:
    """The finder with the form as asked and, if it was answered well, a page of results."""
    form = FinderForm(request.args)
    results = None
    if request.args and form.validate():
        try:
            place = place_for(form.postcode.data)
        except InvalidAnswers as error:
            show_errors(form, error)
        else:
            page = request.args.get("page", 1, type=int)
            results = finding.find_sessions(place, form.within_km.data, now, page)
            if results.page > results.pages:  # a link kept past a change: show the last page
                results = finding.find_sessions(place, form.within_km.data, now, results.pages)
    page = render_template("public/find.html", form=form, results=results)
    return page, results


@blueprint.get("/sessions/<int:session_id>")
def session_page(session_id: int):
    surgery_session = finding.public_session(session_id) or abort(404)
    skills = skills_on_offer(surgery_session)
    return render_template(
        "public/session.html",
        surgery_session=surgery_session,
        skills=skills,
        form=LostLinkForm(),
        started=surgery_session.starts_at <= utcnow(),
    )


@blueprint.post("/sessions/<int:session_id>/links")
def session_links(session_id: int):
    surgery_session = finding.public_session(session_id) or abort(404)
    form = LostLinkForm()
    if not form.validate_on_submit():
        skills = skills_on_offer(surgery_session)
        page = render_template(
            "public/session.html",
            surgery_session=surgery_session,
            skills=skills,
            form=form,
            started=surgery_session.starts_at <= utcnow(),
        )
        return page, 400
    email_booking_links(form.email.data, surgery_session, utcnow())
    return render_template("public/session_links_sent.html", surgery_session=surgery_session)


@blueprint.get("/sessions/<int:session_id>.ics")
def session_ics(session_id: int):
    surgery_session = finding.public_session(session_id) or abort(404)
    return Response(
        session_calendar(surgery_session, link("session", session_id=session_id)),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="surgery-{session_id}.ics"'},
    )
