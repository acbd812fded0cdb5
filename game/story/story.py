"""A loaded story: the validated models plus what the loader compiled from them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from game.story.conditions import Condition
from game.story.model import Chapter, CodexEntry, Event, Person, Scene, Source, Stat, StoryInfo


class Location(NamedTuple):
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


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
    locations: dict[tuple[str, ...], Location]
    content_hash: str
    #: compiled conditions: ("choice", scene, choice), ("passage", scene, k), ("branch", scene, choice, k)
    conditions: dict[tuple[Any, ...], Condition] = field(default_factory=dict)
    #: old scene id -> current scene id, from `renamed_from`
    renames: dict[str, str] = field(default_factory=dict)

    @cached_property
    def types(self) -> dict[str, type]:
        names: dict[str, type] = {name: int for name in self.stats}
        names.update({name: bool for name in self.flags})
        return names

    def where(self, kind: str, *key: str) -> Location:
        """Where something was defined, for messages; falls back to the enclosing scene."""
        for length in range(len(key), 0, -1):
            loc = self.locations.get((kind, *key[:length]))
            if loc is not None:
                return loc
            if kind in ("choice", "passage", "branch"):
                loc = self.locations.get(("scene", key[0]))
                if loc is not None and length == 1:
                    return loc
        return Location(str(self.root), 0)

    def chapter_of(self, scene_id: str) -> Chapter | None:
        scene = self.scenes.get(scene_id)
        return self.chapters.get(scene.chapter) if scene else None

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
