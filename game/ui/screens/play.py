"""The play screen: header, the scene's prose, its choices, and the status panel.

Below the choices, a line for passing messages (saved, loaded, undone): it is part of the layout,
so a message never covers a choice, and a new one replaces the last instead of piling up.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer

from game.ui.literal import Literal
from game.ui.widgets.choices import ChoiceList
from game.ui.widgets.footer import KeyFooter
from game.ui.widgets.header import SceneHeader
from game.ui.widgets.prose import Prose, inline, render_markdown
from game.ui.widgets.status import StatusPanel

NARROW = 100
FOLDED = "You have read this scene before. Press r to read it again, or choose below."


class StoryPane(VerticalScroll, can_focus=False):
    """The scrollable prose; the choices keep the focus, PgUp/PgDn and the wheel scroll this."""


class PlayScreen(Screen[None]):
    BINDINGS = [
        *(Binding(str(n), f"pick({n})", f"Choice {n}", show=False) for n in range(1, 10)),
        Binding("h", "app.history", "History"),
        Binding("j", "app.journal", "Journal"),
        Binding("b", "app.story_so_far", "Story"),
        Binding("c", "app.codex", "Codex"),
        Binding("u", "app.undo", "Undo"),
        Binding("ctrl+z", "app.undo", "Undo", show=False),
        Binding("s", "toggle_sidebar", "Status"),
        Binding("tab", "toggle_sidebar", "Status", show=False),
        # one footer item for the pair
        Binding("f5", "app.quicksave", "Quicksave/load", key_display="F5/F9"),
        Binding("f9", "app.quickload", "Quickload", show=False),
        Binding("ctrl+s", "app.save", "Save", show=False),
        Binding("l", "app.load", "Load", show=False),
        Binding("r", "read_scene", "Read the scene", show=False),
        Binding("w", "app.tester_note", "Tester note", show=False),
        Binding("i", "app.inspect", "Inspector", show=False),  # thaw play --dev or --watch
        Binding("escape", "app.menu", "Menu"),
        # priority: the choice list's own page keys would move the highlight instead
        Binding("pageup", "scroll_story('up')", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_story('down')", "Scroll down", show=False, priority=True),
        Binding("home", "scroll_story('home')", "Scroll to the top", show=False, priority=True),
        Binding("end", "scroll_story('end')", "Scroll to the end", show=False, priority=True),
        Binding("space", "scroll_story('down')", "Scroll down", show=False),
    ]
    #: what the footer leaves out first on a narrow terminal (the keys still work; ? lists them)
    FOOTER_OPTIONAL = ("toggle_sidebar", "app.quicksave", "app.journal", "app.history", "app.story_so_far")

    def compose(self) -> ComposeResult:
        yield SceneHeader(id="scene-header")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                with StoryPane(id="story"):
                    yield Literal("", id="result")
                    yield Prose(id="prose")
                    yield Literal("", id="folded", classes="muted")
                with Vertical(id="choice-band"):
                    yield ChoiceList(id="choices")
                yield Literal("", id="flash")
            with VerticalScroll(id="sidebar", can_focus=False):
                yield StatusPanel(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._flash_timer: Timer | None = None
        self._unfolded = False
        self.show_scene()
        self._apply_sidebar(self.app.size.width)
        self.query_one(ChoiceList).focus()

    def on_screen_resume(self) -> None:
        self.query_one(ChoiceList).focus()

    # ---- the scene -------------------------------------------------------------------------------

    def show_scene(self, *, unfold: bool = False) -> None:
        """Show the session's scene: the last choice's result and notices, the prose (folded
        when it was read before and the player asked to skip such scenes), the choices."""
        session = getattr(self.app, "session", None)
        if session is None or not self.query(SceneHeader):
            return  # not composed yet (on_mount shows the scene) or already closing
        v, state = session.view, session.state
        self._unfolded = unfold
        self.query_one(SceneHeader).show(v)
        result = self.query_one("#result", Literal)
        body = render_markdown(session.result.strip(), style="italic")
        for notice in session.notices:
            if body.plain:
                body.append("\n")
            body.append_text(inline(notice, "italic bold"))
        result.update(body)
        result.display = bool(body.plain)
        folded = not unfold and session.read_before and session.folder.profile.skip_read and v.ending is None
        self.query_one(Prose).show("" if folded else v.text, session.first_mention_words())
        note = self.query_one("#folded", Literal)
        note.update(FOLDED if folded else "")
        note.display = folded
        choices = self.query_one(ChoiceList)
        before = frozenset(c.id for c in v.choices if session.taken_before(c.id))
        choices.show(v.choices, before)
        if v.is_dead_end:
            choices.display = False
            result.display = True
            result.update("There is no way on from here: press u to undo, or Esc for the menu.")
        self.query_one(StatusPanel).show(session.story, state, session.change, session.unlocked)
        self.query_one(StoryPane).scroll_home(animate=False)

    def action_read_scene(self) -> None:
        """r: unfold a scene read before."""
        if self.query_one("#folded", Literal).display:
            self.show_scene(unfold=True)

    def action_pick(self, number: int) -> None:
        self.app.take_number(number)  # type: ignore[attr-defined]

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        self.app.take(event.choice_id)  # type: ignore[attr-defined]

    def action_scroll_story(self, where: str) -> None:
        pane = self.query_one(StoryPane)
        if where == "up":
            pane.scroll_page_up(animate=False)
        elif where == "down":
            pane.scroll_page_down(animate=False)
        elif where == "home":
            pane.scroll_home(animate=False)
        else:
            pane.scroll_end(animate=False)

    # ---- passing messages --------------------------------------------------------------------------

    def flash(self, message: str, *, title: str = "", severity: str = "information", timeout: float = 4) -> None:
        """Show one message in the line above the keys for `timeout` seconds (it replaces any
        message still shown)."""
        line = self.query_one("#flash", Literal)
        text = Text()
        if title:
            text.append(f"{title}: ", style="bold")
        text.append(message)
        line.update(text)
        line.set_classes(f"-{severity}")
        line.display = True
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(timeout, self._clear_flash)

    def _clear_flash(self) -> None:
        self.query_one("#flash", Literal).display = False

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
