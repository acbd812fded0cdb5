"""The in-game menu (Esc): resume, save, load, settings, help, title screen, quit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

from game.ui.literal import option
from game.ui.screens.base import GameModal, Panel
from game.ui.widgets.options import OptionList


class MenuScreen(GameModal):
    ITEMS = (
        ("resume", "Resume"),
        ("save", "Save"),
        ("load", "Load"),
        ("settings", "Settings"),
        ("help", "Keys"),
        ("title", "Title screen"),
        ("quit", "Quit"),
    )

    def compose(self) -> ComposeResult:
        with Panel("Menu", classes="panel menu", id="menu-panel"):
            yield OptionList(*(option(label, id=key) for key, label in self.ITEMS), id="menu-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#menu-list", OptionList).focus()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        action = event.option.id
        self.dismiss(None)
        if action and action != "resume":
            await self.app.run_action(action)
