"""The plain front end: line-based play for screen readers, pipes and scripts (see loop.py)."""

from game.plain.loop import HELP, PlainGame, run_plain

__all__ = ["HELP", "PlainGame", "run_plain"]
