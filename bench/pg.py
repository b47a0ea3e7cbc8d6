"""A throwaway PostgreSQL cluster on 127.0.0.1 for one bench run, when one can be made.

``CONSULT_BENCH_POSTGRES_URL`` names a database to use instead (it is written to).
Otherwise Debian's PostgreSQL binaries (``/usr/lib/postgresql/*/bin``) start a
new cluster in a temporary folder on a free port, as the ``postgres`` user when
run as root, with PostgreSQL's default durability (fsync on), and remove it after.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _runner(as_postgres: bool):
    def run(command: list[str]) -> None:
        if as_postgres:
            command = ["su", "postgres", "-c", shlex.join(command)]
        subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603

    return run


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[tuple[str | None, str]]:
    """``(url, why)``: a SQLAlchemy URL of an empty database, or ``None`` and why not."""
    given = os.environ.get("CONSULT_BENCH_POSTGRES_URL")
    if given:
        yield given, "CONSULT_BENCH_POSTGRES_URL"
        return
    initdbs = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not initdbs:
        yield None, "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)"
        return
    as_postgres = os.geteuid() == 0
    if as_postgres and shutil.which("su") is None:
        yield None, "running as root without `su` to become the postgres user"
        return
    bin_dir = initdbs[-1].parent
    data = Path(tempfile.mkdtemp(prefix="consult-bench-pg-"))
    if as_postgres:
        shutil.chown(data, "postgres")
    run = _runner(as_postgres)
    port = _free_port()
    options = f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=50"
    started = False
    try:
        run([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"])
        pg_ctl = str(bin_dir / "pg_ctl")
        run([pg_ctl, "-D", str(data), "-o", options, "-l", str(data / "log"), "-w", "start"])
        started = True
        yield (
            f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres",
            f"PostgreSQL {bin_dir.parent.name}",
        )
    finally:
        if started:
            with contextlib.suppress(subprocess.SubprocessError):
                run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"])
        shutil.rmtree(data, ignore_errors=True)
