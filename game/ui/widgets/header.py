"""The scene header: the chapter on the left; the date and the place on the right.

When both do not fit on one line (a long place on a narrow terminal), the place moves to a second
line instead of being cut off.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from game.story.engine import SceneView


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class SceneHeader(Widget):
    DEFAULT_CSS = """
    SceneHeader {
        dock: top;
        height: auto;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chapter = ""
        self.date = ""
        self.place = ""

    def show(self, v: SceneView, *, prefix: str = "") -> None:
        self.chapter = prefix or (f"Chapter {v.chapter.number} · {v.chapter.title}" if v.chapter else "")
        self.date = v.date_text
        self.place = v.place
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        width = max(10, width)
        when = " · ".join(p for p in (self.date, self.place) if p)
        if len(self.chapter) + len(when) + 3 <= width:
            gap = " " * (width - len(self.chapter) - len(when))
            return [Content.assemble((self.chapter, "bold"), gap, (when, "$text-muted"))]
        chapter = _cut(self.chapter, max(1, width - len(self.date) - 3))
        gap = " " * max(1, width - len(chapter) - len(self.date))
        first = Content.assemble((chapter, "bold"), gap, (self.date, "$text-muted"))
        place = _cut(self.place, width)
        return [first, Content.assemble(" " * (width - len(place)), (place, "$text-muted"))]

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_region.width or self.size.width))

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.lines(width))
