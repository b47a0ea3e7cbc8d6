"""The yardstick for ``make bench``: a bare Flask app with one small HTML page.

Served by the same gunicorn settings as Consult, so the ratio of Consult's
throughput to this one says what Consult itself costs on this machine.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)

PAGE = (
    '<!doctype html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8">'
    "<title>Bare Flask</title></head><body><main><h1>Hello</h1>"
    "<p>A small page from a bare Flask app.</p></main></body></html>\n"
)


@app.get("/")
def index() -> str:
    return PAGE
