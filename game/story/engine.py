"""The engine: pure, deterministic transitions over an immutable GameState.

Every front end (Textual, plain text, playtester, tests) calls the same three functions:
:func:`new_game`, :func:`view` and :func:`choose`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from game.story.model import Chapter, Choice, EndingInfo, Scene
from game.story.state import GameState, JournalEntry
from game.story.story import Story

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


class ChoiceError(ValueError):
    """A choice that does not exist here or is not available now."""


@dataclass(frozen=True)
class ChoiceView:
    id: str
    number: int
    text: str
    available: bool
    locked_reason: str = ""


@dataclass(frozen=True)
class SceneView:
    """What a front end shows for the current scene."""

    scene: Scene
    chapter: Chapter | None
    date_text: str
    place: str
    text: str
    choices: tuple[ChoiceView, ...]
    ending: EndingInfo | None

    @property
    def header(self) -> str:
        chapter = f"Chapter {self.chapter.number}: {self.chapter.title}" if self.chapter else ""
        return " | ".join(part for part in (chapter, self.date_text, self.place) if part)

    @property
    def available(self) -> tuple[ChoiceView, ...]:
        return tuple(c for c in self.choices if c.available)

    @property
    def is_dead_end(self) -> bool:
        return self.ending is None and not self.available


def format_date(date: dt.date, precision: str = "day") -> str:
    """'9 March 1953' (or 'March 1953', '1953' for coarser precision)."""
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{MONTHS[date.month - 1]} {date.year}"
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


class _Ctx:
    """The view of a state that compiled conditions read; draws random numbers on demand."""

    __slots__ = ("stats", "flags", "visits_", "taken", "seed", "draws", "forced")

    def __init__(self, state: GameState, forced: Callable[[int], bool] | None = None) -> None:
        self.stats = state.stats
        self.flags = state.flags
        self.visits_ = state.visits
        self.taken = state.taken
        self.seed = state.seed
        self.draws = state.draws
        self.forced = forced

    def value(self, name: str) -> int | bool:
        if name in self.stats:
            return self.stats[name]
        return self.flags.get(name, False)

    def visits(self, scene_id: str) -> int:
        return self.visits_.get(scene_id, 0)

    def chose(self, key: str) -> bool:
        return self.taken.get(key, 0) > 0

    def chance(self, percent: int) -> bool:
        if self.forced is not None:
            self.draws += 1
            return self.forced(percent)
        roll = random.Random(self.seed * 1_000_003 + self.draws).randrange(100)
        self.draws += 1
        return roll < percent


def new_game(story: Story, seed: int | None = None) -> GameState:
    """A fresh state at the story's start scene."""
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    return start_at(story, story.info.start, seed=seed)


def start_at(story: Story, scene_id: str, *, seed: int = 0, preset: dict[str, int | bool] | None = None) -> GameState:
    """A fresh state at any scene, with some stats and flags preset (for writers and tests)."""
    if scene_id not in story.scenes:
        raise ChoiceError(f"unknown scene '{scene_id}'")
    stats = {name: stat.start for name, stat in story.stats.items()}
    flags = dict(story.flags)
    for name, value in (preset or {}).items():
        if name in stats and not isinstance(value, bool):
            stat = story.stats[name]
            stats[name] = max(stat.min, min(stat.max, int(value)))
        elif name in flags and isinstance(value, bool):
            flags[name] = value
        else:
            raise ChoiceError(f"cannot set '{name}' to {value!r}: not a declared stat (number) or flag (true/false)")
    # Built from the story's own declarations, so there is nothing to validate (and no validator
    # to build at start-up).
    return GameState.model_construct(
        story_id=story.info.id, scene=scene_id, stats=stats, flags=flags, visits={scene_id: 1}, taken={},
        journal=(), seed=seed, draws=0, turn=0,
    )


def scene_text(story: Story, state: GameState) -> str:
    """The scene's prose followed by every passage whose condition holds."""
    scene = story.scenes[state.scene]
    parts = [scene.text.strip()]
    if scene.passage:
        ctx = _Ctx(state)
        for k, passage in enumerate(scene.passage):
            if story.conditions[("passage", scene.id, k)](ctx):
                parts.append(passage.text.strip())
    return "\n\n".join(p for p in parts if p)


