"""Settings: what the game tells you and how, and the colour theme (all kept in profile.json)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Checkbox, Footer, Static

from game.ui.literal import Literal, option
from game.ui.screens.base import GameModal, Panel
from game.ui.widgets.options import OptionList


#: (profile setting, the checkbox's label)
TOGGLES = (
    ("notices", "Notices: what a choice moved, in the story's words"),
    ("skip_read", "Skip scenes read before (r reads one)"),
)


class SettingsScreen(GameModal):
    """Two switches (Tab to reach them, Space to flip), then the theme: moving through the list
    previews it, Enter keeps it, Esc goes back."""

    def compose(self) -> ComposeResult:
        profile = self.game.profile
        with Panel("Settings", classes="panel settings", id="settings-panel"):
            for name, label in TOGGLES:
                yield Checkbox(label, getattr(profile, name), id=f"set-{name}", compact=True)
            yield Static("Colour theme: ↑ ↓ to preview, Enter to keep, Tab for the switches, Esc to go back.",
                         classes="muted", id="themes-help")
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

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        name = (event.checkbox.id or "").removeprefix("set-")
        if name in dict(TOGGLES):
            self.game.profile.set_setting(name, event.value)
            screen = self.game.play_screen()
            if screen is not None:
                screen.show_scene()

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
