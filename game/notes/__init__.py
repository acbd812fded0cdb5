"""Tester notes: the bundle a tester's key writes (:mod:`.bundle`) and `thaw notes` (:mod:`.command`)."""

from game.notes.bundle import Note, NoteError, find_note, list_notes, note_state, notes_folder, write_note

__all__ = ["Note", "NoteError", "find_note", "list_notes", "note_state", "notes_folder", "write_note"]
