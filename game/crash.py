"""Unexpected errors: a clear message for the player, the details in a log file for a bug report."""

from __future__ import annotations

import datetime as dt
import tempfile
import traceback
from pathlib import Path

LOG_NAME = "crash.log"
MAX_LOG_BYTES = 256 * 1024


def write_log(exc: BaseException, saves_dir: str | Path | None = None) -> Path | None:
    """Append the traceback to crash.log in the save folder (else the temp folder); its path or None."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    from game import __version__

    candidates: list[Path] = []
    try:
        from game.paths import default_saves_dir

        candidates.append(default_saves_dir(saves_dir))
    except Exception:
        pass
    candidates.append(Path(tempfile.gettempdir()))
    for folder in candidates:
        path = folder / LOG_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
                path.unlink()
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"--- {stamp}, thaw {__version__}\n{text}\n")
            return path
        except OSError:
            continue
    return None


def report(exc: BaseException, saves_dir: str | Path | None = None) -> str:
    """The message a player sees instead of a traceback."""
    log = write_log(exc, saves_dir)
    where = f"The details are in {log}; please include that file if you report the problem." if log else ""
    what = f"{exc.__class__.__name__}: {exc}" if str(exc) else exc.__class__.__name__
    return f"Sorry, The Thaw stopped because of an unexpected error ({what}). {where}".strip()
