"""The playthrough every front end shares (TUI, plain text, browser), and opening a story.

Nothing here imports Textual or writes to a terminal: the front ends are views over a
:class:`Session`, and a new game is a new Session, so nothing leaks from one game to the next.
"""

from game.session.change import Change
from game.session.folder import SaveFolder
from game.session.opening import open_story
from game.session.playthrough import Session, Taken

__all__ = ["Change", "SaveFolder", "Session", "Taken", "open_story"]
