"""The SQLite write lock queues writers across threads and across (forked) processes."""

import multiprocessing
import threading

import pytest

from consult.writelock import WriteLock, lock_for

# How long to give a waiter that must stay blocked: long enough to notice if it got in.
GRACE_S = 0.3


def _entered_when(lock: WriteLock, entered: threading.Event) -> threading.Thread:
    def enter():
        with lock:
            entered.set()

    waiter = threading.Thread(target=enter)
    waiter.start()
    return waiter


@pytest.mark.parametrize("in_memory", [False, True])
def test_a_second_thread_waits_for_the_first(tmp_path, in_memory):
    lock = lock_for(":memory:" if in_memory else str(tmp_path / "db.sqlite3"))
    entered = threading.Event()
    with lock:
        waiter = _entered_when(lock, entered)
        assert not entered.wait(GRACE_S)
    assert entered.wait(5)
    waiter.join(5)


def test_the_lock_is_reentrant_in_one_thread(tmp_path):
    lock = lock_for(str(tmp_path / "db.sqlite3"))
    with lock, lock:
        pass
    entered = threading.Event()
    _entered_when(lock, entered).join(5)
    assert entered.is_set()  # released fully after the nested exit


def _hold_in_child(lock: WriteLock, held, release) -> None:
    with lock:
        held.set()
        release.wait(10)


@pytest.mark.parametrize("used_before_fork", [False, True])
def test_a_forked_process_holding_the_lock_blocks_the_parent(tmp_path, used_before_fork):
    lock = lock_for(str(tmp_path / "db.sqlite3"))
    if used_before_fork:
        with lock:  # the parent's descriptor exists before the fork
            pass
    context = multiprocessing.get_context("fork")
    held, release = context.Event(), context.Event()
    child = context.Process(target=_hold_in_child, args=(lock, held, release))
    child.start()
    try:
        assert held.wait(10)
        entered = threading.Event()
        waiter = _entered_when(lock, entered)
        assert not entered.wait(GRACE_S)
        release.set()
        assert entered.wait(10)
        waiter.join(5)
    finally:
        release.set()
        child.join(10)
    assert child.exitcode == 0
