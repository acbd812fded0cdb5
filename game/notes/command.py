"""`thaw notes`: list the tester notes of the save folder, or open one at its scene."""

from __future__ import annotations

import json
import sys

from game.notes.bundle import (
    Note,
    NoteError,
    find_note,
    list_notes,
    note_state,
    notes_folder,
    shown,
)
from game.text import terminal_text


def main(action: str, which: str | None, *, saves: str | None, scenes: str | None, plain: bool, fmt: str) -> int:
    from game.paths import default_saves_dir

    try:
        folder = default_saves_dir(saves)
        if action == "open":
            if not which:
                print("thaw notes open: say which note: its number in `thaw notes` or its name", file=sys.stderr)
                return 2
            return _open(folder, which, scenes=scenes, saves=saves, plain=plain)
        notes = list_notes(folder)
    except NoteError as exc:
        print(f"thaw notes: {exc}", file=sys.stderr)
        return 1
    if fmt == "json":
        print(json.dumps([_as_dict(n, i) for i, n in enumerate(notes, start=1)], indent=2, ensure_ascii=False))
        return 0
    print(terminal_text(list_text(notes, str(notes_folder(folder)))))
    return 0


def list_text(notes: list[Note], where: str) -> str:
    if not notes:
        return f"No tester notes in {where}."
    lines = [f"{len(notes)} tester note{'s' if len(notes) != 1 else ''} in {where} (thaw notes open N):"]
    for i, note in enumerate(notes, start=1):
        if note.damaged:
            lines.append(f"  {i:>3}  {note.name}: damaged: {note.damaged}")
            continue
        when = note.written_at.strftime("%Y-%m-%d %H:%M") if note.written_at else "?"
        place = ", ".join(p for p in (shown(note.chapter, 60), note.date_text, f"turn {note.turns}") if p)
        lines.append(f"  {i:>3}  {when}  {shown(note.scene, 64)}  ({place})  \"{note.first_line[:80]}\"")
    return "\n".join(lines)


def _as_dict(note: Note, number: int) -> dict:
    return {"number": number, "name": note.name, "scene": note.scene, "comment": note.comment,
            "story": {"id": note.story_id, "version": note.story_version},
            "written_at": note.written_at.isoformat() if note.written_at else None,
            "chapter": note.chapter, "date": note.date_text, "place": note.place, "turns": note.turns,
            "damaged": note.damaged or None}


def _open(folder, which: str, *, scenes: str | None, saves: str | None, plain: bool) -> int:  # type: ignore[no-untyped-def]
    from game.session import open_story

    note = find_note(folder, which)
    story = open_story(scenes)
    if story is None:
        return 1
    if note.story_id and note.story_id != story.info.id:
        raise NoteError(f"The note {note.name} belongs to story '{shown(note.story_id, 64)}', not to "
                        f"'{story.info.id}': give its story folder with --scenes.")
    state, notice = note_state(note, story)
    print(f"Note {note.name}: {shown(note.comment, 2000)}")
    print(terminal_text(f"Opening it at '{state.scene}' (turn {len(state.journal)}); its transcript is in "
                        f"{note.folder / 'transcript.txt'}."))
    if notice:
        print(terminal_text(notice))
    if plain:
        from game.plain import run_plain

        return run_plain(story, saves_dir=saves, start=state)
    from game.ui.app import create_app

    app = create_app(story, saves_dir=saves, start=state)
    app.run()
    return app.return_code or 0
