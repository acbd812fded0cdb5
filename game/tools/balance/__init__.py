"""`thaw balance`: how the stats move over many random playthroughs, and what the choices cost.

For each chapter's end, each stat's 10th percentile, median and 90th percentile and the share of
runs at its min and max (with a small bar chart of the spread); choices that only gain and choices
that change nothing (a gain is a move in the direction the stat declares `good`); flags set but
never read and read but never set; stats no passage reads; the odds of each ending. `--strict`
fails when a limit declared under `[balance]` in story.toml is crossed.
"""

from game.text import terminal_text
from game.tools.balance.effects import ChoiceEffect, Usage, choice_effects, usage
from game.tools.balance.measure import DEFAULT_RUNS, balance_report
from game.tools.balance.report import BalanceReport, ChapterEnd, Crossing, Spread
from game.tools.balance.text import report_text, spread_chart


def main(folder: str | None, *, runs: int = DEFAULT_RUNS, seed: int = 0, fmt: str = "text",
         strict: bool = False) -> int:
    from game.session import open_story
    from game.tools.playtest import Progress

    story = open_story(folder)
    if story is None:
        return 1
    bar = Progress(runs, "runs")
    report = balance_report(story, runs, seed, progress=bar)
    bar.close()
    print(report.json() if fmt == "json" else terminal_text(report_text(report)))
    return 1 if strict and report.crossings else 0


__all__ = [
    "DEFAULT_RUNS",
    "BalanceReport",
    "ChapterEnd",
    "ChoiceEffect",
    "Crossing",
    "Spread",
    "Usage",
    "balance_report",
    "choice_effects",
    "main",
    "report_text",
    "spread_chart",
    "usage",
]
