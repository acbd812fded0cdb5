"""The ending: its title and epilogue, your final stats, your path against history, endings found."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from game.reading import timeline
from game.ui.literal import Literal, literal
from game.ui.widgets.header import SceneHeader
from game.ui.widgets.prose import Prose, render_markdown
from game.ui.widgets.status import StatusPanel
from game.ui.widgets.timeline import Timeline

def tone_line(tone: str) -> str:
    """'A bitter ending', 'An uncertain ending' ('' when the writer gave no tone)."""
    if not tone:
        return ""
    article = "An" if tone[0].lower() in "aeiou" else "A"
    return f"{article} {tone} ending"


class EndingScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "app.new_game", "New game"),
        Binding("l", "app.load", "Load"),
        Binding("u", "app.undo", "Undo"),
        Binding("ctrl+z", "app.undo", "Undo", show=False),
        Binding("q", "app.quit", "Quit"),
        Binding("j", "app.journal", "Journal", show=False),
        Binding("b", "app.story_so_far", "Story so far", show=False),
        Binding("h", "app.history", "History", show=False),
        Binding("c", "app.codex", "Codex", show=False),
        Binding("pageup", "scroll(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll(1)", "Scroll down", show=False),
        Binding("space", "scroll(1)", "Scroll down", show=False),
    ]

    def compose(self) -> ComposeResult:
        app = self.app
        story, state, v = app.story, app.state, app.view  # type: ignore[attr-defined]
        ending = v.ending
        assert ending is not None
        profile = app.profile  # type: ignore[attr-defined]
        found = set(profile.endings_found(story.info.id, story.endings)) | {state.scene}
        yield SceneHeader(id="scene-header")
        with VerticalScroll(id="ending-scroll", can_focus=False):
            with Vertical(id="ending-column"):
                yield Static("THE END", id="ending-kicker")
                yield Static(literal(ending.title, "bold"), id="ending-title")
                tone = tone_line(ending.tone)
                if ending.kind == "interim":
                    tone = (tone + " · " if tone else "") + "the story stops here for now"
                if tone:
                    yield Literal(tone, id="ending-tone")
                last = app.session.result.strip()  # type: ignore[attr-defined]
                if last:
                    yield Static(render_markdown(last, style="italic"), id="result")
                yield Prose(v.text, id="ending-text")
                yield Static("Where you stand", classes="section")
                yield StatusPanel(id="ending-status", you_heading="")
                yield Static("Your path against the history", classes="section")
                yield Timeline(timeline(story, state), now_text=v.date_text, id="ending-timeline")
        with Horizontal(id="ending-actions"):
            yield Literal(f"Endings found: {len(found)} of {len(story.endings)}", id="ending-found")
            yield Button("New game", id="new_game", variant="primary", compact=True)
            yield Button("Load", id="load", compact=True)
            yield Button("Quit", id="quit", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        """Fill the header and the stats. A key queued behind the last choice (u, n) can take the
        ending away while it mounts, its widgets already going: then there is nothing to fill."""
        app = self.app
        v = app.view  # type: ignore[attr-defined]
        session = app.session  # type: ignore[attr-defined]
        for header in self.query(SceneHeader).results(SceneHeader):
            header.show(v, prefix="The End")
        for status in self.query("#ending-status").results(StatusPanel):
            status.show(session.story, session.state, session.change, session.unlocked)
        for button in self.query("#new_game").results(Button):
            button.focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id:
            await self.app.run_action(event.button.id)

    def action_scroll(self, direction: int) -> None:
        pane = self.query_one("#ending-scroll", VerticalScroll)
        if direction < 0:
            pane.scroll_page_up(animate=False)
        else:
            pane.scroll_page_down(animate=False)
