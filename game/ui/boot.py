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


def read_heading(folder: Path) -> Heading | None:
    """title and subtitle from the [story] table of story.toml; None when it cannot be read
    (the full load then reports why, as before)."""
    import tomli

    try:
        info = tomli.loads((folder / "story.toml").read_text(encoding="utf-8")).get("story")
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError):
        return None
    if not isinstance(info, dict) or not isinstance(info.get("title"), str):
        return None
    subtitle = info.get("subtitle", "")
    return Heading(info["title"], subtitle if isinstance(subtitle, str) else "")


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
