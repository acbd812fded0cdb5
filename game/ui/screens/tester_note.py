"""The tester's note (key w while playing): a comment for the writer, kept with the game.

Enter writes the bundle (game.notes.write_note: the comment, the scene, the state as a save and
the transcript, into notes/ in the save folder); Esc leaves without writing.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from game.ui.literal import Literal
from game.ui.screens.base import OnceModal, Panel


class NoteToWriterScreen(OnceModal[None]):
    DEFAULT_CSS = """
    NoteToWriterScreen { align: center middle; background: $background 70%; }
    NoteToWriterScreen #tester-problem { height: auto; color: $text-error; }
    """
    BINDINGS = [Binding("escape", "close", "Cancel")]

    def compose(self) -> ComposeResult:
        scene = self.app.session.state.scene  # type: ignore[attr-defined]
        with Panel("Note for the writer", classes="panel message", id="tester-note-panel"):
            yield Literal(f"What did you notice here ({scene})? Enter keeps the note with this scene, the game "
                          "and the choices so far in notes/ beside the saves (thaw notes lists them). Esc: no note.",
                          classes="message-text")
            yield Input(placeholder="Your comment", id="tester-comment", max_length=2000)
            yield Literal("", id="tester-problem")

    def on_mount(self) -> None:
        self.query_one("#tester-comment", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.is_open:  # an Enter that arrives after the note was written or dropped
            return
        if not event.value.strip():
            self.query_one("#tester-problem", Literal).update("Write a comment first (or Esc to leave).")
            self.app.bell()
            return
        problem = self.app.write_tester_note(event.value)  # type: ignore[attr-defined]
        if problem:
            self.query_one("#tester-problem", Literal).update(problem)
        else:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
