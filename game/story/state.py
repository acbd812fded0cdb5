"""The serialisable game state.

A GameState is immutable: :func:`game.story.engine.choose` builds a new one, which makes undo a
list of earlier states and makes saves a plain JSON dump of the current one.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

#: journals longer than this are refused when a save is read (a hostile or corrupt file)
JOURNAL_LIMIT = 100_000


class JournalEntry(BaseModel):
    """One decision: when, where, what the player chose and what came of it."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    turn: int = Field(ge=0)
    date: dt.date
    chapter: str
    scene: str
    choice: str
    text: str
    result: str = ""
    goto: str = ""


class GameState(BaseModel):
    """Where the player is and everything the story remembers about how they got there."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    story_id: str
    scene: str
    stats: dict[str, int]
    flags: dict[str, bool]
    visits: dict[str, int] = Field(default_factory=dict)
    taken: dict[str, int] = Field(default_factory=dict, description="'scene.choice' -> times taken")
    journal: tuple[JournalEntry, ...] = Field(default=(), max_length=JOURNAL_LIMIT)
    seed: int = 0
    draws: int = Field(default=0, ge=0)
    turn: int = Field(default=0, ge=0)

    @property
    def last_result(self) -> str:
        """The `result` text of the choice that led here, shown before the scene."""
        return self.journal[-1].result if self.journal else ""
