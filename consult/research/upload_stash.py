"""Uploads waiting for "Import without these questions" (research/manage.py).

An upload whose only problems are question types a web survey cannot use is kept on
the server for up to an hour, under a random token tied to the user, so that the
researcher can confirm without choosing the file again (a file input cannot be
refilled without JavaScript).
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

from flask import current_app

STASH_SECONDS = 3600
"""How long an upload waits for "Import without these questions"."""

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _stash_dir() -> Path:
    configured = current_app.config.get("IMPORT_STASH_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "pending-imports"


def _purge_stash(folder: Path) -> None:
    cutoff = time.time() - STASH_SECONDS
    for path in folder.glob("*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def stash(source: bytes, upload, user_id: int) -> str:
    """Keep ``source`` with what the researcher chose (``upload``); its token."""
    folder = _stash_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _purge_stash(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.bin").write_bytes(source)
    meta = {
        "user": user_id,
        "partnership": upload.partnership.id,
        "name": upload.name,
        "slug": upload.slug,
        "new_version_of": upload.new_version_of,
    }
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def unstash(token: str, user_id: int):
    """``(source, name, partnership id)`` of the user's stashed upload, removing it."""
    if not _TOKEN.match(token or ""):
        return None
    folder = _stash_dir()
    data, meta_path = folder / f"{token}.bin", folder / f"{token}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        fresh = meta_path.stat().st_mtime >= time.time() - STASH_SECONDS
        source = data.read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user") != user_id or not fresh:
        return None
    data.unlink(missing_ok=True)
    meta_path.unlink(missing_ok=True)
    return source, meta
