"""Fitting a save to the story as it is now: a writer may rename or remove scenes, stats and
flags between the day a game was saved and the day it is loaded."""

from __future__ import annotations

from pydantic import ValidationError

from game.saves.errors import DamagedSave, WrongStory
from game.saves.fileformat import SaveFile, validation_reason
from game.story.state import GameState
from game.story.story import Story


def fit_to_story(save: SaveFile, story: Story) -> tuple[GameState, str | None, tuple[str, ...]]:
    """The saved state adjusted to ``story``: renamed scenes followed, a vanished scene replaced
    by its chapter's start (or the story's), unknown stats and flags dropped, new ones at their
    defaults, stats clamped. Returns (state, notice for the player or None, changes)."""
    state = save.state
    if state.story_id != story.info.id or save.story.id != story.info.id:
        raise WrongStory(other_story_message(save.story.title, save.story.id, story))
    changes: list[str] = []
    notice: str | None = None
    renames = story.renames

    def current_id(scene_id: str) -> str | None:
        seen = set()
        while scene_id not in story.scenes:
            if scene_id in seen or scene_id not in renames:
                return None
            seen.add(scene_id)
            scene_id = renames[scene_id]
        return scene_id

    visits: dict[str, int] = {}
    for sid, n in state.visits.items():
        new = current_id(sid) or sid
        visits[new] = visits.get(new, 0) + n
        if new != sid:
            changes.append(f"visits of '{sid}' now count for '{new}'")
    taken: dict[str, int] = {}
    for key, n in state.taken.items():
        sid, dot, cid = key.partition(".")
        new = current_id(sid) or sid
        new_key = f"{new}{dot}{cid}"
        taken[new_key] = taken.get(new_key, 0) + n
        if new != sid:
            changes.append(f"choice '{key}' is now '{new_key}'")

    scene = current_id(state.scene)
    if scene is not None and scene != state.scene:
        changes.append(f"scene '{state.scene}' was renamed '{scene}'")
    elif scene is None:
        chapter = story.chapters.get(save.chapter.id)
        if chapter is not None and chapter.start in story.scenes:
            scene = chapter.start
            where = f"the start of chapter {chapter.number}, \u201c{chapter.title}\u201d"
        else:
            scene = story.info.start
            where = "the beginning of the story"
        changes.append(f"scene '{state.scene}' no longer exists: resumed at '{scene}'")
        notice = (
            "The story has changed since this game was saved, and the scene you saved in is no "
            f"longer part of it. You resume at {where}; your choices and standing so far are kept."
        )
        visits[scene] = visits.get(scene, 0) + 1

    stats: dict[str, int] = {}
    for name, spec in story.stats.items():
        if name in state.stats:
            value = max(spec.min, min(spec.max, state.stats[name]))
            if value != state.stats[name]:
                changes.append(f"stat '{name}' clamped from {state.stats[name]} to {value}")
            stats[name] = value
        else:
            stats[name] = spec.start
            changes.append(f"new stat '{name}' starts at {spec.start}")
    changes += [f"unknown stat '{name}' dropped" for name in state.stats if name not in story.stats]
    flags: dict[str, bool] = {}
    for name, default in story.flags.items():
        if name in state.flags:
            flags[name] = state.flags[name]
        else:
            flags[name] = default
            changes.append(f"new flag '{name}' starts {'true' if default else 'false'}")
    changes += [f"unknown flag '{name}' dropped" for name in state.flags if name not in story.flags]

    update = dict(scene=scene, stats=stats, flags=flags, visits=visits, taken=taken)
    if not changes and all(getattr(state, k) == v for k, v in update.items()):
        return state, None, ()  # validated when the file was read; nothing to fit
    data = {name: getattr(state, name) for name in GameState.model_fields}
    data.update(update)
    try:
        fitted = GameState.model_validate(data)
    except ValidationError as exc:  # pragma: no cover - the pieces above are all valid
        raise DamagedSave(f"This save cannot be fitted to the story: {validation_reason(exc)}.") from None
    return fitted, notice, tuple(changes)


def other_story_message(title: str, story_id: str, story: Story) -> str:
    """Why a save of another story is not loaded, in words that tell the two stories apart."""
    ours = story.info.title
    if title and title != ours:
        return f"This save belongs to another story, \u201c{title}\u201d; the story being played is \u201c{ours}\u201d."
    return (f"This save belongs to another story with the same title, \u201c{ours}\u201d: its story id is "
            f"'{story_id}', and the story being played has the id '{story.info.id}'.")
