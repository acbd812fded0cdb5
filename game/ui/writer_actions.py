"""The app's actions for writers and testers: the state inspector (i, under `thaw play --dev` or
`--watch`) and the tester's note (w).

A mixin of :class:`game.ui.app.ThawApp`, kept apart so the app module stays about the game. The
changes themselves are the session's (Session.adjust) and game.notes' (write_note).
"""

from __future__ import annotations

from typing import Any

from game.ui.errors import guarded


class WriterActions:
    """i: the state inspector; w: a tester's note."""

    # provided by ThawApp / App
    session: Any
    saves_dir: Any
    start_state: Any
    dev: bool

    def action_inspect(self) -> None:
        if not self.dev:
            self.notify("The state inspector is for writers: start with thaw play --dev (or --watch).", timeout=4)  # type: ignore[attr-defined]
            return
        if self.session is None or self.session.at_ending:
            self.bell()  # type: ignore[attr-defined]
            return
        from game.ui.screens.inspector import InspectorScreen

        if not isinstance(self.screen, InspectorScreen):  # type: ignore[attr-defined]
            self.push_screen(InspectorScreen())  # type: ignore[attr-defined]

    @guarded("changing the game in the state inspector")
    def apply_inspection(self, values: dict[str, int | bool], scene: str | None) -> str:
        """Make the inspector's change through the session; '' when done, else why not."""
        from game.ui.screens.inspector import describe_change

        session = self.session
        before = session.state
        done = session.adjust(values, scene)
        if not done.done:
            return "Nothing to change." if done.reason == "nothing to change" else f"Not changed: {done.reason}."
        self.call_after_refresh(self._autosave)  # type: ignore[attr-defined]
        if session.at_ending:
            self.call_later(self._show_ending)  # type: ignore[attr-defined]
        else:
            screen = self.play_screen()  # type: ignore[attr-defined]
            if screen is not None:
                screen.show_scene()
        self.notify(f"Inspector: {describe_change(before, session.state, scene is not None)}. u undoes it.",  # type: ignore[attr-defined]
                    timeout=5, markup=False)
        return ""

    def action_tester_note(self) -> None:
        if self.session is None:
            self.notify("A tester's note belongs to a scene: start a game first.", timeout=3)  # type: ignore[attr-defined]
            return
        from game.ui.screens.tester_note import NoteToWriterScreen

        if not isinstance(self.screen, NoteToWriterScreen):  # type: ignore[attr-defined]
            self.push_screen(NoteToWriterScreen())  # type: ignore[attr-defined]

    @guarded("writing the tester's note")
    def write_tester_note(self, comment: str) -> str:
        """Write the note bundle for the game as it is; '' when written, else why not."""
        from game.notes import NoteError, write_note
        from game.paths import default_saves_dir

        session = self.session
        try:
            note = write_note(default_saves_dir(self.saves_dir), session.story, session.state, comment,
                              play_seconds=session.play_seconds(), initial=self.start_state)
        except NoteError as exc:
            return str(exc)
        self.notify(f"Note written: {note.folder} (thaw notes lists the notes).", timeout=6, markup=False)  # type: ignore[attr-defined]
        return ""
