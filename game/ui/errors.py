"""What the app does with an error: a game action's becomes a message on screen (the game goes
on); anything else stops the app with a sentence for the player instead of a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def guarded(what: str) -> Callable[[F], F]:
    """Run a game action; an unexpected error becomes a message on screen, not a crash."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def inner(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return fn(self, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - shown to the player, logged for a report
                self.show_error(what, exc)
                return None

        return inner  # type: ignore[return-value]

    return wrap


class ErrorHandling:
    """A mixin of ThawApp: show_error, and the crash report instead of Textual's traceback."""

    saves_dir: Any
    errors: list[str]
    crash_message: str
    features: Any
    _exit_renderables: list[Any]

    def show_error(self, what: str, exc: BaseException) -> None:
        """An unexpected error in a game action: log it, say so, keep the game running."""
        from game.crash import write_log

        log = write_log(exc, self.saves_dir)
        message = f"Something went wrong while {what}: {exc.__class__.__name__}: {exc}"
        self.errors.append(message)
        detail = f"\n\nThe details are in {log}." if log else ""
        from game.ui.screens.message import MessageScreen

        self.push_screen(  # type: ignore[attr-defined]
            MessageScreen(
                "Something went wrong",
                f"{message}{detail}\n\nYou can carry on, undo, load a saved game or quit.",
            )
        )

    def _handle_exception(self, error: Exception) -> None:
        """Anything else: the app stops, and the player gets a sentence instead of a traceback."""
        from game.crash import report

        try:
            self.crash_message = report(error, self.saves_dir)
        except Exception:  # noqa: BLE001
            self.crash_message = f"Sorry, The Thaw stopped because of an unexpected error ({error!r})."
        super()._handle_exception(error)  # type: ignore[misc]

    def _print_error_renderables(self) -> None:
        if self.crash_message and "debug" not in self.features:
            self._exit_renderables.clear()
            import sys

            print(self.crash_message, file=sys.stderr)
            return
        super()._print_error_renderables()  # type: ignore[misc]
