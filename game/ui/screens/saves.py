"""The Load and Save screens over the save store."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from game import saving
from game.ui.screens.base import GameModal, Panel

NUMBERED = tuple(str(n) for n in range(1, 10))


class LoadScreen(GameModal):
    """Every save, newest first. A damaged save whose backup is good loads the backup."""

    def compose(self) -> ComposeResult:
        with Panel("Load", classes="panel saves", id="load-panel"):
            yield OptionList(id="slots")
            yield Static("", id="saves-info", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        store = self.game.store
        menu = self.query_one("#slots", OptionList)
        info = self.query_one("#saves-info", Static)
        self.slots: dict[str, saving.Slot] = {}
        if store is None:
            menu.display = False
            info.update(saving.UNAVAILABLE)
            return
        try:
            slots = saving.list_slots(store, self.game.story)
        except Exception as exc:  # noqa: BLE001 - an unreadable folder says why
            menu.display = False
            info.update(str(exc))
            return
        if not slots:
            menu.display = False
            info.update("There are no saved games yet.")
            return
        self.slots = {s.slot: s for s in slots}
        menu.set_options(
            Option(s.line, id=s.slot, disabled=not (s.usable or s.backup_ok)) for s in slots
        )
        menu.highlighted = next((k for k, s in enumerate(slots) if s.usable or s.backup_ok), None)
        info.update("Enter loads the highlighted game (a damaged one loads its backup); Esc goes back.")
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        slot = self.slots.get(event.option.id or "")
        if slot is None:
            return
        self.dismiss(None)
        self.game.load_game(slot.slot, backup=not slot.usable and slot.backup_ok)


class SaveScreen(GameModal):
    """Slots 1-9 and the quicksave, or a name typed in."""

    def compose(self) -> ComposeResult:
        with Panel("Save", classes="panel saves", id="save-panel"):
            yield OptionList(id="slots")
            yield Input(placeholder="…or type a name for a new save and press Enter", id="slot-name")
            yield Static("", id="saves-info", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        store = self.game.store
        info = self.query_one("#saves-info", Static)
        menu = self.query_one("#slots", OptionList)
        self.damaged: set[str] = set()
        if store is None:
            self.query_one("#slot-name", Input).display = False
            menu.display = False
            info.update(saving.UNAVAILABLE)
            return
        problem = ""
        try:
            existing = {s.slot: s for s in saving.list_slots(store, self.game.story)}
        except Exception as exc:  # noqa: BLE001
            existing = {}
            problem = str(exc)
        self.damaged = {name for name, s in existing.items() if not s.usable and "damaged" in s.line}
        options = []
        for name in (*NUMBERED, "quick"):
            slot = existing.get(name)
            title = "Quicksave" if name == "quick" else f"Slot {name}"
            options.append(Option(slot.line if slot else f"{title} · empty", id=name))
        for name, slot in existing.items():
            if name not in NUMBERED and name != "quick" and not name.startswith("auto-"):
                options.append(Option(slot.line, id=name))
        menu.set_options(options)
        first_empty = next((k for k, name in enumerate(NUMBERED) if name not in existing), 0)
        menu.highlighted = first_empty
        info.update(problem or "Enter saves in the highlighted slot (replacing what is there); Esc goes back.")
        menu.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if name:
            self._save(name)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._save(event.option.id)

    def _save(self, slot: str) -> None:
        if slot in self.damaged:
            from game.ui.screens.message import ConfirmScreen

            def answer(yes: bool | None) -> None:
                if yes:
                    self.dismiss(None)
                    self.game.save_game(slot, overwrite_damaged=True)

            self.app.push_screen(
                ConfirmScreen("Replace a damaged save?", "This slot holds a damaged save. Replace it with this game?"),
                answer,
            )
            return
        if self.game.save_game(slot):
            self.dismiss(None)
