"""Text from a story, a save or the player, on screen exactly as written.

Textual reads a plain ``str`` given to ``Static``, ``Option``, ``update`` or ``border_title`` as
markup: ``[/]`` crashes it and ``[@click=app.screenshot(...)]`` makes a clickable action. So no
screen builds a markup string from data: computed text goes through this module, which makes a
Textual ``Content`` (never parsed) and shows any control character as a visible escape
(game.text.terminal_text). The app's ``notify`` is plain text too (game.ui.app). A test
(tests/test_security_ui.py) fails when a screen passes a computed ``str`` to a widget.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import Static
from textual.widgets.option_list import Option

from game.text import terminal_text


def literal(text: str, style: str = "") -> Content:
    """`text` as Content, never parsed as markup; `style` (a Textual style such as "bold") applies
    to all of it."""
    safe = terminal_text(text)
    return Content.styled(safe, style) if style else Content(safe)


def rich_literal(text: str, style: str = "") -> Text:
    """`text` as Rich Text (for Rich tables and renderables), control characters made visible."""
    return Text(terminal_text(text), style=style)


def option(text: str | Content, *, id: str | None = None, disabled: bool = False) -> Option:
    """A menu option whose prompt is `text` as written."""
    return Option(text if isinstance(text, Content) else literal(text), id=id, disabled=disabled)


class Literal(Static):
    """A Static for text that comes from data: a ``str`` given to it, or to :meth:`update`, is
    shown as typed (Content and Rich Text are shown as they are)."""

    def __init__(self, text: str | Content | Text = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(_visual(text), id=id, classes=classes, markup=False)

    def update(self, content: str | Content | Text = "", *, layout: bool = True) -> None:  # type: ignore[override]
        super().update(_visual(content), layout=layout)


def _visual(text: str | Content | Text) -> Content | Text:
    return literal(text) if isinstance(text, str) else text


__all__ = ["Literal", "literal", "option", "rich_literal"]
