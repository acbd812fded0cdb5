"""Witness search: a concrete play that reaches one target the abstract walk could not decide.

A best-first search through the engine, from the start towards one scene, keeping only what can
still matter for the target: the scenes that can lead to it, and of each state only what the
conditions on the way and the target itself read (the same idea as the exhaustive walk's key, cut
down to this one target's cone). States closest to satisfying the target's condition (the flags
it needs set, the stats it needs moved), then closest to its scene, go first: a play that has the
flag is steered to the scene, rather than every play rushed to the scene without it. When the search runs out of states without finding one, every
distinct state that matters has been tried: the target is unreachable, and that is its proof.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from game.story.engine import available_choices
from game.story.state import GameState
from game.story.story import Story
from game.tools.playtest.abstract import Space
from game.tools.playtest.exhaustive import visit_caps
from game.tools.playtest.report import Step
from game.tools.playtest.scene_order import leads_to
from game.tools.playtest.walk import Path, _bare, _concrete_outcomes, path_steps


@dataclass
class Found:
    state: GameState
    path: tuple[Step, ...]
    states: int


@dataclass
class Exhausted:
    states: int


@dataclass
class GaveUp:
    states: int


def _distances(story: Story, goal: str) -> dict[str, int]:
    """Scene-graph distance from each scene that can reach `goal` to it."""
    preds: dict[str, set[str]] = {sid: set() for sid in story.scenes}
    for sid in story.scenes:
        for target in leads_to(story, sid):
            if target in preds:
                preds[target].add(sid)
    dist = {goal: 0}
    frontier = [goal]
    while frontier:
        nxt = []
        for sid in frontier:
            for prev in preds[sid]:
                if prev not in dist:
                    dist[prev] = dist[sid] + 1
                    nxt.append(prev)
        frontier = nxt
    return dist


class Cone:
    """The key of a state for one goal: its scene and what can still be read on the way to the goal."""

    def __init__(self, story: Story, goal: str, extra: tuple[set[str], set[str], set[str]]) -> None:
        self.dist = _distances(story, goal)
        reads: dict[str, set[tuple[str, str]]] = {sid: set() for sid in self.dist}
        for key, condition in story.conditions.items():
            if key[0] == "passage" or key[1] not in reads:
                continue
            items = reads[key[1]]
            items |= {("name", n) for n in condition.names} | {("visits", s) for s in condition.scenes}
            items |= {("taken", c) for c in condition.choices}
        for sid in reads:
            scene = story.scenes[sid]
            reads[sid] |= {("taken", f"{sid}.{c.id}") for c in scene.choice if c.once}
        names, scenes, choices = extra
        reads[goal] |= {("name", n) for n in names} | {("visits", s) for s in scenes} | {("taken", c) for c in choices}
        live = {sid: set(items) for sid, items in reads.items()}
        changed = True
        while changed:  # live(s) = reads(s) + live of every scene after it on the way to the goal
            changed = False
            for sid in live:
                for target in leads_to(story, sid):
                    if target in live and not live[target] <= live[sid]:
                        live[sid] |= live[target]
                        changed = True
        caps = visit_caps(story, {s for items in live.values() for kind, s in items if kind == "visits"})
        self.plans = {
            sid: (
                tuple(sorted(n for k, n in items if k == "name" and n in story.stats)),
                tuple(sorted(n for k, n in items if k == "name" and n in story.flags)),
                tuple(sorted((s, caps[s]) for k, s in items if k == "visits")),
                tuple(sorted(c for k, c in items if k == "taken")),
            )
            for sid, items in live.items()
        }

    def key(self, state: GameState) -> tuple:
        stats, flags, visits, taken = self.plans[state.scene]
        return (
            state.scene,
            tuple(state.stats[n] for n in stats),
            tuple(state.flags[n] for n in flags),
            tuple(min(state.visits.get(s, 0), cap) if cap is not None else state.visits.get(s, 0) for s, cap in visits),
            tuple(state.taken.get(c, 0) > 0 for c in taken),
        )


def find(story: Story, start: GameState, goal: str, test: Callable[[GameState], bool],
         reads: tuple[set[str], set[str], set[str]], closeness: Callable[[GameState], int],
         budget: int) -> Found | Exhausted | GaveUp:
    """A play from `start` to a state at `goal` for which `test` holds.

    `reads` are the names, visited scenes and chosen choices `test` reads; `closeness` scores how
    far a state is from satisfying it (0 = there); `budget` caps the distinct states tried.
    """
    cone = Cone(story, goal, reads)
    if start.scene not in cone.dist:
        return Exhausted(0)
    tie = itertools.count()
    seen = {cone.key(start)}
    queue: list[tuple[int, int, int, GameState, Path]] = [(closeness(start), cone.dist[start.scene], next(tie), start, None)]
    while queue:
        _d, _c, _t, state, path = heapq.heappop(queue)
        if state.scene == goal and test(state):
            return Found(state, path_steps(path), len(seen))
        if story.scenes[state.scene].is_ending:
            continue
        for choice in available_choices(story, state):
            for after, step, _label in _concrete_outcomes(story, state, choice):
                if after.scene not in cone.dist:
                    continue
                key = cone.key(after)
                if key in seen:
                    continue
                if len(seen) >= budget:
                    return GaveUp(len(seen))
                seen.add(key)
                heapq.heappush(queue, (closeness(after), cone.dist[after.scene], next(tie), _bare(after), (step, path)))
    return Exhausted(len(seen))


def closeness_of(space: Space, tree: tuple) -> Callable[[GameState], int]:
    """How far a state is from satisfying a compiled condition: a sum of steps on stats and flags."""

    def dist(node: tuple, truth: bool, st) -> int:
        kind = node[0]
        if kind == "const":
            return 0 if node[1] == truth else 1
        if kind == "bit":
            return 0 if st.bit(node[1]) == int(truth) else 1
        if kind == "not":
            return dist(node[1], not truth, st)
        if kind == "chance":
            return 0
        if kind in ("and", "or"):
            parts = [dist(p, truth, st) for p in node[1]]
            return sum(parts) if (kind == "and") == truth else min(parts)
        if kind == "beq":
            return 0
        op, left, right = node[1], node[2], node[3]
        if left[0] != "num" or right[0] != "lit" or not isinstance(right[1], int):
            return 0
        value, limit = st.nums[left[1]][0], right[1]
        if not truth:
            op = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}[op]
        need = {"<": limit - 1, "<=": limit, ">": limit + 1, ">=": limit}.get(op)
        if need is None:
            return 0 if (value == limit) == (op == "==") else 1
        return max(0, value - need) if op in ("<", "<=") else max(0, need - value)

    return lambda state: dist(tree, True, space.of(state))
