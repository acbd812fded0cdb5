"""Atomic writes: a synced temporary file renamed over the target, the old file kept first, the
folder synced, and no temporary file left behind on failure; so a crash or a full disk at any
moment leaves the previous save or the new one, never half of one."""

from __future__ import annotations

import errno
import os
import re
import secrets
import sys
import time
from pathlib import Path

#: a temporary file of temp_beside() in a save folder (an interrupted write leaves one behind)
_TEMP_RE = re.compile(r"\.[a-z0-9 _-]{1,40}\.json(\.bak|\.damaged)?\.[0-9]+\.[0-9a-f]{8}\.tmp")
STALE_TEMP_SECONDS = 15 * 60

_ERRNO_TEXT = {
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "part of the folder's path is a file, not a folder",
    errno.EISDIR: "a folder is in the way",
    errno.ENAMETOOLONG: "the path is too long",
    errno.EIO: "the disk reported an input/output error",
}
if hasattr(errno, "EDQUOT"):
    _ERRNO_TEXT[errno.EDQUOT] = "the disk quota is used up"


def disk_reason(exc: OSError) -> str:
    """An OSError in words for the player."""
    return _ERRNO_TEXT.get(exc.errno or -1) or (exc.strerror or str(exc) or type(exc).__name__).lower()


def replace_file(target: Path, data: bytes, *, keep_old_as: Path | None, copy_limit: int) -> None:
    """Put ``data`` in ``target``: temp file, fsync, the old file kept as ``keep_old_as`` (when
    given), os.replace, fsync the folder."""
    tmp = temp_beside(target)
    try:
        _write_new(tmp, data)
        if keep_old_as is not None:
            keep_copy(target, keep_old_as, copy_limit=copy_limit)
        _replace(tmp, target)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    fsync_dir(target.parent)


def keep_copy(src: Path, dest: Path, *, copy_limit: int) -> None:
    """Make ``dest`` a copy of ``src``, atomically: a hard link when the file system has them,
    else a synced copy of at most ``copy_limit`` + 1 bytes. Nothing happens if ``src`` is gone."""
    tmp = temp_beside(dest)
    try:
        try:
            os.link(src, tmp)
        except FileNotFoundError:  # removed meanwhile (another game deleted it): nothing to keep
            return
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EROFS, getattr(errno, "EDQUOT", errno.ENOSPC)):
                raise
            with open(src, "rb") as f:
                raw = f.read(copy_limit + 1)
            _write_new(tmp, raw)
        _replace(tmp, dest)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def temp_beside(target: Path) -> Path:
    """A temporary name beside ``target`` that no other write uses (process id and random tag)."""
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def clear_if_temp(entry: os.DirEntry[str], now: float) -> bool:
    """Whether ``entry`` is a temporary file; one older than STALE_TEMP_SECONDS was left by a
    write that never finished, and is removed."""
    if not _TEMP_RE.fullmatch(entry.name):
        return False
    try:
        if now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMP_SECONDS:
            os.unlink(entry.path)
    except OSError:
        pass
    return True


def fsync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable (POSIX; best effort where folders cannot be synced)."""
    flag = getattr(os, "O_DIRECTORY", None)
    if flag is None:  # Windows: os.replace is durable enough, folders cannot be opened
        return
    try:
        fd = os.open(folder, os.O_RDONLY | flag)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (must not exist), write ``data``, flush and fsync it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o644)
    try:
        with open(fd, "wb", closefd=False) as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    finally:
        os.close(fd)


def _replace(src: Path, dst: Path) -> None:
    """os.replace, and `src` gone afterwards; on Windows retried briefly while a virus scanner or
    indexer holds the target.

    When `src` and `dst` are already links to one file (two games saving one slot: both linked the
    old save as the backup's temporary file), rename() does nothing and succeeds, leaving `src`
    behind; so `src`, a temporary name only this call uses, is removed if it is still there.
    """
    if sys.platform != "win32":
        os.replace(src, dst)
        _unlink_quietly(src)
        return
    for attempt in range(10):  # pragma: no cover - Windows only
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if attempt == 9:
                raise
            time.sleep(0.02 * (attempt + 1))


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
