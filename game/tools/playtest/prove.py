"""`thaw playtest --prove`: a verdict for every scene, choice, branch outcome, passage and ending.

1. The abstract walk (:mod:`.walk`) follows every scene's reachable states, over-approximated,
   with concrete plays carried along. A target that holds on a carried play is *reached*, and that
   play is its witness. A target that holds on no abstract state is *unreachable*, and the
   abstract states at its scene are the proof (:mod:`.proof`).
2. What is left (it may hold on the merged abstract states, but no carried play shows it) is
   settled by :mod:`.settle`: random plays that meet it (reached), a walk sliced down to what it
   reads that never meets it (unreachable), or the witness search (:mod:`.search`): a play found,
   every state that matters tried (unreachable), or the search gives up (*unknown*, with the reason).
3. Dead ends are targets too (every choice closed); traps are ruled out when the scene graph has
   no loop (every play is then finite and ends at an ending or a dead end), and otherwise looked for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from game.story.engine import _Ctx, available_choices, new_game
from game.story.state import GameState
from game.story.story import Story
from game.tools.playtest.abstract import assume
from game.tools.playtest.proof import holds_somewhere, why_never
from game.tools.playtest.report import Step
from game.tools.playtest.scene_order import leading_to, strongly_connected
from game.tools.playtest.settle import settle
from game.tools.playtest.verdicts import DeadEnd, Pending, Verdict
from game.tools.playtest.walk import Entry, Walk, _concrete_outcomes, path_steps

SEARCH_BUDGET = 300_000


@dataclass
class ProveReport:
    story_id: str
    title: str
    version: str
    chapter: str | None
    verdicts: list[Verdict]
    dead_ends: list[DeadEnd]
    traps: DeadEnd
    abstract_states: int = 0
    moves: int = 0
    searched: int = 0
    seconds: float = 0.0

    def of(self, status: str) -> list[Verdict]:
        return [v for v in self.verdicts if v.status == status]

    @property
    def failed(self) -> bool:
        return bool(self.of("unreachable") or self.of("unknown") or self.traps.status != "none"
                    or any(d.status != "none" for d in self.dead_ends))


def _scope(story: Story, chapter: str | None) -> tuple[set[str], set[str]]:
    """(the scenes to walk, the scenes whose targets get verdicts)."""
    if chapter is None:
        return set(story.scenes), set(story.scenes)
    targets = {sid for sid, s in story.scenes.items() if s.chapter == chapter}
    return leading_to(story, targets), targets


def prove(story: Story, chapter: str | None = None, *, budget: int = SEARCH_BUDGET,
          start: GameState | None = None) -> ProveReport:
    began = time.perf_counter()
    scope, targets = _scope(story, chapter)
    start = start if start is not None else new_game(story, seed=0)
    walk = Walk(story, scope, targets, start)
    judge = _Judge(story, walk)
    walk.run(lambda sid, entries: judge.scene(sid, entries) if sid in targets else None)
    report = ProveReport(story.info.id, story.info.title, story.info.version, chapter, [], [], DeadEnd("", "none"))
    report.abstract_states = judge.abstract_states
    report.searched = settle(story, start, walk, judge.pending, budget)
    judge.explain_unreached_scenes(scope)
    order = {sid: i for i, sid in enumerate(story.scenes)}
    report.verdicts = sorted(judge.verdicts, key=lambda v: (order[v.scene], _KINDS.index(v.kind), v.id))
    report.dead_ends = sorted(judge.dead_ends, key=lambda d: order[d.scene])
    report.traps = _traps(story, walk, targets, judge)
    report.moves = walk.moves
    report.seconds = time.perf_counter() - began
    return report


_KINDS = ("scene", "ending", "passage", "choice", "branch")


class _Judge:
    """Turns each scene's abstract states and carried plays into verdicts, as soon as the walk is done with it."""

    def __init__(self, story: Story, walk: Walk) -> None:
        self.story, self.walk, self.space = story, walk, walk.space
        self.verdicts: list[Verdict] = []
        self.dead_ends: list[DeadEnd] = []
        self.pending: list[Pending] = []
        self.abstract_states = 0
        self.scene_verdict: dict[str, Verdict] = {}

    def scene(self, sid: str, entries: list[Entry]) -> None:
        story, space = self.story, self.space
        scene = story.scenes[sid]
        states = [e.state for e in entries]
        plays = [w for e in entries for w in e.witnesses]
        self.abstract_states += len(states)
        shortest = min(plays, key=lambda w: _length(w.path), default=None)
        kind = "ending" if scene.is_ending else "scene"
        verdict = Verdict(kind, sid, sid, "unreachable")
        self.scene_verdict[sid] = verdict
        self.verdicts.append(verdict)
        if shortest is not None:
            verdict.status, verdict.path = "reached", path_steps(shortest.path)
        elif states:
            self.pending.append(Pending(verdict, sid, lambda s: True, ("const", True), "the merged states reach it"))
        for k, tree in enumerate(self.walk.compiled[sid].passages):
            condition = story.conditions[("passage", sid, k)]
            v = Verdict("passage", f"{sid}#{k + 1}", sid, "unreachable")
            self.verdicts.append(v)
            play = next((w for w in sorted(plays, key=lambda w: _length(w.path)) if condition(_Ctx(w.state))), None)
            if play is not None:
                v.status, v.path = "reached", path_steps(play.path)
            elif holds_somewhere(tree, states):
                self.pending.append(Pending(v, sid, lambda s, c=condition: c(_Ctx(s)), tree, f"'{condition.source}'",
                                            condition.source))
            else:
                v.why = why_never(space, tree, condition.source, states, sid)
        if scene.is_ending:
            return
        for choice in scene.choice:
            self._choice(sid, choice, states)
        self._dead_end(sid, states, plays)

    def _choice(self, sid: str, choice, states) -> None:  # type: ignore[no-untyped-def]
        outcomes, key = self.walk.outcomes, f"{sid}.{choice.id}"
        labels = [f"{key}/branch{k + 1}" for k in range(len(choice.branch))] + [f"{key}/goto"]
        v = Verdict("choice", key, sid, "unreachable")
        self.verdicts.append(v)
        paths = [outcomes[label] for label in labels if outcomes.get(label) is not None]
        open_tree = self._open_tree(sid, choice)
        if paths:
            v.status, v.path = "reached", path_steps(min(paths, key=_length))
        elif any(label in outcomes for label in labels):
            test = lambda s, c=choice: _step_for(self.story, s, c, None)  # noqa: E731
            self.pending.append(Pending(v, sid, test, open_tree, f"'{choice.if_ or 'no condition'}'"))
        else:
            source = choice.if_ or "no condition"
            if choice.once:
                source = f"not yet taken (once) and {source}" if choice.if_ else "not yet taken (once)"
            v.why = why_never(self.space, open_tree, source, states, sid)
        if not choice.branch:
            return
        before = self._before_branches(sid, choice, states)
        for k, label in enumerate(labels):
            b = Verdict("branch", label, sid, "unreachable")
            self.verdicts.append(b)
            if outcomes.get(label) is not None:
                b.status, b.path = "reached", path_steps(outcomes[label])
                continue
            trees = self.walk.compiled[sid].branches[choice.id]
            tree = trees[k] if k < len(trees) else ("not", ("or", tuple(trees)))
            if label in outcomes:
                test = lambda s, c=choice, lab=label: _step_for(self.story, s, c, lab)  # noqa: E731
                self.pending.append(Pending(b, sid, test, tree, "the branch may hold on merged states"))
                continue
            if k < len(trees):
                source = choice.branch[k].if_
                b.why = why_never(self.space, tree, source, before[k], f"{sid} after '{choice.id}'")
                if before[k] and k:
                    b.why += " (or an earlier branch takes over)"
            else:
                source = "not (" + " or ".join(f"({br.if_})" for br in choice.branch) + ")"
                b.why = "one of its branches always takes over: " + why_never(
                    self.space, tree, source, before[-1], f"{sid} after '{choice.id}'")

    def _open_tree(self, sid: str, choice) -> tuple:  # type: ignore[no-untyped-def]
        parts = []
        if choice.once:
            parts.append(("not", ("bit", self.space.bit[f"chose:{sid}.{choice.id}"])))
        guard = self.walk.compiled[sid].guards[choice.id]
        if guard is not None:
            parts.append(guard)
        return ("and", tuple(parts)) if parts else ("const", True)

    def _before_branches(self, sid: str, choice, states) -> list[list]:  # type: ignore[no-untyped-def]
        """For each branch, the states it is tried on (the choice open, its effects applied, earlier
        branches false); the last item is the states none of them holds on."""
        open_tree = self._open_tree(sid, choice)
        rest = [self.walk._effects(choice, s2) for s in states for s2 in assume(open_tree, True, s)]
        out = []
        for tree in self.walk.compiled[sid].branches[choice.id]:
            out.append(rest)
            rest = [s2 for s in rest for s2 in assume(tree, False, s)]
        out.append(rest)
        return out

    def _dead_end(self, sid: str, states, plays) -> None:  # type: ignore[no-untyped-def]
        story = self.story
        scene = story.scenes[sid]
        closed = ("and", tuple(("not", self._open_tree(sid, c)) for c in scene.choice))
        d = DeadEnd(sid, "none")
        self.dead_ends.append(d)
        stuck = next((w for w in sorted(plays, key=lambda w: _length(w.path)) if not available_choices(story, w.state)), None)
        if stuck is not None:
            d.status, d.path, d.values = "found", path_steps(stuck.path), _values(stuck.state)
        elif holds_somewhere(closed, states):
            d.status = "unknown"
            self.pending.append(Pending(d, sid, lambda s: not available_choices(story, s), closed, "every choice may be closed",
                                        "every choice is closed"))
        else:
            free = next((c.id for c in scene.choice if c.if_ is None and not c.once), None)
            d.why = (f"'{free}' has no condition" if free else
                     why_never(self.space, closed, "every choice is closed", states, sid))

    def explain_unreached_scenes(self, scope: set[str]) -> None:
        ways_in: dict[str, list[str]] = {}
        for sid in scope:
            for choice in self.story.scenes[sid].choice:
                ways_in.setdefault(choice.goto, []).append(f"{sid}.{choice.id}" + ("/goto" if choice.branch else ""))
                for k, branch in enumerate(choice.branch):
                    ways_in.setdefault(branch.goto, []).append(f"{sid}.{choice.id}/branch{k + 1}")
        for sid, verdict in self.scene_verdict.items():
            if verdict.status != "unreachable" or verdict.why:
                continue
            if sid == self.walk.start.scene:
                continue
            ways = ways_in.get(sid, [])
            verdict.why = ("no choice leads here" if not ways else
                           "every way in is closed: " + ", ".join(ways))


