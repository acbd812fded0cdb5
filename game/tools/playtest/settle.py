"""Settling the targets the abstract walk of `thaw playtest --prove` left open, cheapest first.

1. **A slice.** The abstract walk again, keeping only what the target's own condition reads (and,
   for a choice or a branch outcome, what its choice's conditions read) and carrying no plays: with
   so few values no flag has to be forgotten, so it is exact where the full walk had to widen. A
   target the slice never meets is unreachable, and the slice's states are the proof. When the
   slice does meet it, it is tried again keeping also what the choices into the target's scene
   read, then one step further back (a few rounds, a dozen flags at most). A slice costs
   hundredths of a second; a scene it rules out takes everything in it along.
2. **Random plays.** Seeded random playthroughs from the proof's start, each target checked at
   its scene as they pass: a play that meets it is its witness. Most open targets are reachable
   but need a combination of values the merged states blur; a few thousand plays cost seconds and
   find them where a directed search through a 100-scene story can spend minutes.
3. **The witness search** (:mod:`.search`) for what is left: a play found, every state that
   matters tried (unreachable), or the budget spent (unknown, with the reason).
"""

from __future__ import annotations

import random

from game.story.engine import available_choices
from game.story.state import GameState
from game.story.story import Story
from game.tools.playtest.abstract import Space
from game.tools.playtest.proof import holds_somewhere, tree_vars, why_never
from game.tools.playtest.report import Step
from game.tools.playtest.scene_order import leading_to
from game.tools.playtest.search import Exhausted, Found, closeness_of, find
from game.tools.playtest.verdicts import DeadEnd, Pending
from game.tools.playtest.walk import Entry, Walk, _concrete_outcomes, path_steps

#: random plays tried for the open targets (fewer when every target is met sooner)
RANDOM_PLAYS = 3000
MAX_TURNS = 1000


#: slices tried per target, each keeping also what the choices one step further back read
SLICE_ROUNDS = 3
#: a slice keeps at most this many flags (past it the walk would have to forget flags again)
SLICE_BITS = 12


def settle(story: Story, start: GameState, walk: Walk, pending: list[Pending], budget: int) -> int:
    """Give every pending target its verdict; the number of states the witness search tried."""
    # a scene first: when it is never reached, neither is anything in it
    pending = sorted(pending, key=lambda p: isinstance(p.verdict, DeadEnd) or p.verdict.kind not in ("scene", "ending"))
    unreached: dict[str, str] = {}
    left: list[Pending] = []
    for p in pending:
        if p.goal in unreached:
            _never_there(p, unreached[p.goal])
        elif by_slice(story, start, walk, p):
            if not isinstance(p.verdict, DeadEnd) and p.verdict.kind in ("scene", "ending"):
                unreached[p.goal] = p.verdict.why
        else:
            left.append(p)
    left = by_random_plays(story, start, left)
    return sum(by_search(story, start, walk.space, p, budget) for p in left)


def _never_there(pending: Pending, why: str) -> None:
    target = pending.verdict
    target.status = "none" if isinstance(target, DeadEnd) else "unreachable"
    target.why = f"its scene is never reached: {why}"


def _reached(pending: Pending, state: GameState, path: tuple[Step, ...], extra: Step | bool | None) -> None:
    path = path + ((extra,) if isinstance(extra, Step) else ())
    target = pending.verdict
    if isinstance(target, DeadEnd):
        target.status, target.path, target.values = "found", path, {**state.stats, **state.flags}
    else:
        target.status, target.path = "reached", path


def by_random_plays(story: Story, start: GameState, pending: list[Pending], plays: int = RANDOM_PLAYS,
                    seed: int = 0) -> list[Pending]:
    """Settle what random plays meet; the targets still open."""
    waiting: dict[str, list[Pending]] = {}
    for p in pending:
        waiting.setdefault(p.goal, []).append(p)
    for i in range(plays):
        if not waiting:
            break
        rng = random.Random(seed + i)
        state, path, turns = start, None, 0
        while True:
            here = waiting.get(state.scene)
            if here:
                for p in list(here):
                    got = p.test(state)
                    if got:
                        _reached(p, state, path_steps(path), got)
                        here.remove(p)
                if not here:
                    del waiting[state.scene]
            options = [] if story.scenes[state.scene].is_ending or turns >= MAX_TURNS else available_choices(story, state)
            if not options:
                break
            state, step, _label = rng.choice(_concrete_outcomes(story, state, rng.choice(options)))
            path, turns = (step, path), turns + 1
    return [p for group in waiting.values() for p in group]


def _slice_vars(walk: Walk, pending: Pending) -> tuple[set[int], set[int]]:
    """What the slice keeps: the target's condition, and for a choice or a branch outcome every
    condition of its choice (the guard, once, the branches before it)."""
    trees = [pending.tree]
    target = pending.verdict
    if not isinstance(target, DeadEnd) and target.kind in ("choice", "branch"):
        choice_id = target.id.split("/", 1)[0].split(".", 1)[1]
        compiled = walk.compiled[target.scene]
        trees += [t for t in (compiled.guards[choice_id], *compiled.branches[choice_id]) if t is not None]
        choice = next(c for c in walk.story.scenes[target.scene].choice if c.id == choice_id)
        if choice.once:
            trees.append(("bit", walk.space.bit[f"chose:{target.scene}.{choice_id}"]))
    bits: set[int] = set()
    nums: set[int] = set()
    for tree in trees:
        b, n = tree_vars(tree)
        bits |= b
        nums |= n
    return bits, nums


