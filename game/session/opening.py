"""Opening the story for a front end: load it, or explain plainly why it cannot be played."""

from __future__ import annotations

import sys
from pathlib import Path

from game.paths import default_scenes_dir
from game.story.loader import load_story
from game.story.problems import StoryError
from game.story.story import Story


def open_story(folder: str | Path | None, *, err=None) -> Story | None:
    """The loaded story, or None after printing every problem to stderr (never a traceback)."""
    err = err or sys.stderr
    path = Path(folder) if folder else default_scenes_dir()
    try:
        return load_story(path)
    except StoryError as exc:
        print(exc.report(), file=err)
        print("Fix these and start again; `thaw check DIR` lists them too.", file=err)
        return None
