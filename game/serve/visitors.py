"""Who a browser visitor is, where their files live, and how many games the machine can hold.

A visitor is an opaque random id kept in a cookie. The id is checked against one strict pattern
before it is ever joined to a path, so a forged cookie ("../..", a slash, a NUL) can never name a
folder outside the server's data folder: it is simply replaced by a fresh id. Nothing here imports
aiohttp or Textual, so the rules are tested on their own.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path

COOKIE = "thaw_visitor"
#: 128 random bits as 32 lowercase hex digits: the only shape an id can have
ID_PATTERN = re.compile(r"[0-9a-f]{32}")
#: the memory one game process is budgeted (measured at about 50 MiB resident: docs/deploy.md)
SESSION_BUDGET_MIB = 80
#: the share of the machine's memory the games may use together
MEMORY_SHARE = 0.5


def new_id() -> str:
    """A fresh visitor id: unguessable, and the same shape every time."""
    return secrets.token_hex(16)


def valid_id(value: object) -> str | None:
    """The id if `value` is exactly a well-formed one, else None (never raises)."""
    if isinstance(value, str) and ID_PATTERN.fullmatch(value):
        return value
    return None


class VisitorFolders:
    """The data folder: one folder per visitor, each holding that visitor's saves, profile, crash
    log and temporary files, and nothing of anyone else's."""

    def __init__(self, data: str | Path) -> None:
        self.root = Path(data).expanduser().resolve()

    def home(self, visitor: str) -> Path:
        """The visitor's own folder (not created). Raises ValueError for a malformed id."""
        if valid_id(visitor) is None:
            raise ValueError("not a visitor id")
        path = self.root / "visitors" / visitor
        if path.parent.parent != self.root:  # belt and braces: the pattern already forbids this
            raise ValueError("not a visitor id")
        return path

    def prepare(self, visitor: str) -> Path:
        """Create the visitor's folders (private to the server's user) and return the home."""
        home = self.home(visitor)
        for folder in (home, home / "saves", home / "tmp"):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return home

    def environment(self, visitor: str, base: dict[str, str] | None = None) -> dict[str, str]:
        """The environment of the visitor's game process: every place a program may write to
        (saves, profile and crash.log, temp files, home, XDG folders) points into their home.
        Only a few harmless variables of the server's own environment are passed on."""
        home = self.home(visitor)
        base = os.environ if base is None else base
        env = {key: base[key] for key in ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ") if key in base}
        package_parent = str(Path(__file__).resolve().parent.parent.parent)
        env.update(
            HOME=str(home),
            THAW_SAVES=str(home / "saves"),
            TMPDIR=str(home / "tmp"),
            XDG_CONFIG_HOME=str(home / "tmp"),
            XDG_DATA_HOME=str(home / "tmp"),
            XDG_CACHE_HOME=str(home / "tmp"),
            XDG_STATE_HOME=str(home / "tmp"),
            PYTHONPATH=package_parent,  # the child runs the same game code as the server
            PYTHONDONTWRITEBYTECODE="1",
        )
        return env


def game_command(scenes: str | None = None) -> list[str]:
    """The argument list of one game process: no shell, nothing from a request in it.

    `-P` keeps the visitor's folder (the child's working directory) off the import path.
    """
    argv = [sys.executable, "-P", "-m", "game", "play"]
    if scenes:
        argv += ["--scenes", str(Path(scenes).resolve())]
    return argv


def memory_mib() -> int:
    """The memory this process may use in MiB: the machine's, or a container's (cgroup v2) limit
    when that is lower; 1 GiB when neither can be read."""
    sizes = []
    try:
        sizes.append(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024))
    except (ValueError, OSError, AttributeError):
        pass
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit.isdigit():
            sizes.append(int(limit) // (1024 * 1024))
    except OSError:
        pass
    return min(sizes) if sizes else 1024


def default_max_sessions(total_mib: int | None = None) -> int:
    """How many games run at once by default: half the memory, SESSION_BUDGET_MIB each."""
    total = memory_mib() if total_mib is None else total_mib
    return max(1, int(total * MEMORY_SHARE) // SESSION_BUDGET_MIB)