def by_slice(story: Story, start: GameState, walk: Walk, pending: Pending) -> bool:
    """True when the slice proves the target unreachable (its verdict is then set)."""
    scope = leading_to(story, [pending.goal], walk.scope)
    if start.scene not in scope:
        return False  # the full walk met the goal's scene, so the start leads to it: cannot happen
    bits, nums = _slice_vars(walk, pending)
    frontier = {pending.goal}
    for _round in range(SLICE_ROUNDS):
        if _refuted(story, start, walk, pending, scope, (frozenset(bits), frozenset(nums))):
            return True
        more_bits, more_nums, frontier = _one_step_back(walk, frontier, scope)
        if (more_bits <= bits and more_nums <= nums) or len(bits | more_bits) > SLICE_BITS:
            return False
        bits, nums = bits | more_bits, nums | more_nums
    return False


def _refuted(story: Story, start: GameState, walk: Walk, pending: Pending, scope: set[str],
             only: tuple[frozenset[int], frozenset[int]]) -> bool:
    target = pending.verdict
    cut = Walk(story, scope, {pending.goal}, start, only=only)
    at_goal: list[Entry] = []
    cut.run(lambda sid, entries: at_goal.extend(entries) if sid == pending.goal else None)
    states = [e.state for e in at_goal]
    kept = ", ".join(_names(walk.space, only)) or "nothing"
    if isinstance(target, DeadEnd) or target.kind in ("passage", "scene", "ending"):
        if states and holds_somewhere(pending.tree, states):
            return False
        target.status = "none" if isinstance(target, DeadEnd) else "unreachable"
        if target.kind in ("scene", "ending") and not isinstance(target, DeadEnd):
            target.why = f"no path reaches it (an abstract walk that keeps only {kept})"
        else:
            target.why = why_never(walk.space, pending.tree, pending.source or "it", states, pending.goal)
            target.why += f" (an abstract walk that keeps only {kept})"
        return True
    labels = [target.id] if target.kind == "branch" else [
        label for label in cut.outcomes if label.split("/", 1)[0] == target.id]
    if any(label in cut.outcomes for label in labels):
        return False
    target.status = "unreachable"
    target.why = (f"an abstract walk that keeps only what the conditions on the way read ({kept}) never takes it "
                  f"on any path to {pending.goal}")
    return True


def _one_step_back(walk: Walk, frontier: set[str], scope: set[str]) -> tuple[set[int], set[int], set[str]]:
    """What the choices into `frontier` read (their conditions and their branches'), and the
    scenes those choices are in."""
    bits: set[int] = set()
    nums: set[int] = set()
    came_from: set[str] = set()
    for sid in scope:
        compiled = walk.compiled[sid]
        for choice in walk.story.scenes[sid].choice:
            if choice.goto not in frontier and all(b.goto not in frontier for b in choice.branch):
                continue
            came_from.add(sid)
            for tree in (compiled.guards[choice.id], *compiled.branches[choice.id]):
                if tree is not None:
                    b, n = tree_vars(tree)
                    bits |= b
                    nums |= n
            if choice.once:
                bits.add(walk.space.bit[f"chose:{sid}.{choice.id}"])
    return bits, nums, came_from


def _names(space: Space, only: tuple[frozenset[int], frozenset[int]]) -> list[str]:
    names = [space.bit_names[i] for i in sorted(only[0])] + [space.num_names[i] for i in sorted(only[1])]
    return [f'chose("{n[6:]}")' if n.startswith("chose:") else f'visits("{n[7:]}")' if n.startswith("visits:") else n
            for n in names]


def by_search(story: Story, start: GameState, space: Space, pending: Pending, budget: int) -> int:
    """Settle one pending target with the witness search; the number of states it tried."""
    bits, nums = tree_vars(pending.tree)
    names = {space.bit_names[i] for i in bits if not space.bit_names[i].startswith("chose:")}
    names |= {space.num_names[i] for i in nums if not space.num_names[i].startswith("visits:")}
    scenes = {space.num_names[i][7:] for i in nums if space.num_names[i].startswith("visits:")}
    choices = {space.bit_names[i][6:] for i in bits if space.bit_names[i].startswith("chose:")}
    result = find(story, start, pending.goal, lambda s: bool(pending.test(s)), (names, scenes, choices),
                  closeness_of(space, pending.tree), budget)
    target = pending.verdict
    if isinstance(result, Found):
        _reached(pending, result.state, result.path, pending.test(result.state))
        return result.states
    states = result.states
    if isinstance(result, Exhausted):
        if isinstance(target, DeadEnd):
            target.status = "none"
            target.why = f"a search of all {states:,} distinct states that matter here finds a choice open in each"
        else:
            target.status = "unreachable"
            target.why = (f"no play reaches it: a search of all {states:,} distinct states that matter for it "
                          "(the values its condition and those on the way read) finds none")
        return states
    target.status = "unknown"
    target.why = (f"the merged states allow it ({pending.hint}), but a search of {states:,} states found no play "
                  "to it (raise --budget to search further)")
    return states
