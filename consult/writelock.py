"""One writer at a time on SQLite, queued instead of polling.

SQLite allows one write transaction at a time. A writer that finds the
database locked sleeps and retries (1, 2, 5, 10 … 100 ms), so under
concurrent submissions most of a request's time can be spent asleep and
the slowest requests take hundreds of milliseconds. Consult instead queues
its writers: a thread lock within a process and an advisory file lock
(``flock``) between processes, held from a request's first write to its
commit. A waiting writer wakes the moment the lock is released.

PostgreSQL needs none of this: its lock is a no-op.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: threads are still queued within the process
    fcntl = None


class WriteLock:
    """A re-entrant lock held across a write transaction (see the module's docstring)."""

    def __init__(self, lock_path: Path | None) -> None:
        self._path = lock_path
        self._threads = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._fd_pid: int | None = None

    def __enter__(self) -> WriteLock:
        self._threads.acquire()
        if self._depth == 0 and self._path is not None and fcntl is not None:
            try:
                fcntl.flock(self._file(), fcntl.LOCK_EX)
            except BaseException:
                self._threads.release()
                raise
        self._depth += 1
        return self

    def __exit__(self, *_exc) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None and fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def _file(self) -> int:
        """This process's own descriptor (a forked worker must not share its parent's)."""
        if self._fd is None or self._fd_pid != os.getpid():
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._fd_pid = os.getpid()
        return self._fd


def lock_for(database: str | None) -> WriteLock:
    """The write lock of a SQLite database file (``None`` or ``:memory:``: threads only)."""
    if not database or database == ":memory:":
        return WriteLock(None)
    return WriteLock(Path(f"{database}.write-lock"))
