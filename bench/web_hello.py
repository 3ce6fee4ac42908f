"""The bare Flask route bench/web.py compares each page with, under the same gunicorn."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello"
