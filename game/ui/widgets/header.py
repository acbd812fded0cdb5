"""The scene header: chapter on the left; date and place on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from game.story.engine import SceneView


class SceneHeader(Horizontal):
    DEFAULT_CSS = """
    SceneHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    SceneHeader #chapter { width: 1fr; text-style: bold; text-overflow: ellipsis; text-wrap: nowrap; }
    SceneHeader #when { width: auto; max-width: 70%; color: $text-muted; text-overflow: ellipsis; text-wrap: nowrap; }
    """

    def compose(self) -> ComposeResult:
        yield Label(id="chapter")
        yield Label(id="when")

    def show(self, v: SceneView, *, prefix: str = "") -> None:
        chapter = f"Chapter {v.chapter.number} · {v.chapter.title}" if v.chapter else ""
        self.query_one("#chapter", Label).update(prefix or chapter)
        self.query_one("#when", Label).update(" · ".join(p for p in (v.date_text, v.place) if p))
