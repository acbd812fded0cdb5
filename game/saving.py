"""The front ends' view of the save store (game.saves): save, load, list, newest, autosave.

Both front ends go through these few functions, so they word saves the same way. When the save
store is not available, every call says so instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.story.state import GameState
from game.story.story import Story

UNAVAILABLE = "Saving is not available yet."
QUICK_SLOT = "quicksave"
AUTO_SLOT = "autosave"


@dataclass(frozen=True)
class Loaded:
    state: GameState | None
    message: str = ""


@dataclass(frozen=True)
class SlotInfo:
    slot: str
    label: str = ""
    when: str = ""
    damaged: bool = False
    problem: str = ""

    def summary(self) -> str:
        """A short description for the title screen's Continue."""
        return " · ".join(p for p in (self.label, self.when) if p) or self.slot

    def line(self) -> str:
        if self.damaged:
            return f"{self.slot}: damaged ({self.problem})" if self.problem else f"{self.slot}: damaged"
        parts = [p for p in (self.label, self.when) if p]
        return f"{self.slot}: {' - '.join(parts)}" if parts else self.slot


def open_store(story: Story, saves_dir: str | Path | None) -> Any | None:
    """The save store for `story`, or None when saving is not available."""
    try:
        from game.saves import SaveStore  # noqa: F401
    except ImportError:
        return None
    return None


def save(store: Any, story: Story, state: GameState, slot: str) -> str:
    return UNAVAILABLE


def load(store: Any, story: Story, slot: str | None) -> Loaded:
    return Loaded(None, UNAVAILABLE)


def list_slots(store: Any) -> list[SlotInfo]:
    return []


def newest(store: Any) -> SlotInfo | None:
    return None


def autosave(store: Any, story: Story, state: GameState) -> str:
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
