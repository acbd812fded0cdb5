"""The Textual game: one app, built by :func:`create_app` for the CLI and for the tests.

The app holds the session: the story, the current GameState, the undo stack of earlier states,
the codex entries unlocked, the profile (endings found, theme) and the save store. Screens read
from it and call its actions; the same actions back the keys, the menus and the command palette.
"""

from __future__ import annotations

import functools
import gc
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from game.reading import scene_mentions, unlocked_codex
from game.story.engine import ChoiceError, SceneView, choose, new_game, view
from game.story.state import GameState
from game.story.story import Story

UNDO_LIMIT = 500
#: choices between the full garbage collections the app runs itself, while the player reads
GC_EVERY = 8
NARROW = 100  # columns below which the status panel hides itself

F = TypeVar("F", bound=Callable[..., Any])


def guarded(what: str) -> Callable[[F], F]:
    """Run a game action; an unexpected error becomes a message on screen, not a crash."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def inner(self: ThawApp, *args: Any, **kwargs: Any) -> Any:
            try:
                return fn(self, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - shown to the player, logged for a report
                self.show_error(what, exc)
                return None

        return inner  # type: ignore[return-value]

    return wrap


def _game_commands():
    from game.ui.commands import GameCommands

    return GameCommands


class ThawApp(App[int]):
    """The Thaw."""

    CSS_PATH = "thaw.tcss"
    TITLE = "The Thaw"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    COMMANDS = App.COMMANDS | {_game_commands}
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        story: Story,
        *,
        seed: int | None = None,
        saves_dir: str | Path | None = None,
        load_slot: str | None = None,
        size: tuple[int, int] | None = None,
        watch: bool = False,
        start: GameState | None = None,
    ) -> None:
        super().__init__()
        self.story = story
        self.watch_story = watch  # thaw play --watch: game.ui.watch reloads the story on a change
        self._choices_since_gc = 0
        self._gc_thresholds = gc.get_threshold()
        self.watch_controller: Any = None
        self.start_state = start  # thaw play --scene/--set: skip the title, play from this state
        self.seed = seed
        self.saves_dir = saves_dir
        self.load_slot = load_slot
        self.size_hint = size
        self.title = story.info.title
        self.sub_title = story.info.subtitle
        self.animation_level = "none"
        self.state: GameState | None = None
        self.undo_stack: list[GameState] = []
        self.unlocked: set[str] = set()
        self.sidebar_choice: bool | None = None  # None: automatic (hidden below NARROW columns)
        self.errors: list[str] = []
        self.crash_message = ""
        self._view: SceneView | None = None
        self._codex_dirty = False
        self._profile = None
        self._store: Any = None
        self._store_checked = False
        self.play_base = 0.0
        self.started = time.monotonic()
        self._autosaving: Any = None
        self._autosave_lock = threading.Lock()
        self._autosave_warned = False

    # ---- lazily opened helpers -------------------------------------------------------------------

    @property
    def profile(self):
        if self._profile is None:
            from game.profile import Profile

            try:
                from game.paths import default_saves_dir

                self._profile = Profile.load(default_saves_dir(self.saves_dir))
            except Exception:  # noqa: BLE001 - no save folder at all: remember nothing
                self._profile = Profile()
        return self._profile

    @property
    def store(self) -> Any:
        """The save store, or None when saving is not available."""
        if not self._store_checked:
            self._store_checked = True
            from game import saving

            try:
                self._store = saving.open_store(self.story, self.saves_dir)
            except Exception as exc:  # noqa: BLE001
                self.show_error("opening the save folder", exc)
                self._store = None
        return self._store

    @property
    def view(self) -> SceneView:
        assert self.state is not None
        if self._view is None:
            self._view = view(self.story, self.state)
        return self._view

    @property
    def previous(self) -> GameState | None:
        return self.undo_stack[-1] if self.undo_stack else None

    def known_codex(self) -> set[str]:
        """Codex entries to show: this session's and every earlier playthrough's."""
        return self.unlocked | self.profile.codex_seen(self.story.info.id)

    # ---- start-up --------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        from game.ui.screens.title import TitleScreen

        return TitleScreen()

    def on_mount(self) -> None:
        # The story and Textual's own objects live as long as the app: keep the garbage collector
        # from walking them again and again. A full collection takes 10-50 ms once the heap has
        # grown, a visible stutter when it lands between a keypress and its frame; so automatic
        # full collections are off while the app runs, and `_tidy` runs one after a frame instead.
        gc.freeze()
        self._gc_thresholds = gc.get_threshold()
        gc.set_threshold(self._gc_thresholds[0], self._gc_thresholds[1], 1_000_000)
        theme = self.profile.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.start_state is not None:
            self.start(self.start_state)
        elif self.load_slot is not None:
            self.load_game(self.load_slot)
        if self.watch_story:
            from game.ui.watch import install

            self.watch_controller = install(self)

    def on_unmount(self) -> None:
        gc.set_threshold(*self._gc_thresholds)

    def _tidy(self) -> None:
        """Every GC_EVERY choices, a full garbage collection just after the new scene is painted."""
        self._choices_since_gc += 1
        if self._choices_since_gc >= GC_EVERY:
            self._choices_since_gc = 0
            gc.collect()

    def _remember_theme(self, theme: Any) -> None:
        self.profile.set_theme(theme.name)

    def run_test(self, *, size: tuple[int, int] | None = None, **kwargs: Any):  # type: ignore[override]
        """As App.run_test, at the size given to create_app unless another is given here."""
        return super().run_test(size=size or self.size_hint or (80, 24), **kwargs)

    # ---- the game --------------------------------------------------------------------------------

    def set_state(self, state: GameState, *, undo: list[GameState] | None = None) -> None:
        self.state = state
        self._view = None
        if undo is not None:
            self.undo_stack = undo
        found = scene_mentions(self.story, self.view.text, state.last_result)
        if not found <= self.unlocked:
            self.unlocked |= found
            self._codex_dirty = True

    def start(
        self, state: GameState, *, undo: list[GameState] | None = None, message: str = "",
        notice: tuple[str, str] | None = None,
    ) -> None:
        """Show `state`: the play screen (or its ending) on top of the title screen. `message` is
        a passing note; `notice` (title, text) a message screen the player dismisses."""
        self.set_state(state, undo=undo or [])
        self.unlocked |= unlocked_codex(self.story, state)
        if len(self.screen_stack) == 1 and not message and not notice and self.view.ending is None:
            from game.ui.screens.play import PlayScreen

            self.push_screen(PlayScreen())  # straight from the title: no screens to close first
        else:
            self.call_later(self._show_game, message, notice)

    async def _show_game(self, message: str = "", notice: tuple[str, str] | None = None) -> None:
        from game.ui.screens.play import PlayScreen

        while len(self.screen_stack) > 1:
            await self.pop_screen()
        await self.push_screen(PlayScreen())
        if self.state is not None and self.view.ending is not None:
            await self._show_ending()
        if notice:
            from game.ui.screens.message import MessageScreen

            await self.push_screen(MessageScreen(*notice))
        elif message:
            self.notify(message, timeout=6, markup=False)

    async def _show_ending(self) -> None:
        from game.ui.screens.ending import EndingScreen

        self.profile.add_ending(self.story.info.id, self.state.scene)
        self.flush_profile()
        await self.push_screen(EndingScreen())

    def play_screen(self):
        from game.ui.screens.play import PlayScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, PlayScreen):
                return screen
        return None

    @guarded("taking that choice")
    def take(self, choice_id: str) -> bool:
        """Take a choice of the current scene; False when it cannot be taken.

        A locked choice only rings the bell: its reason is already printed under it, and a toast
        repeating it piled up over the choices when the key was pressed again.
        """
        if self.state is None:
            return False
        current = next((c for c in self.view.choices if c.id == choice_id), None)
        if current is not None and not current.available:
            self.bell()
            return False
        try:
            new = choose(self.story, self.state, choice_id)
        except ChoiceError as exc:
            self.bell()
            self.notify(str(exc), severity="warning", timeout=4)
            return False
        self.undo_stack.append(self.state)
        del self.undo_stack[:-UNDO_LIMIT]
        self.set_state(new)
        self.call_after_refresh(self._autosave)  # after the next scene is on screen
        self.call_after_refresh(self._tidy)
        if self.view.ending is not None:
            self.call_later(self._show_ending)
        else:
            screen = self.play_screen()
            if screen is not None:
                screen.show_scene()
        return True

    def take_number(self, number: int) -> bool:
        if self.state is None or self.view.ending is not None:
            return False
        choice = next((c for c in self.view.choices if c.number == number), None)
        if choice is None:
            self.bell()
            return False
        return bool(self.take(choice.id))

    # ---- actions (keys, menus and the command palette) ---------------------------------------------

    @guarded("starting a new game")
    def action_new_game(self) -> None:
        self.flush_profile()
        self.play_base, self.started = 0.0, time.monotonic()
        self.start(new_game(self.story, self.seed))

    @guarded("undoing")
    def action_undo(self) -> None:
        if self.state is None:
            self.notify("There is no game to undo yet.", timeout=3)
            return
        if not self.undo_stack:
            self.bell()
            self.notify("There is nothing to undo.", timeout=3)
            return
        undone = self.state.journal[-1].text if self.state.journal else ""
        self.set_state(self.undo_stack.pop())
        from game.ui.screens.ending import EndingScreen

        if isinstance(self.screen, EndingScreen):
            self.pop_screen()
        screen = self.play_screen()
        if screen is not None:
            screen.show_scene()
        self.clear_notifications()
        self.notify(f"Undone: {undone}" if undone else "Undone.", timeout=3)

    def action_help(self) -> None:
        from game.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_history(self) -> None:
        if self.state is None:
            self.notify("The history note belongs to a scene: start a game first.", timeout=3)
            return
        from game.ui.screens.notes import HistoryScreen

        self._open_modal(HistoryScreen)

    def action_journal(self) -> None:
        if self.state is None:
            self.notify("The journal starts with your first decision: start a game first.", timeout=3)
            return
        from game.ui.screens.notes import JournalScreen

        self._open_modal(JournalScreen)

    def action_codex(self) -> None:
        from game.ui.screens.codex import CodexScreen

        self._open_modal(CodexScreen)

    def action_settings(self) -> None:
        from game.ui.screens.settings import SettingsScreen

        self._open_modal(SettingsScreen)

    def action_menu(self) -> None:
        from game.ui.screens.menu import MenuScreen

        if self.state is not None and not isinstance(self.screen, MenuScreen):
            self.push_screen(MenuScreen())

    def action_load(self) -> None:
        from game.ui.screens.saves import LoadScreen

        self._open_modal(LoadScreen)

    def action_save(self) -> None:
        if self.state is None:
            self.notify("There is no game to save yet.", timeout=3)
            return
        from game.ui.screens.saves import SaveScreen

        self._open_modal(SaveScreen)

    @guarded("continuing")
    def action_continue(self) -> None:
        from game import saving

        newest = saving.newest(self.store, self.story) if self.store is not None else None
        if newest is None:
            self.notify("There is no saved game to continue.", timeout=3)
            return
        self.load_game(newest.slot)

    async def action_title(self) -> None:
        self.flush_profile()
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        refresh = getattr(self.screen, "refresh_menu", None)
        if refresh is not None:
            refresh()

    def action_toggle_sidebar(self) -> None:
        screen = self.play_screen()
        if screen is not None:
            screen.toggle_sidebar()

    async def action_quit(self) -> None:
        self.flush_profile()
        self.wait_for_autosave()
        self.exit(0)

    def _open_modal(self, screen_type: type[Screen]) -> None:
        """Open a modal screen, replacing another modal of the game (h, j and c switch)."""
        from game.ui.screens.base import GameModal

        if isinstance(self.screen, screen_type):
            return
        if isinstance(self.screen, GameModal):
            self.switch_screen(screen_type())
        else:
            self.push_screen(screen_type())

    # ---- saves -----------------------------------------------------------------------------------

    def read_save(self, slot: str | None, *, backup: bool = False):
        """Read a save (or its backup) without showing it: a saving.Loaded, never an exception."""
        from game import saving

        if self.store is None:
            return saving.Loaded(None, saving.UNAVAILABLE)
        self.wait_for_autosave()
        return saving.load(self.store, self.story, slot, backup=backup)

    def start_loaded(self, loaded) -> None:
        """Play a game read by read_save; its notice, if any, in a message the player dismisses."""
        from game import saving

        assert loaded.state is not None
        self.play_base, self.started = loaded.play_seconds, time.monotonic()
        notice = None
        if loaded.notice:
            notice = ("Backup loaded" if loaded.from_backup else "The story has changed", loaded.message)
        undo = saving.rebuild_history(self.story, loaded.state, UNDO_LIMIT)
        self.start(loaded.state, undo=undo, message=loaded.message, notice=notice)

    @guarded("loading the saved game")
    def load_game(self, slot: str | None, *, backup: bool = False) -> bool:
        """Load a slot and play it; a damaged one whose backup is good offers the backup."""
        loaded = self.read_save(slot, backup=backup)
        if loaded.state is not None:
            self.start_loaded(loaded)
            return True
        if loaded.damaged and loaded.backup_ok and not backup:
            from game.saves import slot_title
            from game.ui.screens.saves import BackupScreen

            def chosen(choice: str | None) -> None:
                if choice == "load":
                    self.load_game(loaded.slot, backup=True)
                elif choice == "restore":
                    from game import saving

                    done, message = saving.restore_backup(self.store, loaded.slot)
                    self.notify(message, title="Restored" if done else "Not restored",
                                severity="information" if done else "error", timeout=8, markup=False)

            self.push_screen(BackupScreen(slot_title(loaded.slot), loaded.damaged), chosen)
            return False
        self.notify(loaded.message, title="Not loaded", severity="error", timeout=8, markup=False)
        return False

    def write_save(self, slot: str, *, label: str = "", overwrite_damaged: bool = False, quick: bool | None = None):
        """Save the game in `slot` (see saving.save_slot for `quick`) without telling the
        player: a saving.Saved, never an exception."""
        from game import saving

        if self.state is None:
            return saving.Saved(False, "There is no game to save yet.")
        if self.store is None:
            return saving.Saved(False, saving.UNAVAILABLE)
        return saving.save_slot(self.store, self.story, self.state, slot, self.play_seconds(), label=label,
                                overwrite_damaged=overwrite_damaged, quick=quick)

    @guarded("saving the game")
    def save_game(self, slot: str, *, label: str = "", overwrite_damaged: bool = False) -> bool:
        """Save in `slot` and say how it went; a damaged slot is only replaced with
        `overwrite_damaged` (after asking the player)."""
        if self.state is None:
            return False
        result = self.write_save(slot, label=label, overwrite_damaged=overwrite_damaged)
        self.notify(result.message, title="Saved" if result.done else "Not saved",
                    severity="information" if result.done else "error", timeout=4 if result.done else 8,
                    markup=False)
        return result.done

    @guarded("quicksaving")
    def action_quicksave(self) -> None:
        if self.state is None:
            self.notify("There is no game to save yet.", timeout=3)
            return
        result = self.write_save("quick", quick=True)
        if result.damaged is not None:
            from game.ui.screens.message import ConfirmScreen

            backup = "Its backup is kept." if result.backup_ok else "It has no usable backup: that save will be lost."

            def answer(yes: bool | None) -> None:
                if yes:
                    self.save_game("quick", overwrite_damaged=True)

            self.push_screen(
                ConfirmScreen("Replace a damaged save?",
                              f"The quicksave is damaged ({result.damaged}). Replace it with this game? {backup}"),
                answer,
            )
            return
        self.notify(result.message, title="Saved" if result.done else "Not saved",
                    severity="information" if result.done else "error", timeout=3 if result.done else 8,
                    markup=False)

    def action_quickload(self) -> None:
        self.load_game("quick")

    def play_seconds(self) -> float:
        return self.play_base + (time.monotonic() - self.started)

    def _autosave(self) -> None:
        """Autosave after each choice, in a thread so the next scene paints at once."""
        if self.store is None or self.state is None or self.view.ending is not None:
            return
        state, seconds = self.state, self.play_seconds()
        self._autosaving = self.run_worker(
            functools.partial(self._autosave_now, state, seconds), thread=True, group="autosave",
            exit_on_error=False,
        )

    def _autosave_now(self, state: GameState, seconds: float) -> None:
        from game import saving

        with self._autosave_lock:
            problem = saving.autosave(self.store, self.story, state, seconds)
        if problem and not self._autosave_warned:
            self._autosave_warned = True
            self.call_from_thread(self.notify, f"Autosave failed: {problem}", severity="warning", timeout=8,
                                  markup=False)

    def wait_for_autosave(self) -> None:
        """Let a running autosave finish (before loading, or leaving)."""
        with self._autosave_lock:
            pass

    # ---- profile and errors ----------------------------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity: Any = "information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every notification is plain text: messages quote choices, labels, paths and errors, so
        they are never read as markup (`markup` is ignored) and control characters are shown as
        escapes (game.text)."""
        from game.text import terminal_text

        super().notify(terminal_text(str(message)), title=terminal_text(str(title), one_line=True),
                       severity=severity, timeout=timeout, markup=False)

    def flush_profile(self) -> None:
        if self._codex_dirty:
            self._codex_dirty = False
            self.profile.add_codex(self.story.info.id, self.unlocked)

    def show_error(self, what: str, exc: BaseException) -> None:
        """An unexpected error in a game action: log it, say so, keep the game running."""
        from game.crash import write_log

        log = write_log(exc, self.saves_dir)
        message = f"Something went wrong while {what}: {exc.__class__.__name__}: {exc}"
        self.errors.append(message)
        detail = f"\n\nThe details are in {log}." if log else ""
        from game.ui.screens.message import MessageScreen

        self.push_screen(
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
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        if self.crash_message and "debug" not in self.features:
            self._exit_renderables.clear()
            import sys

            print(self.crash_message, file=sys.stderr)
            return
        super()._print_error_renderables()

    # ---- the command palette ---------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, screenshot...) less those the game offers itself."""
        for command in super().get_system_commands(screen):
            if command.title not in ("Quit", "Keys"):
                yield command

    def game_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """Every action of the game, for the command palette."""
        run = self.run_action
        return [
            ("New game", "Start the story from the beginning", lambda: run("new_game")),
            ("Continue", "Load the newest saved game", lambda: run("continue")),
            ("Load", "Load a saved game", lambda: run("load")),
            ("Save", "Save the game in a slot", lambda: run("save")),
            ("Quicksave", "Save the game in the quicksave slot (F5)", lambda: run("quicksave")),
            ("Quickload", "Load the quicksave (F9)", lambda: run("quickload")),
            ("Undo", "Take back the last choice", lambda: run("undo")),
            ("History note", "What actually happened, with sources", lambda: run("history")),
            ("Journal", "Your decisions beside the documented events", lambda: run("journal")),
            ("Codex", "People, places, terms and the bibliography", lambda: run("codex")),
            ("Status panel", "Show or hide your stats and the people around you", lambda: run("toggle_sidebar")),
            ("Settings", "Choose the colour theme", lambda: run("settings")),
            ("Help", "Every key of the game", lambda: run("help")),
            ("Menu", "Save, load, settings, title screen, quit", lambda: run("menu")),
            ("Title screen", "Leave this game for the title screen", lambda: run("title")),
            ("Quit", "Leave The Thaw", lambda: run("quit")),
        ]


def create_app(
    story: Story,
    *,
    seed: int | None = None,
    saves_dir: str | Path | None = None,
    load_slot: str | None = None,
    size: tuple[int, int] | None = None,
    watch: bool = False,
    start: GameState | None = None,
) -> ThawApp:
    """The game for `story`: the CLI runs it, the tests drive it with `run_test()`.

    `seed` fixes the story's random events, `saves_dir` overrides the save folder, `load_slot`
    starts by loading that save, `size` is the terminal size `run_test()` uses by default.
    `watch` reloads the story when its files change (game.ui.watch); `start` plays from that
    state instead of showing the title screen.
    """
    return ThawApp(story, seed=seed, saves_dir=saves_dir, load_slot=load_slot, size=size, watch=watch, start=start)
