"""The story so far (b): every scene of this game as it was read, the choice taken, its result.

The record is rebuilt by the session (game.session.record) and drawn as one block of text, so a
long game opens as fast as a short one. It opens at the end: the newest page is the nearest.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer

from game.session.record import Page
from game.ui.literal import Literal, rich_literal
from game.ui.screens.base import GameModal, Panel
from game.ui.widgets.prose import inline, render_markdown

EMPTY = "Nothing yet: the story so far begins with your first decision."


def record_text(pages: list[Page]) -> Text:
    """The pages as one Text: each scene's header, its prose, the choice and its result."""
    out = Text(end="")
    for k, page in enumerate(pages):
        if k:
            out.append("\n\n")
            out.append("\u2500" * 3, style="dim")
            out.append("\n\n")
        out.append_text(rich_literal(page.header(" \u00b7 "), "bold"))
        if not page.exact:
            out.append("\n")
            out.append("(The story has changed since: the scene as it reads now.)", style="italic dim")
        out.append("\n\n")
        out.append_text(render_markdown(page.text))
        out.append("\n\n")
        out.append("\u25b8 You chose: ", style="bold")
        out.append_text(inline(page.choice, "bold"))
        if page.result.strip():
            out.append("\n")
            out.append_text(render_markdown(page.result, style="italic dim"))
    return out


class StorySoFarScreen(GameModal):
    BINDINGS = [
        Binding("b", "close", "Close", show=False),
        Binding("h", "app.history", "History"),
        Binding("j", "app.journal", "Journal"),
        Binding("c", "app.codex", "Codex"),
    ]

    def compose(self) -> ComposeResult:
        pages = self.game.session.story_so_far()
        count = len(pages)
        with Panel("The story so far", classes="panel record", id="record-panel"):
            intro = f"{count} decision{'s' if count != 1 else ''}, oldest first. \u2191 \u2193 PgUp PgDn Home End scroll."
            yield Literal(intro if count else EMPTY, classes="muted panel-intro")
            with VerticalScroll(id="record-body", classes="panel-body"):
                yield Literal(record_text(pages), id="record-text")
        yield Footer()

    def on_mount(self) -> None:
        body = self.query_one("#record-body", VerticalScroll)
        body.focus()
        self.call_after_refresh(body.scroll_end, animate=False)
