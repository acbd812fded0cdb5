"""Every key of the game, by where it works: the help screen shows this table."""

from __future__ import annotations

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Anywhere",
        (
            ("? or F1", "Help: this list of keys"),
            ("ctrl+p", "Command palette: every action by name"),
            ("ctrl+q", "Quit the game"),
        ),
    ),
    (
        "Title screen",
        (
            ("↑ ↓ Enter", "Choose from the menu (or click)"),
            ("n", "New game"),
            ("l", "Load a saved game"),
            ("c", "Codex"),
            ("e", "Endings: those found, and hints for the others"),
            ("s", "Settings: notices, skipping read scenes, theme"),
            ("q", "Quit"),
        ),
    ),
    (
        "Playing",
        (
            ("1 - 9", "Take that choice"),
            ("↑ ↓ Enter", "Highlight a choice and take it (or click it)"),
            ("PgUp PgDn", "Scroll the scene (or the mouse wheel; Space too)"),
            ("Home End", "The top or the end of the scene"),
            ("\u2713", "After a choice: you took it in an earlier game"),
            ("r", "Read a scene folded because you read it in an earlier game"),
            ("h", "History note: what actually happened, with sources"),
            ("j", "Journal: your decisions beside the documented events"),
            ("b", "The story so far: every scene you read and what you chose"),
            ("c", "Codex, at the newest entry: people, places, terms, sources"),
            ("u or ctrl+z", "Undo the last choice (again and again)"),
            ("s or Tab", "Show or hide the status panel"),
            ("ctrl+s", "Save the game in a slot"),
            ("l", "Load a saved game"),
            ("F5", "Quicksave"),
            ("F9", "Quickload: back to the quicksave"),
            ("Esc", "Menu: save, load, settings, title screen, quit"),
        ),
    ),
    (
        "History note, journal, story so far, codex, help",
        (
            ("Esc or q", "Close"),
            ("↑ ↓ PgUp PgDn", "Scroll"),
            ("h j b c", "From the note, journal or story so far: open another"),
            ("ctrl+f", "Codex: back to the filter (typing filters at once)"),
        ),
    ),
    (
        "Chapter card",
        (
            ("Enter or Esc", "On to the next chapter"),
            ("↑ ↓ PgUp PgDn", "Scroll"),
        ),
    ),
    (
        "Save and Load screens",
        (
            ("↑ ↓ Enter", "Choose a slot: save in it, or load it"),
            ("Tab", "Save: edit the label"),
            ("b", "Load: load the backup of a damaged save"),
            ("r", "Load: put a damaged save's backup back in place"),
            ("d or Delete", "Load: delete a save (after asking)"),
        ),
    ),
    (
        "Ending",
        (
            ("n", "New game"),
            ("l", "Load a saved game"),
            ("u", "Undo the last choice and try again"),
            ("b", "The story so far"),
            ("q", "Quit"),
        ),
    ),
)
