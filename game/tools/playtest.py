"""`thaw playtest`: play a story automatically and report what players can and cannot reach.

Two modes, both driving only the pure engine (:func:`available_choices` and :func:`choose`):

* **random** (the default): ``runs`` playthroughs, run ``i`` driven by ``random.Random(seed + i)``,
  which picks each choice uniformly and decides each ``chance(N)`` of a branch;
* **exhaustive**: a breadth-first walk of every reachable state, every outcome of every
  ``chance(N)`` included, bounded by ``max_states``.

The exhaustive walk deduplicates states that have the same future. Compiled conditions record what
they read (``Condition.names``, ``.scenes`` and ``.choices``), and nothing else in a state can
change which choices are open or where they lead. So two states are the same for the future when
they agree on the scene and on what the choice and branch conditions of the scenes still reachable
from it read: those stats and flags, those visit counts (capped just past the largest number they
are compared with: visits only grow), and whether each choice that ``chose()`` names or that is
``once`` has been taken. Passages (they only change the prose), the seed, the journal, the turn and
everything no future condition reads are left out.

Both modes report the scenes, choices and branch outcomes never reached, every ending with how
often it was reached, dead ends (a state that is not an ending and has no available choice) with
the path of choice ids that leads there, the shortest and longest playthrough and coverage. The
exhaustive walk also reports *traps*: states from which no ending and no dead end can ever be
reached (a loop the player cannot leave).
"""

from __future__ import annotations

import ast
import json
import random
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from game.story.engine import available_choices, choose, new_game
from game.story.model import Choice
from game.story.state import GameState
from game.story.story import Story

DEFAULT_RUNS = 1000
DEFAULT_MAX_STATES = 200_000
DEFAULT_MAX_TURNS = 1000


# ---- results -------------------------------------------------------------------------------------


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

    def text(self) -> str:
        lines: list[str] = []
        head = f"Playtest of '{self.story_id}' ({self.title} {self.version}): "
        if self.mode == "random":
            head += f"{_count(self.runs, 'random run')}, seed {self.seed}"
        else:
            head += f"exhaustive, {_count(self.states, 'distinct state')}, {_count(self.transitions, 'move')}"
        lines.append(f"{head}, {self.seconds:.2f} s")
        if self.truncated:
            lines.append(
                f"  The walk stopped at --max-states {self.max_states:,}: the results below are partial "
                "(raise --max-states to see everything)."
            )
        cov = self.coverage()
        labels = {"branches": "branch outcomes"}
        lines.append(
            "Coverage: "
            + ", ".join(
                f"{labels.get(name, name)} {c['reached']}/{c['total']} ({c['percent']:g}%)"
                for name, c in cov.items()
                if name != "branches" or c["total"]
            )
        )

        lines.append("Endings:")
        total = self.runs if self.mode == "random" else self.finished_games
        unit = "run" if self.mode == "random" else "state"
        width = max((len(e) for e in self.endings), default=0)
        for ending in self.endings.values():
            if ending.count and self.mode == "random":
                how = f"{_count(ending.count, unit)} ({_pct(ending.count, total):g}%)"
                way = f"; shortest: {format_path(ending.shortest or ())}"
            elif ending.count:
                parts = []
                if ending.playthroughs is not None:
                    parts.append(f"{ending.playthroughs:,} of {self.playthroughs:,} playthroughs")
                if ending.probability is not None:
                    parts.append(f"{100 * ending.probability:.1f}% of random play")
                how = ", ".join(parts) or _count(ending.count, "distinct end state")
                way = f"; shortest: {format_path(ending.shortest or ())}"
            else:
                how, way = "never reached", ""
            lines.append(f"  {ending.id:<{width}}  \"{ending.title}\": {how}{way}")
        if not self.endings:
            lines.append("  (the story has no endings)")

        if self.shortest is not None:
            lines.append(f"Shortest playthrough: {_count(self.shortest.turns, 'turn')} to {self.shortest.ending}: "
                         f"{format_path(self.shortest.path)}")
        if self.unbounded_loop:
            lines.append("Longest playthrough: unbounded: a player can go round "
                         + " > ".join(self.unbounded_loop) + " for ever (and still reach an ending)")
        elif self.longest is not None:
            lines.append(f"Longest playthrough: {_count(self.longest.turns, 'turn')} to {self.longest.ending}: "
                         f"{format_path(self.longest.path)}")
        elif self.mode == "exhaustive" and self.truncated:
            lines.append("Longest playthrough: unknown (the walk stopped early)")
        if self.mode == "random" and self.unfinished:
            lines.append(f"Unfinished: {_count(self.unfinished, 'run')} reached no ending within {self.max_turns} turns "
                         "(a loop? try --exhaustive)")

        if self.dead_ends:
            lines.append("Dead ends (not an ending, and no choice is available):")
            for stuck in self.dead_ends.values():
                lines.extend(_stuck_lines(stuck, unit))
        else:
            lines.append("Dead ends: none")
        if self.traps:
            lines.append("Traps (no ending can ever be reached from here):")
            for stuck in self.traps.values():
                lines.extend(_stuck_lines(stuck, unit))

        unreached = (
            [f"  scene {s}" for s in self.unreached_scenes]
            + [f"  choice {c}" for c in self.unreached_choices]
            + [f"  {_branch_text(b)}" for b in self.unreached_branches]
        )
        if unreached:
            lines.append("Never reached:" if not self.truncated else f"Not reached within {self.max_states:,} states:")
            lines.extend(unreached)
        else:
            lines.append("Never reached: nothing")

        if self.failed:
            problems = []
            if self.dead_ends:
                problems.append(_count(len(self.dead_ends), "dead end"))
            if self.traps:
                problems.append(_count(len(self.traps), "trap"))
            if unreached:
                problems.append(f"{len(unreached)} never reached")
            lines.append("FAILED: " + ", ".join(problems))
        else:
            lines.append("OK: every scene, choice and branch was reached, and no player gets stuck")
        return "\n".join(lines)


