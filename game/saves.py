"""Save slots: atomic writes, a backup of every slot, damage reports, migrations.

A :class:`SaveStore` is one save folder. Each slot is one JSON file, ``<slot>.json``, and the
previous good save of that slot is kept beside it as ``<slot>.json.bak``. The format, the folder
and the guarantees are described in docs/saves.md.

Every failure is a :class:`SaveError` (or a subclass) whose message can be shown to the player
as it is; nothing here raises anything else for a bad file, a bad name or a bad disk.
"""

from __future__ import annotations

import copy
import datetime as dt
import errno
import json
import math
import os
import re
import secrets
import stat as statmod
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator, model_validator

from game.story.engine import format_date
from game.story.state import GameState
from game.story.story import Story
from game.text import char_name, first_unsafe, kind_of, terminal_text

#: The save format this version writes. Bump it for any change of the file's layout and add a
#: migration from the previous number to MIGRATIONS.
FORMAT = 1

#: format number N -> a pure function turning a format-N dict into a format-(N+1) dict.
#: The machinery copies its input first and sets "format" to N+1 afterwards.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

MAX_BYTES = 1024 * 1024
MAX_LABEL = 200
NUMBERED_SLOTS = tuple(str(n) for n in range(1, 10))
AUTO_SLOTS = ("auto-1", "auto-2", "auto-3")
QUICK_SLOT = "quick"
SUFFIX = ".json"
BACKUP_SUFFIX = ".json.bak"
DAMAGED_SUFFIX = ".json.damaged"
STALE_TEMP_SECONDS = 15 * 60

SlotKind = Literal["numbered", "named", "auto", "quick"]

_NAME_RE = re.compile(r"[A-Za-z0-9 _-]{1,40}")
_RESERVED_RE = re.compile(r"auto-[0-9]+|quick")
#: other files the game keeps in the save folder (game.profile writes profile.json): not slots
OTHER_FILES = {"profile"}
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_TEMP_RE = re.compile(r"\.[a-z0-9 _-]{1,40}\.json(\.bak|\.damaged)?\.[0-9]+\.[0-9a-f]{8}\.tmp")
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


# ---- errors ----------------------------------------------------------------------------------


class SaveError(Exception):
    """Anything that went wrong with a save; ``str(exc)`` is a plain message for the player."""


class InvalidSlotName(SaveError):
    """A slot name that is not allowed (checked before the disk is touched)."""


class SlotEmpty(SaveError):
    """There is no save in this slot."""


class DamagedSave(SaveError):
    """The slot's file cannot be read as a save. ``reason`` says why; ``backup_ok`` says whether
    its backup can be loaded instead (:meth:`SaveStore.load_backup`)."""

    def __init__(self, message: str, *, reason: str = "", backup_ok: bool = False) -> None:
        super().__init__(message)
        self.reason = reason or message
        self.backup_ok = backup_ok


class WrongStory(SaveError):
    """The save belongs to another story."""


class DiskError(SaveError):
    """The disk refused: read-only, full, no permission, not a folder..."""


class _Bad(Exception):
    """Internal: a file is not a valid save; the argument is the reason shown to the player."""


# ---- the file format ---------------------------------------------------------------------------


class StoryRef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    id: str = Field(min_length=1, max_length=64)
    title: str = ""
    version: str
    content_hash: str = ""


class ChapterRef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    id: str = ""
    number: StrictInt | None = Field(default=None, ge=-(10**15), le=10**15)
    title: str = ""


