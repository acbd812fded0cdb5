"""Settings: the colour theme (remembered in profile.json)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from game.ui.literal import Literal, option
from game.ui.screens.base import GameModal, Panel
from game.ui.widgets.options import OptionList


class SettingsScreen(GameModal):
    """Pick a theme: moving through the list previews it, Enter keeps it, Esc goes back."""

    def compose(self) -> ComposeResult:
        with Panel("Settings", classes="panel settings", id="settings-panel"):
            yield Static("Colour theme: ↑ ↓ to preview, Enter to keep, Esc to go back.", classes="muted")
            yield OptionList(id="themes")
            yield Literal("", id="settings-info", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.original = self.app.theme
        self.kept = False
        names = sorted(self.app.available_themes)
        menu = self.query_one("#themes", OptionList)
        menu.set_options(option(name, id=name) for name in names)
        if self.original in names:
            menu.highlighted = names.index(self.original)
        menu.focus()
        from game.paths import default_saves_dir

        try:
            where = str(default_saves_dir(self.game.saves_dir))
        except Exception:  # noqa: BLE001
            where = "(no save folder)"
        info = f"Saves and settings: {where}"
        if self.game.profile.problem:
            info += f"\n{self.game.profile.problem}"
        self.query_one("#settings-info", Literal).update(info)  # a folder name may hold brackets

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id and self.is_mounted and hasattr(self, "original"):
            self.app.theme = event.option.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.kept = True
            self.app.theme = event.option.id
            self.game.profile.set_theme(event.option.id)
            self.dismiss(None)

    def action_close(self) -> None:
        if not self.kept and self.app.theme != self.original:
            self.app.theme = self.original
        self.dismiss(None)
