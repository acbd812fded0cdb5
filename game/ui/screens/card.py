"""The chapter card: shown when the player leaves a chapter (or reaches an ending).

The chapter's title; what the file says of you beside the private truth, in two columns; then
what you did beside what happened. Every line is the story's (game.session.card composes them).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer

from game.session.card import Card
from game.ui.literal import Literal, rich_literal
from game.ui.screens.base import GameModal, Panel
from game.ui.widgets.prose import inline
from game.ui.widgets.timeline import Timeline


def side_text(lines: tuple[str, ...]) -> Text:
    """A side's phrases as one paragraph (a dash when the story gave none)."""
    if not lines:
        return Text("\u2014", style="dim")
    text = Text()
    for k, line in enumerate(lines):
        if k:
            text.append(" ")
        text.append_text(inline(line))
    return text


class ChapterCardScreen(GameModal):
    """The card of a chapter just left. Enter, Space or Esc: on to the next scene."""

    BINDINGS = [
        Binding("escape", "close", "Continue"),
        Binding("enter", "close", "Continue", show=False),
        Binding("down", "scroll('down')", "Scroll", show=False),
        Binding("up", "scroll('up')", "Scroll", show=False),
        Binding("pagedown", "scroll('page_down')", "Scroll", show=False),
        Binding("pageup", "scroll('page_up')", "Scroll", show=False),
    ]

    def __init__(self, card: Card) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        card = self.card
        with Panel("The end of a chapter", classes="panel card", id="card-panel"):
            with VerticalScroll(id="card-body", classes="panel-body"):
                yield Literal(rich_literal(card.heading, "bold"), id="card-title")
                with Horizontal(id="card-sides"):
                    with Vertical(classes="card-side", id="card-record"):
                        yield Literal(rich_literal(card.record_title.upper(), "bold"), classes="card-heading")
                        yield Literal(side_text(card.record), classes="card-text")
                    with Vertical(classes="card-side", id="card-private"):
                        yield Literal(rich_literal(card.private_title.upper(), "bold"), classes="card-heading")
                        yield Literal(side_text(card.private), classes="card-text")
                yield Literal(rich_literal("What you did, beside what happened", "bold"), classes="section")
                yield Timeline(card.items, headers=("What happened", "What you did"), wide_at=60, id="card-timeline")
            yield Button("Continue", id="card-continue", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#card-continue", Button).focus()

    def action_scroll(self, how: str) -> None:
        getattr(self.query_one("#card-body", VerticalScroll), f"scroll_{how}")(animate=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