class SaveFile(BaseModel):
    """A save file of the current format, as validated on load. Numbers are strict (no "5" for
    5, no true for 1), and the header and the state must name the same story."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    format: Literal[1]
    game_version: str
    story: StoryRef
    saved_at: AwareDatetime
    label: str = ""
    play_seconds: float = Field(ge=0, allow_inf_nan=False, strict=True)
    chapter: ChapterRef
    date: dt.date | None = None
    date_text: str = ""
    place: str = ""
    state: GameState

    @field_validator("format", mode="before")
    @classmethod
    def _format_is_a_number(cls, value: Any) -> Any:
        if isinstance(value, bool):  # Literal[1] alone takes true for 1
            raise ValueError("the save format must be a number")
        return value

    @field_validator("saved_at")
    @classmethod
    def _saved_at_in_range(cls, value: dt.datetime) -> dt.datetime:
        try:  # 0001-01-01T00:00:00+23:59 is valid ISO 8601 but has no UTC time: it would fail later
            return value.astimezone(dt.timezone.utc)
        except (OverflowError, ValueError):
            raise ValueError("the time it was saved at is out of range") from None

    @model_validator(mode="after")
    def _one_story(self) -> SaveFile:
        if self.state.story_id != self.story.id:
            raise ValueError("its header and its game state name different stories")
        return self


# ---- what callers get back -----------------------------------------------------------------------


@dataclass(frozen=True)
class SlotInfo:
    """One slot as a Save or Load screen shows it.

    ``label`` is the player's text, raw (not escaped for any markup): escape it before display.
    A damaged slot has ``damaged`` set to the reason and empty story fields; ``backup_ok`` tells
    whether ``<slot>.json.bak`` holds a valid save.
    """

    name: str
    kind: SlotKind
    label: str = ""
    saved_at: dt.datetime | None = None
    chapter: str = ""
    chapter_number: int | None = None
    date_text: str = ""
    place: str = ""
    play_seconds: float = 0.0
    damaged: str | None = None
    backup_ok: bool = False
    story_id: str = ""
    story_title: str = ""
    story_version: str = ""
    game_version: str = ""
    turn: int = 0
    scene: str = ""
    path: Path | None = None

    @property
    def title(self) -> str:
        """'Slot 3', 'Quicksave', 'Autosave 2', or the name of a named slot."""
        return slot_title(self.name)

    @property
    def play_time(self) -> str:
        return format_play_time(self.play_seconds)


@dataclass(frozen=True)
class LoadedGame:
    """A loaded save: the state to play on, and what to tell the player (``notice``) if anything
    had to change because the story changed since the save was made."""

    state: GameState
    info: SlotInfo
    notice: str | None = None
    #: technical list of every adjustment made (renamed scene, dropped stat...), for logs and tests
    changes: tuple[str, ...] = ()
    from_backup: bool = False


# ---- names ---------------------------------------------------------------------------------------


def slot_kind(name: str) -> SlotKind:
    if name in NUMBERED_SLOTS:
        return "numbered"
    if name == QUICK_SLOT:
        return "quick"
    if name in AUTO_SLOTS:
        return "auto"
    return "named"


def slot_title(name: str) -> str:
    kind = slot_kind(name)
    if kind == "numbered":
        return f"Slot {name}"
    if kind == "quick":
        return "Quicksave"
    if kind == "auto":
        return f"Autosave {name.split('-')[1]}"
    return name


def normalize_slot(slot: str | int) -> str:
    """The canonical slot name (lower case, outer spaces removed) or InvalidSlotName.

    Slots are 1-9, "quick", "auto-1".."auto-3", or a name of 1 to 40 letters, digits, spaces,
    `_` and `-`. Names are case-insensitive, because so are the file systems of Windows and macOS.
    """
    if isinstance(slot, bool) or not isinstance(slot, (str, int)):
        raise InvalidSlotName("A save slot is a number from 1 to 9 or a name.")
    if isinstance(slot, int):
        if str(slot) in NUMBERED_SLOTS:
            return str(slot)
        raise InvalidSlotName(f"There is no slot {slot}: numbered slots go from 1 to 9.")
    name = slot.strip(" ")
    if not name:
        raise InvalidSlotName("A save name cannot be empty.")
    if len(name) > 40:
        raise InvalidSlotName(f"A save name may be at most 40 characters long (this one has {len(name)}).")
    if not _NAME_RE.fullmatch(name):
        raise InvalidSlotName(
            "A save name may use only letters (A-Z), digits, spaces, '_' and '-'; "
            f"{_shown(slot)} has other characters."
        )
    name = name.lower()
    if name in _WINDOWS_DEVICES:
        raise InvalidSlotName(f"'{name}' is a reserved device name on Windows; choose another save name.")
    if name in OTHER_FILES:
        raise InvalidSlotName(f"The name '{name}' is used by the game for another file; choose another save name.")
    return name


def _shown(text: str) -> str:
    """A name for an error message, with control characters made visible."""
    return repr(text[:60])


def clean_label(label: object) -> str:
    """A label as one line of plain text: control, surrogate and direction-override characters
    removed, at most MAX_LABEL characters. Markup characters are kept: the UI escapes them."""
    text = str(label or "")
    out = []
    for ch in text:
        if ch in "\t\n\r":
            out.append(" ")
        elif ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        else:
            out.append(ch)
    return "".join(out).strip()[:MAX_LABEL]


# ---- display helpers -----------------------------------------------------------------------------


def format_play_time(seconds: float) -> str:
    """'0 min', '12 min', '3 h 05 min'."""
    if not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or seconds < 0:
        seconds = 0
    minutes = int(seconds // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def format_saved_at(when: dt.datetime | None) -> str:
    """Local time, 'YYYY-MM-DD HH:MM', for a list of saves."""
    if when is None:
        return "-"
    try:
        return when.astimezone().strftime("%Y-%m-%d %H:%M")
    except (OverflowError, ValueError, OSError):
        return when.strftime("%Y-%m-%d %H:%M UTC")


# ---- migrations ----------------------------------------------------------------------------------


def migrate(
    data: dict[str, Any],
    *,
    migrations: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] | None = None,
    current: int = FORMAT,
) -> dict[str, Any]:
    """Bring a save dict of any known format to ``current``; the input is never changed.

    Raises ValueError with a reason for the player when the format is unknown, newer than this
    version or has no migration path.
    """
    steps = MIGRATIONS if migrations is None else migrations
    fmt = data.get("format")
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        raise ValueError("it has no save format number: it is not a save file of this game")
    if fmt > current:
        raise ValueError(
            f"it was made by a newer version of the game (save format {fmt}; this version reads "
            f"formats up to {current}): update the game to load it"
        )
    if fmt == current:
        return data
    data = copy.deepcopy(data)
    while fmt < current:
        step = steps.get(fmt)
        if step is None:
            raise ValueError(f"its save format {fmt} is too old for this version of the game")
        data = step(data)
        if not isinstance(data, dict):
            raise ValueError(f"the migration from save format {fmt} failed")
        fmt += 1
        data["format"] = fmt
    return data


#: in a save's bytes, anything that may spell a refused character: a JSON escape (\u, \b, \f, \r),
#: a raw C1 character, a raw bidirectional override, a raw DEL (raw C0 characters are not valid JSON)
_MAY_BE_UNSAFE = re.compile(rb"\\[ubfr]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\x7f")


def _check_text(data: Any) -> None:
    """_Bad when a string of the save holds a character the game never writes (game.text)."""
    found = first_unsafe(data)
    if found is not None:
        where, ch = found
        path = ".".join(terminal_text(str(p), one_line=True)[:40] for p in where) or "the file"
        raise _Bad(f"'{path}' holds {kind_of(ch)}, {char_name(ch)}, which this game never writes")


def _parse(raw: bytes) -> SaveFile:
    """Bytes of a save file -> a validated SaveFile, or _Bad(reason)."""
    if len(raw) > MAX_BYTES:
        raise _Bad(_too_big(len(raw)))
    if not raw.strip():
        raise _Bad("the file is empty")
    try:  # the fast path: a current-format file, parsed and validated in one pass
        save = SaveFile.model_validate_json(raw)
    except (ValidationError, ValueError, RecursionError):
        pass  # an older format, or damage: the slow path below migrates or explains
    else:
        if _MAY_BE_UNSAFE.search(raw):  # rare: only then is the text walked
            _check_text(json.loads(raw))
        return save
    try:
        data = json.loads(raw)
    except RecursionError:
        raise _Bad("the file is not a save: it nests too deeply") from None
    except json.JSONDecodeError as exc:
        text = exc.doc if isinstance(exc.doc, str) else ""
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise _Bad("the file is cut short: the save was interrupted or the file was truncated") from None
        raise _Bad(f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except ValueError as exc:  # undecodable bytes, absurdly long numbers
        raise _Bad(f"the file is not valid JSON text ({_first_line(exc)})") from None
    if not isinstance(data, dict):
        raise _Bad("the file is not a save of this game (no save data in it)")
    try:
        data = migrate(data)
    except ValueError as exc:
        raise _Bad(str(exc)) from None
    except Exception as exc:  # a migration that crashed on odd input
        raise _Bad(f"it could not be converted from an older save format ({_first_line(exc)})") from None
    try:
        save = SaveFile.model_validate(data)
    except ValidationError as exc:
        raise _Bad(_validation_reason(exc)) from None
    _check_text(data)  # this path also sees lone surrogates, which the fast path's parser refuses
    return save


def _validation_reason(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(clean_label(p)[:40] for p in err.get("loc", ())) or "the file"
        if err.get("type") == "missing":
            parts.append(f"'{loc}' is missing")
        elif err.get("type") == "value_error":
            msg = clean_label(str(err.get("msg", "invalid")).removeprefix("Value error, "))[:120]
            parts.append(f"'{loc}': {msg}" if err.get("loc") else msg)
        else:
            parts.append(f"'{loc}': {clean_label(err.get('msg', 'invalid'))[:120]}")
    more = exc.error_count() - len(parts)
    tail = f" (and {more} more)" if more > 0 else ""
    return "the save data is incomplete or has wrong types: " + "; ".join(parts) + tail


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _too_big(size: int) -> str:
    return f"the file is {size / 1048576:.1f} MiB; a save file is at most {MAX_BYTES // 1048576} MiB"


# ---- fitting a save to the story as it is now ----------------------------------------------------


def fit_to_story(save: SaveFile, story: Story) -> tuple[GameState, str | None, tuple[str, ...]]:
    """The saved state adjusted to ``story``: renamed scenes followed, a vanished scene replaced
    by its chapter's start (or the story's), unknown stats and flags dropped, new ones at their
    defaults, stats clamped. Returns (state, notice for the player or None, changes)."""
    state = save.state
    if state.story_id != story.info.id or save.story.id != story.info.id:
        raise WrongStory(other_story_message(save.story.title, save.story.id, story))
    changes: list[str] = []
    notice: str | None = None
    renames = story.renames

    def current_id(scene_id: str) -> str | None:
        seen = set()
        while scene_id not in story.scenes:
            if scene_id in seen or scene_id not in renames:
                return None
            seen.add(scene_id)
            scene_id = renames[scene_id]
        return scene_id

    visits: dict[str, int] = {}
    for sid, n in state.visits.items():
        new = current_id(sid) or sid
        visits[new] = visits.get(new, 0) + n
        if new != sid:
            changes.append(f"visits of '{sid}' now count for '{new}'")
    taken: dict[str, int] = {}
    for key, n in state.taken.items():
        sid, dot, cid = key.partition(".")
        new = current_id(sid) or sid
        new_key = f"{new}{dot}{cid}"
        taken[new_key] = taken.get(new_key, 0) + n
        if new != sid:
            changes.append(f"choice '{key}' is now '{new_key}'")

    scene = current_id(state.scene)
    if scene is not None and scene != state.scene:
        changes.append(f"scene '{state.scene}' was renamed '{scene}'")
    elif scene is None:
        chapter = story.chapters.get(save.chapter.id)
        if chapter is not None and chapter.start in story.scenes:
            scene = chapter.start
            where = f"the start of chapter {chapter.number}, \u201c{chapter.title}\u201d"
        else:
            scene = story.info.start
            where = "the beginning of the story"
        changes.append(f"scene '{state.scene}' no longer exists: resumed at '{scene}'")
        notice = (
            "The story has changed since this game was saved, and the scene you saved in is no "
            f"longer part of it. You resume at {where}; your choices and standing so far are kept."
        )
        visits[scene] = visits.get(scene, 0) + 1

    stats: dict[str, int] = {}
    for name, spec in story.stats.items():
        if name in state.stats:
            value = max(spec.min, min(spec.max, state.stats[name]))
            if value != state.stats[name]:
                changes.append(f"stat '{name}' clamped from {state.stats[name]} to {value}")
            stats[name] = value
        else:
            stats[name] = spec.start
            changes.append(f"new stat '{name}' starts at {spec.start}")
    changes += [f"unknown stat '{name}' dropped" for name in state.stats if name not in story.stats]
    flags: dict[str, bool] = {}
    for name, default in story.flags.items():
        if name in state.flags:
            flags[name] = state.flags[name]
        else:
            flags[name] = default
            changes.append(f"new flag '{name}' starts {'true' if default else 'false'}")
    changes += [f"unknown flag '{name}' dropped" for name in state.flags if name not in story.flags]

    update = dict(scene=scene, stats=stats, flags=flags, visits=visits, taken=taken)
    if not changes and all(getattr(state, k) == v for k, v in update.items()):
        return state, None, ()  # validated when the file was read; nothing to fit
    data = {name: getattr(state, name) for name in GameState.model_fields}
    data.update(update)
    try:
        fitted = GameState.model_validate(data)
    except ValidationError as exc:  # pragma: no cover - the pieces above are all valid
        raise DamagedSave(f"This save cannot be fitted to the story: {_validation_reason(exc)}.") from None
    return fitted, notice, tuple(changes)


def other_story_message(title: str, story_id: str, story: Story) -> str:
    """Why a save of another story is not loaded, in words that tell the two stories apart."""
    ours = story.info.title
    if title and title != ours:
        return f"This save belongs to another story, \u201c{title}\u201d; the story being played is \u201c{ours}\u201d."
    return (f"This save belongs to another story with the same title, \u201c{ours}\u201d: its story id is "
            f"'{story_id}', and the story being played has the id '{story.info.id}'.")


# ---- the disk --------------------------------------------------------------------------------------

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


def _why(exc: OSError) -> str:
    return _ERRNO_TEXT.get(exc.errno or -1) or (exc.strerror or str(exc) or type(exc).__name__).lower()


def _fsync_dir(folder: Path) -> None:
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


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclass
class _Cached:
    key: tuple[int, int, int, int]
    save: SaveFile | None
    reason: str | None


# ---- the store -------------------------------------------------------------------------------------


@dataclass(eq=False)
class SaveStore:
    """The save slots in one folder. Safe to share between threads of one process."""

    folder: Path
    _cache: dict[Path, _Cached] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)

    @classmethod
    def open(cls, cli_value: str | Path | None = None) -> SaveStore:
        """The store in the default folder: --saves, $THAW_SAVES, the checkout's saves/, else the
        platform's user data folder (see game.paths.default_saves_dir)."""
        from game.paths import default_saves_dir

        return cls(default_saves_dir(cli_value))

    # -- paths --
    def path(self, slot: str | int) -> Path:
        return self.folder / (normalize_slot(slot) + SUFFIX)

    def backup_path(self, slot: str | int) -> Path:
        return self.folder / (normalize_slot(slot) + BACKUP_SUFFIX)

    # -- reading --
    def _read(self, path: Path) -> SaveFile:
        """The valid save in ``path``; FileNotFoundError if there is none; _Bad if damaged."""
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise
        except NotADirectoryError:  # the folder's path runs through a file: no save there
            raise FileNotFoundError(errno.ENOENT, "no such file", str(path)) from None
        except OSError as exc:
            raise _Bad(f"the file cannot be read: {_why(exc)}") from None
        key = _stat_key(st)
        with self._lock:
            cached = self._cache.get(path)
        if cached is not None and cached.key == key:
            if cached.save is None:
                raise _Bad(cached.reason)
            return cached.save
        try:
            if not statmod.S_ISREG(st.st_mode):
                raise _Bad("it is not a regular file")
            if st.st_size > MAX_BYTES:
                raise _Bad(_too_big(st.st_size))
            try:
                with open(path, "rb") as f:
                    raw = f.read(MAX_BYTES + 1)
            except FileNotFoundError:
                raise
            except OSError as exc:
                raise _Bad(f"the file cannot be read: {_why(exc)}") from None
            save = _parse(raw)
        except _Bad as bad:
            with self._lock:
                self._cache[path] = _Cached(key, None, str(bad))
            raise
        with self._lock:
            self._cache[path] = _Cached(key, save, None)
        return save

    def _backup_ok(self, name: str) -> bool:
        try:
            self._read(self.folder / (name + BACKUP_SUFFIX))
        except (FileNotFoundError, _Bad):
            return False
        return True

    def _info(self, name: str, save: SaveFile | None, path: Path, damaged: str | None = None) -> SlotInfo:
        backup_ok = self._backup_ok(name)
        if save is None:
            try:
                when = dt.datetime.fromtimestamp(os.stat(path).st_mtime, dt.timezone.utc)
            except (OSError, OverflowError, ValueError):
                when = None
            return SlotInfo(name=name, kind=slot_kind(name), saved_at=when, damaged=damaged or "damaged",
                            backup_ok=backup_ok, path=path)
        return SlotInfo(
            name=name,
            kind=slot_kind(name),
            label=clean_label(save.label),
            saved_at=save.saved_at.astimezone(dt.timezone.utc),
            chapter=save.chapter.title,
            chapter_number=save.chapter.number,
            date_text=save.date_text,
            place=save.place,
            play_seconds=save.play_seconds,
            damaged=None,
            backup_ok=backup_ok,
            story_id=save.story.id,
            story_title=save.story.title,
            story_version=save.story.version,
            game_version=save.game_version,
            turn=save.state.turn,
            scene=save.state.scene,
            path=path,
        )

    def info(self, slot: str | int) -> SlotInfo | None:
        """The slot's SlotInfo (damaged or not), or None when it is empty."""
        name = normalize_slot(slot)
        path = self.folder / (name + SUFFIX)
        try:
            save = self._read(path)
        except FileNotFoundError:
            return None
        except _Bad as bad:
            return self._info(name, None, path, str(bad))
        return self._info(name, save, path)

    def list(self) -> list[SlotInfo]:
        """Every slot that holds a file, damaged ones included: numbered slots 1-9, named slots
        alphabetically, the quicksave, then the autosaves 1-3. An absent folder has no slots."""
        try:
            entries = list(os.scandir(self.folder))
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as exc:
            raise DiskError(f"Cannot read the save folder {self.folder}: {_why(exc)}.") from None
        names = []
        now = time.time()
        for entry in entries:
            if _TEMP_RE.fullmatch(entry.name):
                self._remove_stale_temp(entry, now)
                continue
            if not entry.name.endswith(SUFFIX):
                continue
            stem = entry.name[: -len(SUFFIX)]
            try:
                if normalize_slot(stem) != stem:
                    continue
            except InvalidSlotName:
                continue
            names.append(stem)
        infos = [i for i in (self._listed(n) for n in names) if i is not None]
        order = {"numbered": 0, "named": 1, "quick": 2, "auto": 3}
        return sorted(infos, key=lambda i: (order[i.kind], i.name))

    def _listed(self, name: str) -> SlotInfo | None:
        """One slot's entry, built on its own: whatever goes wrong with it (a bug included) shows
        that slot as damaged and never hides the others."""
        try:
            return self.info(name)
        except Exception as exc:  # noqa: BLE001 - one bad slot must not empty the list
            return SlotInfo(name=name, kind=slot_kind(name), damaged=f"it could not be read ({type(exc).__name__})",
                            path=self.folder / (name + SUFFIX))

    def _remove_stale_temp(self, entry: os.DirEntry[str], now: float) -> None:
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMP_SECONDS:
                os.unlink(entry.path)
        except OSError:
            pass

    def exists(self, slot: str | int) -> bool:
        """Whether the slot holds a file (valid or damaged)."""
        return os.path.lexists(self.path(slot))

    def newest(self, story_id: str | None = None) -> SlotInfo | None:
        """The most recently saved undamaged slot of any kind (for Continue), optionally only
        among saves of ``story_id``."""
        candidates = [
            i for i in self.list()
            if i.damaged is None and i.saved_at is not None and (story_id is None or i.story_id == story_id)
        ]
        return max(candidates, key=lambda i: i.saved_at, default=None)

    # -- loading --
    def load(self, slot: str | int, story: Story) -> LoadedGame:
        """Load a slot for ``story``. Raises SlotEmpty, DamagedSave (with ``backup_ok``),
        WrongStory, or SaveError."""
        name = normalize_slot(slot)
        path = self.folder / (name + SUFFIX)
        try:
            save = self._read(path)
        except FileNotFoundError:
            raise SlotEmpty(f"{slot_title(name)} is empty.") from None
        except _Bad as bad:
            backup_ok = self._backup_ok(name)
            offer = " Its backup (the save before it) can be loaded instead." if backup_ok else ""
            raise DamagedSave(
                f"{slot_title(name)} holds a damaged save: {bad}.{offer}", reason=str(bad), backup_ok=backup_ok
            ) from None
        state, notice, changes = fit_to_story(save, story)
        return LoadedGame(state, self._info(name, save, path), notice, changes)

    def load_backup(self, slot: str | int, story: Story) -> LoadedGame:
        """Load the backup of a slot (the save it held before its last save)."""
        name = normalize_slot(slot)
        path = self.folder / (name + BACKUP_SUFFIX)
        try:
            save = self._read(path)
        except FileNotFoundError:
            raise SlotEmpty(f"{slot_title(name)} has no backup.") from None
        except _Bad as bad:
            raise DamagedSave(f"The backup of {slot_title(name)} is damaged too: {bad}.", reason=str(bad)) from None
        state, notice, changes = fit_to_story(save, story)
        when = format_saved_at(save.saved_at)
        told = f"Loaded the backup of {slot_title(name)}, saved {when}."
        notice = f"{told} {notice}" if notice else told
        info = self._info(name, save, path)
        return LoadedGame(state, info, notice, changes, from_backup=True)

    def quickload(self, story: Story) -> LoadedGame:
        return self.load(QUICK_SLOT, story)

    # -- saving --
    def save(
        self,
        slot: str | int,
        story: Story,
        state: GameState,
        *,
        label: str = "",
        play_seconds: float = 0.0,
        overwrite_damaged: bool = False,
    ) -> SlotInfo:
        """Save ``state`` into a numbered or named slot (atomically; the slot's previous save is
        kept as its backup). A slot holding a damaged save is only replaced when
        ``overwrite_damaged`` is true. "quick" and "auto-N" are reserved: use quicksave/autosave."""
        name = normalize_slot(slot)
        if _RESERVED_RE.fullmatch(name):
            raise InvalidSlotName(
                f"'{name}' is kept for {'quick saves' if name == QUICK_SLOT else 'autosaves'}; choose another name."
            )
        return self._save(name, story, state, label, play_seconds, overwrite_damaged)

    def quicksave(
        self, story: Story, state: GameState, play_seconds: float = 0.0, *, label: str = "",
        overwrite_damaged: bool = False,
    ) -> SlotInfo:
        return self._save(QUICK_SLOT, story, state, label, play_seconds, overwrite_damaged)

    def autosave(self, story: Story, state: GameState, play_seconds: float = 0.0) -> SlotInfo:
        """Save into the autosave slot that is empty or oldest (auto-1, auto-2, auto-3 in turn).
        Damaged autosaves are left alone for the player to look at."""
        with self._lock:
            target = None
            oldest: tuple[dt.datetime, str] | None = None
            damaged = 0
            for name in AUTO_SLOTS:
                path = self.folder / (name + SUFFIX)
                try:
                    save = self._read(path)
                except FileNotFoundError:
                    target = name
                    break
                except _Bad:
                    damaged += 1
                    continue
                if oldest is None or save.saved_at < oldest[0]:
                    oldest = (save.saved_at, name)
            if target is None:
                if oldest is None:
                    raise DamagedSave(
                        "Cannot autosave: all three autosave slots hold damaged saves. Delete one of "
                        "them to turn autosaving back on.",
                        reason="all autosaves damaged",
                    )
                target = oldest[1]
            return self._save(target, story, state, "", play_seconds, False)

    def _payload(self, story: Story, state: GameState, label: str, play_seconds: float) -> bytes:
        from game import __version__

        if state.story_id != story.info.id:
            raise WrongStory(f"This game belongs to story '{state.story_id}', not to '{story.info.id}'.")
        scene = story.scenes.get(state.scene)
        if scene is None:
            raise SaveError(f"Cannot save: the scene '{state.scene}' is not in this story.")
        chapter = story.chapters.get(scene.chapter)
        try:
            seconds = float(play_seconds)
        except (TypeError, ValueError):
            seconds = 0.0
        if not math.isfinite(seconds) or seconds < 0:
            seconds = 0.0
        payload = {
            "format": FORMAT,
            "game_version": __version__,
            "story": {
                "id": story.info.id,
                "title": story.info.title,
                "version": story.info.version,
                "content_hash": story.content_hash,
            },
            "saved_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"),
            "label": clean_label(label),
            "play_seconds": round(seconds, 3),
            "chapter": {
                "id": scene.chapter,
                "number": chapter.number if chapter else None,
                "title": chapter.title if chapter else "",
            },
            "date": scene.date.isoformat(),
            "date_text": format_date(scene.date),
            "place": scene.place,
        }
        head = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        # the state is serialised by pydantic directly (several times faster than a dict dump)
        return (head[:-1] + ',"state":').encode("utf-8") + state.model_dump_json().encode("utf-8") + b"}\n"

    def _save(
        self, name: str, story: Story, state: GameState, label: str, play_seconds: float, overwrite_damaged: bool
    ) -> SlotInfo:
        data = self._payload(story, state, label, play_seconds)
        try:
            save = SaveFile.model_validate_json(data)
        except ValidationError as exc:
            raise SaveError(f"Cannot save: the game state is not valid ({_validation_reason(exc)}).") from None
        if len(data) > MAX_BYTES:
            raise SaveError(
                f"Cannot save: this game's record has grown to {len(data) / 1048576:.1f} MiB, more than "
                f"the {MAX_BYTES // 1048576} MiB a save may hold."
            )
        main = self.folder / (name + SUFFIX)
        with self._lock:
            previous_ok = False
            try:
                self._read(main)
                previous_ok = True
            except FileNotFoundError:
                pass
            except _Bad as bad:
                if not overwrite_damaged:
                    raise DamagedSave(
                        f"{slot_title(name)} holds a damaged save ({bad}). It was not overwritten; "
                        "choose another slot, or confirm that the damaged save may be replaced.",
                        reason=str(bad),
                        backup_ok=self._backup_ok(name),
                    ) from None
            try:
                self._write(name, data, keep_backup=previous_ok)
            except OSError as exc:
                raise DiskError(
                    f"Could not save to {slot_title(name)}: {_why(exc)} ({self.folder}). "
                    "Your game goes on; free the disk or choose another save folder and save again."
                ) from None
            try:
                self._cache[main] = _Cached(_stat_key(os.stat(main)), save, None)
            except OSError:
                pass
            return self._info(name, save, main)

    def _write(self, name: str, data: bytes, *, keep_backup: bool) -> None:
        """The atomic replace: temp file, fsync, previous file to .bak, os.replace, fsync folder."""
        folder = self.folder
        folder.mkdir(parents=True, exist_ok=True)
        main = folder / (name + SUFFIX)
        tag = f"{os.getpid()}.{secrets.token_hex(4)}.tmp"
        tmp = folder / f".{name}{SUFFIX}.{tag}"
        try:
            _write_new(tmp, data)
            if keep_backup:
                self._keep(main, folder / (name + BACKUP_SUFFIX))
            _replace(tmp, main)
        except BaseException:
            _unlink_quietly(tmp)
            raise
        _fsync_dir(folder)

    def _keep(self, src: Path, dest: Path) -> None:
        """Make ``dest`` a copy of ``src``, atomically: a hard link when the file system has them,
        else a synced copy. Nothing happens if ``src`` is gone."""
        tmp = self.folder / f".{dest.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            try:
                os.link(src, tmp)
            except FileNotFoundError:  # removed meanwhile (another game deleted it): nothing to keep
                return
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EROFS, getattr(errno, "EDQUOT", errno.ENOSPC)):
                    raise
                with open(src, "rb") as f:
                    raw = f.read(MAX_BYTES + 1)
                _write_new(tmp, raw)
            _replace(tmp, dest)
        except BaseException:
            _unlink_quietly(tmp)
            raise

    # -- deleting --
    def delete(self, slot: str | int) -> None:
        """Remove a slot and its backup. SlotEmpty if there is nothing to delete."""
        name = normalize_slot(slot)
        removed = False
        with self._lock:
            for suffix in (SUFFIX, BACKUP_SUFFIX):
                path = self.folder / (name + suffix)
                try:
                    os.unlink(path)
                    removed = True
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    raise DiskError(f"Could not delete {slot_title(name)}: {_why(exc)}.") from None
                self._cache.pop(path, None)
        if not removed:
            raise SlotEmpty(f"{slot_title(name)} is empty.")
        _fsync_dir(self.folder)

    def restore_backup(self, slot: str | int) -> SlotInfo:
        """Put a slot's valid backup back in place of its (damaged) save; the replaced file is
        kept as ``<slot>.json.damaged`` for a bug report. Only on the player's request."""
        name = normalize_slot(slot)
        bak = self.folder / (name + BACKUP_SUFFIX)
        main = self.folder / (name + SUFFIX)
        with self._lock:
            try:
                save = self._read(bak)
            except FileNotFoundError:
                raise SlotEmpty(f"{slot_title(name)} has no backup.") from None
            except _Bad as bad:
                raise DamagedSave(f"The backup of {slot_title(name)} is damaged too: {bad}.", reason=str(bad)) from None
            try:
                raw = bak.read_bytes()
                tmp = self.folder / f".{name}{SUFFIX}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
                try:
                    _write_new(tmp, raw)
                    if os.path.isfile(main):
                        self._keep(main, self.folder / (name + DAMAGED_SUFFIX))
                    _replace(tmp, main)
                except BaseException:
                    _unlink_quietly(tmp)
                    raise
                _fsync_dir(self.folder)
            except OSError as exc:
                raise DiskError(f"Could not restore the backup of {slot_title(name)}: {_why(exc)}.") from None
            return self._info(name, save, main)


