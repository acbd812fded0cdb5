"""The Textual driver of a served game: Textual's web driver, but leaving autosaves first.

textual-serve tells a game process to quit when its tab closes or its session has been idle too
long (a "quit" meta packet). Textual's driver would exit at once; this one autosaves the game in
progress and leaves the way the player's own Quit does (profile written, autosave finished), so
returning later with the same cookie finds the game where it was left. The server selects it
through TEXTUAL_DRIVER, so the app itself needs no code for being served.
"""

from __future__ import annotations

from typing import Any

from textual.drivers.web_driver import WebDriver


def autosave_now(app: Any) -> str:
    """Autosave the game in progress, if any: '' when saved or nothing to save, else why not."""
    session = getattr(app, "session", None)
    return session.autosave() if session is not None else ""


async def leave(app: Any) -> None:
    """Autosave, then quit as the player's Quit does (a plain exit for any other app)."""
    try:
        autosave_now(app)
    finally:
        quit_action = getattr(app, "action_quit", None)
        if quit_action is not None:
            await quit_action()
        else:
            app.exit()


class ThawWebDriver(WebDriver):
    """WebDriver whose "quit" autosaves first."""

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "quit":
            app = self._app
            app.call_later(leave, app)  # the input thread hands it to the app's loop
            return
        super().on_meta(packet_type, payload)
