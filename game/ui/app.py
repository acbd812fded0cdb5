"""The Textual game: one app, built by :func:`create_app` for the CLI and for the tests.

The app is a view over a :class:`game.session.Session` (the game being played) and a
:class:`game.session.SaveFolder` (the saves and the profile, shared by every game of this run).
Screens read the session through the app and call the app's actions; the same actions back the
keys, the menus and the command palette. New game and loading a save each make a new session.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from game.session import SaveFolder, Session
from game.story.engine import SceneView
from game.story.state import GameState
from game.story.story import Story
from game.ui.save_actions import SaveActions

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


class ThawApp(SaveActions, App[int]):
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
        self.folder = SaveFolder(saves_dir)
        #: the game being played; None on the title screen before the first game
        self.session: Session | None = None
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
        self.sidebar_choice: bool | None = None  # None: automatic (hidden below NARROW columns)
        self.errors: list[str] = []
        self.crash_message = ""
        self._store_warned = False

    # ---- the session, as the screens read it -----------------------------------------------------

    @property
    def state(self) -> GameState | None:
        return self.session.state if self.session is not None else None

    @property
    def view(self) -> SceneView:
        assert self.session is not None
        return self.session.view

    @property
    def previous(self) -> GameState | None:
        return self.session.previous if self.session is not None else None

    @property
    def undo_stack(self) -> list[GameState]:
        return self.session.undo_stack if self.session is not None else []

    @property
    def unlocked(self) -> set[str]:
        return self.session.unlocked if self.session is not None else set()

    @property
    def play_base(self) -> float:
        return self.session.play_base if self.session is not None else 0.0

    @property
    def profile(self):
        return self.folder.profile

    @property
    def store(self) -> Any:
        """The save store, or None when saving is not available (said once, on screen)."""
        store = self.folder.store
        if store is None and self.folder.store_problem is not None and not self._store_warned:
            self._store_warned = True
            self.show_error("opening the save folder", self.folder.store_problem)
        return store

    def known_codex(self) -> set[str]:
        """Codex entries to show: this game's and every earlier playthrough's."""
        if self.session is not None:
            return self.session.known_codex()
        return self.profile.codex_seen(self.story.info.id)

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

    def start(
        self, state: GameState, *, undo: list[GameState] | None = None, message: str = "",
        notice: tuple[str, str] | None = None,
    ) -> None:
        """Play `state` as a new session (thaw play --scene, tests). See :meth:`begin`."""
        self.begin(Session(self.story, state, folder=self.folder, undo=undo), message=message, notice=notice)

    def begin(self, session: Session, *, message: str = "", notice: tuple[str, str] | None = None) -> None:
        """Show `session`: the play screen (or its ending) on top of the title screen. `message` is
        a passing note; `notice` (title, text) a message screen the player dismisses."""
        self.remember()
        self.session = session
        if len(self.screen_stack) == 1 and not message and not notice and not session.at_ending:
            from game.ui.screens.play import PlayScreen

            self.push_screen(PlayScreen())  # straight from the title: no screens to close first
        else:
            self.call_later(self._show_game, message, notice)

    async def _show_game(self, message: str = "", notice: tuple[str, str] | None = None) -> None:
        from game.ui.screens.play import PlayScreen

        while len(self.screen_stack) > 1:
            await self.pop_screen()
        await self.push_screen(PlayScreen())
        if self.session is not None and self.session.at_ending:
            await self._show_ending()
        if notice:
            from game.ui.screens.message import MessageScreen

            await self.push_screen(MessageScreen(*notice))
        elif message:
            self.notify(message, timeout=6, markup=False)

    async def _show_ending(self) -> None:
        from game.ui.screens.ending import EndingScreen

        # Scheduled after the keys already queued: one of them (u) may have left the ending.
        if self.session is None or not self.session.at_ending or isinstance(self.screen, EndingScreen):
            return
        self.session.record_ending()
        self.remember()
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
        session = self.session
        if session is None:
            return False
        taken = session.take(choice_id)
        if not taken.done:
            self.bell()
            if not taken.locked:
                self.notify(taken.reason, severity="warning", timeout=4, markup=False)
            return False
        self.call_after_refresh(self._autosave)  # after the next scene is on screen
        self.call_after_refresh(self._tidy)
        if session.at_ending:
            self.call_later(self._show_ending)
        else:
            screen = self.play_screen()
            if screen is not None:
                screen.show_scene()
        return True

    def take_number(self, number: int) -> bool:
        if self.session is None or self.session.at_ending:
            return False
        choice_id = self.session.choice_id(number)
        if choice_id is None:
            self.bell()
            return False
        return bool(self.take(choice_id))

    # ---- actions (keys, menus and the command palette) ---------------------------------------------

    @guarded("starting a new game")
    def action_new_game(self) -> None:
        self.begin(Session.new(self.story, self.folder, self.seed))

    @guarded("undoing")
    def action_undo(self) -> None:
        if self.session is None:
            self.notify("There is no game to undo yet.", timeout=3)
            return
        undone = self.session.undo()
        if undone is None:
            self.bell()
            self.notify("There is nothing to undo.", timeout=3)
            return
        from game.ui.screens.ending import EndingScreen

        if isinstance(self.screen, EndingScreen):
            self.pop_screen()
        screen = self.play_screen()
        if screen is not None:
            screen.show_scene()
        self.clear_notifications()
        self.notify(f"Undone: {undone}" if undone else "Undone.", timeout=3, markup=False)

    def action_help(self) -> None:
        from game.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_history(self) -> None:
        if self.session is None:
            self.notify("The history note belongs to a scene: start a game first.", timeout=3)
            return
        from game.ui.screens.notes import HistoryScreen

        self._open_modal(HistoryScreen)

    def action_journal(self) -> None:
        if self.session is None:
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

        if self.session is not None and not isinstance(self.screen, MenuScreen):
            self.push_screen(MenuScreen())

    async def action_title(self) -> None:
        self.remember()
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
        self.remember()
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

    # ---- profile and errors ----------------------------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity: Any = "information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every notification is plain text: messages quote choices, labels, paths and errors, so
        they are never read as markup (`markup` is ignored) and control characters are shown as
        escapes (game.text)."""
        from game.text import terminal_text

        super().notify(terminal_text(str(message)), title=terminal_text(str(title), one_line=True),
                       severity=severity, timeout=timeout, markup=False)

    def remember(self) -> None:
        """Write what the game being played has found (codex entries) to the profile."""
        if self.session is not None:
            self.session.remember()

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
        from game.ui.commands import game_commands

        return game_commands(self.run_action)


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
