"""`thaw playtest` on the command line."""

from __future__ import annotations

from game.tools.playtest.exhaustive import DEFAULT_MAX_STATES, exhaustive_playtest
from game.tools.playtest.progress import Progress
from game.tools.playtest.random_runs import DEFAULT_RUNS, random_playtest


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
    print(report.json() if fmt == "json" else report.text())
    return 1 if report.failed else 0
