"""Reports: each session's and each town's figures, on a page and as CSV downloads.

Hosts see their own sessions only, and admins every one (surgery.services.reports decides).
"""

from flask import Response, abort, render_template, request
from flask_login import current_user, login_required

from surgery.clock import london_date, utcnow
from surgery.services import reports
from surgery.services.periods import Period
from surgery.web.forms.reports import PeriodForm
from surgery.web.hosts import blueprint

TABLES = {
    "sessions": (reports.SESSION_COLUMNS, reports.session_rows),
    "towns": (reports.TOWN_COLUMNS, reports.town_rows),
}


def chosen_period() -> tuple[PeriodForm, Period | None]:
    """The period asked for in the address (None if it is not one), else the last twelve months."""
    if "first" in request.args or "last" in request.args:
        form = PeriodForm(request.args)
        return form, form.period if form.validate() else None
    default = Period.last_twelve_months(utcnow())
    return PeriodForm(formdata=None, first=default.first_day, last=default.last_day), default


@blueprint.get("/reports", endpoint="reports")
@login_required
def reports_page():
    form, period = chosen_period()
    if period is None:
        return render_template("hosts/reports.html", form=form, tables=None), 400
    tables = {
        name: (columns, rows_for(current_user, period))
        for name, (columns, rows_for) in TABLES.items()
    }
    return render_template("hosts/reports.html", form=form, tables=tables, period=period)


@blueprint.get("/reports/<any(sessions, towns):table>.csv")
@login_required
def report_csv(table: str):
    period = chosen_period()[1] or abort(400)
    columns, rows_for = TABLES[table]
    text = reports.csv_text(columns, rows_for(current_user, period))
    filename = f"surgery-{table}-report-{london_date(utcnow()).isoformat()}.csv"
    return Response(
        # A byte order mark first, so that Excel reads the UTF-8 as UTF-8.
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
