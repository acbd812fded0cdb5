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
    """A load's outcome: the state (None when it failed) and what to tell the player."""

    state: GameState | None
    message: str = ""
    play_seconds: float = 0.0


@dataclass(frozen=True)
class Slot:
    """One slot as a list shows it."""

    slot: str
    line: str
    usable: bool
    summary: str = ""
    backup_ok: bool = False


def open_store(story: Story, saves_dir: str | Path | None) -> Any | None:
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
    infos = store.list()
    infos.sort(key=lambda i: (i.saved_at is None, -(i.saved_at.timestamp() if i.saved_at else 0)))
    return [describe(i, story) for i in infos]


def newest(store: Any, story: Story) -> Slot | None:
    """The newest undamaged save of this story (for Continue), or None."""
    info = store.newest(story.info.id)
    return describe(info, story) if info is not None else None


def save(store: Any, story: Story, state: GameState, slot: str, play_seconds: float = 0.0, *,
         overwrite_damaged: bool = False) -> tuple[bool, str]:
    """Save into `slot` ('' or 'quick' for the quicksave); (done, message)."""
    try:
        if slot.strip().lower() in QUICK_NAMES:
            info = store.quicksave(story, state, play_seconds, overwrite_damaged=overwrite_damaged)
        else:
            info = store.save(slot, story, state, play_seconds=play_seconds, overwrite_damaged=overwrite_damaged)
    except _errors() as exc:
        return False, str(exc)
    return True, f"Saved: {info.title} ({info.date_text})."


def load(store: Any, story: Story, slot: str | None, *, backup: bool = False) -> Loaded:
    """Load `slot` (None or '': the newest save of this story)."""
    try:
        if not slot:
            info = store.newest(story.info.id)
            if info is None:
                return Loaded(None, "There is no saved game to load.")
            slot = info.name
        loaded = store.load_backup(slot, story) if backup else store.load(slot, story)
    except _errors() as exc:
        return Loaded(None, str(exc))
    where = loaded.info.title
    message = loaded.notice or f"Loaded {where}."
    return Loaded(loaded.state, message, loaded.info.play_seconds)


def autosave(store: Any, story: Story, state: GameState, play_seconds: float = 0.0) -> str:
    """Autosave; '' when it worked, else why not (the game goes on either way)."""
    try:
        store.autosave(story, state, play_seconds)
    except _errors() as exc:
        return str(exc)
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
