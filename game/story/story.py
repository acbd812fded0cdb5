"""A loaded story: the validated models plus what the loader compiled from them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from game.story.conditions import Condition
from game.story.model import Chapter, CodexEntry, EndingNote, Event, Person, Scene, Source, Stat, StoryInfo


class Location(NamedTuple):
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class Spot:
    """A place in a file, found lazily: the line is looked up only when a message needs it."""

    __slots__ = ("file", "path")

    def __init__(self, file: Any, path: tuple[str | int, ...]) -> None:
        self.file = file  # anything with .shown and .line_of(path)
        self.path = path

    def resolve(self, *more: str | int) -> Location:
        return Location(self.file.shown, self.file.line_of((*self.path, *more)))

    def __str__(self) -> str:
        return str(self.resolve())


@dataclass(eq=False)
class Story:
    """Everything the engine and the tools need, indexed by id.

    Built only by :func:`game.story.loader.load_story`; treated as read-only afterwards.
    """

    root: Path
    info: StoryInfo
    chapters: dict[str, Chapter]
    stats: dict[str, Stat]
    flags: dict[str, bool]
    people: dict[str, Person]
    scenes: dict[str, Scene]
    events: dict[str, Event]
    sources: dict[str, Source]
    codex: dict[str, CodexEntry]
    locations: dict[tuple[str, str], Spot]
    content_hash: str
    #: compiled conditions: ("choice", scene, choice), ("passage", scene, k), ("branch", scene, choice, k)
    conditions: dict[tuple[Any, ...], Condition] = field(default_factory=dict)
    #: old scene id -> current scene id, from `renamed_from`
    renames: dict[str, str] = field(default_factory=dict)
    #: what the endings gallery says of each ending (`[endings.ID]`), by ending scene id
    ending_notes: dict[str, EndingNote] = field(default_factory=dict)
    #: conditions that change only what is shown, never where the story goes: ("role", person, k),
    #: ("card", chapter, k), ("codex", entry, k). Kept apart so the playtester and the checker,
    #: which reason about the story's paths, read only `conditions`.
    shown_conditions: dict[tuple[Any, ...], Condition] = field(default_factory=dict)

    @cached_property
    def types(self) -> dict[str, type]:
        names: dict[str, type] = {name: int for name in self.stats}
        names.update({name: bool for name in self.flags})
        return names

    def where(self, kind: str, *key: str | int) -> Location:
        """Where something was defined, for messages.

        `kind` is scene, choice, passage or branch (keys: scene id, then choice id, passage or
        branch number, then optionally a field name), or any top-level kind with its id
        (event, source, codex, chapter, person, ending, stats, flags, story) and then the path
        inside it, such as ("person", "velichko", "roles", 0, "if").
        """
        if kind not in ("scene", "choice", "passage", "branch"):
            spot = self.locations.get((kind, str(key[0]) if key else ""))
            return spot.resolve(*key[1:]) if spot else Location(str(self.root), 0)
        spot = self.locations.get(("scene", key[0]))
        scene = self.scenes.get(key[0])
        if spot is None or scene is None:
            return Location(str(self.root), 0)
        rest = list(key[1:])
        path: list[str | int] = []
        if kind == "passage" and rest:
            path = ["passage", int(rest.pop(0)), "if"]
        elif kind in ("choice", "branch") and rest:
            cid = rest.pop(0)
            index = next((i for i, c in enumerate(scene.choice) if c.id == cid), None)
            if index is not None:
                path = ["choice", index]
                if kind == "branch" and rest:
                    path += ["branch", int(rest.pop(0))]
        return spot.resolve(*path, *rest)

    @cached_property
    def endings(self) -> dict[str, Scene]:
        return {sid: s for sid, s in self.scenes.items() if s.is_ending}

    @cached_property
    def _mention_pattern(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        words: dict[str, str] = {}
        for entry in self.codex.values():
            for word in (entry.name, *entry.aliases):
                if word.strip():
                    words.setdefault(word, entry.id)
        if not words:
            return None, words
        ordered = sorted(words, key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in ordered) + r")(?!\w)")
        return pattern, words

    def mentions(self, text: str) -> list[str]:
        """Codex ids whose name or alias appears in `text` as a whole word, in order of first use."""
        pattern, words = self._mention_pattern
        if pattern is None:
            return []
        found: dict[str, None] = {}
        for match in pattern.finditer(text):
            found.setdefault(words[match.group(1)], None)
        return list(found)

    def word_count(self) -> int:
        """Words of prose a player can read: scene text, passages and choice results."""
        total = 0
        for scene in self.scenes.values():
            total += len(scene.text.split())
            total += sum(len(p.text.split()) for p in scene.passage)
            total += sum(len(c.result.split()) for c in scene.choice)
        return total
