"""The front ends' view of the save store (game.saves): save, load, list, continue, autosave.

Both front ends go through these few functions, so they word saves the same way and never let a
save problem escape as an exception: every failure comes back as a message for the player.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.story.state import GameState
from game.story.story import Story

UNAVAILABLE = "Saving is not available yet."
QUICK_NAMES = ("", "quick", "quicksave")


@dataclass(frozen=True)
class Loaded:
    """A load's outcome: the state (None when it failed) and what to tell the player.

    ``notice`` is LoadedGame.notice: something the player must read (the save was fitted to a
    changed story, or a backup was loaded), to be shown prominently rather than as a passing
    line. When the load failed, ``damaged`` (the reason) and ``backup_ok`` say whether the slot
    holds a damaged save whose backup can be loaded instead, and ``empty`` whether it is empty.
    """

    state: GameState | None
    message: str = ""
    play_seconds: float = 0.0
    slot: str = ""
    notice: str | None = None
    from_backup: bool = False
    damaged: str | None = None
    backup_ok: bool = False
    empty: bool = False


@dataclass(frozen=True)
class Saved:
    """A save's outcome. ``damaged`` is the reason when the slot holds a damaged save and nothing
    was written (ask the player, then save again with ``overwrite_damaged``)."""

    done: bool
    message: str
    slot: str = ""
    damaged: str | None = None
    backup_ok: bool = False


@dataclass(frozen=True)
class Slot:
    """One slot as a list shows it."""

    slot: str
    line: str
    usable: bool
    summary: str = ""
    backup_ok: bool = False


def open_store(saves_dir: str | Path | None) -> Any | None:
    """The save store, or None when saving is not available in this build."""
    try:
        from game.saves import SaveStore
    except ImportError:
        return None
    return SaveStore.open(saves_dir)


def _errors() -> tuple[type[BaseException], ...]:
    from game.saves import SaveError

    return (SaveError, OSError)


def describe(info: Any, story: Story | None = None) -> Slot:
    """A slot as one line: 'Slot 1 · "label" · Chapter 2: Amnesty · 27 March 1953 · saved ...'."""
    from game.saves import format_saved_at

    if info.damaged:
        backup = "; its backup can be loaded" if info.backup_ok else ""
        return Slot(info.name, f"{info.title} · damaged: {info.damaged}{backup}", False, backup_ok=info.backup_ok)
    chapter = f"Chapter {info.chapter_number}: {info.chapter}" if info.chapter_number is not None else info.chapter
    parts = [info.title]
    if info.label:
        parts.append(f"\u201c{info.label}\u201d")
    parts += [p for p in (chapter, info.date_text) if p]
    parts.append(f"saved {format_saved_at(info.saved_at)}")
    usable = story is None or not info.story_id or info.story_id == story.info.id
    if not usable:
        parts.append(f"another story: {info.story_title or info.story_id}")
    summary = info.date_text or info.title
    return Slot(info.name, " · ".join(parts), usable, summary)


def list_slots(store: Any, story: Story | None = None) -> list[Slot]:
    """Every slot, newest first; damaged ones and other stories' marked unusable."""
    return [describe(i, story) for i in infos(store)]


def newest(store: Any, story: Story) -> Slot | None:
    """The newest undamaged save of this story (for Continue), or None."""
    info = store.newest(story.info.id)
    return describe(info, story) if info is not None else None


def default_label(story: Story, state: GameState) -> str:
    """The label a save gets unless the player types another: 'Chapter 2: Amnesty, 27 March 1953'."""
    from game.story.engine import view

    try:
        v = view(story, state)
    except Exception:  # noqa: BLE001 - a label is never worth an error
        return ""
    chapter = f"Chapter {v.chapter.number}: {v.chapter.title}" if v.chapter else ""
    return ", ".join(part for part in (chapter, v.date_text) if part)


def save_slot(store: Any, story: Story, state: GameState, slot: str, play_seconds: float = 0.0, *,
              label: str = "", overwrite_damaged: bool = False, quick: bool | None = None) -> Saved:
    """Save into `slot`, or the quicksave when `quick` is true. With `quick` None (the plain
    front end's `save [SLOT]`), '', 'quick' and 'quicksave' mean the quicksave; with `quick`
    false (the Save screen) 'quick' is a reserved name and refused. Never raises for a save
    problem."""
    from game.saves import DamagedSave

    if quick is None:
        quick = slot.strip().lower() in QUICK_NAMES
    try:
        if quick:
            info = store.quicksave(story, state, play_seconds, label=label, overwrite_damaged=overwrite_damaged)
        else:
            info = store.save(slot, story, state, label=label, play_seconds=play_seconds,
                              overwrite_damaged=overwrite_damaged)
    except DamagedSave as exc:
        return Saved(False, str(exc), "quick" if quick else slot.strip().lower(), exc.reason, exc.backup_ok)
    except _errors() as exc:
        return Saved(False, _one_line(exc))
    return Saved(True, f"Saved: {info.title} ({info.date_text}).", info.name)


