"""Priority rounds: opened by a researcher on a publication, voted by committee members.

Ballots are secret: researchers and admins see how many were cast, never
one of them; results appear only when the round closes. A ballot row holds
a keyed hash of the round and the member (:func:`voter_key`) instead of
the member, so the member finds and changes their own ballot until the
round closes while the table does not say who cast which. There is one
ballot per member and round (a unique key); casting again replaces it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.gaps import GapMap, supply_from_dict, supply_to_dict
from analysis.priorities import (
    POINTS,
    RANK,
    BallotProblem,
    RoundResult,
    check_points,
    check_ranking,
    result_from_dict,
    result_to_dict,
    tally,
)
from analysis.report import Report
from analysis.strategy import Option, gap_option, option_from_dict, option_to_dict, theme_option
from consult.models import Membership, Role, utcnow
from consult.reports.models import Publication
from consult.strategy.gapmap import gap_map_of
from consult.strategy.inventory import supply_of
from consult.strategy.models import Ballot, PriorityRound, RoundStatus
from consult.strategy.need import published_report

MAX_OPTIONS = 20
OFFERED_GAPS = 10


def offered_options(report: Report, gaps: GapMap) -> list[Option]:
    """What a round may offer: every theme the publication shows, then its largest gaps."""
    themes = [theme_option(f.key) for f in report.findings if f.respondents]
    return themes + [gap_option(entry.item) for entry in gaps.ranked[:OFFERED_GAPS]]


@dataclass(frozen=True)
class RoundSettings:
    """What a researcher chooses when opening a round."""

    title: str
    method: str
    budget: int | None
    area: str | None
    options: tuple[str, ...]


def open_round(
    db: Session, publication: Publication, settings: RoundSettings, user_id: int | None
) -> PriorityRound:
    """Open a round on ``publication`` with the chosen options (keys of :func:`offered_options`).

    The inventory is frozen with the round, so its gap figures stay the
    same for every reader and in the draft.
    """
    supply = supply_of(db, publication.partnership_id)
    report = published_report(publication, "en")
    offered = {o.key: o for o in offered_options(report, gap_map_of(report, settings.area, supply))}
    chosen = [offered[key] for key in settings.options if key in offered]
    row = PriorityRound(
        partnership_id=publication.partnership_id,
        publication_id=publication.id,
        title=settings.title,
        method=settings.method,
        budget=settings.budget if settings.method == POINTS else None,
        area_question=settings.area,
        options=[option_to_dict(o) for o in chosen],
        supply=[supply_to_dict(s) for s in supply],
        opened_by=user_id,
    )
    db.add(row)
    db.flush()
    return row


def options_of(row: PriorityRound) -> list[Option]:
    """The options a round offers, in the order they were offered."""
    return [option_from_dict(o) for o in row.options]


def round_gap_map(row: PriorityRound, lang: str) -> tuple[Report, GapMap]:
    """The round's publication in ``lang`` and its gap map against the frozen inventory."""
    report = published_report(row.publication, lang)
    supply = [supply_from_dict(s) for s in row.supply]
    return report, gap_map_of(report, row.area_question, supply)


def publications_of(db: Session, partnerships: Iterable[int]) -> list[Publication]:
    """Publications of these partnerships, newest first."""
    return list(
        db.scalars(
            select(Publication)
            .where(Publication.partnership_id.in_(set(partnerships)))
            .order_by(Publication.id.desc())
        )
    )


def publication_for(
    db: Session, publication_id: int, partnerships: Iterable[int]
) -> Publication | None:
    """The publication with this id if it belongs to one of ``partnerships``."""
    found = db.get(Publication, publication_id)
    if found is None or found.partnership_id not in set(partnerships):
        return None
    return found


def rounds_of(db: Session, partnerships: Iterable[int]) -> list[PriorityRound]:
    """Rounds of these partnerships, newest first."""
    return list(
        db.scalars(
            select(PriorityRound)
            .where(PriorityRound.partnership_id.in_(set(partnerships)))
            .order_by(PriorityRound.id.desc())
        )
    )


def round_for(db: Session, round_id: int, partnerships: Iterable[int]) -> PriorityRound | None:
    """The round with this id if it belongs to one of ``partnerships``."""
    row = db.get(PriorityRound, round_id)
    if row is None or row.partnership_id not in set(partnerships):
        return None
    return row


def voter_key(round_id: int, user_id: int) -> str:
    """A keyed hash naming a member's ballot in one round (HMAC-SHA-256 with the secret key)."""
    secret = current_app.config["SECRET_KEY"].encode()
    message = f"priority-ballot:{round_id}:{user_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def ballot_of(db: Session, row: PriorityRound, user_id: int) -> Ballot | None:
    """This member's ballot in the round, if they cast one."""
    return db.scalar(
        select(Ballot).where(Ballot.round_id == row.id, Ballot.voter == voter_key(row.id, user_id))
    )


def check_ballot(row: PriorityRound, choices) -> list[BallotProblem]:
    """Problems with a ballot for this round (a ranking, or points by option)."""
    keys = [o.key for o in options_of(row)]
    if row.method == RANK:
        return check_ranking(choices, keys)
    return check_points(choices, keys, row.budget or 0)


def cast(db: Session, row: PriorityRound, user_id: int, choices) -> list[BallotProblem]:
    """Store or replace the member's ballot (checked first; nothing stored on a problem)."""
    if row.status != RoundStatus.OPEN:
        return [BallotProblem("round_closed")]
    problems = check_ballot(row, choices)
    if problems:
        return problems
    ballot = ballot_of(db, row, user_id)
    if ballot is None:
        db.add(Ballot(round_id=row.id, voter=voter_key(row.id, user_id), choices=choices))
    else:
        ballot.choices = choices
    db.flush()
    return []


def ballots_cast(db: Session, row: PriorityRound) -> int:
    """How many ballots the round holds (turnout, shown while it is open)."""
    return db.scalar(select(func.count(Ballot.id)).where(Ballot.round_id == row.id)) or 0


def eligible_voters(db: Session, partnership_id: int) -> int:
    """Committee members of the partnership: those entitled to vote."""
    return (
        db.scalar(
            select(func.count(Membership.id)).where(
                Membership.partnership_id == partnership_id, Membership.role == Role.COMMITTEE
            )
        )
        or 0
    )


def may_vote(roles: dict[int, Role], row: PriorityRound) -> bool:
    """Only the partnership's committee members vote."""
    return roles.get(row.partnership_id) == Role.COMMITTEE


def close_round(db: Session, row: PriorityRound) -> RoundResult:
    """Count the ballots and freeze the result; the round takes no more ballots."""
    ballots: Sequence[Ballot] = db.scalars(
        select(Ballot).where(Ballot.round_id == row.id).order_by(Ballot.voter)
    ).all()
    result = tally(
        row.method,
        [b.choices for b in ballots],
        [o.key for o in options_of(row)],
        eligible=eligible_voters(db, row.partnership_id),
        budget=row.budget,
    )
    row.result = result_to_dict(result)
    row.status = RoundStatus.CLOSED
    row.closed_at = utcnow()
    db.flush()
    return result


def result_of(row: PriorityRound) -> RoundResult | None:
    """The frozen result of a closed round (None while open)."""
    return result_from_dict(row.result) if row.result else None
