"""The abstract walk of `thaw playtest --prove`: every scene's reachable states, over-approximated,
with concrete plays (witnesses) carried along.

Scenes are visited in the order of the scene graph (loops are iterated until nothing changes). At
each scene the states that arrive are projected onto what can still be read from there on (its
*live* variables: what its own conditions and passages read, and those of every scene after it),
then merged: one abstract state per combination of live flag values, its numbers the hull of the
intervals that arrive with it. Beside each abstract state a few concrete game states that lie in
it are kept, with the choices that reach them: the play with the lowest and the highest value of
each live stat, so that a condition on a stat that holds somewhere in the interval is often seen
to hold on a real play.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from game.story.engine import available_choices, choose
from game.story.model import Choice
from game.story.state import GameState
from game.story.story import Story
from game.tools.playtest.abstract import (
    INFINITY,
    UNKNOWN,
    AState,
    Space,
    assume,
    compile_tree,
    hull,
)
from game.tools.playtest.moves import _branch_key, _Recorder
from game.tools.playtest.report import Step
from game.tools.playtest.scene_order import leads_to, ranks

#: a path as a linked list that shares its prefixes: (step, rest) or None
Path = tuple[Step, Any] | None
#: widening: past this many flag combinations at one scene, the least useful flags are forgotten
#: (256 keeps the 200-scene, 150-flag campaign benchmark near 15 s with the same verdicts as 4096)
MAX_KEYS = 256


def path_steps(path: Path) -> tuple[Step, ...]:
    steps = []
    while path is not None:
        steps.append(path[0])
        path = path[1]
    return tuple(reversed(steps))


@dataclass
class Witness:
    state: GameState  # journal cut: the path says how it got here
    path: Path
    point: AState | None = None  # the state as an abstract state of its own (every bit known), unprojected


@dataclass
class Entry:
    """One abstract state at a scene and the concrete plays kept inside it."""

    state: AState
    witnesses: list[Witness] = field(default_factory=list)
    marks: list[tuple[Any, ...]] = field(default_factory=list)  # the witnesses' concrete values
    seen: set[tuple[Any, ...]] = field(default_factory=set)


@dataclass
class Compiled:
    """A scene's conditions as abstract trees, compiled once."""

    guards: dict[str, tuple | None]
    branches: dict[str, list[tuple]]
    passages: list[tuple]


