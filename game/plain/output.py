"""What the plain front end prints: the scene, its choices, the note, the journal, the codex, status.

Lines only (no cursor movement, no redraws), so a screen reader reads the game as a conversation
and a script can read it from a pipe. Everything read from the session; nothing here changes it.
"""

from __future__ import annotations

import shutil
import textwrap
from typing import TextIO

from game.reading import codex_entries, history_note, plain_inline, plain_paragraphs, timeline, unlocked_codex
from game.session import Session
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

    def show_scene(self, *, with_result: bool = True) -> SceneView:
        v = self.session.view
        result = self.session.state.last_result if with_result else ""
        if result:
            self.prose(result)
            self.say()
        self.say(f"== {v.header} ==")
        self.say()
        self.prose(v.text)
        self.say()
        if v.ending is None:
            self.show_choices(v)
        return v

    def show_choices(self, v: SceneView) -> None:
        for c in v.choices:
            text = plain_inline(c.text)
            if c.available:
                self.say(f"  {c.number}. {text}")
            else:
                reason = plain_inline(c.locked_reason) or "not available now"
                self.say(f"  {c.number}. [locked] {text} ({reason})")
        if v.is_dead_end:
            self.say("  (There is no way on from here: type undo, load or quit.)")

    def show_ending(self, v: SceneView) -> None:
        ending = v.ending
        assert ending is not None
        self.say(f"*** THE END: {ending.title} ***")
        self.say()
        self.show_status(header=False)
        found, total = self.session.record_ending()
        self.say()
        self.say(f"Endings found: {found} of {total}")

    def show_status(self, *, header: bool = True) -> None:
        story, state = self.session.story, self.session.state
        if header:
            self.say(self.session.view.header)
        meters = [(s.label, state.stats.get(k, s.start), s.max) for k, s in story.stats.items() if s.kind == "meter"]
        if meters:
            self.say("Your standing:")
            for label, value, top in meters:
                self.say(f"  {label}: {value} of {top}")
        people = []
        shown_stats = set()
        for person in story.people.values():
            if person.stat and person.stat in story.stats:
                shown_stats.add(person.stat)
                stat = story.stats[person.stat]
                role = f", {person.role[0].lower()}{person.role[1:]}" if person.role else ""
                people.append(f"  {person.name}{role}: {state.stats.get(person.stat, stat.start)} of {stat.max}")
        for key, stat in story.stats.items():
            if stat.kind == "relationship" and key not in shown_stats:
                people.append(f"  {stat.label}: {state.stats.get(key, stat.start)} of {stat.max}")
        if people:
            self.say("People:")
            for line in people:
                self.say(line)
        self.say(f"Decisions so far: {len(state.journal)}")

    def show_note(self) -> None:
        story = self.session.story
        note = history_note(story, story.scenes[self.session.state.scene])
        if note.has_event:
            self.say(f"History note: {note.title}")
            self.say(f"Date: {note.date_text}")
            if note.summary:
                self.say()
                self.prose(note.summary)
            if note.disputed:
                self.say()
                self.para(f"Disputed: {plain_inline(note.disputed)}")
        else:
            self.say(f"History note: {note.title}, {note.date_text}")
            self.say("This scene is not tied to one documented event.")
        if note.sources:
            self.say()
            self.say("Sources:")
            for c in note.sources:
                self.para(f"- {c.cite}" + (f" {c.url}" if c.url else ""), "")

    def show_journal(self) -> None:
        items = timeline(self.session.story, self.session.state)
        if not items:
            self.say("The journal is empty.")
            return
        self.say("Journal: your decisions (>) beside the documented events (*), in date order.")
        marked = False
        for item in items:
            if item.ahead and not marked:
                self.say("  -- still ahead of you --")
                marked = True
            if item.kind == "event":
                flag = " [disputed]" if item.disputed else ""
                self.say(f"  * {item.date_text}: {item.title}{flag}")
            else:
                self.say(f"  > {item.date_text}: You chose: {item.title}")
                if item.detail:
                    self.say(f"      {item.detail}")

    def show_codex(self, query: str) -> None:
        story = self.session.story
        found = self.session.unlocked | unlocked_codex(story, self.session.state)
        groups = codex_entries(story, found, query)
        total = sum(len(v) for v in groups.values())
        if not total:
            self.say("No codex entries match." if query else "You have not met anyone or anything in the codex yet.")
            return
        for kind, title in (("person", "People"), ("place", "Places"), ("term", "Terms")):
            if groups[kind]:
                self.say(f"{title}:")
                for entry in groups[kind]:
                    self.para(f"- {entry.name}: {plain_inline(entry.text.strip())}", "  ")
        self.say(f"({total} of {len(story.codex)} entries found)")


def _wrap_width(out: TextIO) -> int:
    """Wrap to the terminal when writing to one; one line per paragraph into pipes and files."""
    try:
        if not out.isatty():
            return 0
    except (AttributeError, ValueError):
        return 0
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100) - 2)
