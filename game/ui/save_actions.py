"""The app's save and load actions: Save and Load screens, F5/F9, Continue, and the autosave.

A mixin of :class:`game.ui.app.ThawApp`, kept apart so the app module stays about the game. Every
outcome comes from the session or the save folder as a value (game.saving's Saved and Loaded);
messages quoting a slot's label or a file name are shown as plain text, never as markup.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when first used: the title screen is painted before them
    from game import saving
    from game.story.state import GameState


class SaveActions:
    """Save, load, quicksave, quickload, continue and autosave for the Textual app."""

    # provided by ThawApp / App
    folder: Any
    session: Any
    story: Any

    def action_load(self) -> None:
        from game.ui.screens.saves import LoadScreen

        self._open_modal(LoadScreen)  # type: ignore[attr-defined]

    def action_save(self) -> None:
        if self.session is None:
            self.notify("There is no game to save yet.", timeout=3)  # type: ignore[attr-defined]
            return
        from game.ui.screens.saves import SaveScreen

        self._open_modal(SaveScreen)  # type: ignore[attr-defined]

    def action_continue(self) -> None:
        newest = self.folder.newest(self.story) if self.store is not None else None  # type: ignore[attr-defined]
        if newest is None:
            self.notify("There is no saved game to continue.", timeout=3)  # type: ignore[attr-defined]
            return
        self.load_game(newest.slot)

    def read_save(self, slot: str | None, *, backup: bool = False) -> saving.Loaded:
        """Read a save (or its backup) without showing it: a saving.Loaded, never an exception."""
        from game import saving

        if self.store is None:  # type: ignore[attr-defined]
            return saving.Loaded(None, saving.UNAVAILABLE)
        return self.folder.load(self.story, slot, backup=backup)

    def start_loaded(self, loaded: saving.Loaded) -> None:
        """Play a game read by read_save; its notice, if any, in a message the player dismisses."""
        from game.session import Session

        notice = None
        if loaded.notice:
            notice = ("Backup loaded" if loaded.from_backup else "The story has changed", loaded.message)
        session = Session.from_loaded(self.story, self.folder, loaded)
        self.begin(session, message=loaded.message, notice=notice)  # type: ignore[attr-defined]

    def load_game(self, slot: str | None, *, backup: bool = False) -> bool:
        """Load a slot and play it; a damaged one whose backup is good offers the backup."""
        try:
            return self._load_game(slot, backup=backup)
        except Exception as exc:  # noqa: BLE001 - shown to the player, logged for a report
            self.show_error("loading the saved game", exc)  # type: ignore[attr-defined]
            return False

    def _load_game(self, slot: str | None, *, backup: bool) -> bool:
        loaded = self.read_save(slot, backup=backup)
        if loaded.state is not None:
            self.start_loaded(loaded)
            return True
        if loaded.damaged and loaded.backup_ok and not backup:
            from game.saves import slot_title
            from game.ui.screens.saves import BackupScreen

            def chosen(choice: str | None) -> None:
                if choice == "load":
                    self.load_game(loaded.slot, backup=True)
                elif choice == "restore":
                    done, message = self.folder.restore_backup(loaded.slot)
                    self.notify(message, title="Restored" if done else "Not restored",  # type: ignore[attr-defined]
                                severity="information" if done else "error", timeout=8, markup=False)

            self.push_screen(BackupScreen(slot_title(loaded.slot), loaded.damaged), chosen)  # type: ignore[attr-defined]
            return False
        self.notify(loaded.message, title="Not loaded", severity="error", timeout=8, markup=False)  # type: ignore[attr-defined]
        return False

    def write_save(self, slot: str, *, label: str = "", overwrite_damaged: bool = False,
                   quick: bool | None = None) -> saving.Saved:
        """Save the game in `slot` (see saving.save_slot for `quick`) without telling the
        player: a saving.Saved, never an exception."""
        from game import saving

        if self.session is None:
            return saving.Saved(False, "There is no game to save yet.")
        if self.store is None:  # type: ignore[attr-defined]
            return saving.Saved(False, saving.UNAVAILABLE)
        return self.session.save(slot, label=label, overwrite_damaged=overwrite_damaged, quick=quick)

    def save_game(self, slot: str, *, label: str = "", overwrite_damaged: bool = False) -> bool:
        """Save in `slot` and say how it went; a damaged slot is only replaced with
        `overwrite_damaged` (after asking the player)."""
        if self.session is None:
            return False
        result = self.write_save(slot, label=label, overwrite_damaged=overwrite_damaged)
        self._saved_notice(result, 4)
        return result.done

    def action_quicksave(self) -> None:
        if self.session is None:
            self.notify("There is no game to save yet.", timeout=3)  # type: ignore[attr-defined]
            return
        result = self.write_save("quick", quick=True)
        if result.damaged is not None:
            from game.ui.screens.message import ConfirmScreen

            backup = "Its backup is kept." if result.backup_ok else "It has no usable backup: that save will be lost."

            def answer(yes: bool | None) -> None:
                if yes:
                    self.save_game("quick", overwrite_damaged=True)

            self.push_screen(  # type: ignore[attr-defined]
                ConfirmScreen("Replace a damaged save?",
                              f"The quicksave is damaged ({result.damaged}). Replace it with this game? {backup}"),
                answer,
            )
            return
        self._saved_notice(result, 3)

    def _saved_notice(self, result: saving.Saved, seconds: float) -> None:
        self.notify(result.message, title="Saved" if result.done else "Not saved",  # type: ignore[attr-defined]
                    severity="information" if result.done else "error", timeout=seconds if result.done else 8,
                    markup=False)

    def action_quickload(self) -> None:
        self.load_game("quick")

    def play_seconds(self) -> float:
        return self.session.play_seconds() if self.session is not None else 0.0

    def _autosave(self) -> None:
        """Autosave after each choice, in a thread so the next scene paints at once."""
        session = self.session
        if session is None or session.at_ending or self.store is None:  # type: ignore[attr-defined]
            return
        self.run_worker(  # type: ignore[attr-defined]
            functools.partial(self._autosave_now, session, session.state, session.play_seconds()),
            thread=True, group="autosave", exit_on_error=False,
        )

    def _autosave_now(self, session: Any, state: GameState, seconds: float) -> None:
        problem = session.autosave(state, seconds)
        if problem and not getattr(self, "_autosave_warned", False):
            self._autosave_warned = True
            self.call_from_thread(self.notify, f"Autosave failed: {problem}", severity="warning",  # type: ignore[attr-defined]
                                  timeout=8, markup=False)

    def wait_for_autosave(self) -> None:
        """Let a running autosave finish (before loading, or leaving)."""
        self.folder.wait_for_autosave()
