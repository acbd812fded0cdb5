"""The play screen: header, the scene's prose, its choices, and the status panel."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer

from game.ui.literal import Literal
from game.ui.widgets.choices import ChoiceList
from game.ui.widgets.header import SceneHeader
from game.ui.widgets.prose import Prose
from game.ui.widgets.status import StatusPanel

NARROW = 100


class StoryPane(VerticalScroll, can_focus=False):
    """The scrollable prose; the choices keep the focus, PgUp/PgDn and the wheel scroll this."""


class PlayScreen(Screen[None]):
    BINDINGS = [
        *(Binding(str(n), f"pick({n})", f"Choice {n}", show=False) for n in range(1, 10)),
        Binding("h", "app.history", "History"),
        Binding("j", "app.journal", "Journal"),
        Binding("c", "app.codex", "Codex"),
        Binding("u", "app.undo", "Undo"),
        Binding("ctrl+z", "app.undo", "Undo", show=False),
        Binding("s", "toggle_sidebar", "Status"),
        Binding("tab", "toggle_sidebar", "Status", show=False),
        # one footer item for the pair, so the footer still fits 80 columns
        Binding("f5", "app.quicksave", "Quicksave/load", key_display="F5/F9"),
        Binding("f9", "app.quickload", "Quickload", show=False),
        Binding("ctrl+s", "app.save", "Save", show=False),
        Binding("l", "app.load", "Load", show=False),
        Binding("escape", "app.menu", "Menu"),
        Binding("pageup", "scroll_story(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_story(1)", "Scroll down", show=False),
        Binding("space", "scroll_story(1)", "Scroll down", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield SceneHeader(id="scene-header")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                with StoryPane(id="story"):
                    yield Literal("", id="result")
                    yield Prose(id="prose")
                with Vertical(id="choice-band"):
                    yield ChoiceList(id="choices")
            with VerticalScroll(id="sidebar", can_focus=False):
                yield StatusPanel(id="status")
        # compact, and without Textual's "^p palette" (Help lists ctrl+p): room for F5 and F9
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.show_scene()
        self._apply_sidebar(self.app.size.width)
        self.query_one(ChoiceList).focus()

    def on_screen_resume(self) -> None:
        self.query_one(ChoiceList).focus()

    # ---- the scene -------------------------------------------------------------------------------

    def show_scene(self) -> None:
        app = self.app
        if app.state is None or not self.query(SceneHeader):  # type: ignore[attr-defined]
            return  # not composed yet (on_mount shows the scene) or already closing
        v = app.view  # type: ignore[attr-defined]
        state = app.state  # type: ignore[attr-defined]
        self.query_one(SceneHeader).show(v)
        result = self.query_one("#result", Literal)
        from game.ui.widgets.prose import render_markdown

        last = state.last_result.strip()
        result.update(render_markdown(last, style="italic") if last else "")
        result.display = bool(last)
        self.query_one(Prose).show(v.text)
        choices = self.query_one(ChoiceList)
        choices.show(v.choices)
        if v.is_dead_end:
            choices.display = False
            result.display = True
            result.update("There is no way on from here: press u to undo, or Esc for the menu.")
        self.query_one(StatusPanel).show(app.story, state, app.previous, app.unlocked)  # type: ignore[attr-defined]
        self.query_one(StoryPane).scroll_home(animate=False)

    def action_pick(self, number: int) -> None:
        self.app.take_number(number)  # type: ignore[attr-defined]

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        self.app.take(event.choice_id)  # type: ignore[attr-defined]

    def action_scroll_story(self, direction: int) -> None:
        pane = self.query_one(StoryPane)
        if direction < 0:
            pane.scroll_page_up(animate=False)
        else:
            pane.scroll_page_down(animate=False)

    # ---- the status panel ------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._apply_sidebar(event.size.width)

    def _apply_sidebar(self, width: int) -> None:
        choice = self.app.sidebar_choice  # type: ignore[attr-defined]
        visible = width >= NARROW if choice is None else choice
        sidebar = self.query_one("#sidebar")
        sidebar.display = visible
        self.set_class(width < NARROW, "-narrow")

    def action_toggle_sidebar(self) -> None:
        self.toggle_sidebar()

    def toggle_sidebar(self) -> None:
        sidebar = self.query_one("#sidebar")
        self.app.sidebar_choice = not sidebar.display  # type: ignore[attr-defined]
        self._apply_sidebar(self.app.size.width)
