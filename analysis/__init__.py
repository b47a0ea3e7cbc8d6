"""Pure analysis of text units: normalisation, coding, sentiment, aggregation.

Nothing here imports Flask, SQLAlchemy or ``consult``: plain records in, plain
results out. See ``analysis/README.md``.
"""
