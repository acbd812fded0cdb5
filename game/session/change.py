"""What the last choice changed: the stats that moved and the flags that turned.

Front ends show it (the status panel marks what moved; a notice in the story's voice says that a
person will remember), so it is computed once, in the session, from the states before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.story.state import GameState
from game.story.story import Story


@dataclass(frozen=True)
class Change:
    """The difference one choice made: stat deltas and the flags whose value changed."""

    stats: dict[str, int] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    #: lines the story declares for these movements ("Lapin will remember this."), in stat order
    notices: tuple[str, ...] = ()
    #: the chapter this choice left (its card is due), or ''
    left_chapter: str = ""

    def __bool__(self) -> bool:
        return bool(self.stats or self.flags)

    def delta(self, stat: str) -> int:
        return self.stats.get(stat, 0)


def change_between(before: GameState | None, after: GameState, story: Story | None = None) -> Change:
    """The stats and flags that differ between two states (nothing when there is no before), with
    the story's notices for the stats that moved when `story` is given."""
    if before is None:
        return Change()
    stats = {k: v - before.stats.get(k, v) for k, v in after.stats.items() if v != before.stats.get(k, v)}
    flags = {k: v for k, v in after.flags.items() if v != before.flags.get(k, False)}
    return Change(stats, flags, notices_for(story, stats) if story is not None else ())


def notices_for(story: Story, deltas: dict[str, int]) -> tuple[str, ...]:
    """The story's line for each stat that moved, in the order the stats are declared."""
    lines: list[str] = []
    for key, spec in story.stats.items():
        delta = deltas.get(key, 0)
        line = spec.notice.up if delta > 0 else spec.notice.down if delta < 0 else ""
        if line.strip() and line not in lines:
            lines.append(line.strip())
    return tuple(lines)


def chapter_left(story: Story, before: GameState, after: GameState) -> str:
    """The chapter the player left with this move (into another chapter or an ending), or ''."""
    scene, new = story.scenes.get(before.scene), story.scenes.get(after.scene)
    if scene is None or new is None:
        return ""
    return scene.chapter if (new.is_ending or new.chapter != scene.chapter) else ""
