"""The numbered choices of a scene: arrows and Enter, number keys or a click; locked ones dimmed."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.message import Message
from textual.widgets.option_list import Option

from game.story.engine import ChoiceView
from game.ui.widgets.options import OptionList
from game.ui.widgets.prose import inline

GUTTER = 3  # "12 " before the text: the number, right-aligned, and a space


def _lines(content: Content, width: int) -> list[Content]:
    return content.wrap(width) if width > 0 else [content]


#: after a choice taken in an earlier playthrough: quiet, and explained in the help screen
TAKEN_MARK = " \u2713"


def choice_prompt(choice: ChoiceView, width: int = 0, *, before: bool = False) -> Content:
    """'1 Take the key.' with a hanging indent (when `width` is known); a locked choice adds its
    reason on the lines below, a choice taken in an earlier playthrough (`before`) a quiet mark.
    Built as Textual Content, which renders several times faster than a Rich table would."""
    text_width = max(8, width - GUTTER) if width else 0
    text = Content.from_rich_text(inline(choice.text))
    if before:
        text = Content.assemble(text, (TAKEN_MARK, "$text-muted"))
    body = _lines(text, text_width)
    number = (f"{choice.number:>2}", "bold" if choice.available else "")
    out = [Content.assemble(number, " ", body[0])]
    out += [Content.assemble(" " * GUTTER, line) for line in body[1:]]
    if not choice.available:
        reason = Content.from_rich_text(inline(choice.locked_reason or "Not available now.", "italic"))
        locked = Content.assemble(("Locked: ", "italic"), reason)
        out += [Content.assemble(" " * GUTTER, line) for line in _lines(locked, text_width)]
    return Content("\n").join(out)


class ChoiceList(OptionList):
    """The scene's choices. Posts :class:`ChoiceList.Chosen` with the choice id."""

    class Chosen(Message):
        def __init__(self, choice_id: str) -> None:
            super().__init__()
            self.choice_id = choice_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices: tuple[ChoiceView, ...] = ()
        self.before: frozenset[str] = frozenset()
        self._wrap_width = 0

    def _text_width(self) -> int:
        # The option's own padding (0 1) comes off the list's content width, and one more cell
        # for a scrollbar that may appear once the options are in: a line wrapped too wide would
        # be wrapped again by the list, after it measured the option's height, and lose a line.
        width = self.size.width - self.styles.gutter.width - 1
        return width - 2 if width > 6 else 0

    def show(self, choices: tuple[ChoiceView, ...], before: frozenset[str] = frozenset()) -> None:
        """The choices; those whose ids are in `before` were taken in an earlier playthrough."""
        self.choices, self.before = choices, before
        self._wrap_width = self._text_width()
        self.set_options(
            Option(choice_prompt(c, self._wrap_width, before=c.id in before), id=c.id, disabled=not c.available)
            for c in choices
        )
        first = next((k for k, c in enumerate(choices) if c.available), None)
        self.highlighted = first
        self.display = bool(choices)
        self.scroll_home(animate=False)

    def on_resize(self, event: events.Resize) -> None:
        if self.choices and self._text_width() != self._wrap_width:
            highlighted = self.highlighted
            self.show(self.choices, self.before)
            self.highlighted = highlighted

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id))
