"""Pydantic models of a story's TOML files.

Every model is frozen (a loaded story never changes under the engine) and forbids unknown keys,
so a mistyped field name is a load error instead of a silently ignored line.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]

SCENE_DATE_MIN = dt.date(1953, 1, 1)
SCENE_DATE_MAX = dt.date(1961, 12, 31)


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


# ---- manifest ----------------------------------------------------------------------------------


class CardTitles(Model):
    """The headings of the chapter card's two columns (`[story.card]`)."""

    record: str = "On file"
    private: str = "The private truth"


class StoryInfo(Model):
    id: Id
    title: str
    subtitle: str = ""
    version: str
    start: Id
    card: CardTitles = CardTitles()


class CardLine(Model):
    """A phrase of a chapter's card: on the record side or the private side, when `if` holds."""

    side: Literal["record", "private"]
    if_: str | None = Field(default=None, alias="if")
    text: str


class Chapter(Model):
    id: Id
    number: int
    title: str
    start: Id
    card: tuple[CardLine, ...] = ()


class Notice(Model):
    """What the story says when a stat moves, in its own voice ("Lapin will remember this.")."""

    up: str = ""
    down: str = ""


class Stat(Model):
    label: str
    min: int = 0
    max: int = 10
    start: int
    help: str = ""
    kind: Literal["meter", "relationship"] = "meter"
    notice: Notice = Notice()

    @model_validator(mode="after")
    def _start_in_range(self) -> Stat:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        if not self.min <= self.start <= self.max:
            raise ValueError(f"start ({self.start}) is outside min..max ({self.min}..{self.max})")
        return self


class RoleChange(Model):
    """A later role of a person (`[[people.ID.roles]]`), shown while `if` holds."""

    if_: str = Field(alias="if")
    role: str


class Person(Model):
    name: str
    role: str = ""
    stat: Id | None = None
    codex: Id | None = None
    roles: tuple[RoleChange, ...] = ()


# ---- scenes ------------------------------------------------------------------------------------


class Passage(Model):
    if_: str = Field(alias="if")
    text: str


class Branch(Model):
    if_: str = Field(alias="if")
    goto: Id
    result: str = ""


class Choice(Model):
    id: Id
    text: str
    goto: Id
    if_: str | None = Field(default=None, alias="if")
    locked: str | None = None
    set_: dict[str, bool | int] = Field(default_factory=dict, alias="set")
    add: dict[str, int] = Field(default_factory=dict)
    result: str = ""
    once: bool = False
    branch: tuple[Branch, ...] = ()


class EndingInfo(Model):
    title: str
    tone: str = ""
    kind: Literal["final", "interim"] = "final"


class Scene(Model):
    id: Id
    chapter: Id
    date: dt.date
    place: str
    text: str
    event: Id | None = None
    sources: tuple[Id, ...] = ()
    passage: tuple[Passage, ...] = ()
    choice: tuple[Choice, ...] = ()
    ending: EndingInfo | None = None
    renamed_from: tuple[Id, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def is_ending(self) -> bool:
        return self.ending is not None


# ---- history and codex -------------------------------------------------------------------------


class Event(Model):
    id: Id
    date: dt.date
    precision: Literal["day", "month", "year"] = "day"
    title: str
    summary: str
    sources: tuple[Id, ...] = ()
    disputed: str = ""


class Source(Model):
    id: Id
    cite: str
    url: str = ""


class CodexPassage(Model):
    """More of a codex entry, shown after its text while `if` holds (`[[codex.passage]]`)."""

    if_: str = Field(alias="if")
    text: str


class CodexEntry(Model):
    id: Id
    kind: Literal["person", "place", "term"]
    name: str
    aliases: tuple[str, ...] = ()
    text: str
    sources: tuple[Id, ...] = ()
    passage: tuple[CodexPassage, ...] = ()


class EndingNote(Model):
    """What the endings gallery says of an ending (`[endings.SCENE_ID]`)."""

    hint: str


#: The top-level tables a story file may hold, and the model of each item.
TOP_LEVEL_KEYS = ("story", "chapter", "stats", "flags", "people", "scene", "event", "source", "codex", "endings")
