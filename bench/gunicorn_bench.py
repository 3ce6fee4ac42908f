"""gunicorn settings for bench/web.py: each worker counts the SQL statements of every request and
says how many in an X-Bench-Queries header, without any change to the service's code."""

from flask import g
from sqlalchemy import event
from sqlalchemy.engine import Engine

workers = 2
worker_class = "sync"
timeout = 60
accesslog = None


def count_statement(conn, cursor, statement, parameters, context, executemany):
    try:
        g.bench_queries += 1
    except (AttributeError, RuntimeError):  # outside a request, or before it began
        pass


def start_counting():
    g.bench_queries = 0


def add_count_header(response):
    response.headers["X-Bench-Queries"] = str(g.get("bench_queries", 0))
    return response


def post_worker_init(worker):
    """Once the worker has loaded the app: count each statement, per request."""
    app = worker.wsgi
    event.listen(Engine, "before_cursor_execute", count_statement)
    app.before_request_funcs.setdefault(None, []).insert(0, start_counting)
    # after_request functions run last-registered first: at the front of the list, ours runs last.
    app.after_request_funcs.setdefault(None, []).insert(0, add_count_header)
