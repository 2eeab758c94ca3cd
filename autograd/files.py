"""Files written whole or not at all: a temporary file in the same folder, then one rename."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomically(path: str | os.PathLike[str], text: str, *, make_folders: bool = False) -> Path:
    """Write `text` (UTF-8) to `path` through a temporary file and os.replace, and return the path.

    On any failure the old file is left byte-identical and no temporary file remains. A symbolic link
    stays a link: its target is written. An existing file keeps its permissions; a new one gets what
    open() would give it (0666 less the umask). Only a regular file is written: an empty path, a
    folder, a FIFO or a device is refused. `make_folders` creates the missing folders first.
    """
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise ValueError(f"cannot write to {path!r}: give the path of a file")
    target = Path(os.path.realpath(path))  # through symbolic links, so the link itself is kept
    if target.exists() and not target.is_file():
        kind = "a folder" if target.is_dir() else "not a regular file (a FIFO, a socket or a device)"
        raise ValueError(f"cannot write {os.fspath(path)!r}: it is {kind}")
    folder = target.parent
    if make_folders:
        folder.mkdir(parents=True, exist_ok=True)
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot write {os.fspath(path)!r}: no folder {str(folder)!r}")
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask()
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    return Path(path)


def _umask() -> int:
    """The process's umask (read by setting it and setting it back: Python has no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
