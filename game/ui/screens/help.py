"""Help (? or F1): every key of the game."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from game.ui.keys import KEYS
from game.ui.screens.base import GameModal, Panel


def keys_table() -> Group:
    parts = []
    for k, (where, keys) in enumerate(KEYS):
        parts.append(Text(("\n" if k else "") + where.upper(), style="bold"))
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, width=13, style="bold")
        table.add_column(ratio=1)
        for key, what in keys:
            table.add_row(key, what)
        parts.append(table)
    return Group(*parts)


class HelpScreen(GameModal):
    BINDINGS = [
        Binding("question_mark", "close", "Close", show=False),
        Binding("f1", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Panel("Keys", classes="panel help", id="help-panel"):
            with VerticalScroll(id="help-body", classes="panel-body"):
                yield Static(keys_table(), id="help-keys")
                yield Static(
                    "The mouse works too: click a choice, a menu item or a button; the wheel scrolls.",
                    classes="muted",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()
