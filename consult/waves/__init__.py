"""Waves of a study: the same survey run again, compared over time from protected counts.

- :mod:`~consult.waves.models`: the ``study`` and ``study_wave`` tables.
- :mod:`~consult.waves.services`: studies, waves, renamed questions, and the
  trend (each wave counted, protected with the partnership's ledger, and
  compared by :mod:`analysis.waves`).
- :mod:`~consult.waves.routes`: the researcher pages at ``/research/waves``.
- :mod:`~consult.waves.cli`: ``consult waves``.
"""
