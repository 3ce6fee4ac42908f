from flask import render_template

from surgery.clock import utcnow
from surgery.scheduler import job_intervals
from surgery.services import health
from surgery.vocabulary import Level
from surgery.web.caching import public_page
from surgery.web.public import blueprint


@blueprint.get("/")
def home():
    return public_page(render_template("public/home.html"))


@blueprint.get("/about")
def about():
    return render_template("public/about.html", levels=list(Level))


@blueprint.get("/healthz")
def healthz():
    if not health.database_answers():
        return {"status": "unavailable", "database": "not answering"}, 503
    now, intervals = utcnow(), job_intervals()
    jobs = health.job_health(now, intervals)
    body = {"status": "ok", "jobs": {job.job_id: job.as_json() for job in jobs}}
    stale = [job.job_id for job in jobs if job.stale]
    if not stale:
        return body, 200
    # Here too, not only after a job's run: a scheduler that is not running warns nobody itself.
    health.warn_admins_of_stale_jobs(now, intervals)
    return body | {"status": "unavailable", "stale_jobs": stale}, 503
