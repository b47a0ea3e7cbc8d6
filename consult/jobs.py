"""Scheduled jobs, run exactly once however many servers ask (services; the caller commits).

Every server of a deployment runs ``consult retention scheduled`` from its own
timer (cron or systemd, every 15 minutes: docs/operations.md). Each run asks
:func:`claim` for the job's lease: one conditional ``UPDATE`` that succeeds
only when the job is due (its last run finished ``every`` ago or more, or it
never ran) and nobody holds an unexpired lease. However many servers ask at
once, the database lets one ``UPDATE`` change the row; the others see a row
count of 0 and do nothing. A server that dies mid-run leaves a lease that
expires after ``lease``, and the job is claimed again. :func:`finish` records
when the run ended and what it did (or its error), which the admins' settings
page shows.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from consult.models import JobRun

RETENTION = "retention"
LEASE = timedelta(hours=1)


def holder_name() -> str:
    """Who takes a lease: this machine and process."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def claim(
    db: Session, name: str, holder: str, now: datetime, every: timedelta, lease: timedelta = LEASE
) -> bool:
    """Take job ``name``'s lease if it is due and free; True when this caller runs it."""
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.execute(insert(JobRun).values(name=name).on_conflict_do_nothing(index_elements=["name"]))
    taken = db.execute(
        update(JobRun)
        .where(
            JobRun.name == name,
            or_(JobRun.lease_until.is_(None), JobRun.lease_until <= now),
            or_(JobRun.last_finished_at.is_(None), JobRun.last_finished_at <= now - every),
        )
        .values(lease_holder=holder, lease_until=now + lease, last_started_at=now)
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


def finish(
    db: Session, name: str, holder: str, now: datetime, result: dict | None, error: str | None
) -> None:
    """Record the end of ``holder``'s run and free the lease."""
    db.execute(
        update(JobRun)
        .where(JobRun.name == name, JobRun.lease_holder == holder)
        .values(
            lease_holder=None,
            lease_until=None,
            last_finished_at=now,
            last_result=result,
            last_error=error,
        )
        .execution_options(synchronize_session=False)
    )


def last_run(db: Session, name: str) -> JobRun | None:
    """The job's row (its last run), or ``None`` when it never ran."""
    found = db.scalar(select(JobRun).where(JobRun.name == name))
    return found if found is not None and found.last_started_at is not None else None
