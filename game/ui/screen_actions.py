"""The app's actions that open a screen: help, the history note, the journal, the story so far,
the codex, the endings gallery, settings, the menu, the title; and the palette's screenshot.

A mixin of :class:`game.ui.app.ThawApp`, kept apart so the app module stays about the game. The
same actions back the keys, the menus and the command palette.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual.app import SystemCommand
from textual.screen import Screen


class ScreenActions:
    """h, j, b, c, ?, settings, menu, the title screen, endings, the sidebar, quit, screenshots."""

    # provided by ThawApp / App
    session: Any
    saves_dir: Any

    def action_help(self) -> None:
        from game.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):  # type: ignore[attr-defined]
            self.push_screen(HelpScreen())  # type: ignore[attr-defined]

    def action_history(self) -> None:
        if self.session is None:
            self.notify("The history note belongs to a scene: start a game first.", timeout=3)  # type: ignore[attr-defined]
            return
        from game.ui.screens.notes import HistoryScreen

        self._open_modal(HistoryScreen)

    def action_journal(self) -> None:
        if self.session is None:
            self.notify("The journal starts with your first decision: start a game first.", timeout=3)  # type: ignore[attr-defined]
            return
        from game.ui.screens.notes import JournalScreen

        self._open_modal(JournalScreen)

    def action_story_so_far(self) -> None:
        if self.session is None:
            self.notify("The story so far belongs to a game: start one first.", timeout=3)  # type: ignore[attr-defined]
            return
        from game.ui.screens.record import StorySoFarScreen

        self._open_modal(StorySoFarScreen)

    def action_codex(self) -> None:
        from game.ui.screens.codex import CodexScreen

        self._open_modal(CodexScreen)

    def action_endings(self) -> None:
        from game.ui.screens.gallery import EndingsScreen

        self._open_modal(EndingsScreen)

    def action_settings(self) -> None:
        from game.ui.screens.settings import SettingsScreen

        self._open_modal(SettingsScreen)

    def action_menu(self) -> None:
        from game.ui.screens.menu import MenuScreen

        if self.session is not None and not isinstance(self.screen, MenuScreen):  # type: ignore[attr-defined]
            self.push_screen(MenuScreen())  # type: ignore[attr-defined]

    async def action_title(self) -> None:
        self.remember()  # type: ignore[attr-defined]
        while len(self.screen_stack) > 1:  # type: ignore[attr-defined]
            await self.pop_screen()  # type: ignore[attr-defined]
        refresh = getattr(self.screen, "refresh_menu", None)  # type: ignore[attr-defined]
        if refresh is not None:
            refresh()

    def action_toggle_sidebar(self) -> None:
        screen = self.play_screen()  # type: ignore[attr-defined]
        if screen is not None:
            screen.toggle_sidebar()

    async def action_quit(self) -> None:
        self.remember()  # type: ignore[attr-defined]
        self.wait_for_autosave()  # type: ignore[attr-defined]
        self.exit(0)  # type: ignore[attr-defined]

    def _open_modal(self, screen_type: type[Screen]) -> None:
        """Open a modal screen, replacing another modal of the game (h, j, b and c switch)."""
        from game.ui.screens.base import GameModal

        if isinstance(self.screen, screen_type):  # type: ignore[attr-defined]
            return
        if isinstance(self.screen, GameModal):  # type: ignore[attr-defined]
            self.switch_screen(screen_type())  # type: ignore[attr-defined]
        else:
            self.push_screen(screen_type())  # type: ignore[attr-defined]

    # ---- the command palette ---------------------------------------------------------------------

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """The palette's Screenshot (and the screenshot action): an SVG in the save folder's
        screenshots/ (Textual's default, ~/Downloads, need not exist), and where it went. In a
        browser, the browser saves it as Textual does."""
        if getattr(self, "is_web", False):
            return super().deliver_screenshot(filename, path, time_format)  # type: ignore[misc]
        from game.paths import default_saves_dir

        try:
            folder = Path(path) if path else default_saves_dir(self.saves_dir) / "screenshots"
            folder.mkdir(parents=True, exist_ok=True)
            saved = self.save_screenshot(filename, str(folder), time_format)  # type: ignore[attr-defined]
        except OSError as exc:
            self.notify(f"The screenshot could not be saved: {exc.strerror or exc}.", title="Screenshot",  # type: ignore[attr-defined]
                        severity="error", timeout=8, markup=False)
            return None
        self.notify(f"Saved in {saved}", title="Screenshot", timeout=8, markup=False)  # type: ignore[attr-defined]
        return None

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, screenshot...) less those the game offers itself."""
        for command in super().get_system_commands(screen):  # type: ignore[misc]
            if command.title not in ("Quit", "Keys"):
                yield command

    def game_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """Every action of the game, for the command palette."""
        from game.ui.commands import game_commands

        return game_commands(self.run_action)  # type: ignore[attr-defined]
