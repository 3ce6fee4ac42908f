"""What surgeries change: the public impact page."""

from flask import render_template, request

from surgery.clock import london_date, utcnow
from surgery.geo.areas import town_by_slug
from surgery.models import GotGoing
from surgery.services import impact
from surgery.services.towns import towns_with_sessions
from surgery.web.charts import bar_chart
from surgery.web.forms.follow_through import CHANGE_SCALE
from surgery.web.forms.impact import ImpactFilterForm
from surgery.web.public import blueprint


@blueprint.get("/impact")
def impact_page():
    form = ImpactFilterForm(request.args)
    form.offer_towns(towns_with_sessions())
    if request.args and not form.validate():
        return render_template("public/impact.html", form=form, figures=None), 400
    town = town_by_slug(form.town.data) if form.town.data != "all" else None
    figures = impact.measure(town, impact.period_named(form.period.data, london_date(utcnow())))
    period_words = impact.PERIODS[form.period.data][0]
    return render_template(
        "public/impact.html",
        form=form,
        figures=figures,
        heading=f"{period_words}, {town.name if town else 'all towns'}",
        figures_query=api_query(figures),
        charts=impact_charts(figures),
        smallest=impact.SMALLEST_SHOWN,
    )


def impact_charts(figures: impact.Impact) -> dict:
    charts = {}
    if figures.got_going:
        charts["got_going"] = bar_chart(
            "A week on: did groups get going?",
            [(answer.label, figures.got_going[answer.value]) for answer in GotGoing],
            unit="groups",
        )
    if figures.change_scores:
        charts["change"] = bar_chart(
            "Three months on: how much has changed?",
            [(dict(CHANGE_SCALE)[score], count) for score, count in figures.change_scores.items()],
            unit="groups",
        )
    if figures.skills_asked:
        charts["asked"] = bar_chart("Skills groups asked for", figures.skills_asked, unit="groups")
    if figures.skills_offered:
        charts["offered"] = bar_chart(
            "Skills volunteers offered", figures.skills_offered, unit="volunteers"
        )
    return charts


def api_query(figures: impact.Impact) -> dict:
    """The API's parameters for the same figures the page shows."""
    period = figures.period
    asked = {"town": figures.town.slug if figures.town else None}
    asked["from"] = period.first_day.isoformat() if period.first_day else None
    asked["to"] = period.last_day.isoformat() if period.last_day else None
    return {name: value for name, value in asked.items() if value}