def save(store: Any, story: Story, state: GameState, slot: str, play_seconds: float = 0.0, *,
         label: str = "", overwrite_damaged: bool = False) -> tuple[bool, str]:
    """Save into `slot` ('' or 'quick' for the quicksave); (done, message)."""
    result = save_slot(store, story, state, slot, play_seconds, label=label, overwrite_damaged=overwrite_damaged)
    return result.done, result.message


def load(store: Any, story: Story, slot: str | None, *, backup: bool = False) -> Loaded:
    """Load `slot` (None or '': the newest save of this story; 'quick' or 'quicksave': the
    quicksave). Never raises for a save problem."""
    from game.saves import DamagedSave, SlotEmpty

    try:
        if not slot:
            info = store.newest(story.info.id)
            if info is None:
                return Loaded(None, "There is no saved game to load.", empty=True)
            slot = info.name
        elif slot.strip().lower() == "quicksave":
            slot = "quick"
        loaded = store.load_backup(slot, story) if backup else store.load(slot, story)
    except DamagedSave as exc:
        return Loaded(None, str(exc), slot=str(slot).strip().lower(), damaged=exc.reason, backup_ok=exc.backup_ok)
    except SlotEmpty as exc:
        return Loaded(None, str(exc), slot=str(slot).strip().lower(), empty=True)
    except _errors() as exc:
        return Loaded(None, _one_line(exc), slot=str(slot).strip().lower())
    where = loaded.info.title
    if loaded.from_backup:
        message = loaded.notice or f"Loaded the backup of {where}."
    else:
        message = f"Loaded {where}." + (f" {loaded.notice}" if loaded.notice else "")
    return Loaded(loaded.state, message, loaded.info.play_seconds, loaded.info.name, loaded.notice,
                  loaded.from_backup)


def restore_backup(store: Any, slot: str) -> tuple[bool, str]:
    """Put a damaged slot's good backup back in its place; (done, message)."""
    from game.saves import format_saved_at

    try:
        info = store.restore_backup(slot)
    except _errors() as exc:
        return False, _one_line(exc)
    return True, (
        f"{info.title} is back to its backup, saved {format_saved_at(info.saved_at)}; "
        f"the damaged file was kept as {info.name}.json.damaged."
    )


def delete(store: Any, slot: str) -> tuple[bool, str]:
    """Delete a slot and its backup; (done, message)."""
    from game.saves import slot_title

    try:
        store.delete(slot)
    except _errors() as exc:
        return False, _one_line(exc)
    return True, f"Deleted {slot_title(slot)}."


def infos(store: Any) -> list[Any]:
    """Every slot's SlotInfo, newest first (raises SaveError for an unreadable folder)."""
    found = store.list()
    found.sort(key=lambda i: (i.saved_at is None, -(i.saved_at.timestamp() if i.saved_at else 0)))
    return found


def _one_line(exc: BaseException) -> str:
    """A SaveError's message as it is; any other error (an OSError the store did not wrap) as one
    plain line that says what happened."""
    from game.saves import SaveError

    if isinstance(exc, SaveError):
        return str(exc)
    if isinstance(exc, OSError):
        what = exc.strerror or type(exc).__name__
        where = f" ({exc.filename})" if exc.filename else ""
        return f"The save folder could not be used: {what.lower()}{where}. Your game goes on."
    return str(exc) or type(exc).__name__


def autosave(store: Any, story: Story, state: GameState, play_seconds: float = 0.0) -> str:
    """Autosave; '' when it worked, else why not (the game goes on either way)."""
    try:
        store.autosave(story, state, play_seconds)
    except _errors() as exc:
        return _one_line(exc)
    return ""


def rebuild_history(story: Story, state: GameState, limit: int = 500) -> list[GameState]:
    """The states before each decision of a loaded game, so undo works after loading.

    The engine is deterministic, so replaying the journal from a new game with the same seed
    gives back every earlier state. When the replay does not arrive at `state` (the story has
    changed since the save), there is no history to undo into: an empty list.
    """
    from game.story.engine import ChoiceError, choose, start_at

    if not state.journal or story.info.start not in story.scenes:
        return []
    try:
        current = start_at(story, story.info.start, seed=state.seed)
        states: list[GameState] = []
        for entry in state.journal:
            if current.scene != entry.scene:
                return []
            states.append(current)
            current = choose(story, current, entry.choice)
    except (ChoiceError, KeyError, ValueError):
        return []
    if current.model_dump() != state.model_dump():
        return []
    return states[-limit:]