def _length(path) -> int:  # type: ignore[no-untyped-def]
    n = 0
    while path is not None:
        n, path = n + 1, path[1]
    return n


def _values(state: GameState) -> dict[str, int | bool]:
    return {**state.stats, **state.flags}


def _step_for(story: Story, state: GameState, choice, label: str | None) -> Step | None:  # type: ignore[no-untyped-def]
    """The move that takes `choice` now (with the outcome `label`, when given), or None."""
    if all(c.id != choice.id for c in available_choices(story, state)):
        return None
    for _after, step, got in _concrete_outcomes(story, state, choice):
        if label is None or got == label:
            return step
    return None


def _traps(story: Story, walk: Walk, targets: set[str], judge: _Judge) -> DeadEnd:
    """Traps: states no ending can be reached from."""
    from game.tools.check import scenes_that_can_end

    loops = _loops_without_once(story, walk.scope)
    if not loops:
        return DeadEnd("", "none", why="the scenes form no loop (except through `once` choices): every play is finite, "
                       "so every play ends at an ending or at a dead end")
    can_end = scenes_that_can_end(story)
    for sid in sorted(targets):
        verdict = judge.scene_verdict.get(sid)
        if sid not in can_end and verdict is not None and verdict.status == "reached":
            return DeadEnd(sid, "found", verdict.path, why="no path of choices leads from this scene to an ending")
    from game.tools.playtest.exhaustive import exhaustive_playtest

    walked = exhaustive_playtest(story, SEARCH_BUDGET * 4)
    if not walked.truncated:
        for stuck in walked.traps.values():
            if stuck.scene in targets:
                return DeadEnd(stuck.scene, "found", stuck.path, stuck.values,
                               why="no ending can be reached from this state (an exhaustive walk)")
        return DeadEnd("", "none", why=f"an exhaustive walk of all {walked.states:,} distinct states finds none "
                       f"(the story loops: {' > '.join(loops[0])})")
    return DeadEnd("", "unknown", why=f"the story loops ({' > '.join(loops[0])}) and the exhaustive walk stopped "
                   f"at {walked.states:,} states: --prove cannot yet rule out a trap on that loop")


def _loops_without_once(story: Story, scope: set[str]) -> list[list[str]]:
    """The loops of the scene graph that use no `once` choice (a `once` choice can be taken once)."""
    graph = {sid: [t for c in story.scenes[sid].choice if not c.once for t in (c.goto, *(b.goto for b in c.branch))
                   if t in scope] for sid in scope}
    parts: dict[int, list[str]] = {}
    for sid, rank in strongly_connected(graph).items():
        parts.setdefault(rank, []).append(sid)
    loops = [sorted(p) + [sorted(p)[0]] for p in parts.values() if len(p) > 1]
    return loops + [[s, s] for s in sorted(scope) if s in graph[s]]
