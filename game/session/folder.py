"""The save folder a front end plays from: its save store and its profile, opened on first use.

One SaveFolder outlives the sessions played from it (New game, load, New game again), so the
store, the profile and the lock that keeps an autosave and a load apart are shared by them all.
Opening either never raises: a folder that cannot be used is remembered as a problem to show.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when first used: the title screen is painted before them
    from game import saving
    from game.story.story import Story


class SaveFolder:
    """The store (or None when saving is not available) and the profile of one save folder."""

    def __init__(self, saves_dir: str | Path | None = None) -> None:
        self.saves_dir = saves_dir
        #: held while an autosave writes, so a load or a quit waits for it
        self.lock = threading.Lock()
        self._store: Any = None
        self._store_opened = False
        #: why the store could not be opened ('' when it was, or has not been tried)
        self.store_problem: BaseException | None = None
        self._profile: Any = None

    @property
    def store(self) -> Any:
        """The save store, or None when saving is not available (see `store_problem`)."""
        if not self._store_opened:
            from game import saving

            self._store_opened = True
            try:
                self._store = saving.open_store(self.saves_dir)
            except Exception as exc:  # noqa: BLE001 - play on without saves; the front end says why
                self.store_problem = exc
                self._store = None
        return self._store

    @property
    def profile(self) -> Any:
        """profile.json of this folder (endings found, codex seen, settings); never raises."""
        if self._profile is None:
            from game.profile import Profile

            try:
                from game.paths import default_saves_dir

                self._profile = Profile.load(default_saves_dir(self.saves_dir))
            except Exception:  # noqa: BLE001 - no save folder at all: remember nothing
                self._profile = Profile()
        return self._profile

    def wait_for_autosave(self) -> None:
        """Let a running autosave finish (before loading, or leaving)."""
        with self.lock:
            pass

    # ---- what the front ends ask of the folder -----------------------------------------------------

    def load(self, story: Story, slot: str | None, *, backup: bool = False) -> saving.Loaded:
        """Read a save (None or '': the newest of this story); a saving.Loaded, never an exception."""
        from game import saving

        if self.store is None:
            return saving.Loaded(None, saving.UNAVAILABLE)
        self.wait_for_autosave()
        return saving.load(self.store, story, slot, backup=backup)

    def newest(self, story: Story) -> saving.Slot | None:
        """The newest usable save of this story (for Continue), or None; never raises."""
        from game import saving

        if self.store is None:
            return None
        try:
            return saving.newest(self.store, story)
        except Exception:  # noqa: BLE001 - a damaged folder shows no Continue, never a crash
            return None

    def restore_backup(self, slot: str) -> tuple[bool, str]:
        from game import saving

        if self.store is None:
            return False, saving.UNAVAILABLE
        return saving.restore_backup(self.store, slot)
