"""Run the random playthroughs and collect every stat's value as each chapter ends."""

from __future__ import annotations

import time
from collections import defaultdict

from game.story.model import Choice
from game.story.state import GameState
from game.story.story import Story
from game.tools.balance.effects import choice_effects, usage
from game.tools.balance.report import BalanceReport, ChapterEnd, Spread
from game.tools.playtest import Progress, random_playtest

DEFAULT_RUNS = 2000


def balance_report(story: Story, runs: int = DEFAULT_RUNS, seed: int = 0, *,
                   progress: Progress | None = None) -> BalanceReport:
    """`runs` random playthroughs (the same as ``thaw playtest --runs``) read at each chapter's end.

    A chapter ends with the move that leaves it: into a scene of another chapter, or into an ending.
    The stats are read after that move's effects.
    """
    began = time.perf_counter()
    values: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))

    def observe(before: GameState, _choice: Choice, after: GameState) -> None:
        here, there = story.scenes[before.scene], story.scenes[after.scene]
        if there.chapter != here.chapter or there.is_ending:
            seen = values[here.chapter]
            for name, value in after.stats.items():
                seen[name].append(value)

    played = random_playtest(story, runs, seed, progress=progress, observe=observe)
    chapters = []
    for chapter in story.chapters.values():  # in play order
        seen = values.get(chapter.id)
        if not seen:
            continue
        spreads = []
        for name, stat in story.stats.items():
            counts = [0] * (stat.max - stat.min + 1)
            for value in seen[name]:
                counts[value - stat.min] += 1
            spreads.append(Spread(name, stat.min, stat.max, tuple(counts)))
        chapters.append(ChapterEnd(chapter.id, chapter.number, chapter.title, spreads))
    report = BalanceReport(
        story_id=story.info.id, title=story.info.title, version=story.info.version, runs=runs, seed=seed,
        chapters=chapters, choices=choice_effects(story), usage=usage(story),
        endings={e.id: (e.title, e.count) for e in played.endings.values()},
        dead_end_runs=sum(d.count for d in played.dead_ends.values()),
        unfinished_runs=played.unfinished, trapped_runs=sum(t.count for t in played.traps.values()),
        limits=story.balance,
    )
    report.crossings = report.check_limits()
    report.seconds = time.perf_counter() - began
    return report
