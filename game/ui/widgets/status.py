"""The status panel: your stats as labelled meters and the people around you.

A view of game.session.status: the rows (who is shown, their role now, "not yet met", what the
last choice moved) are computed there, for every front end; this widget only draws them.
"""

from __future__ import annotations

import textwrap

from textual.content import Content
from textual.widget import Widget

from game.session.change import Change
from game.session.status import Row, Status, status
from game.story.state import GameState
from game.story.story import Story


def meter(value: int, low: int, high: int, width: int) -> Content:
    """A bar of `width` cells: filled cells for value, shaded cells for the rest."""
    width = max(4, width)
    span = max(1, high - low)
    filled = round((value - low) * width / span)
    filled = max(0, min(width, filled))
    return Content.assemble(("█" * filled, "$accent"), ("░" * (width - filled), "$foreground 30%"))


def _row(row: Row, width: int) -> Content:
    """'Label   ▲1 3/10': the label (accented when the last choice moved it), the change, the value."""
    delta = row.delta
    change = f"{'▲' if delta > 0 else '▼'}{abs(delta)} " if delta else ""
    number = "not yet met" if row.unmet else f"{row.value}/{row.high}"
    room = max(1, width - len(number) - len(change))
    label = row.label
    shown = label if len(label) <= room - 1 else label[: max(1, room - 2)] + "…"
    pad = " " * max(1, width - len(shown) - len(number) - len(change))
    return Content.assemble(
        (shown, "bold $accent" if delta else "bold"),
        pad,
        (change, "$success" if delta > 0 else "$warning") if change else "",
        (number, "italic $text-muted" if row.unmet else ""),
    )


def _wrap(text: str, width: int, most: int) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


class StatusPanel(Widget):
    """Meters for the story's stats (kind "meter") and the people this game has met."""

    DEFAULT_CSS = """
    StatusPanel { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None, you_heading: str = "YOU") -> None:
        super().__init__(id=id, classes=classes)
        self.you_heading = you_heading
        self.story: Story | None = None
        self.state: GameState | None = None
        self.change = Change()
        self.met: set[str] = set()

    def show(self, story: Story, state: GameState, change: Change, met: set[str]) -> None:
        self.story, self.state, self.change, self.met = story, state, change, set(met)
        self._rows = status(story, state, change, self.met)
        if self._rows != getattr(self, "_shown", None):  # re-render only when something on it changed
            self._shown = self._rows
            self.refresh(layout=True)

    def rows(self) -> Status:
        return getattr(self, "_rows", Status((), ()))

    def build(self, width: int) -> Content:
        if self.story is None or self.state is None:
            return Content("")
        width = max(12, width)
        rows = self.rows()
        lines: list[Content] = []
        if rows.meters:
            if self.you_heading:
                lines.append(Content.assemble((self.you_heading, "bold $text-muted")))
            for row in rows.meters:
                lines.append(_row(row, width))
                lines.append(meter(row.value, row.low, row.high, width))
        if rows.people:
            if lines:
                lines.append(Content(""))
            lines.append(Content.assemble(("PEOPLE", "bold $text-muted")))
            for row in rows.people:
                lines.append(_row(row, width) if row.stat else Content.assemble((row.label, "bold")))
                if row.role:
                    for line in _wrap(row.role, width, 2):
                        lines.append(Content.assemble((line, "italic $text-muted")))
                if row.stat and not row.unmet:
                    lines.append(meter(row.value, row.low, row.high, width))
        return Content("\n").join(lines)

    def render(self) -> Content:
        return self.build(self.content_region.width or self.size.width)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.build(width).plain.splitlines()) or 1
