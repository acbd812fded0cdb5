"""The title screen: the title, the years, which chapters are written, and Continue / New game /
Load / Codex / Endings / Settings / Quit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from game.ui.literal import Literal, option
from game.ui.widgets.options import OptionList


def spaced(title: str) -> str:
    """'THE THAW' letter-spaced: 'T H E   T H A W' (plain when that would be too wide)."""
    wide = "   ".join(" ".join(word) for word in title.upper().split())
    return wide if len(wide) <= 60 else title.upper()


class TitleScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "app.new_game", "New game"),
        Binding("l", "app.load", "Load"),
        Binding("c", "app.codex", "Codex"),
        Binding("e", "app.endings", "Endings"),
        Binding("s", "app.settings", "Settings"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        info = self.app.heading  # type: ignore[attr-defined]  # the story may not be loaded yet
        with Center(id="title-box"):
            with Vertical(id="title-panel"):
                yield Literal(spaced(info.title), id="title-name")
                yield Literal(info.subtitle, id="title-subtitle")
                yield Literal("", id="title-written")  # filled once the story is loaded
                with Center(id="title-menu-box"):
                    yield OptionList(id="title-menu")
                yield Literal("", id="title-endings")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_menu()

    def on_screen_resume(self) -> None:
        self.refresh_menu()

    def refresh_menu(self) -> None:
        """The menu; before the story is loaded (game.ui.boot) Continue is only a placeholder
        when the save folder holds saves, and the endings line waits."""
        app = self.app
        menu = self.query_one("#title-menu", OptionList)
        options = []
        story = app.story  # type: ignore[attr-defined]
        if story is None:
            if getattr(app, "saves_hint", False):
                options.append(option("Continue", id="continue", disabled=True))
        else:
            newest = app.folder.newest(story) if app.store is not None else None  # type: ignore[attr-defined]
            if newest is not None:
                options.append(option(f"Continue  ({newest.summary})", id="continue"))
        options += [
            option(label, id=key)
            for key, label in (
                ("new_game", "New game"),
                ("load", "Load"),
                ("codex", "Codex"),
                ("endings", "Endings"),
                ("settings", "Settings"),
                ("quit", "Quit"),
            )
        ]
        menu.set_options(options)
        menu.highlighted = 0
        menu.focus()
        written = self.query_one("#title-written", Literal)
        written.display = False
        if story is None:
            return
        from game.reading import story_scope  # the story stack loads after the first frame

        line = story_scope(story)
        written.update(line)
        written.display = bool(line)
        total = len(story.endings)
        found = len(app.profile.endings_found(story.info.id, story.endings))  # type: ignore[attr-defined]
        line = f"Endings found: {found} of {total}" if found else ""
        endings = self.query_one("#title-endings", Literal)
        endings.update(line)
        endings.display = bool(line)

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and self.app.story is not None:  # type: ignore[attr-defined]
            await self.app.run_action(event.option.id)