def _stuck_lines(stuck: Stuck, unit: str) -> list[str]:
    values = ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in stuck.values.items())
    odds = f", {100 * stuck.probability:.2g}% of random play" if stuck.probability is not None else ""
    return [
        f"  {stuck.scene} ({_count(stuck.count, unit)}{odds}): {format_path(stuck.path)}",
        *([f"    with {values}"] if values else []),
    ]


def _branch_text(key: str) -> str:
    choice, _, which = key.partition("/")
    if which == "goto":
        return f"choice {choice}: its own goto (one of its branches always took over)"
    return f"choice {choice}: branch {which.removeprefix('branch')}"


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


# ---- progress ------------------------------------------------------------------------------------


class Progress:
    """A one-line text progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, total: int, unit: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total = max(1, total)
        self.unit = unit
        self.width = width
        self.last = 0.0
        self.drawn = False

    def update(self, done: int, extra: str = "", force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        frac = min(1.0, done / self.total)
        filled = int(frac * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        tail = f" {extra}" if extra else ""
        self.stream.write(f"\rplaytest [{bar}] {frac * 100:3.0f}% {done:,}/{self.total:,} {self.unit}{tail}\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.enabled and self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


# ---- shared helpers ------------------------------------------------------------------------------


def _new_report(story: Story, mode: str) -> PlaytestReport:
    choices: list[str] = []
    branches: list[str] = []
    for scene in story.scenes.values():
        for choice in scene.choice:
            key = f"{scene.id}.{choice.id}"
            choices.append(key)
            if choice.branch:
                branches.extend(f"{key}/branch{k}" for k in range(1, len(choice.branch) + 1))
                branches.append(f"{key}/goto")
    report = PlaytestReport(
        mode=mode,
        story_id=story.info.id,
        title=story.info.title,
        version=story.info.version,
        all_scenes=list(story.scenes),
        all_choices=choices,
        all_branches=branches,
    )
    report.endings = {sid: EndingStat(sid, s.ending.title if s.ending else sid) for sid, s in story.endings.items()}
    return report


class _Recorder:
    """Decides each ``chance(N)`` from a script (then a default) and records the answers."""

    __slots__ = ("script", "default", "answers", "open_at", "probability")

    def __init__(self, script: tuple[bool, ...] = (), default: Callable[[int], bool] | None = None) -> None:
        self.script = script
        self.default = default
        self.answers: list[bool] = []
        #: positions where an undecided chance took the default: the other outcome is still to explore
        self.open_at: list[int] = []
        #: how likely this combination of answers is
        self.probability = 1.0

    def __call__(self, percent: int) -> bool:
        i = len(self.answers)
        if percent <= 0:
            answer = False
        elif percent >= 100:
            answer = True
        elif i < len(self.script):
            answer = self.script[i]
        elif self.default is not None:
            answer = self.default(percent)
        else:
            answer = True
            self.open_at.append(i)
        if 0 < percent < 100:
            self.probability *= (percent if answer else 100 - percent) / 100
        self.answers.append(answer)
        return answer


class _BranchCtx:
    """Reads the state the engine's branches read (effects applied, visits not yet) and replays chance."""

    __slots__ = ("before", "after", "answers")

    def __init__(self, before: GameState, after: GameState, answers: list[bool]) -> None:
        self.before = before
        self.after = after
        self.answers = iter(answers)

    def value(self, name: str) -> int | bool:
        if name in self.after.stats:
            return self.after.stats[name]
        return self.after.flags.get(name, False)

    def visits(self, scene_id: str) -> int:
        return self.before.visits.get(scene_id, 0)

    def chose(self, key: str) -> bool:
        return self.before.taken.get(key, 0) > 0

    def chance(self, percent: int) -> bool:
        return next(self.answers)


