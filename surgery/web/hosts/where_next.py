"""Where next: groups waiting with no session in reach, and volunteers near them to invite."""

import math
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from surgery.clock import utcnow
from surgery.database import row_id
from surgery.models import SurgerySession
from surgery.services import inviting, sessions, where_next
from surgery.services.inviting import InviteRefused
from surgery.services.where_next import District, Helper, UnmetDemand
from surgery.web.charts import bar_chart
from surgery.web.forms.where_next import InviteForm
from surgery.web.helpers import level_titles, when
from surgery.web.hosts import blueprint

# A city's list could run to hundreds: the nearest are the likeliest to come.
HELPERS_SHOWN = 50


@dataclass(frozen=True)
class Nearby:
    """One district's volunteers within reach, and the sessions this account may invite to."""

    district: District
    helpers: list[Helper]
    sessions: list[SurgerySession]
    invited: set[tuple[int, int]]  # (volunteer, session) invitations already sent


def nearby(district: District) -> Nearby:
    helpers = where_next.helpers_for(district)[:HELPERS_SHOWN]
    choices = inviting.session_choices(current_user, district, utcnow())
    ids = ([h.volunteer_id for h in helpers], [s.id for s in choices])
    return Nearby(district, helpers, choices, inviting.invited_already(*ids))


@blueprint.get("/where-next", endpoint="where_next")
@login_required
def where_next_page():
    demand = where_next.unmet_demand(utcnow())
    chosen = demand.district(request.args.get("district", ""))
    district = chosen or (demand.districts[0] if demand.districts else None)
    near = nearby(district) if district else None
    form = invite_form(near, formdata=None) if near else None
    return page(demand, near, form)


@blueprint.post("/where-next/invite")
@login_required
def where_next_invite():
    demand = where_next.unmet_demand(utcnow())
    district = demand.district(request.form.get("district", ""))
    if district is None:
        flash("No groups are waiting in that district now: choose another.", "error")
        return redirect(url_for("hosts.where_next"))
    near = nearby(district)
    form = invite_form(near)
    own_session_or_404(form)
    if form.validate():
        surgery_session = sessions.session_for(current_user, form.session_id.data)
        try:
            done = inviting.invite(current_user, surgery_session, form.volunteer_ids.data, utcnow())
        except InviteRefused as error:
            form.session_id.errors = [str(error)]
        else:
            say_what_happened(done, surgery_session.title)
            return redirect(url_for("hosts.where_next", district=district.name, _anchor="helpers"))
    return page(demand, near, form, status=400)


def own_session_or_404(form: InviteForm) -> None:
    """Another host's session does not exist for this one; an admin may invite to any."""
    session_id = row_id(request.form.get("session_id"))
    if session_id is None or session_id in dict(form.session_id.choices):
        return
    surgery_session = sessions.session_for(current_user, session_id) or abort(404)
    # Their own, but no longer upcoming: the service says why it cannot be invited to.
    form.session_id.choices.append((surgery_session.id, surgery_session.title))


def say_what_happened(done: inviting.Invitations, title: str) -> None:
    if done.invited:
        flash(f"Invited {', '.join(done.invited)} to {title}. We have emailed them.", "success")
    for names, why in (
        (done.already, "already invited to this session, so we did not email them again"),
        (done.helping, "already signed up to help there"),
        (done.too_far, "the session is further than they travel"),
        (done.gone, "no longer offering help"),
    ):
        if names:
            flash(f"Not invited ({why}): {', '.join(names)}.", "info")


def page(demand: UnmetDemand, near: Nearby | None, form: InviteForm | None, status: int = 200):
    chart = bar_chart(
        "Groups waiting by district", [(d.name, d.groups) for d in demand.districts], unit="groups"
    )
    rendered = render_template(
        "hosts/where_next.html",
        demand=demand,
        near=near,
        form=form,
        chart=chart,
    )
    return rendered, status


def invite_form(near: Nearby, **kwargs) -> InviteForm:
    """The invitation form for a district: its volunteers and this account's sessions."""
    form = InviteForm(**kwargs, district=near.district.name)
    form.volunteer_ids.choices = [(h.volunteer_id, h.first_name) for h in near.helpers]
    form.volunteer_ids.hints = {h.volunteer_id: helper_hint(h, near) for h in near.helpers}
    form.session_id.choices = [(s.id, s.title) for s in near.sessions]
    form.session_id.hints = {
        s.id: f"{when(s.starts_at, s.ends_at)}, {s.venue_name}" for s in near.sessions
    }
    return form


def whole_km(km: float) -> str:
    """'Within 3 km': whole kilometres, so that looking from several districts cannot narrow
    down where a volunteer lives."""
    return f"Within {max(1, math.ceil(km))} km"


def helper_hint(helper: Helper, near: Nearby) -> str:
    levels = level_titles(list(helper.levels)) or "any level"
    hint = (
        f"Offers {', '.join(helper.skills)}. Helps at: {levels}. "
        f"{whole_km(helper.distance_km)} from the groups waiting."
    )
    invited = [s.title for s in near.sessions if (helper.volunteer_id, s.id) in near.invited]
    return f"{hint} Already invited to: {'; '.join(invited)}." if invited else hint
