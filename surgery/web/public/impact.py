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
        figures_query=api_query(form),
        charts=impact_charts(figures),
        smallest=impact.SMALLEST_SHOWN,
    )


def impact_charts(figures: impact.Impact) -> dict:
    """The charts with something to show, by name: answers given by too few groups are left out."""
    bars = {
        "got_going": shown_bars(
            (answer.label, (figures.got_going or {}).get(answer.value)) for answer in GotGoing
        ),
        "change": shown_bars(
            (words, (figures.change_scores or {}).get(score)) for score, words in CHANGE_SCALE
        ),
        "asked": figures.skills_asked,
        "offered": figures.skills_offered,
    }
    titles = {
        "got_going": ("A week on: did groups get going?", "groups"),
        "change": ("Three months on: how much has changed?", "groups"),
        "asked": ("Skills groups asked for", "groups"),
        "offered": ("Skills volunteers offered", "volunteers"),
    }
    return {
        name: bar_chart(titles[name][0], bars[name], unit=titles[name][1])
        for name in titles
        if any(count for _, count in bars[name])
    }


def shown_bars(bars) -> list[tuple[str, int]]:
    """The answers given by enough groups to show; the page says the others are left out."""
    return [(label, count) for label, count in bars if count is not None]


def api_query(form: ImpactFilterForm) -> dict:
    """The API's parameters for the same figures the page shows."""
    return {"period": form.period.data} | (
        {"town": form.town.data} if form.town.data != "all" else {}
    )
