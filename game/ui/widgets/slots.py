"""The save slots as the Save and Load screens list them: one row per slot, in columns.

A row is the slot's title, then what it holds (the label, the chapter and in-game date, or the
damage and its reason), then when it was saved and the play time, right-aligned. Everything a
save file or the player supplied is plain text here (Textual Content, never markup), so a label
such as ``[/]`` or ``[bold]x`` shows as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events
from textual.content import Content
from textual.widgets.option_list import Option

from game.saves import format_saved_at
from game.ui.widgets.options import OptionList

#: option id of "New named slot…" ('+' is not allowed in a slot name, so it cannot clash)
NEW_SLOT = "+new"
GAP = 2
MIN_MIDDLE = 24  # narrower than this, the right column goes under the middle one


@dataclass(frozen=True)
class SlotRow:
    """One row: the option id (the slot name, or NEW_SLOT), its title, and the SlotInfo of what it
    holds (None for an empty slot)."""

    slot: str
    title: str
    info: Any = None


def chapter_text(info: Any) -> str:
    if info.chapter_number is not None:
        return f"Chapter {info.chapter_number}: {info.chapter}" if info.chapter else f"Chapter {info.chapter_number}"
    return info.chapter


def _cells(row: SlotRow, story_id: str) -> tuple[list[Content], list[str]]:
    """The middle cell (one Content per line before wrapping) and the right cell of a row."""
    info = row.info
    if row.slot == NEW_SLOT:
        return [], []
    if info is None:
        return [Content.styled("empty", "italic $text-muted")], []
    saved = format_saved_at(info.saved_at)
    if info.damaged:
        reason = Content.assemble((" DAMAGED ", "bold $text on $error"), " ", info.damaged)
        backup = "backup OK" if info.backup_ok else "no usable backup"
        return [reason], [saved, backup]
    if info.label:
        label = Content.assemble("\u201c", info.label, "\u201d")
    else:
        label = Content.styled("no label", "italic $text-muted")
    where = [part for part in (chapter_text(info), info.date_text) if part]
    middle = [label, Content(" \u00b7 ".join(where))] if where else [label]
    if story_id and info.story_id and info.story_id != story_id:
        other = info.story_title or info.story_id
        middle.append(Content.styled(f"another story: {other}", "italic $text-warning"))
    return middle, [saved, f"played {info.play_time}"]


def info_damaged(row: SlotRow) -> bool:
    return row.slot != NEW_SLOT and row.info is not None and bool(row.info.damaged)


def right_width(rows: list[SlotRow], story_id: str = "") -> int:
    return max((len(text) for row in rows for text in _cells(row, story_id)[1]), default=0)


def title_width(rows: list[SlotRow]) -> int:
    return max(9, min(14, max((len(r.title) for r in rows if r.slot != NEW_SLOT), default=0)))


def slot_prompt(row: SlotRow, width: int = 0, *, titles: int = 12, rights: int = 22, story_id: str = "") -> Content:
    """The row as Content `width` cells wide (0: not known yet, no wrapping)."""
    if row.slot == NEW_SLOT:
        return Content.styled(row.title, "bold")
    title = Content.styled(row.title, "bold")
    middle, right = _cells(row, story_id)
    middle_width = width - titles - GAP - (rights + GAP if right else 0)
    if width and middle_width < MIN_MIDDLE:  # narrow: everything under the title
        middle = middle + [Content(text) for text in right]
        right = []
        middle_width = width - titles - GAP
    titles_cell = title.wrap(titles) if width else [title]
    lines: list[Content] = []
    for part in middle:
        if width and middle_width > 0 and part.cell_length > middle_width and " \u00b7 " in part.plain:
            # chapter · date too long: a line each rather than a break inside one of them
            pieces = part.split(" \u00b7 ")
            lines += [line for piece in pieces for line in piece.wrap(middle_width)]
        else:
            lines += part.wrap(middle_width) if width and middle_width > 0 else [part]
    out = []
    for k in range(max(len(titles_cell), len(lines), len(right))):
        left = titles_cell[k] if k < len(titles_cell) else Content("")
        mid = lines[k] if k < len(lines) else Content("")
        # the DAMAGED badge's own leading space sits in the gap, so its word lines up with the
        # text of the other rows (and with its own next lines)
        gap = GAP - 1 if k == 0 and info_damaged(row) else GAP
        line = Content.assemble(left.pad_right(titles - left.cell_length), " " * gap, mid)
        if k < len(right):
            if width:
                line = line.pad_right(max(GAP, width - line.cell_length - len(right[k])))
            else:
                line = Content.assemble(line, " " * GAP)
            line = Content.assemble(line, (right[k], "$text-muted"))
        out.append(line.rstrip())
    return Content("\n").join(out)


class SlotList(OptionList):
    """The slots of a Save or Load screen; re-wraps its rows when its width changes."""

    def __init__(self, *, story_id: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self.story_id = story_id
        self.rows: list[SlotRow] = []
        self._wrap_width = 0

    def _text_width(self) -> int:
        # as ChoiceList: the option's padding (0 1) and a cell for a scrollbar come off
        width = self.size.width - self.styles.gutter.width - 1
        return width - 2 if width > 6 else 0

    def show(self, rows: list[SlotRow], highlighted: int | None = 0) -> None:
        self.rows = list(rows)
        self._wrap_width = self._text_width()
        titles, rights = title_width(self.rows), right_width(self.rows, self.story_id)
        self.set_options(
            Option(slot_prompt(r, self._wrap_width, titles=titles, rights=rights, story_id=self.story_id), id=r.slot)
            for r in self.rows
        )
        if self.rows:
            self.highlighted = min(highlighted or 0, len(self.rows) - 1)

    def on_resize(self, event: events.Resize) -> None:
        if self.rows and self._text_width() != self._wrap_width:
            self.show(self.rows, self.highlighted)

    @property
    def current(self) -> SlotRow | None:
        k = self.highlighted
        return self.rows[k] if k is not None and 0 <= k < len(self.rows) else None

    def index_of(self, slot: str) -> int | None:
        return next((k for k, r in enumerate(self.rows) if r.slot == slot), None)
