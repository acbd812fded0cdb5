"""`thaw play --watch`: reload the story while a writer edits it, keeping the game in progress.

A Textual timer polls the modification times of the story's *.toml files every half second (no
extra dependency). When one changes, the story is loaded again:

* if it loads, the current game (and each state of the undo stack) is carried over to the new
  story through the save path (:func:`game.saves.fit_to_story`: renamed scenes followed, a scene
  that vanished replaced by its chapter's start, unknown stats and flags dropped, new ones at their
  defaults), the scene is redrawn and a notification says what changed;
* if it does not, the errors are shown in an overlay and the game goes on with the story as it
  was; the overlay closes by itself once the files load again (Esc hides it meanwhile).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from game.story.loader import load_story, story_files
from game.story.problems import StoryError
from game.story.state import GameState
from game.story.story import Story
from game.ui.literal import Literal, literal
from game.ui.screens.base import OnceModal

POLL_SECONDS = 0.5

Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path) -> Snapshot:
    """Each story file's (mtime in ns, size), by path relative to `root`; {} when the folder is gone."""
    out: Snapshot = {}
    try:
        files = story_files(root)
    except OSError:
        return out
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        out[path.relative_to(root).as_posix()] = (st.st_mtime_ns, st.st_size)
    return out


class StoryWatcher:
    """Tells when the files of a story folder change (added, removed, rewritten)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.last = snapshot(self.root)

    def changed(self) -> list[str]:
        """The files added, removed or changed since the last call (sorted); [] when none."""
        now = snapshot(self.root)
        if now == self.last:
            return []
        names = sorted(k for k in now.keys() | self.last.keys() if now.get(k) != self.last.get(k))
        self.last = now
        return names


def carry_over(old: Story, new: Story, state: GameState) -> tuple[GameState, str | None]:
    """`state` (a game of `old`) fitted to `new` the way a save is; (state, notice or None).

    Raises game.saves.WrongStory when the story id changed.
    """
    from game.saves import SaveFile, fit_to_story

    scene = old.scenes.get(state.scene)
    chapter = old.chapters.get(scene.chapter) if scene is not None else None
    save = SaveFile.model_validate(
        {
            "format": 1,
            "game_version": "watch",
            "story": {"id": old.info.id, "title": old.info.title, "version": old.info.version},
            "saved_at": dt.datetime.now(dt.timezone.utc),
            "play_seconds": 0.0,
            "chapter": {
                "id": scene.chapter if scene is not None else "",
                "number": chapter.number if chapter is not None else None,
                "title": chapter.title if chapter is not None else "",
            },
            "state": state,
        }
    )
    fitted, notice, changes = fit_to_story(save, new)
    gone = next((c for c in changes if c.startswith(f"scene '{state.scene}' no longer exists")), None)
    if gone is not None:
        # The save path's wording ("since this game was saved") is wrong here: nothing was saved.
        notice = (f"The scene you were playing, '{state.scene}', is no longer in the story (renamed or removed "
                  f"while you played): you resume at '{fitted.scene}'. To keep a player's place when you rename "
                  f"a scene, add renamed_from = [\"{state.scene}\"] to it.")
    return fitted, notice


class StoryErrorsScreen(OnceModal[None]):
    """The load errors of the story being edited; closes itself once the files load again."""

    DEFAULT_CSS = """
    StoryErrorsScreen { align: center middle; }
    StoryErrorsScreen > VerticalScroll {
        width: 90%; max-width: 120; height: auto; max-height: 80%;
        border: thick $error; background: $surface; padding: 1 2;
    }
    StoryErrorsScreen .hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "hide", "Hide")]

    def __init__(self, report: str) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = literal("The story has errors")
            yield Literal(self.report, id="story-errors")
            yield Static(
                "The game goes on with the story as it was. Fix the files and save: this closes by "
                "itself once the story loads. Esc hides it.",
                classes="hint",
                markup=False,
            )

    def show(self, report: str) -> None:
        self.report = report
        for widget in self.query("#story-errors").results(Literal):  # none yet before it is composed
            widget.update(report)

    def action_hide(self) -> None:
        self.dismiss(None)


class WatchController:
    """Polls the story folder of `app` from a Textual timer and reloads the story on a change."""

    def __init__(self, app: Any, interval: float = POLL_SECONDS) -> None:
        self.app = app
        self.interval = interval
        self.watcher = StoryWatcher(app.story.root)
        self.timer: Any = None
        self.overlay: StoryErrorsScreen | None = None
        self.reloads = 0
        self.last_error = ""

    def install(self) -> None:
        self.timer = self.app.set_interval(self.interval, self.check, name="story-watch")

    def check(self) -> bool:
        """Reload when a file changed; True when a new story was put in place."""
        changed = self.watcher.changed()
        if not changed:
            return False
        try:
            story = load_story(self.watcher.root)
        except StoryError as exc:
            self.show_errors(exc.report())
            return False
        except Exception as exc:  # noqa: BLE001 - a half-written file must never stop the game
            self.show_errors(f"The story cannot be loaded: {exc.__class__.__name__}: {exc}")
            return False
        return self.apply(story, changed)

    def show_errors(self, report: str) -> None:
        self.last_error = report
        if self.overlay is not None:  # already shown (or about to be): update it in place
            self.overlay.show(report)
            return
        self.overlay = StoryErrorsScreen(report)
        self.app.push_screen(self.overlay, callback=self._overlay_closed)

    def _overlay_closed(self, _result: object = None) -> None:
        self.overlay = None

    def close_overlay(self) -> None:
        self.last_error = ""
        overlay = self.overlay
        if overlay is None:
            return
        if self.app.screen is overlay:
            overlay.dismiss(None)
        else:  # under another screen (help, say): it waits there for Esc
            overlay.show("The story loads again. Press Esc to close this.")

    def apply(self, story: Story, changed: list[str]) -> bool:
        app = self.app
        old = app.story
        notice: str | None = None
        if app.state is not None:
            try:
                state, notice = carry_over(old, story, app.state)
            except Exception as exc:  # noqa: BLE001 - WrongStory, or a state that cannot be fitted
                self.show_errors(f"The story was reloaded, but the game in progress cannot follow it: {exc}\n"
                                 "Restore the story id, or quit and start again.")
                return False
            undo: list[GameState] = []
            for earlier in app.undo_stack:
                try:
                    undo.append(carry_over(old, story, earlier)[0])
                except Exception:  # noqa: BLE001, S112 - an earlier state that cannot follow is dropped
                    continue
            app.story = story
            app.session.follow_story(story, state, undo)
        else:
            app.story = story
        app.title = story.info.title
        app.sub_title = story.info.subtitle
        self.reloads += 1
        self.close_overlay()
        screen = app.play_screen() if hasattr(app, "play_screen") else None
        if screen is not None and app.state is not None:
            screen.show_scene()
        files = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        app.notify(f"Reloaded the story ({files})." + (f"\n{notice}" if notice else ""), timeout=4)
        return True


def install(app: Any, interval: float = POLL_SECONDS) -> WatchController:
    """Start watching `app.story`'s folder; the controller is returned for tests."""
    controller = WatchController(app, interval)
    controller.install()
    return controller


__all__ = ["StoryErrorsScreen", "StoryWatcher", "WatchController", "carry_over", "install", "snapshot"]
