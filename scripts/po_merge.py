"""A git merge driver for gettext catalogues: the union of both sides' messages.

Register once per clone (the `.gitattributes` entry names the driver):

    git config merge.po.driver ".venv/bin/python scripts/po_merge.py %O %A %B"

Messages added on either side are kept; a translation changed on one side only
takes that side's; a message removed on one side and untouched on the other is
removed; a message both sides changed differently keeps ours and is reported.
The header (and its review-status comment) is ours. Written sorted, unwrapped,
as `make translations-update` writes.
"""

from __future__ import annotations

import sys

from babel.messages.pofile import read_po, write_po


def _read(path: str):
    with open(path, "rb") as handle:
        return read_po(handle)


def _same(a, b) -> bool:
    return a is not None and b is not None and (a.string, a.flags) == (b.string, b.flags)


def merge(base_path: str, ours_path: str, theirs_path: str) -> int:
    """Merge ``theirs`` into ``ours`` in place; return the number of clashes kept as ours."""
    base, ours, theirs = _read(base_path), _read(ours_path), _read(theirs_path)
    clashes = 0
    for message in theirs:
        if not message.id:
            continue
        mine, old = ours.get(message.id, message.context), base.get(message.id, message.context)
        if mine is None:
            if old is None or not _same(old, message):
                ours[message.id] = message
            continue
        if _same(mine, message) or _same(old, message):
            continue
        if _same(old, mine):
            ours[message.id] = message
        else:
            clashes += 1
            print(f"po_merge: both sides changed {message.id!r}; kept ours", file=sys.stderr)
    for message in list(base):
        if message.id and theirs.get(message.id, message.context) is None:
            mine = ours.get(message.id, message.context)
            if mine is not None and _same(mine, message):
                ours.delete(message.id, message.context)
    with open(ours_path, "wb") as handle:
        write_po(handle, ours, width=0, sort_output=True, ignore_obsolete=True)
    return clashes


if __name__ == "__main__":
    merge(*sys.argv[1:4])
    sys.exit(0)
