"""How good the coder is, theme by theme, in words a council understands.

:func:`consult.coding.learning.estimates` gives each theme's precision and
recall, cross-validated on the reviewed (and imported) answers, with 95%
Wilson intervals. This module says them "out of 10": "Of 10 answers the
coder marks as Housing, about 8 are right (between 6 and 9)". Below
:data:`analysis.review.ENOUGH_REVIEWED` reviewed answers with the theme it
says there are too few to tell, rather than a number that sounds surer than
it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from analysis.review import ENOUGH_REVIEWED, QualityEstimate
from analysis.stats import Proportion


@dataclass(frozen=True)
class ThemeQualityWords:
    """One theme's row: who decides it, and its precision and recall in words."""

    key: str
    label: str
    decided_by: str
    right: str
    found: str
    reviewed: int


def out_of_ten(share: Proportion) -> tuple[int, int, int]:
    """``(about, lowest, highest)`` out of 10: the share and its interval, rounded."""
    about = round((share.share or 0.0) * 10)
    return about, min(about, round(share.low * 10)), max(about, round(share.high * 10))


def theme_words(estimate: QualityEstimate | None, key: str, label: str) -> ThemeQualityWords:
    """The words for one theme (``estimate`` ``None``: nothing reviewed yet)."""
    if estimate is None:
        nothing = _("No reviewed answers yet.")
        return ThemeQualityWords(key, label, _("its keywords"), nothing, nothing, 0)
    decided_by = _("what it learned, with its keywords") if estimate.rule == "model" else None
    decided_by = decided_by or _("its keywords")
    if estimate.reviewed < ENOUGH_REVIEWED:
        few = _("Too few reviewed answers with this theme to tell.")
        return ThemeQualityWords(key, label, decided_by, few, few, estimate.reviewed)
    return ThemeQualityWords(
        key, label, decided_by, _right(estimate, label), _found(estimate, label), estimate.reviewed
    )


def _right(estimate: QualityEstimate, label: str) -> str:
    if not estimate.precision.n:
        return _("It marked none of the reviewed answers as %(theme)s.", theme=label)
    about, low, high = out_of_ten(estimate.precision)
    return _(
        "Of 10 answers the coder marks as %(theme)s, about %(about)s are right "
        "(between %(low)s and %(high)s).",
        theme=label,
        about=about,
        low=low,
        high=high,
    )


def _found(estimate: QualityEstimate, label: str) -> str:
    about, low, high = out_of_ten(estimate.recall)
    return _(
        "Of 10 answers that are about %(theme)s, it finds about %(about)s "
        "(between %(low)s and %(high)s).",
        theme=label,
        about=about,
        low=low,
        high=high,
    )
