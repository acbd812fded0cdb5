"""What the game's pop-up screens share: a framed panel, closed with Esc or q."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen


class GameModal(ModalScreen[None]):
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
        self.border_title = title