def _branch_key(story: Story, before: GameState, after: GameState, choice: Choice, answers: list[bool]) -> str:
    """Which outcome of a branched choice the engine took: ``scene.choice/branchK`` or ``/goto``."""
    key = f"{before.scene}.{choice.id}"
    ctx = _BranchCtx(before, after, answers)
    for k in range(len(choice.branch)):
        if story.conditions[("branch", before.scene, choice.id, k)](ctx):
            return f"{key}/branch{k + 1}"
    return f"{key}/goto"


def _move(story: Story, state: GameState, choice: Choice, recorder: _Recorder,
          report: PlaytestReport) -> tuple[GameState, Step]:
    after = choose(story, state, choice.id, chance=recorder)
    key = f"{state.scene}.{choice.id}"
    report.taken_choices.add(key)
    if choice.branch:
        report.taken_branches.add(_branch_key(story, state, after, choice, recorder.answers))
    report.reached_scenes.add(after.scene)
    return after, Step(state.scene, choice.id, tuple(recorder.answers))


def _values(state: GameState) -> dict[str, int | bool]:
    return {**state.stats, **state.flags}


# ---- random --------------------------------------------------------------------------------------


def random_playtest(
    story: Story,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    *,
    max_turns: int = DEFAULT_MAX_TURNS,
    start: GameState | None = None,
    progress: Progress | None = None,
) -> PlaytestReport:
    """`runs` random playthroughs; run ``i`` is driven by ``random.Random(seed + i)`` alone."""
    from game.tools.check import scenes_that_can_end

    began = time.perf_counter()
    report = _new_report(story, "random")
    report.runs, report.seed, report.max_turns = runs, seed, max_turns
    can_end = scenes_that_can_end(story)
    for i in range(runs):
        run_seed = seed + i
        rng = random.Random(run_seed)
        state = start if start is not None else new_game(story, seed=run_seed)
        report.reached_scenes.add(state.scene)
        path: list[Step] = []
        decide = lambda percent, rng=rng: rng.randrange(100) < percent  # noqa: E731
        while True:
            scene = story.scenes[state.scene]
            if scene.is_ending:
                _finish(report, state.scene, tuple(path))
                break
            if state.scene not in can_end:
                # No path of choices leads from here to any ending: a loop with no way out. Stop
                # the run now instead of walking the loop until max_turns.
                trap = report.traps.get(state.scene)
                if trap is None:
                    report.traps[state.scene] = Stuck(state.scene, tuple(path), _values(state))
                else:
                    trap.count += 1
                break
            options = available_choices(story, state)
            if not options:
                stuck = report.dead_ends.get(state.scene)
                if stuck is None:
                    report.dead_ends[state.scene] = Stuck(state.scene, tuple(path), _values(state))
                else:
                    stuck.count += 1
                    if len(path) < len(stuck.path):
                        stuck.path, stuck.values = tuple(path), _values(state)
                break
            if len(path) >= max_turns:
                report.unfinished += 1
                break
            choice = rng.choice(options)
            state, step = _move(story, state, choice, _Recorder(default=decide), report)
            path.append(step)
        if progress is not None:
            progress.update(i + 1)
    report.seconds = time.perf_counter() - began
    return report


