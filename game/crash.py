"""Unexpected errors: a clear message for the player, the details in a log file for a bug report.

Writing the log must never keep the game from exiting, and never write anywhere but the log: it is
opened without following a symbolic link and without blocking (a FIFO in its place would hang the
game), and appended to only when it is a regular file of ours with no other name (fstat).
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
import traceback
from pathlib import Path

from game.text import terminal_text

LOG_NAME = "crash.log"
MAX_LOG_BYTES = 256 * 1024
MAX_ENTRY_BYTES = 64 * 1024
_FLAGS = (os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
          | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def write_log(exc: BaseException, saves_dir: str | Path | None = None) -> Path | None:
    """Append the traceback to crash.log in the save folder (else the temp folder); its path or None."""
    try:
        from game import __version__

        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        stamp = dt.datetime.now().isoformat(timespec="seconds")
        # the traceback may quote story or save text: never raw control characters, even in a file
        entry = terminal_text(f"--- {stamp}, thaw {__version__}\n{text}\n").encode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - the log is a courtesy: nothing here may raise
        entry = f"--- {type(exc).__name__}\n".encode()
    for folder in _folders(saves_dir):
        path = folder / LOG_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if _append(path, entry[:MAX_ENTRY_BYTES]):
                return path
        except Exception:  # noqa: BLE001 - try the next folder, then give up quietly
            continue
    return None


def _folders(saves_dir: str | Path | None) -> list[Path]:
    folders: list[Path] = []
    try:
        from game.paths import default_saves_dir

        folders.append(default_saves_dir(saves_dir))
    except Exception:  # noqa: BLE001
        pass
    try:
        folders.append(Path(tempfile.gettempdir()))
    except Exception:  # noqa: BLE001
        pass
    return folders


def _append(path: Path, entry: bytes) -> bool:
    """Append `entry` to `path` if it is (or can be created as) a plain file of ours; False if not."""
    fd = os.open(path, _FLAGS, 0o600)  # a symlink: ELOOP; a FIFO without a reader: ENXIO
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            return False  # a FIFO, a device, or a second name of another file
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return False  # someone else's file in a shared temp folder
        if info.st_size > MAX_LOG_BYTES:
            os.ftruncate(fd, 0)
        view = memoryview(entry)
        while view:
            written = os.write(fd, view)
            if written <= 0:
                return False
            view = view[written:]
        return True
    finally:
        os.close(fd)


def report(exc: BaseException, saves_dir: str | Path | None = None) -> str:
    """The message a player sees instead of a traceback (safe to print to a terminal)."""
    log = write_log(exc, saves_dir)
    where = f"The details are in {log}; please include that file if you report the problem." if log else ""
    try:
        detail = str(exc)
    except Exception:  # noqa: BLE001 - an exception whose message itself fails
        detail = ""
    what = f"{exc.__class__.__name__}: {detail[:300]}" if detail else exc.__class__.__name__
    return terminal_text(f"Sorry, The Thaw stopped because of an unexpected error ({what}). {where}".strip())
