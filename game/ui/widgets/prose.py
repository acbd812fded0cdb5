"""Scene prose: the Markdown that writers use in scenes, rendered as styled text.

Scenes use a small part of Markdown (paragraphs, *emphasis*, **strong**, headings, block quotes,
lists, rules, `code`, links). Rendering it directly to one Rich Text is several times faster
than building a Markdown document widget per scene, which keeps a keypress-to-next-scene well
inside one frame, and it keeps the look under the game's control.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.widgets import Static

from game.reading import blocks
from game.text import terminal_text

_INLINE = re.compile(
    r"(?P<code>`[^`]+`)"
    r"|(?P<link>\[[^\]]+\]\([^)]*\))"
    r"|(?P<both>\*\*\*(?=\S).+?(?<=\S)\*\*\*)"
    r"|(?P<strong>(\*\*|__)(?=\S).+?(?<=\S)(\*\*|__))"
    r"|(?P<em>(?<![\w*])\*(?=[^\s*]).*?(?<=[^\s*])\*(?![\w*])|(?<![\w_])_(?=\S).+?(?<=\S)_(?![\w_]))"
    r"|(?P<strike>~~(?=\S).+?(?<=\S)~~)",
    re.S,
)


def inline(text: str, style: str = "") -> Text:
    """One paragraph's inline Markdown as Text (nested emphasis works). Rich Text is never parsed
    as markup; control characters are shown as escapes (game.text)."""
    text = terminal_text(text)
    out = Text(style=style)
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append(_unescape(text[pos : m.start()]))
        token = m.group(0)
        if m.group("code"):
            out.append(token[1:-1], style="bold")
        elif m.group("link"):
            label, _, url = token[1:-1].partition("](")
            out.append_text(inline(label, "underline"))
        elif m.group("both"):
            out.append_text(inline(token[3:-3], "bold italic"))
        elif m.group("strong"):
            out.append_text(inline(token[2:-2], "bold"))
        elif m.group("em"):
            out.append_text(inline(token[1:-1], "italic"))
        else:
            out.append_text(inline(token[2:-2], "strike"))
        pos = m.end()
    if pos < len(text):
        out.append(_unescape(text[pos:]))
    return out


def _unescape(text: str) -> str:
    return text.replace("\\*", "*").replace("\\_", "_").replace("\\`", "`")


def render_markdown(markdown: str, *, style: str = "") -> Text:
    """Markdown prose as one Text, paragraphs separated by a blank line."""
    text = Text(style=style, end="")
    previous = ""
    for k, (kind, body) in enumerate(blocks(markdown)):
        if k:
            text.append("\n" if kind == "item" and previous == "item" else "\n\n")
        if kind == "h":
            text.append_text(inline(body, "bold"))
        elif kind == "quote":
            text.append("  ")
            text.append_text(inline(body, "italic"))
        elif kind == "item":
            text.append("  ")
            text.append_text(inline("•" + body[1:] if body.startswith("- ") else body))
        elif kind == "rule":
            text.append("*    *    *", style="dim")
            text.justify = None
        else:
            text.append_text(inline(body))
        previous = kind
    return text


def mark_words(text: Text, words: list[str] | tuple[str, ...], style: str) -> Text:
    """`text` with the first whole-word occurrence of each of `words` styled (a codex entry the
    prose names for the first time in this game)."""
    plain = text.plain
    for word in words:
        found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", plain)
        if found:
            text.stylize(style, found.start(), found.end())
    return text


class Prose(Static):
    """A block of scene prose (Markdown), wrapped to the pane's width."""

    DEFAULT_CSS = """
    Prose { height: auto; }
    """

    def __init__(self, markdown: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(render_markdown(markdown), id=id, classes=classes)
        self.markdown = markdown
        self.marks: tuple[str, ...] = ()

    def show(self, markdown: str, marks: tuple[str, ...] = ()) -> None:
        """Show `markdown`; the first use of each of `marks` is underlined (a first mention)."""
        if markdown != self.markdown or marks != self.marks:
            self.markdown, self.marks = markdown, tuple(marks)
            self.update(mark_words(render_markdown(markdown), self.marks, "underline bold"))
        self.display = bool(markdown.strip())
