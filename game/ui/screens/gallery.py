"""The endings gallery (e on the title screen): the endings found in any playthrough, and a hint
for each of the others (game.session.gallery)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer

from game.session.gallery import endings_gallery, gallery_summary
from game.ui.literal import Literal, rich_literal
from game.ui.screens.base import GameModal, Panel
from game.ui.screens.ending import tone_line
from game.ui.widgets.prose import inline


def gallery_text(story, found: set[str]) -> tuple[Text, str]:
    """The gallery as Text, and its summary line."""
    gallery = endings_gallery(story, found)
    out = Text(end="")
    for k, ending in enumerate(gallery):
        if k:
            out.append("\n\n")
        if ending.found:
            out.append("\u2713 ", style="bold")
            out.append_text(inline(ending.title, "bold"))
            tone = tone_line(ending.tone)
            detail = " \u00b7 ".join(part for part in (tone, ending.chapter) if part)
            if ending.interim:
                detail += (" \u00b7 " if detail else "") + "the end of the pages written so far"
            if detail:
                out.append("\n  ")
                out.append_text(rich_literal(detail, "italic dim"))
        else:
            out.append("? ", style="bold dim")
            out.append_text(inline(ending.title, "italic"))
    return out, gallery_summary(gallery)


class EndingsScreen(GameModal):
    def compose(self) -> ComposeResult:
        story = self.game.story
        found = set(self.game.profile.endings_found(story.info.id, story.endings))
        text, summary = gallery_text(story, found)
        with Panel("Endings", classes="panel gallery", id="gallery-panel"):
            yield Literal(summary, classes="muted panel-intro")
            with VerticalScroll(id="gallery-body", classes="panel-body"):
                yield Literal(text, id="gallery-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#gallery-body").focus()
