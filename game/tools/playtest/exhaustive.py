"""The exhaustive walk: every reachable state, deduplicated by what its future can read."""

from __future__ import annotations

import ast
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from game.story.engine import available_choices, new_game
from game.story.model import Choice
from game.story.state import GameState
from game.story.story import Story
from game.tools.playtest.moves import _move, _new_report, _Recorder, _values
from game.tools.playtest.progress import Progress
from game.tools.playtest.report import PlaytestReport, Playthrough, Step, Stuck
from game.tools.playtest.state_graph import _longest, _odds, _traps

DEFAULT_MAX_STATES = 200_000


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
