"""Forbidden phrases: every use in a scene of a phrase that `[style] forbid` lists, at file:LINE.

`thaw check` turns each use into a warning; `thaw style` lists them too.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.story.story import Location, Story
from game.tools.style.prose import lines_of, phrase_pattern, scene_pieces


@dataclass(frozen=True)
class Use:
    phrase: str
    scene: str
    where: Location


def forbidden_uses(story: Story) -> list[Use]:
    uses: list[Use] = []
    for phrase in story.style.forbid:
        if not phrase.split():
            continue
        pattern = phrase_pattern(phrase)
        for sid in story.scenes:
            if not any(pattern.search(p.text) for p in scene_pieces(story, sid)):
                continue
            found = lines_of(story, "scene", sid, pattern)
            uses += [Use(phrase, sid, at) for at in found] or [Use(phrase, sid, story.where("scene", sid))]
    return sorted(uses, key=lambda u: (u.where.path, u.where.line, u.phrase))
