"""The numbered choices of a scene: arrows and Enter, number keys or a click; locked ones dimmed."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from game.story.engine import ChoiceView
from game.ui.widgets.prose import inline


def choice_prompt(choice: ChoiceView) -> Table:
    """'1  Take the key.' with a hanging indent; a locked choice adds its reason below."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2, justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    number = Text(f"{choice.number}", style="bold" if choice.available else "")
    body = inline(choice.text)
    if not choice.available:
        reason = choice.locked_reason or "Not available now."
        body.append("\n")
        body.append("Locked: ", style="italic")
        body.append_text(inline(reason, "italic"))
    grid.add_row(number, body)
    return grid


class ChoiceList(OptionList):
    """The scene's choices. Posts :class:`ChoiceList.Chosen` with the choice id."""

    class Chosen(Message):
        def __init__(self, choice_id: str) -> None:
            super().__init__()
            self.choice_id = choice_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices: tuple[ChoiceView, ...] = ()

    def show(self, choices: tuple[ChoiceView, ...]) -> None:
        self.choices = choices
        self.set_options(
            Option(choice_prompt(c), id=c.id, disabled=not c.available) for c in choices
        )
        first = next((k for k, c in enumerate(choices) if c.available), None)
        self.highlighted = first
        self.display = bool(choices)
        self.scroll_home(animate=False)

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id))
