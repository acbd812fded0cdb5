"""Save slots: atomic writes, a backup of every slot, damage reports, migrations.

A :class:`SaveStore` is one save folder. Each slot is one JSON file, ``<slot>.json``, and the
previous good save of that slot is kept beside it as ``<slot>.json.bak``. The format, the folder
and the guarantees are described in docs/saves.md.

Every failure is a :class:`SaveError` (or a subclass) whose message can be shown to the player
as it is; nothing here raises anything else for a bad file, a bad name or a bad disk.

The modules: ``slots`` (names, titles, labels, times), ``fileformat`` (the file, its migrations
and text checks), ``fitting`` (a save fitted to a changed story), ``atomic`` (the writes),
``store`` (:class:`SaveStore`), ``listing`` (`thaw saves`). Callers import from here.
"""

from game.saves.atomic import STALE_TEMP_SECONDS
from game.saves.errors import DamagedSave, DiskError, InvalidSlotName, SaveError, SlotEmpty, WrongStory
from game.saves.fileformat import FORMAT, MAX_BYTES, MIGRATIONS, ChapterRef, SaveFile, StoryRef, migrate
from game.saves.fileformat import parse_save as _parse  # benchmarks/saves_bench.py times it
from game.saves.fitting import fit_to_story, other_story_message
from game.saves.listing import format_table, saves_command
from game.saves.slots import (
    AUTO_SLOTS,
    BACKUP_SUFFIX,
    DAMAGED_SUFFIX,
    MAX_LABEL,
    NUMBERED_SLOTS,
    OTHER_FILES,
    QUICK_SLOT,
    SUFFIX,
    LoadedGame,
    SlotInfo,
    SlotKind,
    clean_label,
    format_play_time,
    format_saved_at,
    normalize_slot,
    slot_kind,
    slot_title,
)
from game.saves.store import SaveStore

__all__ = [
    "AUTO_SLOTS", "BACKUP_SUFFIX", "DAMAGED_SUFFIX", "FORMAT", "MAX_BYTES", "MAX_LABEL", "MIGRATIONS",
    "NUMBERED_SLOTS", "OTHER_FILES", "QUICK_SLOT", "STALE_TEMP_SECONDS", "SUFFIX",
    "ChapterRef", "DamagedSave", "DiskError", "InvalidSlotName", "LoadedGame", "SaveError", "SaveFile",
    "SaveStore", "SlotEmpty", "SlotInfo", "SlotKind", "StoryRef", "WrongStory",
    "clean_label", "fit_to_story", "format_play_time", "format_saved_at", "format_table", "migrate",
    "normalize_slot", "other_story_message", "saves_command", "slot_kind", "slot_title",
]