def _finish(report: PlaytestReport, ending: str, path: tuple[Step, ...]) -> None:
    stat = report.endings[ending]
    stat.count += 1
    if stat.shortest is None or len(path) < len(stat.shortest):
        stat.shortest = path
    game = Playthrough(ending, path)
    if report.shortest is None or game.turns < report.shortest.turns:
        report.shortest = game
    if report.longest is None or game.turns > report.longest.turns:
        report.longest = game


# ---- exhaustive ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """What the key of a state at one scene keeps."""

    stats: tuple[str, ...]
    flags: tuple[str, ...]
    visits: tuple[tuple[str, int | None], ...]
    taken: tuple[str, ...]


class StateKey:
    """Builds the deduplication key of a state: only what its future can read.

    What a state's future depends on is what the choice and branch conditions of the scenes still
    reachable from its scene read (passages only change the prose), plus the `once` choices of those
    scenes. This is computed per scene as a fixed point over the scene graph (``live(s)`` is what
    scene ``s`` reads, plus ``live`` of every scene it leads to), so a flag that only chapter 1
    reads stops splitting states once chapter 1 is behind the player.
    """

    def __init__(self, story: Story) -> None:
        reads: dict[str, set[tuple[str, str]]] = {sid: set() for sid in story.scenes}
        visited: set[str] = set()
        for key, condition in story.conditions.items():
            if key[0] == "passage":
                continue
            items = reads[key[1]]
            items.update(("name", n) for n in condition.names)
            items.update(("visits", s) for s in condition.scenes)
            items.update(("taken", c) for c in condition.choices)
            visited |= condition.scenes
        for scene in story.scenes.values():
            reads[scene.id].update(("taken", f"{scene.id}.{c.id}") for c in scene.choice if c.once)
        live = _live(story, reads)
        self.caps = visit_caps(story, visited)
        self.plans: dict[str, _Plan] = {}
        for sid, items in live.items():
            self.plans[sid] = _Plan(
                stats=tuple(sorted(n for kind, n in items if kind == "name" and n in story.stats)),
                flags=tuple(sorted(n for kind, n in items if kind == "name" and n in story.flags)),
                visits=tuple(sorted((s, self.caps[s]) for kind, s in items if kind == "visits")),
                taken=tuple(sorted(c for kind, c in items if kind == "taken")),
            )

    def __call__(self, state: GameState) -> tuple[Any, ...]:
        plan = self.plans[state.scene]
        stats, flags, visits, taken = state.stats, state.flags, state.visits, state.taken
        return (
            state.scene,
            tuple(stats[n] for n in plan.stats),
            tuple(flags[n] for n in plan.flags),
            tuple(_cap(visits.get(s, 0), cap) for s, cap in plan.visits),
            tuple(taken.get(k, 0) > 0 for k in plan.taken),
        )

    def describe(self, scene: str | None = None) -> dict[str, Any]:
        """What the key keeps at `scene`, or anywhere (the union) when no scene is given."""
        plans = [self.plans[scene]] if scene is not None else list(self.plans.values())
        return {
            "stats": sorted({n for p in plans for n in p.stats}),
            "flags": sorted({n for p in plans for n in p.flags}),
            "visits": dict(sorted({s: cap for p in plans for s, cap in p.visits}.items())),
            "taken": sorted({k for p in plans for k in p.taken}),
        }


