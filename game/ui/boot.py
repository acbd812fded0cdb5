"""Start-up with the title screen first: paint it, then load and validate the story.

Loading the story means importing pydantic, building the story's models and validating every
scene: about two thirds of the game's start-up (docs/performance.md). None of it is needed to
paint the title: its heading comes from story.toml alone, and whether to offer Continue from a
glance at the save folder. So `thaw` builds the app without a story, the title is painted, and
the story is loaded on the app's own loop right after that first frame. A key or click that comes
first loads it before it acts (ThawApp.on_event): nothing runs against a story not yet loaded.
"""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_TITLE = "The Thaw"


@dataclass(frozen=True)
class Heading:
    """What the title screen shows before the story is loaded."""

    title: str = DEFAULT_TITLE
    subtitle: str = ""


#: story.toml is read for the heading only up to the loader's limit of a file
#: (game.story.loader.MAX_FILE_BYTES, not imported here: that would import pydantic)
MAX_HEADING_BYTES = 4 * 1024 * 1024


def read_heading(folder: Path) -> Heading | None:
    """title and subtitle from the [story] table of story.toml; None when it cannot be read, or
    holds anything the loader would refuse first (the full load then reports why, as before).

    The folder may come from anyone and nothing here has been checked yet: only a regular file is
    opened (a FIFO would block), at most the loader's size limit is read, any parser fault (a
    5,000-digit number raises ValueError) means None, and a title or subtitle breaking the
    character rule (game.text) is never painted."""
    import tomli

    from game.text import is_safe

    path = folder / "story.toml"
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            raw = handle.read(MAX_HEADING_BYTES + 1)
        if len(raw) > MAX_HEADING_BYTES:
            return None
        info = tomli.loads(raw.decode("utf-8")).get("story")
    except Exception:  # noqa: BLE001 - whatever went wrong, the full load reports it in its words
        return None
    if not isinstance(info, dict) or not isinstance(info.get("title"), str):
        return None
    subtitle = info.get("subtitle", "")
    subtitle = subtitle if isinstance(subtitle, str) else ""
    if not (is_safe(info["title"], one_line=True) and is_safe(subtitle, one_line=True)):
        return None
    return Heading(info["title"], subtitle)


def saves_present(saves_dir: str | Path | None) -> bool:
    """Whether the save folder holds any slot file: the title reserves Continue's line for it."""
    try:
        from game.paths import default_saves_dir

        folder = default_saves_dir(saves_dir)
        return any(p.name != "profile.json" for p in folder.glob("*.json"))
    except OSError:
        return False


def create_title_first_app(scenes: str | Path | None, *, seed: int | None = None,
                           saves_dir: str | Path | None = None) -> Any:
    """The game with its story loaded after the title's first frame; None when story.toml cannot
    be read (the caller then loads the story first, which reports the problem)."""
    from game.paths import default_scenes_dir

    folder = Path(scenes) if scenes else default_scenes_dir()
    heading = read_heading(folder)
    if heading is None:
        return None
    from game.ui.app import ThawApp

    app = ThawApp(None, seed=seed, saves_dir=saves_dir, heading=heading)
    app.story_folder = folder
    app.story_problem = ""
    app.saves_hint = saves_present(saves_dir)
    return app


def load_after_first_frame(app: Any) -> None:
    app.call_after_refresh(finish_loading, app)


def finish_loading(app: Any) -> None:
    """Load and validate the story, then fill the title screen in (Continue, endings found). A
    story with problems ends the app: the CLI prints `app.story_problem` as `thaw` always has."""
    from game.story.loader import load_story
    from game.story.problems import StoryError

    if app.story is not None or app.story_problem:  # loaded already (a key came first)
        return
    try:
        story = load_story(app.story_folder)
    except StoryError as exc:
        app.story_problem = f"{exc.report()}\nFix these and start again; `thaw check DIR` lists them too."
        app.exit(return_code=1)
        return
    app.story = story
    app.heading = story.info
    app.title, app.sub_title = story.info.title, story.info.subtitle
    gc.freeze()  # the story lives as long as the app, like the objects frozen at mount
    refresh = getattr(app.screen, "refresh_menu", None)
    if refresh is not None:
        refresh()
    app.refresh_bindings()


def print_problem(app: Any) -> None:
    problem = getattr(app, "story_problem", "")
    if problem:
        print(problem, file=sys.stderr)
