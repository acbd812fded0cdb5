"""The writer's options of `thaw play`: --scene, --set, --record, --watch and --dev.

* ``--scene ID`` starts a new game at any scene and ``--set NAME=VALUE`` (repeatable) presets stats
  and flags: VALUE is a whole number for a stat, true/false for a flag. Together they build the
  start state with :func:`game.story.engine.start_at`.
* ``--record FILE`` writes a transcript recording (see :mod:`game.tools.transcript`) when the game
  ends, from the journal of the final state, so undo is taken into account.
* ``--watch`` reloads the story when one of its files changes (the Textual game; see
  :mod:`game.ui.watch`).
* ``--dev`` (implied by ``--watch``) lets i open the state inspector of the Textual game (see
  :mod:`game.ui.screens.inspector`).
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
from pathlib import Path

from game.story.engine import ChoiceError, start_at
from game.story.state import GameState
from game.story.story import Story


class PlayOptionError(ValueError):
    """A --scene or --set the story cannot honour; the message says why."""


def parse_value(text: str) -> int | bool:
    """'3', '-1' -> int; 'true'/'false' (any case) -> bool."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        return int(lowered)
    except ValueError:
        raise PlayOptionError(f"'{text}' is neither a whole number nor true/false") from None


def parse_sets(story: Story, items: list[str]) -> dict[str, int | bool]:
    """NAME=VALUE items -> a preset for start_at; PlayOptionError naming the first bad item."""
    preset: dict[str, int | bool] = {}
    for item in items:
        name, eq, raw = item.partition("=")
        name = name.strip()
        if not eq or not name:
            raise PlayOptionError(f"--set {item}: write NAME=VALUE, e.g. --set standing=3 or --set wrote_page=true")
        try:
            value = parse_value(raw)
        except PlayOptionError as exc:
            raise PlayOptionError(f"--set {item}: {exc}") from None
        if name in story.stats:
            stat = story.stats[name]
            if isinstance(value, bool):
                raise PlayOptionError(f"--set {item}: '{name}' is a stat: give a whole number from {stat.min} to {stat.max}")
            if not stat.min <= value <= stat.max:
                raise PlayOptionError(f"--set {item}: {value} is outside the range of '{name}', {stat.min}..{stat.max}")
        elif name in story.flags:
            if not isinstance(value, bool):
                raise PlayOptionError(f"--set {item}: '{name}' is a flag: give true or false")
        else:
            close = difflib.get_close_matches(name, list(story.stats) + list(story.flags), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise PlayOptionError(f"--set {item}: '{name}' is not a declared stat or flag{hint}")
        preset[name] = value
    return preset


def start_state(story: Story, scene: str | None, sets: list[str], seed: int | None) -> GameState | None:
    """The state --scene/--set ask for, or None when neither was given."""
    if scene is None and not sets:
        return None
    preset = parse_sets(story, sets)
    scene_id = scene if scene is not None else story.info.start
    if scene_id not in story.scenes:
        close = difflib.get_close_matches(scene_id, list(story.scenes), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise PlayOptionError(f"--scene {scene_id}: there is no such scene in this story{hint}")
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    try:
        return start_at(story, scene_id, seed=seed, preset=preset)
    except ChoiceError as exc:  # pragma: no cover - parse_sets checked every name already
        raise PlayOptionError(str(exc)) from None


def check_combination(args: argparse.Namespace) -> str:
    """'' when the writer's play options go together, else why not."""
    starts = getattr(args, "scene", None) is not None or bool(getattr(args, "set_values", None))
    if starts and getattr(args, "load", None) is not None:
        return "--scene and --set start a new game: they cannot be combined with --load"
    if getattr(args, "watch", False) and getattr(args, "plain", False):
        return "--watch reloads the story in the full-screen game: drop --plain to use it"
    if getattr(args, "dev", False) and getattr(args, "plain", False):
        return "--dev opens the state inspector of the full-screen game: drop --plain to use it"
    return ""


def write_recording(path: str | Path, story: Story, state: GameState | None, initial: GameState | None = None,
                    *, err=None) -> bool:
    """Write the recording of the game that ended in `state`; a message (never a traceback) on failure."""
    from game.tools.transcript import recording_from_game, save_recording

    err = err or sys.stderr
    if state is None:
        print(f"thaw: --record: no game was played: nothing written to {path}", file=err)
        return False
    try:
        save_recording(path, recording_from_game(story, state, initial))
    except OSError as exc:
        print(f"thaw: --record: cannot write {path}: {exc.strerror or exc}", file=err)
        return False
    return True


__all__ = [
    "PlayOptionError",
    "check_combination",
    "parse_sets",
    "parse_value",
    "start_state",
    "write_recording",
]
