from flask import render_template

from surgery.services import health
from surgery.vocabulary import Level
from surgery.web.public import blueprint


@blueprint.get("/")
def home():
    return render_template("public/home.html")


@blueprint.get("/about")
def about():
    return render_template("public/about.html", levels=list(Level))


@blueprint.get("/healthz")
def healthz():
    if health.database_answers():
        return {"status": "ok"}, 200
    return {"status": "unavailable", "database": "not answering"}, 503
