"""Random playtests: seeded random playthroughs through the engine."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from game.story.engine import available_choices, new_game
from game.story.model import Choice
from game.story.state import GameState
from game.story.story import Story
from game.tools.playtest.moves import _count_arrival, _move, _new_report, _Recorder, _values
from game.tools.playtest.progress import Progress
from game.tools.playtest.report import PlaytestReport, Playthrough, Step, Stuck

DEFAULT_RUNS = 1000
DEFAULT_MAX_TURNS = 1000


def random_playtest(
    story: Story,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    *,
    max_turns: int = DEFAULT_MAX_TURNS,
    start: GameState | None = None,
    progress: Progress | None = None,
    observe: Callable[[GameState, Choice, GameState], None] | None = None,
) -> PlaytestReport:
    """`runs` random playthroughs; run ``i`` is driven by ``random.Random(seed + i)`` alone.

    `observe(before, choice, after)`, when given, sees every move (``thaw balance`` reads the
    stats at each chapter's end from it).
    """
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
        _count_arrival(story, state, report)
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
            before = state
            state, step = _move(story, state, choice, _Recorder(default=decide), report)
            path.append(step)
            key = f"{before.scene}.{choice.id}"
            report.choice_hits[key] = report.choice_hits.get(key, 0) + 1
            _count_arrival(story, state, report)
            if observe is not None:
                observe(before, choice, state)
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
