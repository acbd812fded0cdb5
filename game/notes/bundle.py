"""Tester notes: a bundle per note, written where the saves are, read back by `thaw notes`.

A note is a folder `notes/NAME/` inside the save folder, holding

* ``note.json``: the tester's comment, the scene, the story, when, and where in the story;
* ``save.json``: the state as an ordinary save (slot "save"), so it loads and is fitted to a
  changed story exactly as a save is;
* ``transcript.json``: the choices so far as a recording that `thaw replay` plays;
* ``transcript.txt``: the same game as readable text, for whoever reads the note.

The bundle is written in a hidden temporary folder and renamed into place in one step, so a note
is there whole or not at all. The comment is untrusted text: kept as typed, shown only cleaned.
Nothing here imports Textual: the TUI's key and `thaw notes` both call it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.saves.atomic import fsync_dir
from game.story.state import GameState
from game.story.story import Story

FOLDER = "notes"
FORMAT = "thaw-note"
VERSION = 1
SLOT = "save"
#: a comment longer than this is cut (a note is a remark, not a manuscript)
MAX_COMMENT = 10_000
#: notes a save folder may hold: a served game writes into its visitor's folder, so a key held
#: down (or a script) must not fill the server's disk
MAX_NOTES = 500
_NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[a-z0-9_-]{1,64}(-[0-9]+)?$")


class NoteError(Exception):
    """A note that cannot be written or read; the message is for the person at the keyboard."""


@dataclass(frozen=True)
class Note:
    name: str  # the folder's name: when, then the scene
    folder: Path
    comment: str
    scene: str
    story_id: str
    story_version: str
    written_at: dt.datetime | None
    chapter: str = ""
    date_text: str = ""
    place: str = ""
    turns: int = 0
    damaged: str = ""  # why the bundle cannot be read ("" when it can)

    @property
    def first_line(self) -> str:
        """The comment's first line, cleaned for a terminal (no control or direction characters)."""
        return shown(self.comment.strip().splitlines()[0] if self.comment.strip() else "")


def notes_folder(saves_folder: str | Path) -> Path:
    return Path(saves_folder) / FOLDER


def shown(text: str, limit: int = 200) -> str:
    """Untrusted text as one plain line: control, surrogate and bidirectional characters removed."""
    out = []
    for ch in str(text):
        if ch in "\t\n\r":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cs", "Cf"):
            continue
        else:
            out.append(ch)
    line = "".join(out).strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


