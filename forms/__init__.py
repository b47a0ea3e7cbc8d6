"""Survey definitions as data: XLSForm in, frozen dataclasses out.

Nothing here imports Flask, SQLAlchemy or ``consult``.
"""
