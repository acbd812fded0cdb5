"""One playthrough: a game from New game (or a load) to its ending.

The Textual game, the plain front end and the browser are views over a Session. It owns the
story being played, the current state, the undo stack, the play clock, the codex entries the prose
has unlocked and what the last choice changed. It never imports Textual and never prints: each
method returns what happened, and the front end decides how to show it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from game import saving
from game.reading import codex_in_order, mention_words, scene_mentions
from game.session.change import Change, change_between, chapter_left
from game.session.card import Card, chapter_card
from game.session.folder import SaveFolder
from game.session.record import Page, story_so_far
from game.story.engine import ChoiceError, SceneView, choose, new_game, view
from game.story.state import GameState
from game.story.story import Story

UNDO_LIMIT = 500


@dataclass(frozen=True)
class Taken:
    """The outcome of taking a choice: done, or why not (`locked`: its reason is on screen)."""

    done: bool
    reason: str = ""
    locked: bool = False


class Session:
    """The state of one game and everything a front end needs to show and change it."""

    def __init__(
        self,
        story: Story,
        state: GameState,
        *,
        folder: SaveFolder | None = None,
        undo: list[GameState] | None = None,
        play_seconds: float = 0.0,
        undo_limit: int = UNDO_LIMIT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.story = story
        self.folder = folder if folder is not None else SaveFolder()
        self.undo_limit = undo_limit
        self.undo_stack: list[GameState] = list(undo or [])[-undo_limit:]
        self._clock = clock
        #: play time carried in from a save; the clock adds this session's own
        self.play_base = play_seconds
        self._started = clock()
        self.state = state
        self._view: SceneView | None = None
        #: codex entries the prose of this game has mentioned (a loaded game: all of its scenes),
        #: in the order it named them: the last is the newest
        self.codex_order: list[str] = codex_in_order(story, state, current=False)
        self.unlocked: set[str] = set(self.codex_order)
        #: entries the current scene names for the first time in this game (marked in its prose)
        self.first_mentions: tuple[str, ...] = ()
        self._codex_dirty = bool(self.unlocked)
        self.change = Change()
        profile = self.folder.profile
        #: what earlier playthroughs remembered (profile.json), read once: this game's own choices
        #: and scenes never count as "earlier"
        self.earlier_choices = profile.choices_taken(story.info.id)
        self.earlier_scenes = profile.scenes_read(story.info.id)
        self._record: tuple[GameState, list[Page]] | None = None
        self._mention()

    # ---- making one --------------------------------------------------------------------------------

    @classmethod
    def new(cls, story: Story, folder: SaveFolder | None = None, seed: int | None = None, **kw) -> Session:
        """A new game at the story's start."""
        return cls(story, new_game(story, seed), folder=folder, **kw)

    @classmethod
    def from_loaded(cls, story: Story, folder: SaveFolder, loaded: saving.Loaded, **kw) -> Session:
        """The game a successful load read, with its history rebuilt so that undo works."""
        assert loaded.state is not None
        limit = kw.get("undo_limit", UNDO_LIMIT)
        undo = saving.rebuild_history(story, loaded.state, limit)
        return cls(story, loaded.state, folder=folder, undo=undo, play_seconds=loaded.play_seconds, **kw)

    # ---- reading -----------------------------------------------------------------------------------

    @property
    def view(self) -> SceneView:
        """The current scene as front ends show it (computed once per state)."""
        if self._view is None:
            self._view = view(self.story, self.state)
        return self._view

    @property
    def previous(self) -> GameState | None:
        """The state before the last choice (what the status panel compares with)."""
        return self.undo_stack[-1] if self.undo_stack else None

    @property
    def at_ending(self) -> bool:
        return self.view.ending is not None

    def play_seconds(self) -> float:
        return self.play_base + (self._clock() - self._started)

    def known_codex(self) -> set[str]:
        """Codex entries to show: this game's and every earlier playthrough's."""
        return self.unlocked | self.folder.profile.codex_seen(self.story.info.id)

    @property
    def newest_codex(self) -> str | None:
        """The entry this game's prose named last (the codex opens at it)."""
        return self.codex_order[-1] if self.codex_order else None

    def first_mention_words(self) -> tuple[str, ...]:
        """The words of the scene's prose that name an entry for the first time in this game."""
        return tuple(mention_words(self.story, self.view.text, self.first_mentions))

    def taken_before(self, choice_id: str) -> bool:
        """Whether a choice of the current scene was taken in an earlier playthrough."""
        return f"{self.state.scene}.{choice_id}" in self.earlier_choices

    @property
    def read_before(self) -> bool:
        """Whether the current scene was read before: in an earlier playthrough, or earlier in
        this one (a scene come back to)."""
        return self.state.scene in self.earlier_scenes or self.state.visits.get(self.state.scene, 0) > 1

    @property
    def notices(self) -> tuple[str, ...]:
        """The story's lines for what the last choice moved, unless the player turned them off."""
        return self.change.notices if self.folder.profile.notices else ()

    def story_so_far(self) -> list[Page]:
        """Every decision of this game with the prose read before it (rebuilt by replay)."""
        if self._record is None or self._record[0] is not self.state:
            self._record = (self.state, story_so_far(self.story, self.state))
        return self._record[1]

    def card(self) -> Card | None:
        """The card of the chapter the last choice left, or None (also for a chapter the story
        wrote no card phrases for)."""
        chapter = self.story.chapters.get(self.change.left_chapter)
        if chapter is None or not chapter.card:
            return None
        return chapter_card(self.story, self.state, chapter.id)

    # ---- playing -----------------------------------------------------------------------------------

    def take(self, choice_id: str) -> Taken:
        """Take a choice of the current scene; the state changes only when it was done."""
        current = next((c for c in self.view.choices if c.id == choice_id), None)
        if current is not None and not current.available:
            return Taken(False, current.locked_reason or "not available now", locked=True)
        try:
            new = choose(self.story, self.state, choice_id)
        except ChoiceError as exc:
            return Taken(False, str(exc))
        self.undo_stack.append(self.state)
        del self.undo_stack[: -self.undo_limit]
        before = self.state
        self._set(new)
        left = chapter_left(self.story, before, new)
        if left:
            self.change = replace(self.change, left_chapter=left)
        return Taken(True)

    def choice_id(self, number: int) -> str | None:
        """The id of the choice shown with `number`, or None (no such choice, or an ending)."""
        if self.at_ending:
            return None
        return next((c.id for c in self.view.choices if c.number == number), None)

    def undo(self) -> str | None:
        """Take back the last choice; its text ('' when it had none), or None when there is none."""
        if not self.undo_stack:
            return None
        undone = self.state.journal[-1].text if self.state.journal else ""
        self._set(self.undo_stack.pop())
        self.change = change_between(self.previous, self.state, self.story) if self.previous is not None else Change()
        return undone

    def follow_story(self, story: Story, state: GameState, undo: list[GameState]) -> None:
        """Carry this game over to a reloaded story (thaw play --watch): new story, fitted states."""
        self.story = story
        self.undo_stack = undo[-self.undo_limit:]
        self._set(state)

    def _set(self, state: GameState) -> None:
        before = self.state
        self.state = state
        self._view = None
        self.change = change_between(before, state, self.story)
        self._mention()

    def _mention(self) -> None:
        text, result = self.view.text, self.state.last_result
        found = scene_mentions(self.story, text, result)
        new = found - self.unlocked
        # in the order the prose names them: the result is read first, then the scene
        self.first_mentions = tuple(e for e in self.story.mentions(f"{result}\n\n{text}") if e in new)
        if new:
            self.unlocked |= new
            self.codex_order += [e for e in self.first_mentions if e not in self.codex_order]
            self._codex_dirty = True

    # ---- saving ------------------------------------------------------------------------------------

    def save(self, slot: str, *, label: str = "", overwrite_damaged: bool = False,
             quick: bool | None = None) -> saving.Saved:
        """Save this game in `slot` (see saving.save_slot for `quick`); never raises."""
        store = self.folder.store
        if store is None:
            return saving.Saved(False, saving.UNAVAILABLE)
        return saving.save_slot(store, self.story, self.state, slot, self.play_seconds(), label=label,
                                overwrite_damaged=overwrite_damaged, quick=quick)

    def autosave(self, state: GameState | None = None, seconds: float | None = None) -> str:
        """Autosave (this state, or one captured earlier by a front end that saves in a thread);
        '' when it worked or there is nothing to do, else why not. The game goes on either way."""
        state = state if state is not None else self.state
        store = self.folder.store
        if store is None or self.story.scenes[state.scene].is_ending:
            return ""
        with self.folder.lock:
            return saving.autosave(store, self.story, state, self.play_seconds() if seconds is None else seconds)

    # ---- what outlives the game --------------------------------------------------------------------

    def remember(self) -> None:
        """Write what this game found to the profile, in one write when any of it is new: codex
        entries, the choices taken and the scenes read (the marks and the skip of a replay)."""
        profile = self.folder.profile
        story_id = self.story.info.id
        choices, scenes = set(self.state.taken), set(self.state.visits)
        if self._codex_dirty or not choices <= profile.choices_taken(story_id) or not scenes <= profile.scenes_read(story_id):
            self._codex_dirty = False
            profile.add_found(story_id, codex=self.unlocked, choices=choices, scenes=scenes)

    def record_ending(self) -> tuple[int, int]:
        """Remember the ending reached in the profile; (endings found, endings in the story)."""
        profile = self.folder.profile
        story_id = self.story.info.id
        if self.at_ending:
            profile.add_ending(story_id, self.state.scene)
        found = set(profile.endings_found(story_id, self.story.endings))
        if self.at_ending:
            found.add(self.state.scene)
        return len(found), len(self.story.endings)
