"""From findings to a settlement strategy: service inventory, gap map, priority rounds, draft.

- :mod:`~consult.strategy.models`: the ``service``, ``priority_round`` and
  ``priority_ballot`` tables.
- :mod:`~consult.strategy.inventory`: importing, editing and exporting the
  service inventory (themes suggested by the partnership's coder).
- :mod:`~consult.strategy.need`: the need side of the gap map, read from a
  publication's frozen, protected report (the one place that reads it).
- :mod:`~consult.strategy.gapmap`: a publication's gap map.
- :mod:`~consult.strategy.rounds`: priority rounds and secret ballots.
- :mod:`~consult.strategy.draft`: the settlement-strategy draft as HTML,
  PDF and DOCX.
"""
