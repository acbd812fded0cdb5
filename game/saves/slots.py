"""Slot names and how a slot is shown: kinds, titles, labels, times (no disk, no file format)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from game.saves.errors import InvalidSlotName

if TYPE_CHECKING:
    from game.story.state import GameState

MAX_LABEL = 200
NUMBERED_SLOTS = tuple(str(n) for n in range(1, 10))
AUTO_SLOTS = ("auto-1", "auto-2", "auto-3")
QUICK_SLOT = "quick"
SUFFIX = ".json"
BACKUP_SUFFIX = ".json.bak"
DAMAGED_SUFFIX = ".json.damaged"

SlotKind = Literal["numbered", "named", "auto", "quick"]

_NAME_RE = re.compile(r"[A-Za-z0-9 _-]{1,40}")
#: names only quicksave and autosave write
RESERVED_NAME = re.compile(r"auto-[0-9]+|quick")
#: other files the game keeps in the save folder (game.profile writes profile.json): not slots
OTHER_FILES = {"profile"}
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


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