class Walk:
    """Run with :meth:`run`; read ``tables[scene]`` (key -> Entry) and ``outcomes`` afterwards."""

    def __init__(self, story: Story, scope: set[str], targets: set[str], start: GameState,
                 only: tuple[frozenset[int], frozenset[int]] | None = None) -> None:
        self.story = story
        self.space = Space(story)
        #: a slice: keep only these (bits, numbers) at every scene, carry no plays (see settle.py);
        #: every combination of its few flags may stay apart
        self.only = only
        self.max_keys = MAX_KEYS if only is None else max(MAX_KEYS, 1 << len(only[0]))
        self.scope = scope  # the scenes walked
        self.targets = targets  # the scenes whose passages are targets too
        self.start = start
        self.compiled = {sid: self._compile(sid) for sid in scope}
        if only is None:
            self.live_bits, self.live_nums = self._liveness()
        else:
            self.live_bits = dict.fromkeys(scope, only[0])
            self.live_nums = dict.fromkeys(scope, only[1])
        self._masks()
        self.own_reads = {sid: (frozenset(n for n in nums), frozenset(bits))
                          for sid, (bits, nums) in ((s, self._reads(s)) for s in scope)}
        self.tables: dict[str, dict[tuple[int, ...], Entry]] = {sid: {} for sid in scope}
        #: abstract outcomes seen: "scene.choice/branchK" or "/goto" -> first witness path (None: abstract only)
        self.outcomes: dict[str, Path | None] = {}
        self.widened: dict[str, list[str]] = {}

        self.rank = ranks(story, scope)
        by_rank: dict[int, list[str]] = {}
        for sid, rank in self.rank.items():
            by_rank.setdefault(rank, []).append(sid)
        #: scenes on a loop (they can be reached again after they are walked)
        self.looping = {s for part in by_rank.values() if len(part) > 1 for s in part}
        self.looping |= {s for s in scope if s in set(leads_to(story, s))}
        self.moves = 0

    # -- set-up --
    def _compile(self, sid: str) -> Compiled:
        story, space = self.story, self.space
        scene = story.scenes[sid]
        guards: dict[str, tuple | None] = {}
        branches: dict[str, list[tuple]] = {}
        for choice in scene.choice:
            cond = story.conditions.get(("choice", sid, choice.id)) if choice.if_ is not None else None
            guards[choice.id] = compile_tree(space, cond.tree) if cond is not None else None
            branches[choice.id] = [compile_tree(space, story.conditions[("branch", sid, choice.id, k)].tree)
                                   for k in range(len(choice.branch))]
        passages = [compile_tree(space, story.conditions[("passage", sid, k)].tree) for k in range(len(scene.passage))]
        return Compiled(guards, branches, passages)

    def _reads(self, sid: str) -> tuple[set[int], set[int]]:
        story, space = self.story, self.space
        bits: set[int] = set()
        nums: set[int] = set()
        keys = [("choice", sid, c.id) for c in story.scenes[sid].choice]
        keys += [("branch", sid, c.id, k) for c in story.scenes[sid].choice for k in range(len(c.branch))]
        if sid in self.targets:
            keys += [("passage", sid, k) for k in range(len(story.scenes[sid].passage))]
        for key in keys:
            condition = story.conditions.get(key)
            if condition is None:
                continue
            for name in condition.names:
                (nums if name in space.num else bits).add(space.num.get(name, space.bit.get(name)))
            nums |= {space.num[f"visits:{s}"] for s in condition.scenes}
            bits |= {space.bit[f"chose:{k}"] for k in condition.choices}
        for choice in story.scenes[sid].choice:
            if choice.once:
                bits.add(space.bit[f"chose:{sid}.{choice.id}"])
        return bits, nums

    def _liveness(self) -> tuple[dict[str, frozenset[int]], dict[str, frozenset[int]]]:
        reads = {sid: self._reads(sid) for sid in self.scope}
        live = {sid: (set(b), set(n)) for sid, (b, n) in reads.items()}
        preds: dict[str, set[str]] = {sid: set() for sid in self.scope}
        for sid in self.scope:
            for target in leads_to(self.story, sid):
                if target in preds:
                    preds[target].add(sid)
        work = list(self.scope)
        while work:
            sid = work.pop()
            bits, nums = live[sid]
            for prev in preds[sid]:
                pb, pn = live[prev]
                if not (bits <= pb and nums <= pn):
                    pb |= bits
                    pn |= nums
                    work.append(prev)
        return ({sid: frozenset(b) for sid, (b, _n) in live.items()}, {sid: frozenset(n) for sid, (_b, n) in live.items()})

    def _masks(self) -> None:
        ranges = self.space.ranges
        self.live_mask = {sid: sum(1 << i for i in bits) for sid, bits in self.live_bits.items()}
        self.dead_nums = {sid: [(i, ranges[i]) for i in range(len(ranges)) if i not in nums]
                          for sid, nums in self.live_nums.items()}

    def project(self, state: AState, sid: str) -> AState:
        mask = self.live_mask[sid]
        nums = list(state.nums)
        for i, full in self.dead_nums[sid]:
            nums[i] = full
        return AState(state.known & mask, state.value & mask, tuple(nums))

    # -- the walk --
    def run(self, done: Callable[[str, list[Entry]], None] | None = None) -> None:
        """Walk every scene; `done(scene, entries)` is called once nothing more can reach a scene,
        after which its table is released (so memory follows the frontier, not the whole story)."""
        start = self.start
        point = self.space.of(start)
        self._add(start.scene, self.project(point, start.scene),
                  Witness(_bare(start), None, point) if self.only is None else None)
        queue = [(self.rank[start.scene], start.scene)]
        queued = {start.scene}
        finished: set[str] = set()
        while queue:
            rank, sid = heapq.heappop(queue)
            queued.discard(sid)
            for target in self._step(sid):
                if target not in queued:
                    queued.add(target)
                    heapq.heappush(queue, (self.rank[target], target))
            if done is not None and sid not in self.looping:
                finished.add(sid)
                done(sid, list(self.tables[sid].values()))
                self.tables[sid] = {}
        if done is not None:
            for sid in self.scope:
                if sid not in finished:
                    done(sid, list(self.tables[sid].values()))

    def _step(self, sid: str) -> set[str]:
        """Push every abstract state and witness at `sid` through every choice; the scenes that changed."""
        story = self.story
        scene = story.scenes[sid]
        changed: set[str] = set()
        if scene.is_ending:
            return changed
        entries = list(self.tables[sid].values())
        for entry in entries:
            for choice in scene.choice:
                for target, after, label in self.transfer(sid, choice, entry.state):
                    self.outcomes.setdefault(label, None)
                    if target in self.scope and self._add(target, after, None):
                        changed.add(target)
        for entry in entries:
            for witness in list(entry.witnesses):
                for choice in available_choices(story, witness.state):
                    applied = self._effects(choice, witness.point)
                    for after, step, label in _concrete_outcomes(story, witness.state, choice):
                        self.moves += 1
                        path = (step, witness.path)
                        if self.outcomes.get(label) is None:
                            self.outcomes[label] = path
                        if after.scene in self.scope:
                            point = self._taken_and_visited(applied, f"{sid}.{choice.id}", after.scene)
                            if self._add(after.scene, self.project(point, after.scene), Witness(after, path, point)):
                                changed.add(after.scene)
        return changed

    def transfer(self, sid: str, choice: Choice, state: AState) -> list[tuple[str, AState, str]]:
        """Every abstract outcome of taking `choice` from `state`: (scene, state there, outcome label)."""
        space, compiled = self.space, self.compiled[sid]
        key = f"{sid}.{choice.id}"
        open_ = [state]
        if choice.once:
            open_ = assume(("bit", space.bit[f"chose:{key}"]), False, state)
        guard = compiled.guards[choice.id]
        if guard is not None:
            open_ = [s for st in open_ for s in assume(guard, True, st)]
        out = []
        for st in open_:
            rest = [self._effects(choice, st)]
            for k, tree in enumerate(compiled.branches[choice.id]):
                for hit in (s for r in rest for s in assume(tree, True, r)):
                    goto = choice.branch[k].goto
                    out.append((goto, self._arrive(hit, key, goto), f"{key}/branch{k + 1}"))
                rest = [s for r in rest for s in assume(tree, False, r)]
            for r in rest:
                out.append((choice.goto, self._arrive(r, key, choice.goto), f"{key}/goto"))
        return out

    def _effects(self, choice: Choice, state: AState) -> AState:
        space, stats = self.space, self.story.stats
        nums = list(state.nums)
        for name, value in choice.set_.items():
            if name in space.num:
                nums[space.num[name]] = (int(value), int(value))
            else:
                state = state.with_bit(space.bit[name], int(bool(value)))
        for name, delta in choice.add.items():
            i, stat = space.num[name], stats[name]
            lo, hi = nums[i]
            nums[i] = (max(stat.min, min(stat.max, lo + delta)), max(stat.min, min(stat.max, hi + delta)))
        return AState(state.known, state.value, tuple(nums))

    def _arrive(self, state: AState, key: str, goto: str) -> AState:
        after = self._taken_and_visited(state, key, goto)
        return self.project(after, goto) if goto in self.scope else after

    def _taken_and_visited(self, state: AState, key: str, goto: str) -> AState:
        """After the effects: the choice marked taken, the visit to `goto` counted (capped)."""
        space = self.space
        taken = space.bit.get(f"chose:{key}")
        if taken is not None:
            state = state.with_bit(taken, 1)
        nums = state.nums
        visits = space.num.get(f"visits:{goto}")
        if visits is not None:
            lo, hi = nums[visits]
            count = space.capped(f"visits:{goto}", lo + 1, hi + 1 if hi < INFINITY else INFINITY)
            nums = (*nums[:visits], count, *nums[visits + 1:])
        return AState(state.known, state.value, nums)

    def _add(self, sid: str, state: AState, witness: Witness | None) -> bool:
        """Merge `state` (and its witness) into the scene's table; True when anything changed."""
        table = self.tables[sid]
        entry = table.get(state.key)
        changed = False
        if entry is None:
            entry = table[state.key] = Entry(state)
            changed = True
            if len(table) > self.max_keys:
                self._widen(sid)
                entry = self.tables[sid][self.project(state, sid).key]
        else:
            merged = hull(entry.state, state)
            if merged != entry.state:
                entry.state = merged
                changed = True
        if witness is not None and self._keep(sid, entry, witness):
            changed = True
        return changed

    def _keep(self, sid: str, entry: Entry, witness: Witness) -> bool:
        """Keep the first play of each abstract state, and the plays that reach a new lowest or highest
        value of a stat, or a new value of a merged flag, that this scene's own conditions read."""
        concrete = witness.point if witness.point is not None else self.space.of(witness.state)
        mark = (concrete.value, concrete.nums)
        if mark in entry.seen:
            return False
        if entry.witnesses:
            nums, bits = self.own_reads[sid]
            others = entry.marks
            useful = any(
                concrete.nums[i][0] < min(o[1][i][0] for o in others) or concrete.nums[i][0] > max(o[1][i][0] for o in others)
                for i in nums
            ) or any(entry.state.bit(i) == UNKNOWN and all((o[0] >> i) & 1 != concrete.bit(i) for o in others) for i in bits)
            if not useful:
                return False
        entry.seen.add(mark)
        entry.marks.append(mark)
        witness.state = _bare(witness.state)
        entry.witnesses.append(witness)
        return True

    # -- widening --
    def _widen(self, sid: str) -> None:
        """Too many flag combinations at `sid`: forget the live flag that splits the most of them."""
        table = self.tables[sid]
        own = self._reads(sid)[0]
        candidates = [i for i in self.live_bits[sid] if i not in own] or list(self.live_bits[sid])
        # Rank the flags once by how many combinations remain without each, then forget them in that
        # order until the table is small enough (re-ranking after every flag costs more than it saves).
        counts = {i: len({(e.state.known & ~(1 << i), e.state.value & ~(1 << i)) for e in table.values()})
                  for i in candidates}
        candidates.sort(key=lambda i: (counts[i], i), reverse=True)  # ties by index: the same run every time
        while len(table) > self.max_keys // 2 and candidates:
            best = candidates.pop()
            self.widened.setdefault(sid, []).append(self.space.bit_names[best])
            merged: dict[tuple[int, ...], Entry] = {}
            for entry in table.values():
                drop = ~(1 << best)
                state = AState(entry.state.known & drop, entry.state.value & drop, entry.state.nums)
                into = merged.get(state.key)
                if into is None:
                    merged[state.key] = Entry(state, list(entry.witnesses), list(entry.marks), set(entry.seen))
                else:
                    into.state = hull(into.state, state)
                    into.witnesses += entry.witnesses
                    into.marks += entry.marks
                    into.seen |= entry.seen
            table.clear()
            table.update(merged)
        live = set(self.live_bits[sid]) - {self.space.bit[n] for n in self.widened.get(sid, ())}
        self.live_bits[sid] = frozenset(live)
        self.live_mask[sid] = sum(1 << i for i in live)


def _bare(state: GameState) -> GameState:
    """The state with its journal cut (the path records the moves), once the journal grows long."""
    if len(state.journal) < 16:
        return state
    return GameState.model_construct(**{**state.__dict__, "journal": ()})


def _concrete_outcomes(story: Story, state: GameState, choice: Choice) -> list[tuple[GameState, Step, str]]:
    """Every outcome of taking `choice` (one per combination of chance results), with its label."""
    results = []
    pending: list[tuple[bool, ...]] = [()]
    while pending:
        recorder = _Recorder(pending.pop())
        after = choose(story, state, choice.id, chance=recorder)
        label = _branch_key(story, state, after, choice, recorder.answers) if choice.branch else f"{state.scene}.{choice.id}/goto"
        results.append((after, Step(state.scene, choice.id, tuple(recorder.answers)), label))
        for i in recorder.open_at:
            pending.append((*recorder.answers[:i], False))
    return results
