"""What `thaw playtest --prove` says of each target, and what it still has to settle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from game.story.state import GameState
from game.tools.playtest.report import Step


@dataclass
class Verdict:
    """kind: scene, ending, choice, branch or passage; status: reached, unreachable or unknown."""

    kind: str
    id: str
    scene: str
    status: str
    path: tuple[Step, ...] | None = None
    why: str = ""


@dataclass
class DeadEnd:
    scene: str
    status: str  # "none" (proven), "found" or "unknown"
    path: tuple[Step, ...] | None = None
    values: dict[str, int | bool] = field(default_factory=dict)
    why: str = ""


@dataclass
class Pending:
    """A target the walk left open: what the witness search looks for."""

    verdict: Verdict | DeadEnd
    goal: str
    test: Callable[[GameState], Step | bool | None]
    tree: tuple
    hint: str
    source: str = ""  # the condition as written, for a proof's text ('' for choices and branches)
