"""Helpers for tests that start real processes: a free port, the ``consult`` command,
stopping a process for sure."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on just now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def consult_command() -> list[str]:
    """The ``consult`` command of this environment (the one ``make run`` uses)."""
    script = shutil.which("consult", path=str(Path(sys.executable).parent))
    if script:
        return [script]
    return [sys.executable, "-c", "from consult.cli import cli; cli(prog_name='consult')"]


def stop(process: subprocess.Popen, seconds: float = 15) -> None:
    """Terminate ``process``; kill it if it is still there after ``seconds``."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=seconds)
