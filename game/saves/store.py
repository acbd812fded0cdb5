"""The save store: one folder of slots, each a JSON file with the previous good save kept beside it
as its backup. Reads are cached by file identity, so listing the slots again costs a stat each."""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat as statmod
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from game.saves.atomic import clear_if_temp, disk_reason, fsync_dir, replace_file
from game.saves.errors import BadFile, DamagedSave, DiskError, InvalidSlotName, SaveError, SlotEmpty
from game.saves.fileformat import MAX_BYTES, SaveFile, encode_save, parse_save, too_big, validation_reason
from game.saves.fitting import fit_to_story
from game.saves.slots import (
    AUTO_SLOTS,
    BACKUP_SUFFIX,
    DAMAGED_SUFFIX,
    QUICK_SLOT,
    RESERVED_NAME,
    SUFFIX,
    LoadedGame,
    SlotInfo,
    clean_label,
    format_saved_at,
    normalize_slot,
    slot_kind,
    slot_title,
)
from game.story.state import GameState
from game.story.story import Story


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclass
class _Cached:
    key: tuple[int, int, int, int]
    save: SaveFile | None
    reason: str | None


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
        """The valid save in ``path``; FileNotFoundError if there is none; BadFile if damaged."""
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise
        except NotADirectoryError:  # the folder's path runs through a file: no save there
            raise FileNotFoundError(errno.ENOENT, "no such file", str(path)) from None
        except OSError as exc:
            raise BadFile(f"the file cannot be read: {disk_reason(exc)}") from None
        key = _stat_key(st)
        with self._lock:
            cached = self._cache.get(path)
        if cached is not None and cached.key == key:
            if cached.save is None:
                raise BadFile(cached.reason)
            return cached.save
        try:
            if not statmod.S_ISREG(st.st_mode):
                raise BadFile("it is not a regular file")
            if st.st_size > MAX_BYTES:
                raise BadFile(too_big(st.st_size))
            try:
                with open(path, "rb") as f:
                    raw = f.read(MAX_BYTES + 1)
            except FileNotFoundError:
                raise
            except OSError as exc:
                raise BadFile(f"the file cannot be read: {disk_reason(exc)}") from None
            save = parse_save(raw)
        except BadFile as bad:
            with self._lock:
                self._cache[path] = _Cached(key, None, str(bad))
            raise
        with self._lock:
            self._cache[path] = _Cached(key, save, None)
        return save

    def _backup_ok(self, name: str) -> bool:
        try:
            self._read(self.folder / (name + BACKUP_SUFFIX))
        except (FileNotFoundError, BadFile):
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
        except BadFile as bad:
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
            raise DiskError(f"Cannot read the save folder {self.folder}: {disk_reason(exc)}.") from None
        names = []
        now = time.time()
        for entry in entries:
            if clear_if_temp(entry, now):
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
        except BadFile as bad:
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
        save = self._read_backup(name)
        state, notice, changes = fit_to_story(save, story)
        when = format_saved_at(save.saved_at)
        told = f"Loaded the backup of {slot_title(name)}, saved {when}."
        notice = f"{told} {notice}" if notice else told
        info = self._info(name, save, self.folder / (name + BACKUP_SUFFIX))
        return LoadedGame(state, info, notice, changes, from_backup=True)

    def _read_backup(self, name: str) -> SaveFile:
        """The valid backup of slot ``name``, else SlotEmpty or DamagedSave saying why not."""
        try:
            return self._read(self.folder / (name + BACKUP_SUFFIX))
        except FileNotFoundError:
            raise SlotEmpty(f"{slot_title(name)} has no backup.") from None
        except BadFile as bad:
            raise DamagedSave(f"The backup of {slot_title(name)} is damaged too: {bad}.", reason=str(bad)) from None

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
        if RESERVED_NAME.fullmatch(name):
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
                except BadFile:
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
        """The bytes a save would write (benchmarks/saves_bench.py times it)."""
        return encode_save(story, state, label, play_seconds)

    def _save(
        self, name: str, story: Story, state: GameState, label: str, play_seconds: float, overwrite_damaged: bool
    ) -> SlotInfo:
        data = self._payload(story, state, label, play_seconds)
        try:
            save = SaveFile.model_validate_json(data)
        except ValidationError as exc:
            raise SaveError(f"Cannot save: the game state is not valid ({validation_reason(exc)}).") from None
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
            except BadFile as bad:
                if not overwrite_damaged:
                    raise DamagedSave(
                        f"{slot_title(name)} holds a damaged save ({bad}). It was not overwritten; "
                        "choose another slot, or confirm that the damaged save may be replaced.",
                        reason=str(bad),
                        backup_ok=self._backup_ok(name),
                    ) from None
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                backup = self.folder / (name + BACKUP_SUFFIX) if previous_ok else None
                replace_file(main, data, keep_old_as=backup, copy_limit=MAX_BYTES)
            except OSError as exc:
                raise DiskError(
                    f"Could not save to {slot_title(name)}: {disk_reason(exc)} ({self.folder}). "
                    "Your game goes on; free the disk or choose another save folder and save again."
                ) from None
            try:
                self._cache[main] = _Cached(_stat_key(os.stat(main)), save, None)
            except OSError:
                pass
            return self._info(name, save, main)

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
                    raise DiskError(f"Could not delete {slot_title(name)}: {disk_reason(exc)}.") from None
                self._cache.pop(path, None)
        if not removed:
            raise SlotEmpty(f"{slot_title(name)} is empty.")
        fsync_dir(self.folder)

    def restore_backup(self, slot: str | int) -> SlotInfo:
        """Put a slot's valid backup back in place of its (damaged) save; the replaced file is
        kept as ``<slot>.json.damaged`` for a bug report. Only on the player's request."""
        name = normalize_slot(slot)
        bak = self.folder / (name + BACKUP_SUFFIX)
        main = self.folder / (name + SUFFIX)
        with self._lock:
            save = self._read_backup(name)
            try:
                damaged = self.folder / (name + DAMAGED_SUFFIX) if os.path.isfile(main) else None
                replace_file(main, bak.read_bytes(), keep_old_as=damaged, copy_limit=MAX_BYTES)
            except OSError as exc:
                raise DiskError(f"Could not restore the backup of {slot_title(name)}: {disk_reason(exc)}.") from None
            return self._info(name, save, main)
