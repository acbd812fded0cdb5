"""Moves through the engine shared by every playtest: one choice taken, chance decided, coverage noted."""

from __future__ import annotations

from collections.abc import Callable

from game.story.engine import _Ctx, choose
from game.story.model import Choice
from game.story.state import GameState
from game.story.story import Story
from game.tools.playtest.report import EndingStat, PlaytestReport, Step


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
    passages = [f"{scene.id}#{k}" for scene in story.scenes.values() for k in range(1, len(scene.passage) + 1)]
    report = PlaytestReport(
        mode=mode,
        story_id=story.info.id,
        title=story.info.title,
        version=story.info.version,
        all_scenes=list(story.scenes),
        all_choices=choices,
        all_branches=branches,
        all_passages=passages,
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


def _count_arrival(story: Story, state: GameState, report: PlaytestReport) -> None:
    """Random mode's hit counts: the scene shown, and each passage whose condition holds (as the game shows it)."""
    sid = state.scene
    report.scene_hits[sid] = report.scene_hits.get(sid, 0) + 1
    scene = story.scenes[sid]
    if scene.passage:
        ctx = _Ctx(state)
        for k in range(len(scene.passage)):
            if story.conditions[("passage", sid, k)](ctx):
                key = f"{sid}#{k + 1}"
                report.passage_hits[key] = report.passage_hits.get(key, 0) + 1


def _values(state: GameState) -> dict[str, int | bool]:
    return {**state.stats, **state.flags}
