"""The plain front end's save commands: save, load, saves, delete, restore, and the autosave.

A mixin of PlainGame. Every outcome comes back from the session or the save folder as a value
(game.saving's Saved and Loaded); a damaged slot is replaced, and a save deleted, only when the
player types yes.
"""

from __future__ import annotations

from typing import Any

from game import saving
from game.session import SaveFolder, Session


class PlainSaves:
    """save [SLOT], load [SLOT] [backup], saves, delete SLOT, restore SLOT."""

    session: Session
    folder: SaveFolder
    autosave_warned: bool = False
    _said_unavailable: bool = False

    # say() and read() come from PlainGame

    @property
    def store(self) -> Any:
        """The save store, or None when saving is not available (the reason said once)."""
        store = self.folder.store
        if store is None and self.folder.store_problem is not None and not self._said_unavailable:
            self._said_unavailable = True
            self.say(f"Saves are not available: {self.folder.store_problem}")
        return store

    def ask(self, question: str) -> bool:
        """A yes/no question; anything but yes (or the end of input) is no."""
        self.say(question)
        answer = self.read()
        return answer is not None and answer.lower() in ("y", "yes")

    def cmd_save(self, slot: str) -> None:
        """save [SLOT]: the quicksave, a numbered slot or a name. A damaged slot is replaced only
        when the player says yes."""
        if self.store is None:
            self.say(saving.UNAVAILABLE)
            return
        result = self.session.save(slot)
        if result.damaged is not None:
            from game.saves import slot_title

            title = slot_title(result.slot)
            backup = "its backup is kept" if result.backup_ok else "it has no usable backup, so that save will be lost"
            self.say(f"{title} holds a damaged save: {result.damaged}.")
            if not self.ask(f"Replace it with this game ({backup})? Type yes or no."):
                self.say(f"Not saved: {title} was left as it is.")
                return
            result = self.session.save(slot, overwrite_damaged=True)
        self.say(result.message)

    def cmd_load(self, slot: str) -> bool:
        """load [SLOT] [backup]: the newest save of this story, a slot, or a slot's backup."""
        if self.store is None:
            self.say(saving.UNAVAILABLE)
            return False
        backup = False
        head, _, last = slot.rpartition(" ")
        if head.strip() and last.lower() == "backup" and not self._slot_exists(slot):
            slot, backup = head.strip(), True
        story = self.session.story
        loaded = self.folder.load(story, slot or None, backup=backup)
        if loaded.state is None:
            self.say(loaded.message)
            if loaded.damaged and loaded.backup_ok and not backup:
                self.say(f"Type `load {loaded.slot} backup` to load its backup.")
            elif loaded.empty and slot and not backup:
                self.say("Type `saves` to list the saved games.")
            return False
        self.say(loaded.message)
        self.session.remember()
        self.session = Session.from_loaded(story, self.folder, loaded, undo_limit=self.session.undo_limit)
        return True

    def _slot_exists(self, slot: str) -> bool:
        try:
            return bool(self.store.exists(slot))
        except Exception:  # noqa: BLE001 - an invalid name: not an existing slot
            return False

    def cmd_saves(self) -> None:
        """saves: the slots as a table (slot, label, chapter, in-game date, saved at, play time,
        damage), in the order of `thaw saves`."""
        from game.saves import format_table

        if self.store is None:
            self.say(saving.UNAVAILABLE)
            return
        try:
            infos = self.store.list()
        except Exception as exc:  # noqa: BLE001 - a SaveError (unreadable folder) says why
            self.say(saving._one_line(exc))
            return
        if not infos:
            self.say("There are no saved games yet.")
            return
        self.say(format_table(infos))
        self.say()
        tip = "load SLOT loads one"
        if any(i.damaged and i.backup_ok for i in infos):
            tip += "; load SLOT backup loads the backup of a damaged one"
        self.say(f"({tip}.)")

    def cmd_delete(self, slot: str) -> None:
        """delete SLOT: remove a save and its backup, once the player says yes."""
        self._slot_command(slot, "delete", self._delete)

    def cmd_restore(self, slot: str) -> None:
        """restore SLOT: put a damaged save's good backup back in its place."""
        self._slot_command(slot, "restore", self._restore)

    def _slot_command(self, slot: str, word: str, action) -> None:
        if self.store is None:
            self.say(saving.UNAVAILABLE)
        elif not slot:
            self.say(f"Which one? Type `{word} SLOT`; `saves` lists them.")
        else:
            try:
                action(slot)
            except Exception as exc:  # noqa: BLE001 - a SaveError says what went wrong
                self.say(saving._one_line(exc))

    def _delete(self, slot: str) -> None:
        from game.saves import SlotEmpty, normalize_slot, slot_title

        title = slot_title(normalize_slot(slot))
        if not self.store.exists(slot):
            raise SlotEmpty(f"{title} is empty.")
        if not self.ask(f"Delete {title} and its backup for good? Type yes or no."):
            self.say(f"Not deleted: {title} was left as it is.")
            return
        self.store.delete(slot)
        self.say(f"Deleted {title}.")

    def _restore(self, slot: str) -> None:
        info = self.store.restore_backup(slot)
        self.say(f"Restored the backup of {info.title}: {info.chapter}, {info.date_text}. Type `load {slot}` to play it.")

    def autosave(self) -> None:
        if self.store is None:
            return
        problem = self.session.autosave()
        if problem and not self.autosave_warned:
            self.autosave_warned = True
            self.say(f"(Autosave failed: {problem})")
