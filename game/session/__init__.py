"""The playthrough every front end shares (TUI, plain text, browser), and opening a story.

Nothing here imports Textual or writes to a terminal: the front ends are views over a
:class:`Session`, and a new game is a new Session, so nothing leaks from one game to the next.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from game.session.change import Change
    from game.session.folder import SaveFolder
    from game.session.opening import open_story
    from game.session.playthrough import Session, Taken

__all__ = ["Change", "SaveFolder", "Session", "Taken", "open_story"]
#: where each name lives; imported on first use, so that the Textual game can paint its title
#: screen before the story model (and pydantic) is imported (docs/performance.md)
_HOMES = {"Change": "change", "SaveFolder": "folder", "open_story": "opening", "Session": "playthrough",
          "Taken": "playthrough"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"game.session.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'game.session' has no attribute {name!r}")
