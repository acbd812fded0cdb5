"""Load and save screens over the save store."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from game import saving
from game.ui.screens.base import GameModal, Panel


class LoadScreen(GameModal):
    def compose(self) -> ComposeResult:
        with Panel("Load", classes="panel saves", id="load-panel"):
            yield OptionList(id="slots")
            yield Static("", id="saves-info", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        store = self.game.store
        menu = self.query_one("#slots", OptionList)
        info = self.query_one("#saves-info", Static)
        if store is None:
            menu.display = False
            info.update(saving.UNAVAILABLE)
            return
        slots = saving.list_slots(store)
        if not slots:
            menu.display = False
            info.update("There are no saved games yet.")
            return
        menu.set_options(Option(s.line(), id=s.slot, disabled=s.damaged) for s in slots)
        menu.highlighted = next((k for k, s in enumerate(slots) if not s.damaged), None)
        info.update("Enter loads the highlighted game; Esc goes back.")
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        slot = event.option.id
        self.dismiss(None)
        if slot:
            self.game.load_game(slot)


class SaveScreen(GameModal):
    def compose(self) -> ComposeResult:
        with Panel("Save", classes="panel saves", id="save-panel"):
            yield Input(value=saving.QUICK_SLOT, placeholder="slot name", id="slot-name")
            yield OptionList(id="slots")
            yield Static("", id="saves-info", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        store = self.game.store
        info = self.query_one("#saves-info", Static)
        menu = self.query_one("#slots", OptionList)
        if store is None:
            self.query_one("#slot-name", Input).display = False
            menu.display = False
            info.update(saving.UNAVAILABLE)
            return
        slots = saving.list_slots(store)
        menu.set_options(Option(s.line(), id=s.slot) for s in slots)
        menu.display = bool(slots)
        info.update("Type a name and press Enter, or pick a slot to overwrite; Esc goes back.")
        self.query_one("#slot-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save(event.value.strip() or saving.QUICK_SLOT)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._save(event.option.id)

    def _save(self, slot: str) -> None:
        self.dismiss(None)
        self.game.save_game(slot)
