"""Your decisions beside the documented events, in date order (the journal and the ending)."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from game.reading import TimelineItem
from game.ui.literal import rich_literal

WIDE = 84


def _event_cell(item: TimelineItem) -> Text:
    text = Text()
    text.append("◆ ", style="bold")
    text.append_text(rich_literal(item.title, "bold" if not item.ahead else ""))
    if item.disputed:
        text.append(" (disputed)", style="italic")
    return text


def _choice_cell(item: TimelineItem, *, prefix: str = "") -> Text:
    text = Text()
    text.append("▸ ", style="bold")
    if prefix:
        text.append(prefix, style="italic")
    text.append_text(rich_literal(item.title))
    if item.detail:
        text.append("\n")
        text.append_text(rich_literal(item.detail, "italic dim"))
    return text


def timeline_table(items: list[TimelineItem] | tuple[TimelineItem, ...], width: int, *, now_text: str = "",
                   headers: tuple[str, str] = ("History", "You"), wide_at: int = WIDE) -> RenderableType:
    """Two columns (history | you) when there is room, else one interleaved column."""
    wide = width >= wide_at
    table = Table(
        box=None,
        show_header=True,
        header_style="bold",
        pad_edge=False,
        expand=True,
        padding=(0, 1, 0, 0),
    )
    table.add_column("Date", width=17, no_wrap=True, style="dim")
    if wide:
        table.add_column(headers[0], ratio=1)
        table.add_column(headers[1], ratio=1)
    else:
        table.add_column(f"{headers[0]} and {headers[1][0].lower()}{headers[1][1:]}", ratio=1)
    marked = False
    for k, item in enumerate(items):
        if item.ahead and not marked:
            marked = True
            label = rich_literal(f"— now: {now_text} —" if now_text else "— now —", "italic")
            table.add_row("", label, *([""] if wide else []), end_section=False)
        style = "dim" if item.ahead else ""
        if item.kind == "event":
            cells = [_event_cell(item), Text("")] if wide else [_event_cell(item)]
        else:
            cells = [Text(""), _choice_cell(item)] if wide else [_choice_cell(item, prefix="You: ")]
        table.add_row(rich_literal(item.date_text), *cells, style=style)
    return table


class Timeline(Widget):
    """A timeline that lays itself out for the width it gets."""

    DEFAULT_CSS = """
    Timeline { height: auto; }
    """

    def __init__(self, items: list[TimelineItem] | tuple[TimelineItem, ...], *, now_text: str = "",
                 headers: tuple[str, str] = ("History", "You"), wide_at: int = WIDE, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items = items
        self.now_text = now_text
        self.headers = headers
        self.wide_at = wide_at

    def render(self) -> RenderableType:
        if not self.items:
            return Text("Nothing yet: no decisions, and no documented events in this story.", style="italic")
        return timeline_table(self.items, self.content_region.width or self.size.width, now_text=self.now_text,
                              headers=self.headers, wide_at=self.wide_at)