def _live(story: Story, reads: dict[str, set[tuple[str, str]]]) -> dict[str, set[tuple[str, str]]]:
    """live(s) = reads(s) plus live(t) for every scene t that s leads to (a fixed point)."""
    preds: dict[str, set[str]] = {sid: set() for sid in story.scenes}
    for scene in story.scenes.values():
        for choice in scene.choice:
            for target in (choice.goto, *(b.goto for b in choice.branch)):
                if target in preds:
                    preds[target].add(scene.id)
    live = {sid: set(items) for sid, items in reads.items()}
    work = deque(story.scenes)
    queued = set(work)
    while work:
        sid = work.popleft()
        queued.discard(sid)
        for prev in preds[sid]:
            if not live[sid] <= live[prev]:
                live[prev] |= live[sid]
                if prev not in queued:
                    queued.add(prev)
                    work.append(prev)
    return live


def _cap(value: int, cap: int | None) -> int:
    return value if cap is None or value < cap else cap


def visit_caps(story: Story, scenes: Iterable[str]) -> dict[str, int | None]:
    """For each scene a condition reads, the visit count past which no condition can tell counts apart.

    ``visited("s")`` only tells 0 from more; ``visits("s") >= 3`` tells 0..3 apart and 3 from 4 and
    more: the cap is one past the largest constant it is compared with. A comparison with anything
    but a constant (another count, a stat) needs the exact count: no cap (None).
    """
    caps: dict[str, int | None] = {s: 1 for s in scenes}
    for condition in story.conditions.values():
        for node in ast.walk(condition.tree):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            for i in range(len(operands) - 1):
                for this, other in ((operands[i], operands[i + 1]), (operands[i + 1], operands[i])):
                    scene = _visits_arg(this)
                    if scene is None or scene not in caps:
                        continue
                    const = _int_const(other)
                    current = caps[scene]
                    if const is None or current is None:
                        caps[scene] = None
                    else:
                        caps[scene] = max(current, const + 1)
    return caps


def _visits_arg(node: ast.expr) -> str | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "visits"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    return None


