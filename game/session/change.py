"""What the last choice changed: the stats that moved and the flags that turned.

Front ends show it (the status panel marks what moved; a notice in the story's voice says that a
person will remember), so it is computed once, in the session, from the states before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.story.state import GameState


@dataclass(frozen=True)
class Change:
    """The difference one choice made: stat deltas and the flags whose value changed."""

    stats: dict[str, int] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    #: lines the story declares for these movements ("Lapin will remember this."), in stat order
    notices: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.stats or self.flags)

    def delta(self, stat: str) -> int:
        return self.stats.get(stat, 0)


def change_between(before: GameState | None, after: GameState) -> Change:
    """The stats and flags that differ between two states (nothing when there is no before)."""
    if before is None:
        return Change()
    stats = {k: v - before.stats.get(k, v) for k, v in after.stats.items() if v != before.stats.get(k, v)}
    flags = {k: v for k, v in after.flags.items() if v != before.flags.get(k, False)}
    return Change(stats, flags)
