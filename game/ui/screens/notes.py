"""The history note (h) and the journal (j)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from game.reading import history_note, timeline
from game.ui.literal import Literal, literal, rich_literal
from game.ui.screens.base import GameModal, Panel
from game.ui.widgets.prose import Prose, inline
from game.ui.widgets.timeline import Timeline


class HistoryScreen(GameModal):
    """What actually happened: the scene's event with its date, summary, sources and disputes."""

    BINDINGS = [
        Binding("h", "close", "Close", show=False),
        Binding("j", "app.journal", "Journal"),
        Binding("c", "app.codex", "Codex"),
    ]

    def compose(self) -> ComposeResult:
        app = self.game
        scene = app.story.scenes[app.state.scene]
        note = history_note(app.story, scene)
        with Panel("History note", classes="panel note", id="note-panel"):
            with VerticalScroll(id="note-body", classes="panel-body"):
                yield Static(literal(note.title, "bold"), id="note-title")
                yield Literal(note.date_text, id="note-date", classes="muted")
                if note.has_event:
                    yield Prose(note.summary, id="note-summary")
                else:
                    yield Static(
                        "This scene is not tied to one documented event. Its sources:",
                        id="note-summary",
                        classes="muted",
                    )
                if note.disputed:
                    disputed = Prose(note.disputed, id="note-disputed", classes="disputed")
                    disputed.border_title = literal("Disputed")
                    yield disputed
                if note.sources:
                    yield Static(literal("Sources", "bold"), classes="section")
                    for k, cite in enumerate(note.sources, start=1):
                        line = Text.assemble(f"{k}. ", inline(cite.cite))
                        if cite.url:
                            line.append_text(rich_literal(f"\n   {cite.url}", "dim"))
                        yield Literal(line, classes="citation")
                elif note.has_event:
                    yield Static("No sources are listed for this event.", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#note-body").focus()


class JournalScreen(GameModal):
    """Your decisions in date order beside the documented events of the timeline."""

    BINDINGS = [
        Binding("j", "close", "Close", show=False),
        Binding("h", "app.history", "History"),
        Binding("c", "app.codex", "Codex"),
    ]

    def compose(self) -> ComposeResult:
        app = self.game
        items = timeline(app.story, app.state)
        decisions = len(app.state.journal)
        with Panel("Journal", classes="panel journal", id="journal-panel"):
            count = f"{decisions} decision{'s' if decisions != 1 else ''}" if decisions else "No decisions yet"
            yield Literal(f"{count}, beside the documented events. ◆ history   ▸ you", classes="muted panel-intro")
            with VerticalScroll(id="journal-body", classes="panel-body"):
                yield Timeline(items, now_text=app.view.date_text, id="journal-timeline")
        yield Footer()

    def on_mount(self) -> None:
        body = self.query_one("#journal-body", VerticalScroll)
        body.focus()
