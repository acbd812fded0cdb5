"""What the plain front end prints on request: the history note, the journal, the story so far,
the chapter card and the endings gallery.

A mixin of PlainGame, like Showing: lines only, read from the session, which it never changes.
"""

from __future__ import annotations

from game.plain.output import Printer
from game.reading import history_note, plain_inline, timeline
from game.session import Session
from game.session.card import Card
from game.session.gallery import endings_gallery, gallery_summary

BACK_DEFAULT = 3


class Pages(Printer):
    """note, journal, back [N], the chapter card, endings."""

    session: Session

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

    def show_back(self, rest: str) -> None:
        """back [N]: the last N decisions (all: every one), each scene as it was read, the choice
        taken and its result."""
        pages = self.session.story_so_far()
        if not pages:
            self.say("The story so far is empty: you have not made a decision yet.")
            return
        word = rest.strip().lower()
        if word in ("all", "*"):
            count = len(pages)
        elif word.isdigit() and int(word) > 0:
            count = int(word)
        elif not word:
            count = BACK_DEFAULT
        else:
            self.say("Type back, back N (the last N decisions) or back all.")
            return
        shown = pages[-count:]
        first = len(pages) - len(shown) + 1
        self.say(f"The story so far: decisions {first} to {len(pages)} of {len(pages)}."
                 if len(shown) > 1 else f"The story so far: decision {len(pages)} of {len(pages)}.")
        for page in shown:
            self.say()
            self.say(f"-- {page.header()} --")
            if not page.exact:
                self.say("(The story has changed since: the scene as it reads now.)")
            self.prose(page.text)
            self.say(f"You chose: {plain_inline(page.choice)}")
            if page.result:
                self.prose(page.result, "  ")
        self.say()
        self.say("(End of the story so far. Type look to see the scene again.)")

    def show_card(self, card: Card) -> None:
        """The chapter card: the record beside the private truth, then what you did beside what
        happened (one after the other, for a screen reader)."""
        self.say(f"=== End of {card.heading} ===")
        for title, lines in ((card.record_title, card.record), (card.private_title, card.private)):
            self.say()
            self.say(f"{title}:")
            self.para(" ".join(plain_inline(line) for line in lines) if lines else "(Nothing.)", "  ")
        events = [i for i in card.items if i.kind == "event"]
        choices = [i for i in card.items if i.kind == "choice"]
        self.say()
        self.say("What you did:")
        for item in choices:
            self.para(f"> {item.date_text}: {item.title}", "  ")
        if not choices:
            self.say("  (Nothing.)")
        self.say()
        self.say("What happened:")
        for item in events:
            self.para(f"* {item.date_text}: {item.title}" + (" [disputed]" if item.disputed else ""), "  ")
        if not events:
            self.say("  (No documented events in these weeks.)")
        self.say()

    def show_endings(self) -> None:
        """endings: the gallery, every ending found in any playthrough or hinted at."""
        story = self.session.story
        found = set(self.session.folder.profile.endings_found(story.info.id, story.endings))
        if self.session.at_ending:
            found.add(self.session.state.scene)
        gallery = endings_gallery(story, found)
        self.say(gallery_summary(gallery))
        for ending in gallery:
            if ending.found:
                tone = f" ({ending.tone})" if ending.tone else ""
                self.para(f"  [found] {plain_inline(ending.title)}{tone}", "")
            else:
                self.para(f"  [not found] {plain_inline(ending.title)}", "")
