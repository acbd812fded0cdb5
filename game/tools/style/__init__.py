"""`thaw style`: how the prose reads across the whole story.

Repeated phrases (:mod:`.repeats`), forbidden phrases with their file:LINE (:mod:`.forbid`, which
`thaw check` uses too), scene length outliers and spelling (:mod:`.spelling`), gathered in
:mod:`.report` and shown by :mod:`.text`. The prose is read through :mod:`.prose`.
"""

from __future__ import annotations

DEFAULT_TOP = 40


def main(folder: str | None, *, fmt: str = "text", top: int = DEFAULT_TOP) -> int:
    from game.session import open_story
    from game.text import terminal_text
    from game.tools.style.report import style_report
    from game.tools.style.text import report_text

    story = open_story(folder)
    if story is None:
        return 1
    report = style_report(story)
    print(report.json() if fmt == "json" else terminal_text(report_text(report, top)))
    return 0
