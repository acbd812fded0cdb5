"""The serialisable game state.

A GameState is immutable: :func:`game.story.engine.choose` builds a new one, which makes undo a
list of earlier states and makes saves a plain JSON dump of the current one.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

#: journals longer than this are refused when a save is read (a hostile or corrupt file)
JOURNAL_LIMIT = 100_000

# Strict types: a save from elsewhere may not pass "5" for a number or 1 or "yes" for a flag, and
# no number may be so large that printing it fails (Python refuses to print over 4,300 digits).
#: a stat's value (the story's ranges are far smaller; fitting a save clamps it)
Value = Annotated[StrictInt, Field(ge=-(10**15), le=10**15)]
#: a count or a turn: never negative
Count = Annotated[StrictInt, Field(ge=0, le=2**63 - 1)]
Seed = Annotated[StrictInt, Field(ge=-(2**63), le=2**63 - 1)]


class JournalEntry(BaseModel):
    """One decision: when, where, what the player chose and what came of it."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    turn: Count
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
    stats: dict[str, Value]
    flags: dict[str, StrictBool]
    visits: dict[str, Count] = Field(default_factory=dict)
    taken: dict[str, Count] = Field(default_factory=dict, description="'scene.choice' -> times taken")
    journal: tuple[JournalEntry, ...] = Field(default=(), max_length=JOURNAL_LIMIT)
    seed: Seed = 0
    draws: Count = 0
    turn: Count = 0

    @property
    def last_result(self) -> str:
        """The `result` text of the choice that led here, shown before the scene."""
        return self.journal[-1].result if self.journal else ""