# ---- `thaw saves` ---------------------------------------------------------------------------------


def _cell(text: str, width: int) -> str:
    text = clean_label(text)
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def format_table(infos: list[SlotInfo]) -> str:
    """The plain-text table that `thaw saves` prints; damaged slots are marked in the last column
    and explained under the table."""
    several_stories = len({i.story_id for i in infos if i.story_id}) > 1
    header = ["Slot", "Label", "Chapter", "In-game date", "Saved at", "Play time"]
    if several_stories:
        header.append("Story")
    header.append("")
    rows = []
    notes = []
    for i in infos:
        chapter = f"{i.chapter_number}. {i.chapter}" if i.chapter_number is not None else i.chapter
        row = [_cell(i.title, 24), _cell(i.label, 30), _cell(chapter, 30), i.date_text,
               format_saved_at(i.saved_at), "" if i.damaged else i.play_time]
        if several_stories:
            row.append(_cell(i.story_title or i.story_id, 20))
        if i.damaged:
            row.append("DAMAGED" + (" (backup OK)" if i.backup_ok else ""))
            backup = "its backup can be loaded" if i.backup_ok else "no usable backup"
            notes.append(f"{i.title}: {clean_label(i.damaged)}; {backup}.")
        else:
            row.append("")
        rows.append(row)
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths).rstrip())
    if notes:
        lines += ["", "Damaged:", *(f"  {n}" for n in notes)]
    return "\n".join(lines)


def saves_command(cli_value: str | None = None, *, out=None) -> int:
    """`thaw saves [--saves DIR]`: list the slots of a save folder."""
    out = out or sys.stdout
    store = SaveStore.open(cli_value)
    try:
        infos = store.list()
    except SaveError as exc:
        print(terminal_text(f"thaw saves: {exc}"), file=sys.stderr)
        return 1
    print(terminal_text(f"Saves in {store.folder}"), file=out)
    if not infos:
        print("No saves yet.", file=out)
        return 0
    print(file=out)
    print(terminal_text(format_table(infos)), file=out)
    if any(i.damaged for i in infos):
        print(
            "\nA damaged save is never overwritten unless you confirm it; where its backup is OK, "
            "load the backup from the Load screen.",
            file=out,
        )
    return 0
