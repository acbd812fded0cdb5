"""`thaw saves`: the slots of a save folder as a plain-text table, damaged ones explained."""

from __future__ import annotations

import sys

from game.saves.errors import SaveError
from game.saves.slots import SlotInfo, clean_label, format_saved_at
from game.saves.store import SaveStore
from game.text import terminal_text


def _cell(text: str, width: int) -> str:
    text = clean_label(text)
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def format_table(infos: list[SlotInfo]) -> str:
    """The plain-text table that `thaw saves` prints; damaged slots are marked in the last column
    and explained under the table."""
    several_stories = len({i.story_id for i in infos if i.story_id}) > 1
    header = ["Slot", "Label", "Chapter", "In-game date", "Saved at", "Play time"]
    if several_stories:
        header.append("Story")
    header.append("")
    rows = []
    notes = []
    for i in infos:
        chapter = f"{i.chapter_number}. {i.chapter}" if i.chapter_number is not None else i.chapter
        row = [_cell(i.title, 24), _cell(i.label, 30), _cell(chapter, 30), i.date_text,
               format_saved_at(i.saved_at), "" if i.damaged else i.play_time]
        if several_stories:
            row.append(_cell(i.story_title or i.story_id, 20))
        if i.damaged:
            row.append("DAMAGED" + (" (backup OK)" if i.backup_ok else ""))
            backup = "its backup can be loaded" if i.backup_ok else "no usable backup"
            notes.append(f"{i.title}: {clean_label(i.damaged)}; {backup}.")
        else:
            row.append("")
        rows.append(row)
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths).rstrip())
    if notes:
        lines += ["", "Damaged:", *(f"  {n}" for n in notes)]
    return "\n".join(lines)


def saves_command(cli_value: str | None = None, *, out=None) -> int:
    """`thaw saves [--saves DIR]`: list the slots of a save folder."""
    out = out or sys.stdout
    store = SaveStore.open(cli_value)
    try:
        infos = store.list()
    except SaveError as exc:
        print(terminal_text(f"thaw saves: {exc}"), file=sys.stderr)
        return 1
    print(terminal_text(f"Saves in {store.folder}"), file=out)
    if not infos:
        print("No saves yet.", file=out)
        return 0
    print(file=out)
    print(terminal_text(format_table(infos)), file=out)
    if any(i.damaged for i in infos):
        print(
            "\nA damaged save is never overwritten unless you confirm it; where its backup is OK, "
            "load the backup from the Load screen.",
            file=out,
        )
    return 0
