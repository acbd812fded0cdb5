"""The Textual game: one app, built by :func:`create_app` for the CLI and for the tests.

The app is a view over a :class:`game.session.Session` (the game being played) and a
:class:`game.session.SaveFolder` (the saves and the profile, shared by every game of this run).
Screens read the session through the app and call the app's actions; the same actions back the
keys, the menus and the command palette. New game and loading a save each make a new session.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from game.session.folder import SaveFolder
from game.ui.errors import ErrorHandling, guarded
from game.ui.save_actions import SaveActions
from game.ui.screen_actions import ScreenActions
from game.ui.writer_actions import WriterActions

if TYPE_CHECKING:  # the story stack is imported after the title is painted (game.ui.boot)
    from game.session import Session
    from game.story.engine import SceneView
    from game.story.state import GameState
    from game.story.story import Story

#: choices between the full garbage collections the app runs itself, while the player reads
GC_EVERY = 8
NARROW = 100  # columns below which the status panel hides itself


def _game_commands():
    from game.ui.commands import GameCommands

    return GameCommands


class ThawApp(ScreenActions, SaveActions, WriterActions, ErrorHandling, App[int]):
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
        story: Story | None,
        *,
        seed: int | None = None,
        saves_dir: str | Path | None = None,
        load_slot: str | None = None,
        size: tuple[int, int] | None = None,
        watch: bool = False,
        dev: bool = False,
        start: GameState | None = None,
        heading: Any = None,
    ) -> None:
        super().__init__()
        #: None until game.ui.boot has loaded it, just after the title screen's first frame
        self.story = story
        self.heading = heading if story is None else story.info  # .title and .subtitle
        self.folder = SaveFolder(saves_dir)
        #: the game being played; None on the title screen before the first game
        self.session: Session | None = None
        self.watch_story = watch  # thaw play --watch: game.ui.watch reloads the story on a change
        self.dev = dev or watch  # thaw play --dev (or --watch): the state inspector (i) is open
        self._choices_since_gc = 0
        self._gc_thresholds = gc.get_threshold()
        self.watch_controller: Any = None
        self.start_state = start  # thaw play --scene/--set: skip the title, play from this state
        self.seed = seed
        self.saves_dir = saves_dir
        self.load_slot = load_slot
        self.size_hint = size
        self.title = self.heading.title
        self.sub_title = self.heading.subtitle
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
        if self.story is None:
            from game.ui.boot import load_after_first_frame

            load_after_first_frame(self)
        elif self.start_state is not None:
            self.start(self.start_state)
        elif self.load_slot is not None:
            self.load_game(self.load_slot)
        if self.watch_story:
            from game.ui.watch import install

            self.watch_controller = install(self)

    async def on_event(self, event: events.Event) -> None:
        """A key or click before the story has loaded (game.ui.boot) loads it first."""
        if self.story is None and isinstance(event, (events.Key, events.MouseDown)):
            from game.ui.boot import finish_loading

            finish_loading(self)
            if self.story is None:  # it has problems: the app is leaving
                return
        await super().on_event(event)

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
        from game.session import Session

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

    async def _show_ending(self, card: Any = None) -> None:
        """The ending screen, and over it the card of the chapter the ending closed."""
        from game.ui.screens.ending import EndingScreen

        # Scheduled after the keys already queued: one of them (u) may have left the ending.
        if self.session is None or not self.session.at_ending or isinstance(self.screen, EndingScreen):
            return
        self.session.record_ending()
        self.remember()
        await self.push_screen(EndingScreen())
        if card is not None:
            from game.ui.screens.card import ChapterCardScreen

            await self.push_screen(ChapterCardScreen(card))

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
        card = session.card()  # the chapter this choice closed, if it closed one
        if session.at_ending:
            self.call_later(self._show_ending, card)
        else:
            screen = self.play_screen()
            if screen is not None:
                screen.show_scene()
            if card is not None:
                from game.ui.screens.card import ChapterCardScreen

                self.push_screen(ChapterCardScreen(card))
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
        from game.session import Session

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

    # ---- passing messages ------------------------------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity: Any = "information",  # type: ignore[override]
               timeout: float | None = None, markup: bool = False) -> None:
        """While the play screen is the screen in front, a message goes to its own line under the
        choices (never over them, one at a time); elsewhere it is Textual's toast. Either way it is
        plain text: messages quote choices, labels, paths and errors, so they are never read as
        markup (`markup` is ignored) and control characters are shown as escapes (game.text)."""
        from game.text import terminal_text

        message, title = terminal_text(str(message)), terminal_text(str(title), one_line=True)
        screen = self._front_screen()
        from game.ui.screens.play import PlayScreen

        if isinstance(screen, PlayScreen) and screen.is_mounted:
            screen.flash(message, title=title, severity=severity, timeout=timeout or 4)
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _front_screen(self) -> Screen | None:
        """The topmost full screen: modals over it leave its bottom line in view."""
        from textual.screen import ModalScreen

        for screen in reversed(self.screen_stack):
            if not isinstance(screen, ModalScreen):
                return screen
        return None

    # ---- profile ------------------------------------------------------------------------------------

    def remember(self) -> None:
        """Write what the game being played has found (codex entries) to the profile."""
        if self.session is not None:
            self.session.remember()


def create_app(
    story: Story,
    *,
    seed: int | None = None,
    saves_dir: str | Path | None = None,
    load_slot: str | None = None,
    size: tuple[int, int] | None = None,
    watch: bool = False,
    dev: bool = False,
    start: GameState | None = None,
) -> ThawApp:
    """The game for `story`: the CLI runs it, the tests drive it with `run_test()`.

    `seed` fixes the story's random events, `saves_dir` overrides the save folder, `load_slot`
    starts by loading that save, `size` is the terminal size `run_test()` uses by default.
    `watch` reloads the story when its files change (game.ui.watch); `dev` (implied by `watch`)
    opens the writer's state inspector on i; `start` plays from that state instead of showing the
    title screen.
    """
    return ThawApp(story, seed=seed, saves_dir=saves_dir, load_slot=load_slot, size=size, watch=watch, dev=dev,
                   start=start)
