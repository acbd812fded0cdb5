"""What the plain front end prints: the scene, its choices, the note, the journal, the codex, status.

Lines only (no cursor movement, no redraws), so a screen reader reads the game as a conversation
and a script can read it from a pipe. Everything read from the session; nothing here changes it.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from typing import TextIO

from game.reading import codex_entries, codex_text, plain_inline, plain_paragraphs, unlocked_codex
from game.session import Session
from game.session.status import status
from game.story.engine import SceneView
from game.text import terminal_text


class Printer:
    """Writes lines to `out`, wrapped to the terminal when it is one (one line per paragraph
    into pipes and files)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.width = _wrap_width(out)

    def say(self, text: str = "") -> None:
        """Every line the plain game prints goes through here: story, save and player text alike
        reach the terminal with control characters shown as escapes (game.text)."""
        self.out.write(terminal_text(text) + "\n")

    def para(self, text: str, indent: str = "") -> None:
        if self.width:
            self.say(textwrap.fill(text, self.width, initial_indent=indent, subsequent_indent=indent))
        else:
            self.say(indent + text)

    def prose(self, markdown: str, indent: str = "") -> None:
        for k, paragraph in enumerate(plain_paragraphs(markdown)):
            if k:
                self.say()
            self.para(paragraph, indent)


class Showing(Printer):
    """The plain front end's views of its session (PlainGame sets `session`)."""

    session: Session
    show_endings: Callable[[], None]  # from Pages

    def show_scene(self, *, with_result: bool = True, fold: bool | None = None) -> SceneView:
        """The result of the last choice (and its notices), the scene, its choices. A scene read
        before is folded to its header when the player asked to skip such scenes (`fold` None:
        as the setting says)."""
        session = self.session
        v = session.view
        result = session.state.last_result if with_result else ""
        if result:
            self.prose(result)
        if with_result:
            for line in session.notices:
                self.para(f"({plain_inline(line)})")
        if result or (with_result and session.notices):
            self.say()
        self.say(f"== {v.header} ==")
        self.say()
        if fold is None:
            fold = v.ending is None and session.read_before and session.folder.profile.skip_read
        if fold:
            self.say("(You have read this scene before: type look to read it again.)")
        else:
            self.prose(v.text)
            if session.first_mentions:
                names = [session.story.codex[e].name for e in session.first_mentions]
                self.say()
                self.para(f"(New in the codex: {', '.join(names)}.)")
        self.say()
        if v.ending is None:
            self.show_choices(v)
        return v

    def show_choices(self, v: SceneView) -> None:
        for c in v.choices:
            text = plain_inline(c.text)
            before = " (chosen before)" if self.session.taken_before(c.id) else ""
            if c.available:
                self.say(f"  {c.number}. {text}{before}")
            else:
                reason = plain_inline(c.locked_reason) or "not available now"
                self.say(f"  {c.number}. [locked] {text} ({reason}){before}")
        if v.is_dead_end:
            self.say("  (There is no way on from here: type undo, load or quit.)")

    def show_ending(self, v: SceneView) -> None:
        ending = v.ending
        assert ending is not None
        self.say(f"*** THE END: {ending.title} ***")
        self.say()
        self.show_status(header=False)
        self.session.record_ending()
        self.say()
        self.show_endings()

    def show_status(self, *, header: bool = True) -> None:
        """Where you stand: the meters and the people met in this game, as the status panel
        shows them; what the last choice moved is said."""
        session = self.session
        if header:
            self.say(session.view.header)
        rows = status(session.story, session.state, session.change, session.unlocked)
        if rows.meters:
            self.say("Your standing:")
            for row in rows.meters:
                self.say(f"  {row.label}: {row.value} of {row.high}{_moved(row.delta)}")
        if rows.people:
            self.say("People:")
            for row in rows.people:
                name = f"{row.label} ({plain_inline(row.role)})" if row.role else row.label
                if row.stat is None:
                    self.say(f"  {name}")
                elif row.unmet:
                    self.say(f"  {name}: not yet met")
                else:
                    self.say(f"  {name}: {row.value} of {row.high}{_moved(row.delta)}")
        self.say(f"Decisions so far: {len(session.state.journal)}")

    def show_codex(self, query: str) -> None:
        """The entries this game has found (WORD filters them), the newest first; each with the
        passages that hold in this game."""
        session = self.session
        story, state = session.story, session.state
        found = session.unlocked | unlocked_codex(story, state)
        groups = codex_entries(story, found, query)
        total = sum(len(v) for v in groups.values())
        if not total:
            self.say("No codex entries match." if query else "You have not met anyone or anything in the codex yet.")
            return
        newest = session.newest_codex
        if newest and any(e.id == newest for entries in groups.values() for e in entries):
            self.para(f"Newest: {story.codex[newest].name}")
        for kind, title in (("person", "People"), ("place", "Places"), ("term", "Terms")):
            if groups[kind]:
                self.say(f"{title}:")
                for entry in groups[kind]:
                    text = " ".join(plain_paragraphs(codex_text(story, entry, state)))
                    self.para(f"- {entry.name}: {text}", "  ")
        self.say(f"({total} of {len(story.codex)} entries found)")


def _moved(delta: int) -> str:
    return f" ({'+' if delta > 0 else ''}{delta} with your last choice)" if delta else ""


def _wrap_width(out: TextIO) -> int:
    """Wrap to the terminal when writing to one; one line per paragraph into pipes and files."""
    try:
        if not out.isatty():
            return 0
    except (AttributeError, ValueError):
        return 0
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100) - 2)
