"""The status panel: your stats as labelled meters and the people around you."""

from __future__ import annotations

import textwrap

from textual.content import Content
from textual.widget import Widget

from game.story.state import GameState
from game.story.story import Story


def meter(value: int, low: int, high: int, width: int) -> Content:
    """A bar of `width` cells: filled cells for value, shaded cells for the rest."""
    width = max(4, width)
    span = max(1, high - low)
    filled = round((value - low) * width / span)
    filled = max(0, min(width, filled))
    return Content.assemble(("█" * filled, "$accent"), ("░" * (width - filled), "$foreground 30%"))


def _row(label: str, value: int, top: int, delta: int, width: int) -> Content:
    change = ""
    if delta:
        change = f"{'▲' if delta > 0 else '▼'}{abs(delta)} "
    number = f"{value}/{top}"
    room = max(1, width - len(number) - len(change))
    shown = label if len(label) <= room - 1 else label[: max(1, room - 2)] + "…"
    pad = " " * max(1, width - len(shown) - len(number) - len(change))
    return Content.assemble(
        (shown, "bold"),
        pad,
        (change, "$success" if delta > 0 else "$warning") if change else "",
        (number, ""),
    )


def _wrap(text: str, width: int, most: int) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


class StatusPanel(Widget):
    """Meters for the story's stats (kind "meter") and the people you have met."""

    DEFAULT_CSS = """
    StatusPanel { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None, you_heading: str = "YOU") -> None:
        super().__init__(id=id, classes=classes)
        self.you_heading = you_heading
        self.story: Story | None = None
        self.state: GameState | None = None
        self.previous: GameState | None = None
        self.met: set[str] = set()

    def show(self, story: Story, state: GameState, previous: GameState | None, met: set[str]) -> None:
        self.story, self.state, self.previous, self.met = story, state, previous, set(met)
        shown = (id(story), tuple(state.stats.items()), tuple((k, self._delta(k)) for k in story.stats), frozenset(met))
        if shown != getattr(self, "_shown", None):  # re-render only when something on it changed
            self._shown = shown
            self.refresh(layout=True)

    def _delta(self, key: str) -> int:
        if self.previous is None or self.state is None:
            return 0
        return self.state.stats.get(key, 0) - self.previous.stats.get(key, 0)

    def people(self) -> list[tuple[str, str, str | None]]:
        """(name, role, stat) of the people to show: met (their codex entry unlocked) or uncatalogued."""
        story = self.story
        assert story is not None
        rows = []
        shown_stats = set()
        for person in story.people.values():
            if person.codex and person.codex in story.codex and person.codex not in self.met:
                continue
            stat = person.stat if person.stat in story.stats else None
            if stat:
                shown_stats.add(stat)
            rows.append((person.name, person.role, stat))
        for key, stat in story.stats.items():
            if stat.kind == "relationship" and key not in shown_stats and not any(
                p.stat == key for p in story.people.values()
            ):
                rows.append((stat.label, "", key))
        return rows

    def build(self, width: int) -> Content:
        story, state = self.story, self.state
        if story is None or state is None:
            return Content("")
        width = max(12, width)
        lines: list[Content] = []
        meters = [(k, s) for k, s in story.stats.items() if s.kind == "meter"]
        if meters:
            if self.you_heading:
                lines.append(Content.assemble((self.you_heading, "bold $text-muted")))
            for key, stat in meters:
                value = state.stats.get(key, stat.start)
                lines.append(_row(stat.label, value, stat.max, self._delta(key), width))
                lines.append(meter(value, stat.min, stat.max, width))
        people = self.people()
        if people:
            if lines:
                lines.append(Content(""))
            lines.append(Content.assemble(("PEOPLE", "bold $text-muted")))
            for name, role, key in people:
                if key is None:
                    lines.append(Content.assemble((name, "bold")))
                else:
                    stat = story.stats[key]
                    value = state.stats.get(key, stat.start)
                    lines.append(_row(name, value, stat.max, self._delta(key), width))
                if role:
                    for line in _wrap(role, width, 2):
                        lines.append(Content.assemble((line, "italic $text-muted")))
                if key is not None:
                    stat = story.stats[key]
                    lines.append(meter(state.stats.get(key, stat.start), stat.min, stat.max, width))
        return Content("\n").join(lines)

    def render(self) -> Content:
        return self.build(self.content_region.width or self.size.width)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.build(width).plain.splitlines()) or 1