def write_note(saves_folder: str | Path, story: Story, state: GameState, comment: str, *,
               play_seconds: float = 0.0, initial: GameState | None = None,
               now: dt.datetime | None = None) -> Note:
    """Write one note bundle for the game at `state`; the Note written. Raises NoteError.

    `initial` is the state the session started from (for games begun with --scene/--set), so
    that the recording replays from there.
    """
    from game.saves import SaveError, SaveStore
    from game.tools.transcript import recording_from_game, replay

    if state.scene not in story.scenes:
        raise NoteError(f"Cannot write a note: the scene '{state.scene}' is not in this story.")
    when = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    scene = story.scenes[state.scene]
    chapter = story.chapters.get(scene.chapter)
    comment = str(comment)[:MAX_COMMENT]
    recording = recording_from_game(story, state, initial)
    try:
        transcript = replay(story, recording).text
    except Exception as exc:  # noqa: BLE001 - the note matters more than its readable copy
        transcript = f"(the transcript could not be replayed: {exc})\n"
    meta: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "comment": comment,
        "scene": state.scene,
        "story": {"id": story.info.id, "title": story.info.title, "version": story.info.version},
        "written_at": when.isoformat(timespec="seconds"),
        "chapter": chapter.title if chapter else scene.chapter,
        "date_text": scene.date.isoformat(),
        "place": scene.place,
        "turns": len(state.journal),
    }
    root = notes_folder(saves_folder)
    if len(list_notes(saves_folder)) >= MAX_NOTES:
        raise NoteError(f"Cannot write a note: {root} already holds {MAX_NOTES} notes. Read them "
                        "(`thaw notes`) and move them elsewhere to write more.")
    base = f"{when:%Y%m%d-%H%M%S}-{state.scene}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = root / f".{base}.{secrets.token_hex(4)}.tmp"
        tmp.mkdir()
        try:
            SaveStore(tmp).save(SLOT, story, state, label="tester note", play_seconds=play_seconds)
            _write(tmp / "note.json", json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
            _write(tmp / "transcript.json", recording.to_json())
            _write(tmp / "transcript.txt", transcript)
            name = _publish(tmp, root, base)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    except SaveError as exc:
        raise NoteError(f"Cannot write a note: {exc}") from None
    except OSError as exc:
        raise NoteError(f"Cannot write a note in {root}: {exc.strerror or exc}") from None
    return read_note(root / name)


def _write(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def _publish(tmp: Path, root: Path, base: str) -> str:
    """Rename the finished bundle into place under a free name (two notes in one second get -2, -3...)."""
    for n in range(1, 1000):
        name = base if n == 1 else f"{base}-{n}"
        if (root / name).exists():
            continue
        try:
            os.rename(tmp, root / name)  # one step: the bundle appears whole
        except OSError:
            if (root / name).exists():  # another note took the name meanwhile
                continue
            raise
        fsync_dir(root)
        return name
    raise NoteError("Cannot write a note: too many notes written in the same second.")


def read_note(folder: Path) -> Note:
    """The note in `folder`; a Note with `damaged` set when it cannot be read (never raises)."""
    name = folder.name
    try:
        with open(folder / "note.json", "rb") as f:
            raw = f.read(MAX_COMMENT * 4 + 65_536)
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("note.json is not a thaw note")
        if not isinstance(data.get("version"), int) or data["version"] > VERSION:
            raise ValueError("the note was written by a newer version of the game")
        story = data.get("story") if isinstance(data.get("story"), dict) else {}
        when = dt.datetime.fromisoformat(data["written_at"]) if isinstance(data.get("written_at"), str) else None
        text = lambda key: data[key] if isinstance(data.get(key), str) else ""  # noqa: E731
        turns = data.get("turns") if isinstance(data.get("turns"), int) else 0
        if not text("scene"):
            raise ValueError("note.json names no scene")
        return Note(name, folder, text("comment")[:MAX_COMMENT], text("scene"),
                    str(story.get("id", "")), str(story.get("version", "")), when,
                    text("chapter"), text("date_text"), text("place"), turns)
    except (OSError, ValueError, UnicodeDecodeError, KeyError, TypeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Note(name, folder, "", "", "", "", None, damaged=shown(why, 120))


def list_notes(saves_folder: str | Path) -> list[Note]:
    """Every note of the folder, oldest first (the order `thaw notes open N` counts in)."""
    root = notes_folder(saves_folder)
    try:
        entries = sorted(e.name for e in os.scandir(root) if e.is_dir(follow_symlinks=False) and _NAME.fullmatch(e.name))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise NoteError(f"Cannot read the notes in {root}: {exc.strerror or exc}") from None
    return [read_note(root / name) for name in entries]


def find_note(saves_folder: str | Path, which: str) -> Note:
    """A note by its number in the list (1 = oldest) or its name. Raises NoteError."""
    notes = list_notes(saves_folder)
    if which.isdigit() and 1 <= int(which) <= len(notes):
        return notes[int(which) - 1]
    for note in notes:
        if note.name == which:
            return note
    count = f"{len(notes)} note{'s' if len(notes) != 1 else ''}" if notes else "no notes"
    raise NoteError(f"There is no note '{shown(which, 60)}' ({count} in {notes_folder(saves_folder)}; "
                    "`thaw notes` lists them).")


def note_state(note: Note, story: Story) -> tuple[GameState, str | None]:
    """The note's game, fitted to `story` as a save is: (state, notice or None). Raises NoteError."""
    from game.saves import SaveError, SaveStore

    if note.damaged:
        raise NoteError(f"The note {note.name} cannot be read: {note.damaged}.")
    try:
        loaded = SaveStore(note.folder).load(SLOT, story)
    except SaveError as exc:
        raise NoteError(f"The note {note.name} cannot be opened: {exc}") from None
    return loaded.state, loaded.notice
