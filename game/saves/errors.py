"""What can go wrong with a save: every failure is a SaveError whose message the player can read."""

from __future__ import annotations


class SaveError(Exception):
    """Anything that went wrong with a save; ``str(exc)`` is a plain message for the player."""


class InvalidSlotName(SaveError):
    """A slot name that is not allowed (checked before the disk is touched)."""


class SlotEmpty(SaveError):
    """There is no save in this slot."""


class DamagedSave(SaveError):
    """The slot's file cannot be read as a save. ``reason`` says why; ``backup_ok`` says whether
    its backup can be loaded instead (:meth:`SaveStore.load_backup`)."""

    def __init__(self, message: str, *, reason: str = "", backup_ok: bool = False) -> None:
        super().__init__(message)
        self.reason = reason or message
        self.backup_ok = backup_ok


class WrongStory(SaveError):
    """The save belongs to another story."""


class DiskError(SaveError):
    """The disk refused: read-only, full, no permission, not a folder..."""


class BadFile(Exception):
    """Internal: a file is not a valid save; the argument is the reason shown to the player."""
