"""The prose a player reads, item by item, and where each use of a phrase stands in its file.

The loader keeps no positions inside strings, so a phrase's line is found by searching the item's
own stretch of its file (from its `[[scene]]`, `[[codex]]` or `[[event]]` header to the next header
of the same kind) for the phrase, words separated by any spacing or line continuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from game.story.story import Location, Story

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True)
class Piece:
    """One string of prose: which item (kind, id) it belongs to, and its text."""

    kind: str  # scene, codex or event
    id: str
    text: str


def scene_pieces(story: Story, sid: str) -> Iterator[Piece]:
    """Everything a player can read in a scene: its text, passages, choices, results and ending title."""
    scene = story.scenes[sid]
    yield Piece("scene", sid, scene.text)
    for passage in scene.passage:
        yield Piece("scene", sid, passage.text)
    for choice in scene.choice:
        for text in (choice.text, choice.result, choice.locked or ""):
            if text:
                yield Piece("scene", sid, text)
        for branch in choice.branch:
            if branch.result:
                yield Piece("scene", sid, branch.result)
    if scene.ending is not None:
        yield Piece("scene", sid, scene.ending.title)


def all_pieces(story: Story, reference: bool = True) -> Iterator[Piece]:
    """The scenes' prose, then (with `reference`) the codex entries and the history's events."""
    for sid in story.scenes:
        yield from scene_pieces(story, sid)
    if reference:
        for entry in story.codex.values():
            yield Piece("codex", entry.id, entry.text)
        for event in story.events.values():
            yield Piece("event", event.id, f"{event.title}\n{event.summary}")


def words(text: str) -> list[str]:
    """The words of `text`, apostrophes straightened (hyphens and dashes split words)."""
    return [w.replace("’", "'") for w in WORD.findall(text)]


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as a case-insensitive whole-word pattern that also matches across line breaks."""
    parts = [re.escape(p) for p in phrase.split()]
    return re.compile(r"(?<![\w'’])" + r"[\s\\]+".join(parts) + r"(?![\w'’])", re.IGNORECASE)


def lines_of(story: Story, kind: str, item: str, pattern: re.Pattern[str]) -> list[Location]:
    """Where `pattern` matches inside the item's stretch of its file (one Location per match)."""
    spot = story.locations.get((kind, item))
    if spot is None:
        return []
    start = spot.resolve()
    text = getattr(spot.file, "text", "")
    lines = text.splitlines(keepends=True)
    header = re.compile(rf"^\s*\[\[\s*{kind}\s*\]\]")
    end = next((n for n in range(start.line, len(lines)) if header.match(lines[n])), len(lines))
    stretch = "".join(lines[start.line - 1:end])
    first = start.line
    return [Location(start.path, first + stretch.count("\n", 0, m.start())) for m in pattern.finditer(stretch)]
