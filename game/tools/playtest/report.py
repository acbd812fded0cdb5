"""The playtest report: what a random or exhaustive playtest found, and its JSON form."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    """One move: the choice taken in a scene, and how each ``chance()`` it met came out."""

    scene: str
    choice: str
    chance: tuple[bool, ...] = ()

    def __str__(self) -> str:
        if not self.chance:
            return self.choice
        return f"{self.choice}[chance: {'/'.join('yes' if c else 'no' for c in self.chance)}]"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"scene": self.scene, "choice": self.choice}
        if self.chance:
            out["chance"] = list(self.chance)
        return out


def format_path(path: Iterable[Step]) -> str:
    text = " > ".join(str(step) for step in path)
    return text or "(the start scene itself)"


@dataclass(frozen=True)
class Playthrough:
    """A complete game: the ending reached and the moves that reach it."""

    ending: str
    path: tuple[Step, ...]

    @property
    def turns(self) -> int:
        return len(self.path)

    def to_dict(self) -> dict[str, Any]:
        return {"ending": self.ending, "turns": self.turns, "path": [s.to_dict() for s in self.path]}


@dataclass
class Stuck:
    """A dead end (or a trap): where, how many distinct states, and the shortest way there."""

    scene: str
    path: tuple[Step, ...]
    values: dict[str, int | bool]
    count: int = 1
    #: exhaustive: the chance that a player picking at random ends up stuck here
    probability: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"scene": self.scene, "count": self.count, "path": [s.to_dict() for s in self.path], "values": self.values}
        if self.probability is not None:
            out["percent"] = round(100 * self.probability, 2)
        return out


@dataclass
class EndingStat:
    """How often an ending was reached: runs (random), or distinct end states (exhaustive).

    The exhaustive walk also gives `playthroughs`, the number of distinct playthroughs (sequences of
    choices and chance outcomes) that end here (None when a loop makes them unbounded), and
    `probability`, the chance that a player who picks uniformly at random ends here.
    """

    id: str
    title: str
    count: int = 0
    shortest: tuple[Step, ...] | None = None
    playthroughs: int | None = None
    probability: float | None = None

    def to_dict(self, total: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "count": self.count,
            "percent": _pct(self.count, total),
            "shortest": None if self.shortest is None else [s.to_dict() for s in self.shortest],
        }
        if self.probability is not None:
            out.update(percent=round(100 * self.probability, 1), playthroughs=self.playthroughs)
        return out


@dataclass
class PlaytestReport:
    """What a playtest found. `failed` is true when something is unreachable or a player can get stuck."""

    mode: str
    story_id: str
    title: str
    version: str
    all_scenes: list[str]
    all_choices: list[str]
    all_branches: list[str]
    #: every passage, as ``scene#N`` (N from 1, in file order)
    all_passages: list[str] = field(default_factory=list)
    reached_scenes: set[str] = field(default_factory=set)
    taken_choices: set[str] = field(default_factory=set)
    taken_branches: set[str] = field(default_factory=set)
    endings: dict[str, EndingStat] = field(default_factory=dict)
    dead_ends: dict[str, Stuck] = field(default_factory=dict)
    traps: dict[str, Stuck] = field(default_factory=dict)
    shortest: Playthrough | None = None
    longest: Playthrough | None = None
    #: exhaustive: the scenes of a loop that makes play unbounded (no longest playthrough)
    unbounded_loop: tuple[str, ...] = ()
    # random mode
    #: hit counts (ChoiceScript's): arrivals at each scene, showings of each passage, takes of each choice
    scene_hits: dict[str, int] = field(default_factory=dict)
    passage_hits: dict[str, int] = field(default_factory=dict)
    choice_hits: dict[str, int] = field(default_factory=dict)
    runs: int = 0
    seed: int | None = None
    unfinished: int = 0
    max_turns: int = 0
    # exhaustive mode
    states: int = 0
    transitions: int = 0
    #: exhaustive: distinct playthroughs from the start to any ending (None: unbounded or unknown)
    playthroughs: int | None = None
    max_states: int = 0
    truncated: bool = False
    seconds: float = 0.0

    # -- derived --
    @property
    def unreached_scenes(self) -> list[str]:
        return [s for s in self.all_scenes if s not in self.reached_scenes]

    @property
    def unreached_choices(self) -> list[str]:
        return [c for c in self.all_choices if c not in self.taken_choices]

    @property
    def unreached_branches(self) -> list[str]:
        return [b for b in self.all_branches if b not in self.taken_branches]

    @property
    def unshown_passages(self) -> list[str]:
        """Random mode: the passages no run showed (only --prove can say whether one ever can be)."""
        return [p for p in self.all_passages if not self.passage_hits.get(p)]

    @property
    def unreached_endings(self) -> list[str]:
        return [e for e, stat in self.endings.items() if stat.count == 0]

    @property
    def failed(self) -> bool:
        return bool(
            self.unreached_scenes or self.unreached_choices or self.unreached_branches or self.dead_ends or self.traps
            or self.unfinished or not self.endings
        )

    @property
    def finished_games(self) -> int:
        """Random runs that reached an ending; distinct ending states for the exhaustive walk."""
        return sum(e.count for e in self.endings.values())

    def coverage(self) -> dict[str, dict[str, float | int]]:
        def part(reached: int, total: int) -> dict[str, float | int]:
            return {"reached": reached, "total": total, "percent": _pct(reached, total)}

        return {
            "scenes": part(len(self.all_scenes) - len(self.unreached_scenes), len(self.all_scenes)),
            "choices": part(len(self.all_choices) - len(self.unreached_choices), len(self.all_choices)),
            "branches": part(len(self.all_branches) - len(self.unreached_branches), len(self.all_branches)),
            "endings": part(len(self.endings) - len(self.unreached_endings), len(self.endings)),
            **({"passages": part(len(self.all_passages) - len(self.unshown_passages), len(self.all_passages))}
               if self.mode == "random" else {}),
        }

    # -- output --
    def to_dict(self) -> dict[str, Any]:
        total = self.runs if self.mode == "random" else self.finished_games
        out: dict[str, Any] = {
            "mode": self.mode,
            "story": {"id": self.story_id, "title": self.title, "version": self.version},
            "ok": not self.failed,
            "seconds": round(self.seconds, 3),
            "coverage": self.coverage(),
            "endings": [e.to_dict(total) for e in self.endings.values()],
            "dead_ends": [d.to_dict() for d in self.dead_ends.values()],
            "unreached": {
                "scenes": self.unreached_scenes,
                "choices": self.unreached_choices,
                "branches": self.unreached_branches,
            },
            "shortest": None if self.shortest is None else self.shortest.to_dict(),
            "longest": None if self.longest is None else self.longest.to_dict(),
        }
        if self.mode == "random":
            out.update(runs=self.runs, seed=self.seed, unfinished=self.unfinished, max_turns=self.max_turns)
            out["unreached"]["passages"] = self.unshown_passages
            out["hits"] = {
                "scenes": {s: self.scene_hits.get(s, 0) for s in self.all_scenes},
                "passages": {p: self.passage_hits.get(p, 0) for p in self.all_passages},
                "choices": {c: self.choice_hits.get(c, 0) for c in self.all_choices},
            }
        else:
            out.update(
                states=self.states,
                transitions=self.transitions,
                max_states=self.max_states,
                truncated=self.truncated,
                traps=[t.to_dict() for t in self.traps.values()],
                playthroughs=self.playthroughs,
                unbounded_loop=list(self.unbounded_loop),
            )
        return out

    def json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def text(self, hits: bool = False) -> str:
        from game.tools.playtest.text import report_text

        return report_text(self, hits)


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
