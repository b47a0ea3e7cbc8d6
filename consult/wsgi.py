"""The WSGI entry point for gunicorn: ``gunicorn 'consult.wsgi:app'``.

Loads the sentiment lexicons once at start-up (with ``--preload``, once for
all workers), so no request pays for it.
"""

from analysis.sentiment import sentiment_of
from consult import create_app

app = create_app()
sentiment_of("warm up", "en")
sentiment_of("préchauffage", "fr")
