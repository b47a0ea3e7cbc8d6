"""The coder's background work: retraining after reviews, coding new answers with the model.

Two tasks run in the worker (``consult worker``, :mod:`consult.queue`), never
inside a request:

- :func:`retrain_partnership`, asked for by :func:`retrain_soon` after every
  review decision and every examples import. It is debounced: each request
  schedules a run ``RETRAIN_DELAY_SECONDS`` later and records itself as the
  latest; a run that is no longer the latest does nothing, so a review
  session retrains once, when the researcher pauses. It fits the model
  (:func:`consult.coding.learning.retrain`) and recodes every unit with it.
- :func:`code_waiting_answers`, every minute: the units stored since (a new
  response's answers, a focus-group segment, a translated unit), coded by
  keywords at once, are embedded and coded with the partnership's learned
  model.

A respondent's submission only ever runs the keyword coder; the research
pages count what still waits (:func:`consult.coding.learning.waiting_count`)
and summaries read what is stored, never waiting for the worker. Each
partnership's work holds a lock in the queue's storage, so a retraining and
the coding of new answers never run at once for the same partnership.
"""

from __future__ import annotations

import logging
import uuid

from flask import current_app
from huey import crontab
from huey.exceptions import TaskLockedException
from sqlalchemy import func, select

from analysis.encoders import default_encoder
from consult import db
from consult.coding import learning
from consult.coding.models import CoderTraining
from consult.coding.services import coder_for
from consult.coding.vectors import StoredVectors
from consult.queue import huey, in_app_context

log = logging.getLogger(__name__)

_state: dict = {}  # this process's encoder, and each partnership's fitted model


def retrain_key(partnership_id: int) -> str:
    """Where the latest retraining request of a partnership is recorded."""
    return f"retrain-latest:{partnership_id}"


def retrain_soon(partnership_id: int) -> None:
    """Ask the worker to retrain the partnership's coder once its reviews pause
    (call after the commit that recorded them)."""
    token = uuid.uuid4().hex
    huey.put(retrain_key(partnership_id), token)
    retrain_partnership.schedule(
        args=(partnership_id, token), delay=current_app.config["RETRAIN_DELAY_SECONDS"]
    )


def retrain_pending(partnership_id: int) -> bool:
    """True while a retraining of the partnership is asked for and not yet started."""
    return huey.get(retrain_key(partnership_id), peek=True) is not None


@huey.task(retries=3, retry_delay=60)
@in_app_context
def retrain_partnership(partnership_id: int, token: str) -> None:
    """Retrain and recode, unless a later request superseded this one."""
    if huey.get(retrain_key(partnership_id), peek=True) != token:
        return
    with huey.lock_task(f"coder-{partnership_id}"):
        huey.delete(retrain_key(partnership_id))  # a review from now on asks again
        retrain_and_recode(partnership_id)


@huey.periodic_task(crontab(minute="*"))
@in_app_context
def code_waiting_answers() -> None:
    """Code every partnership's waiting units with its learned model."""
    for partnership_id in partnerships_with_a_model():
        try:
            with huey.lock_task(f"coder-{partnership_id}"):
                code_waiting(partnership_id)
        except TaskLockedException:
            log.info("partnership %s is being retrained; its answers wait", partnership_id)


def encoder() -> StoredVectors | None:
    """This process's sentence encoder, reading and keeping vectors on rows."""
    if "encoder" not in _state:
        base = default_encoder()
        _state["encoder"] = StoredVectors(base) if base is not None else None
    return _state["encoder"]


def retrain_and_recode(partnership_id: int) -> CoderTraining:
    """Fit the partnership's coder, record the training, recode every unit (committing
    batch by batch)."""
    session = db.session()
    learned, training = learning.retrain(session, partnership_id, encoder())
    session.commit()
    for done in learning.recode_batches(session, partnership_id, learned, training.id):
        training.recoded += done
        session.commit()
    _remember(partnership_id, training, learned)
    return training


def code_waiting(partnership_id: int) -> int:
    """Code the partnership's waiting units with its learned model; how many."""
    session = db.session()
    training = learning.latest_training(session, partnership_id)
    if not learning.has_model(training):
        return 0
    learned = _fitted(partnership_id, training)
    coded = 0
    for done in learning.recode_batches(
        session, partnership_id, learned, training.id, waiting_only=True
    ):
        coded += done
        session.commit()
    return coded


def partnerships_with_a_model() -> list[int]:
    """Partnerships whose latest training has a learned model."""
    session = db.session()
    latest = select(func.max(CoderTraining.id)).group_by(CoderTraining.partnership_id)
    trainings = session.scalars(select(CoderTraining).where(CoderTraining.id.in_(latest)))
    return [t.partnership_id for t in trainings if learning.has_model(t)]


def _fitted(partnership_id: int, training: CoderTraining):
    """The model of ``training``: the one this process fitted, or fitted again from the
    same examples (vectors are stored: seconds) after a restart, on another server or
    after a codebook edit."""
    key = (str(db.engine().url), partnership_id)
    cached = _state.get(key)
    version = coder_for(db.session().connection(), partnership_id)[1]
    if cached is None or cached[0] != training.id or cached[1].codebook.version != version:
        learned, _reviewed, _imported = learning.fit(db.session(), partnership_id, encoder())
        db.session().commit()  # vectors embedded while fitting
        cached = _remember(partnership_id, training, learned)
    return cached[1]


def _remember(partnership_id: int, training: CoderTraining, learned):
    key = (str(db.engine().url), partnership_id)
    _state[key] = (training.id, learned)
    return _state[key]