def shown_holds(story: Story, state: GameState, key: tuple) -> bool:
    """Whether a condition of what is only shown (a later role, a card phrase, a codex passage:
    `story.shown_conditions`) holds in `state`."""
    return bool(story.shown_conditions[key](_Ctx(state)))


def _is_open(story: Story, scene: Scene, choice: Choice, ctx: _Ctx) -> bool:
    if choice.if_ is None:
        return True
    return story.conditions[("choice", scene.id, choice.id)](ctx)


def view(story: Story, state: GameState) -> SceneView:
    """The current scene as a front end shows it: header, prose and numbered choices."""
    scene = story.scenes[state.scene]
    ctx = _Ctx(state)
    choices = []
    for choice in scene.choice:
        if choice.once and state.taken.get(f"{scene.id}.{choice.id}", 0):
            continue
        if _is_open(story, scene, choice, ctx):
            choices.append((choice, True))
        elif choice.locked:
            choices.append((choice, False))
    return SceneView(
        scene=scene,
        chapter=story.chapters.get(scene.chapter),
        date_text=format_date(scene.date),
        place=scene.place,
        text=scene_text(story, state),
        choices=tuple(
            ChoiceView(c.id, n, c.text, ok, "" if ok else (c.locked or ""))
            for n, (c, ok) in enumerate(choices, start=1)
        ),
        ending=scene.ending,
    )


def available_choices(story: Story, state: GameState) -> list[Choice]:
    """The choices the player can take now, in order (the fast path for the playtester)."""
    scene = story.scenes[state.scene]
    ctx = _Ctx(state)
    taken = state.taken
    return [
        c
        for c in scene.choice
        if not (c.once and taken.get(f"{scene.id}.{c.id}", 0)) and _is_open(story, scene, c, ctx)
    ]


def choose(
    story: Story, state: GameState, choice_id: str, *, chance: Callable[[int], bool] | None = None
) -> GameState:
    """Take a choice; return the new state. `state` itself is never changed.

    `chance`, when given, decides each ``chance(N)`` instead of the seeded generator (the exhaustive
    playtester uses it to follow every branch outcome); players never pass it.
    """
    scene = story.scenes.get(state.scene)
    if scene is None:
        raise ChoiceError(f"the saved scene '{state.scene}' is not in this story")
    choice = next((c for c in scene.choice if c.id == choice_id), None)
    if choice is None:
        raise ChoiceError(f"scene '{scene.id}' has no choice '{choice_id}'")
    key = f"{scene.id}.{choice.id}"
    if choice.once and state.taken.get(key, 0):
        raise ChoiceError(f"choice '{choice_id}' can be taken only once")
    ctx = _Ctx(state)
    if not _is_open(story, scene, choice, ctx):
        raise ChoiceError(f"choice '{choice_id}' is locked: {choice.locked or 'its condition does not hold'}")

    stats = dict(state.stats)
    flags = dict(state.flags)
    for name, value in choice.set_.items():
        if name in flags:
            flags[name] = bool(value)
        else:
            stats[name] = int(value)
    for name, delta in choice.add.items():
        stat = story.stats[name]
        stats[name] = max(stat.min, min(stat.max, stats[name] + delta))

    goto, result = choice.goto, choice.result
    if choice.branch:
        # Branches read the state after the choice's own effects.
        after = _Ctx(state.model_construct(**{**dict(state), "stats": stats, "flags": flags}), chance)
        after.draws = ctx.draws
        for k, branch in enumerate(choice.branch):
            if story.conditions[("branch", scene.id, choice.id, k)](after):
                goto, result = branch.goto, branch.result or choice.result
                break
        ctx.draws = after.draws

    visits = dict(state.visits)
    visits[goto] = visits.get(goto, 0) + 1
    taken = dict(state.taken)
    taken[key] = taken.get(key, 0) + 1
    entry = JournalEntry.model_construct(
        turn=state.turn + 1,
        date=scene.date,
        chapter=scene.chapter,
        scene=scene.id,
        choice=choice.id,
        text=choice.text,
        result=result,
        goto=goto,
    )
    return GameState.model_construct(
        story_id=state.story_id,
        scene=goto,
        stats=stats,
        flags=flags,
        visits=visits,
        taken=taken,
        journal=(*state.journal, entry),
        seed=state.seed,
        draws=ctx.draws,
        turn=state.turn + 1,
    )


def is_ending(story: Story, state: GameState) -> bool:
    return story.scenes[state.scene].is_ending
