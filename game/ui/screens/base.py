"""What the game's pop-up screens share: a framed panel, closed with Esc or q, closed only once."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from game.ui.literal import literal

R = TypeVar("R")


async def _nothing() -> None:
    return None


class OnceModal(ModalScreen[R], Generic[R]):
    """A modal screen that is dismissed at most once, only while it is the screen on top, and
    that takes keys only while it is open.

    Textual's ``dismiss`` pops whatever screen is on top: two quick keys (Enter, Enter) or a
    click and a key dismissed a screen twice, which popped the screen under it or raised
    ScreenStackError. Here a second dismiss, or one while another screen is on top, does nothing.
    A key that arrives before the screen is mounted (a burst of keys: `s Esc`) or after it was
    dismissed is ignored, so no action queries widgets that are not there yet, or any more.
    """

    _dismissed = False

    @property
    def takes_keys(self) -> bool:
        """Mounted (its on_mount has run) and not dismissed: its actions may run."""
        return self.is_mounted and self.is_attached and not self._dismissed

    @property
    def is_open(self) -> bool:
        """Composed, attached and not dismissed: its widgets are there to query and update."""
        return self.is_attached and not self._dismissed and bool(self.children)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.takes_keys

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self._dismissed or not self.is_attached or self.app.screen is not self:
            return AwaitComplete(_nothing())
        self._dismissed = True
        return super().dismiss(result)


class GameModal(OnceModal[None]):
    """A panel over the game. Esc or q closes it; h, j and c switch between note, journal and codex."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
    ]

    def action_close(self) -> None:
        self.dismiss(None)

    @property
    def game(self):
        return self.app  # the ThawApp, typed loosely to keep imports light


class Panel(Vertical):
    """The framed box of a pop-up screen, its title in the frame."""

    def __init__(self, title: str, *, classes: str = "panel", id: str | None = None) -> None:
        super().__init__(classes=classes, id=id)
        self.border_title = literal(title)  # a str would be read as markup