def _int_const(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _int_const(node.operand)
        return None if inner is None else -inner
    return None


def _outcomes(story: Story, state: GameState, choice: Choice,
              report: PlaytestReport) -> list[tuple[GameState, Step, float]]:
    """Every outcome of taking `choice`, with its probability: one per combination of ``chance()``
    results it can meet."""
    results = []
    pending: list[tuple[bool, ...]] = [()]
    while pending:
        recorder = _Recorder(pending.pop())
        after, step = _move(story, state, choice, recorder, report)
        results.append((after, step, recorder.probability))
        for i in recorder.open_at:
            pending.append((*recorder.answers[:i], False))
    return results


def exhaustive_playtest(
    story: Story,
    max_states: int = DEFAULT_MAX_STATES,
    *,
    start: GameState | None = None,
    progress: Progress | None = None,
) -> PlaytestReport:
    """Walk every reachable state (deduplicated, see :class:`StateKey`), at most `max_states` of them."""
    began = time.perf_counter()
    report = _new_report(story, "exhaustive")
    report.max_states = max_states
    key_of = StateKey(story)
    root = start if start is not None else new_game(story, seed=0)
    root = root.model_copy(update={"journal": ()})
    # Journals are not part of the key; they are cut back now and then so they stay short.
    keep_journal = 32

    index: dict[tuple[Any, ...], int] = {key_of(root): 0}
    parent: list[int] = [-1]
    via: list[Step | None] = [None]
    scene_of: list[str] = [root.scene]
    edges: list[list[tuple[int, Step, float]]] = [[]]  # (target, move, probability of a random player)
    terminal: list[str] = [""]  # "ending", "dead" or ""
    values: dict[int, dict[str, int | bool]] = {}
    queue: deque[tuple[int, GameState]] = deque([(0, root)])
    report.reached_scenes.add(root.scene)

    while queue:
        node, state = queue.popleft()
        scene = story.scenes[state.scene]
        if scene.is_ending:
            terminal[node] = "ending"
            continue
        options = available_choices(story, state)
        if not options:
            terminal[node] = "dead"
            values[node] = _values(state)
            continue
        share = 1.0 / len(options)
        for choice in options:
            for after, step, odds in _outcomes(story, state, choice, report):
                report.transitions += 1
                if len(after.journal) > keep_journal:
                    after = after.model_copy(update={"journal": ()})
                key = key_of(after)
                target = index.get(key)
                if target is None:
                    if len(index) >= max_states:
                        report.truncated = True
                        continue
                    target = len(parent)
                    index[key] = target
                    parent.append(node)
                    via.append(step)
                    scene_of.append(after.scene)
                    edges.append([])
                    terminal.append("")
                    queue.append((target, after))
                edges[node].append((target, step, share * odds))
        if progress is not None:
            progress.update(len(index), f"states, {len(queue):,} queued")

    report.states = len(index)

    def path_to(n: int) -> tuple[Step, ...]:
        steps: list[Step] = []
        while parent[n] != -1:
            steps.append(via[n])  # type: ignore[arg-type]
            n = parent[n]
        return tuple(reversed(steps))

    # BFS order means the first state found at a scene is the nearest: its path is the shortest.
    for n, kind in enumerate(terminal):
        if kind == "ending":
            stat = report.endings[scene_of[n]]
            stat.count += 1
            if stat.shortest is None:
                stat.shortest = path_to(n)
                if report.shortest is None or len(stat.shortest) < report.shortest.turns:
                    report.shortest = Playthrough(scene_of[n], stat.shortest)
        elif kind == "dead":
            stuck = report.dead_ends.get(scene_of[n])
            if stuck is None:
                report.dead_ends[scene_of[n]] = Stuck(scene_of[n], path_to(n), values[n])
            else:
                stuck.count += 1

    if not report.truncated:
        _traps(report, edges, terminal, scene_of, path_to)
        _longest(report, edges, terminal, scene_of)
        _odds(report, edges, terminal, scene_of)
    report.seconds = time.perf_counter() - began
    return report


Edges = list[list[tuple[int, Step, float]]]
ODDS_SWEEPS = 10_000


def _topological(edges: Edges) -> list[int] | None:
    """The states in an order where every move goes forwards; None when there is a loop."""
    indegree = [0] * len(edges)
    for targets in edges:
        for t, _step, _p in targets:
            indegree[t] += 1
    order = [n for n, d in enumerate(indegree) if d == 0]
    for n in order:  # grows while it is read
        for t, _step, _p in edges[n]:
            indegree[t] -= 1
            if indegree[t] == 0:
                order.append(t)
    return order if len(order) == len(edges) else None


def _odds(report: PlaytestReport, edges: Edges, terminal: list[str], scene_of: list[str]) -> None:
    """Playthrough counts (when finite) and the chances of a random player, per ending and dead end."""
    order = _topological(edges)
    mass = [0.0] * len(edges)
    mass[0] = 1.0
    if order is not None:
        paths = [0] * len(edges)
        paths[0] = 1
        for n in order:
            for t, _step, p in edges[n]:
                paths[t] += paths[n]
                mass[t] += mass[n] * p
        report.playthroughs = sum(paths[n] for n, kind in enumerate(terminal) if kind == "ending")
        for ending in report.endings.values():
            ending.playthroughs = 0
        for n, kind in enumerate(terminal):
            if kind == "ending":
                report.endings[scene_of[n]].playthroughs += paths[n]  # type: ignore[operator]
        final = mass
    else:
        # A loop: push the probability along the moves until (almost) all of it has come to rest.
        final = [0.0] * len(edges)
        moving = {0: 1.0}
        for _sweep in range(ODDS_SWEEPS):
            nxt: dict[int, float] = {}
            for n, m in moving.items():
                if terminal[n] or not edges[n]:
                    final[n] += m
                    continue
                for t, _step, p in edges[n]:
                    nxt[t] = nxt.get(t, 0.0) + m * p
            moving = {n: m for n, m in nxt.items() if m > 1e-12}
            if not moving:
                break
    for ending in report.endings.values():
        ending.probability = 0.0
    for n, kind in enumerate(terminal):
        if kind == "ending":
            report.endings[scene_of[n]].probability += final[n]  # type: ignore[operator]
        elif kind == "dead":
            stuck = report.dead_ends[scene_of[n]]
            stuck.probability = (stuck.probability or 0.0) + final[n]


def _reverse_reach(edges: Edges, seeds: Iterable[int]) -> list[bool]:
    """Which states can reach one of `seeds` (the seeds included)."""
    incoming: list[list[int]] = [[] for _ in edges]
    for n, targets in enumerate(edges):
        for t, _step, _p in targets:
            incoming[t].append(n)
    ok = [False] * len(edges)
    queue = deque(seeds)
    for n in queue:
        ok[n] = True
    while queue:
        for prev in incoming[queue.popleft()]:
            if not ok[prev]:
                ok[prev] = True
                queue.append(prev)
    return ok


def _traps(report: PlaytestReport, edges: Edges, terminal: list[str], scene_of: list[str],
           path_to: Callable[[int], tuple[Step, ...]]) -> None:
    """States from which no terminal state (ending or dead end) can be reached."""
    can_finish = _reverse_reach(edges, (n for n, kind in enumerate(terminal) if kind))
    for n, ok in enumerate(can_finish):  # node numbers follow BFS order: the first is the nearest
        if ok:
            continue
        stuck = report.traps.get(scene_of[n])
        if stuck is None:
            report.traps[scene_of[n]] = Stuck(scene_of[n], path_to(n), {})
        else:
            stuck.count += 1


def _longest(report: PlaytestReport, edges: Edges, terminal: list[str],
             scene_of: list[str]) -> None:
    """The longest playthrough to an ending, or a loop that makes play unbounded.

    Only states that can still reach an ending count: a loop with no way out is a trap, reported
    apart. Among the others, a cycle means a player can go round it as often as they like.
    """
    live = _reverse_reach(edges, (n for n, kind in enumerate(terminal) if kind == "ending"))
    if not live or not live[0]:
        return
    n_nodes = len(edges)
    colour = [0] * n_nodes  # 0 new, 1 on the DFS stack, 2 done
    best = [-1] * n_nodes  # the most moves from here to an ending; -1: none
    nxt: list[tuple[int, Step] | None] = [None] * n_nodes
    stack: list[tuple[int, int]] = [(0, 0)]
    trail: list[int] = [0]
    colour[0] = 1
    while stack:
        node, i = stack[-1]
        if i < len(edges[node]):
            stack[-1] = (node, i + 1)
            child = edges[node][i][0]
            if not live[child]:
                continue
            if colour[child] == 1:
                loop = trail[trail.index(child):]
                report.unbounded_loop = tuple(scene_of[m] for m in loop) + (scene_of[child],)
                return
            if colour[child] == 0:
                colour[child] = 1
                stack.append((child, 0))
                trail.append(child)
            continue
        stack.pop()
        trail.pop()
        colour[node] = 2
        if terminal[node] == "ending":
            best[node] = 0
        for child, step, _p in edges[node]:
            if live[child] and best[child] >= 0 and best[child] + 1 > best[node]:
                best[node] = best[child] + 1
                nxt[node] = (child, step)
    path: list[Step] = []
    node = 0
    while nxt[node] is not None:
        child, step = nxt[node]  # type: ignore[misc]
        path.append(step)
        node = child
    report.longest = Playthrough(scene_of[node], tuple(path))


# ---- command line --------------------------------------------------------------------------------


def main(folder: str | None, *, runs: int = DEFAULT_RUNS, seed: int = 0, exhaustive: bool = False,
         max_states: int = DEFAULT_MAX_STATES, fmt: str = "text") -> int:
    from game.session import open_story

    story = open_story(folder)
    if story is None:
        return 1
    if exhaustive:
        bar = Progress(max_states, "states")
        report = exhaustive_playtest(story, max_states, progress=bar)
    else:
        bar = Progress(runs, "runs")
        report = random_playtest(story, runs, seed, progress=bar)
    bar.close()
    from game.text import terminal_text

    print(report.json() if fmt == "json" else terminal_text(report.text()))
    return 1 if report.failed else 0


__all__ = [
    "PlaytestReport",
    "Playthrough",
    "Progress",
    "StateKey",
    "Step",
    "Stuck",
    "exhaustive_playtest",
    "format_path",
    "main",
    "random_playtest",
    "visit_caps",
]
