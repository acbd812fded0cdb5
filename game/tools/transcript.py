"""Transcripts: record the choices of a game, replay them through the engine, compare the output.

A *recording* is a small JSON file::

    {
      "format": "thaw-transcript",
      "version": 1,
      "story": "fixture",            # the story id it was recorded with
      "story_version": "1.0.0",      # for information only
      "seed": 3,                     # the game's seed: chance() falls the same way on replay
      "scene": "hall",               # optional: the start scene, when not the story's start
      "preset": {"has_key": true},   # optional: stats and flags set at the start (thaw play --set)
      "choices": ["take_key", "open_door", "take"],
      "chance": [true, false]        # optional: how each chance() falls, in order, instead of the seed
    }

`thaw play --plain --record FILE` writes one. `thaw replay FILE` replays it through the engine and
prints a deterministic transcript (header, prose, choices, the choice taken, its result and what it
changed) so a writer can read a whole route at once. When ``FILE`` with the suffix ``.txt`` exists
beside it (a *blessed* transcript), the output is compared with it and a difference is shown as a
unified diff (exit 1); ``--bless`` accepts the new output. The tests replay every blessed
transcript under tests/transcripts/.
"""

from __future__ import annotations

import difflib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.story.engine import ChoiceError, SceneView, choose, start_at, view
from game.story.state import GameState
from game.story.story import Story

FORMAT = "thaw-transcript"
VERSION = 1
MAX_BYTES = 16 * 1024 * 1024


class TranscriptError(Exception):
    """A recording that cannot be read or does not belong to this story."""


@dataclass
class Recording:
    story: str
    seed: int
    choices: list[str] = field(default_factory=list)
    story_version: str = ""
    scene: str | None = None
    preset: dict[str, int | bool] = field(default_factory=dict)
    #: how each chance() falls, in order (a witness of `thaw playtest --prove`); empty: the seed decides
    chance: list[bool] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "story": self.story}
        if self.story_version:
            data["story_version"] = self.story_version
        data["seed"] = self.seed
        if self.scene is not None:
            data["scene"] = self.scene
        if self.preset:
            data["preset"] = dict(self.preset)
        data["choices"] = list(self.choices)
        if self.chance:
            data["chance"] = list(self.chance)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: Any) -> Recording:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise TranscriptError(f"not a transcript recording (no \"format\": \"{FORMAT}\")")
        version = data.get("version")
        if version != VERSION:
            raise TranscriptError(f"transcript version {version!r} is not supported (this game reads version {VERSION})")
        story, seed, choices = data.get("story"), data.get("seed"), data.get("choices")
        if not isinstance(story, str) or not story:
            raise TranscriptError("\"story\" must be the story id, e.g. \"thaw\"")
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise TranscriptError("\"seed\" must be a whole number")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise TranscriptError("\"choices\" must be a list of choice ids, e.g. [\"take_key\", \"open_door\"]")
        scene = data.get("scene")
        if scene is not None and not isinstance(scene, str):
            raise TranscriptError("\"scene\" must be a scene id")
        preset = data.get("preset", {})
        if not isinstance(preset, dict) or not all(
            isinstance(k, str) and isinstance(v, (bool, int)) for k, v in preset.items()
        ):
            raise TranscriptError("\"preset\" must map stat and flag names to numbers or true/false")
        chance = data.get("chance", [])
        if not isinstance(chance, list) or not all(isinstance(c, bool) for c in chance):
            raise TranscriptError("\"chance\" must be a list of true/false, one for each chance() met, in order")
        version_text = data.get("story_version", "")
        return cls(story, seed, list(choices), version_text if isinstance(version_text, str) else "", scene,
                   dict(preset), list(chance))


def load_recording(path: str | Path) -> Recording:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise TranscriptError(f"{path}: the file is larger than {MAX_BYTES // 1048576} MiB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TranscriptError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    except (ValueError, RecursionError) as exc:
        raise TranscriptError(f"{path}: not valid JSON ({exc})") from None
    try:
        return Recording.from_dict(data)
    except TranscriptError as exc:
        raise TranscriptError(f"{path}: {exc}") from None


def save_recording(path: str | Path, recording: Recording) -> None:
    Path(path).write_text(recording.to_json(), encoding="utf-8")


def recording_from_game(story: Story, state: GameState, initial: GameState | None = None) -> Recording:
    """The recording of the game that led to `state`, read from its journal (undo is already out).

    `initial` is the state the session started from (for `--scene` and `--set`); it is used when
    the journal starts there, i.e. the player did not load another game meanwhile.
    """
    first_scene = state.journal[0].scene if state.journal else state.scene
    scene: str | None = None
    preset: dict[str, int | bool] = {}
    if initial is not None and initial.scene == first_scene and initial.seed == state.seed:
        preset = preset_of(story, initial)
    if first_scene != story.info.start:
        scene = first_scene
    return Recording(
        story=story.info.id,
        seed=state.seed,
        choices=[entry.choice for entry in state.journal],
        story_version=story.info.version,
        scene=scene,
        preset=preset,
    )


def preset_of(story: Story, state: GameState) -> dict[str, int | bool]:
    """The stats and flags of `state` that differ from the story's starting values."""
    out: dict[str, int | bool] = {}
    for name, stat in story.stats.items():
        if state.stats.get(name, stat.start) != stat.start:
            out[name] = state.stats[name]
    for name, default in story.flags.items():
        if state.flags.get(name, default) != default:
            out[name] = state.flags[name]
    return out


# ---- replay --------------------------------------------------------------------------------------


@dataclass
class Replay:
    text: str
    state: GameState | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def _value(v: int | bool) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def _changes(before: GameState, after: GameState) -> str:
    parts = [f"{k} {_value(v)} -> {_value(after.stats[k])}" for k, v in before.stats.items() if after.stats.get(k) != v]
    parts += [f"{k} {_value(v)} -> {_value(after.flags[k])}" for k, v in before.flags.items() if after.flags.get(k) != v]
    return ", ".join(parts)


def _scene_lines(v: SceneView) -> list[str]:
    lines = [f"== {v.header} ==", f"[scene {v.scene.id}]", "", v.text.strip(), ""]
    if v.ending is not None:
        extra = ", ".join(p for p in (v.ending.tone, v.ending.kind) if p)
        lines.append(f"*** THE END: {v.ending.title}" + (f" ({extra})" if extra else "") + " ***")
        return lines
    for c in v.choices:
        if c.available:
            lines.append(f"  {c.number}. {c.text}  [{c.id}]")
        else:
            lines.append(f"  {c.number}. [locked] {c.text}  [{c.id}] ({c.locked_reason})")
    if v.is_dead_end:
        lines.append("  (no choice is available here: a dead end)")
    return lines


def replay(story: Story, recording: Recording) -> Replay:
    """Play `recording` through the engine; the transcript text says what a player would have read."""
    if recording.story != story.info.id:
        raise TranscriptError(
            f"this transcript was recorded with story '{recording.story}', but the folder holds story "
            f"'{story.info.id}': pass --scenes with the right folder"
        )
    head = [
        f"# Transcript of {story.info.title} (story {story.info.id}, version {story.info.version}), "
        f"seed {recording.seed}, {len(recording.choices)} choice{'s' if len(recording.choices) != 1 else ''}"
    ]
    scene = recording.scene or story.info.start
    if recording.scene or recording.preset:
        preset = ", ".join(f"{k}={_value(v)}" for k, v in recording.preset.items())
        head.append(f"# start: scene {scene}" + (f", with {preset}" if preset else ""))
    lines = head + [""]
    try:
        state = start_at(story, scene, seed=recording.seed, preset=recording.preset)
    except ChoiceError as exc:
        lines.append(f"!! cannot start: {exc}")
        return Replay("\n".join(lines) + "\n", None, str(exc))
    error = ""
    answers = iter(recording.chance)

    def forced(_percent: int) -> bool:
        answer = next(answers, None)
        if answer is None:
            raise ChoiceError("the recording's \"chance\" list has no outcome left for this chance()")
        return answer

    for turn, choice_id in enumerate(recording.choices, start=1):
        v = view(story, state)
        lines += _scene_lines(v)
        lines.append("")
        picked = next((c for c in v.choices if c.id == choice_id), None)
        try:
            if v.ending is not None:
                raise ChoiceError("the game is over: this scene is an ending")
            after = choose(story, state, choice_id, chance=forced if recording.chance else None)
        except ChoiceError as exc:
            error = f"turn {turn}: scene '{state.scene}': {exc}"
            lines.append(f"!! the replay stops at turn {turn}: {exc}")
            return Replay("\n".join(lines) + "\n", state, error)
        number = f"{picked.number}. " if picked is not None else ""
        lines.append(f"> {number}{after.journal[-1].text}  [{choice_id}]")
        changed = _changes(state, after)
        if changed:
            lines.append(f"  ({changed})")
        lines.append("")
        if after.last_result.strip():
            lines += [after.last_result.strip(), ""]
        state = after
    v = view(story, state)
    lines += _scene_lines(v)
    if v.ending is None:
        lines += ["", f"-- the transcript stops here, in scene '{state.scene}', which is not an ending --"]
    return Replay("\n".join(lines) + "\n", state, error)


def blessed_path(recording_path: str | Path) -> Path:
    """Where the accepted output of a recording lives: the same name with `.txt`."""
    return Path(recording_path).with_suffix(".txt")


def diff(expected: str, actual: str, name: str) -> str:
    """A unified diff of two transcripts, or '' when they are the same."""
    if expected == actual:
        return ""
    return "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{name} (blessed)",
            tofile=f"{name} (replayed now)",
        )
    )


def main(file: str, *, scenes: str | None = None, bless: bool = False) -> int:
    from game.session import open_story
    from game.text import terminal_text

    def say_err(message: str) -> None:  # a recording or a blessed file may come from anyone
        sys.stderr.write(terminal_text(message) + "\n")

    try:
        recording = load_recording(file)
    except TranscriptError as exc:
        say_err(f"thaw replay: {exc}")
        return 1
    story = open_story(scenes)
    if story is None:
        return 1
    try:
        result = replay(story, recording)
    except TranscriptError as exc:
        say_err(f"thaw replay: {file}: {exc}")
        return 1
    sys.stdout.write(terminal_text(result.text))
    if result.error:
        say_err(f"thaw replay: {file}: the replay stopped early: {result.error}")
    expected_path = blessed_path(file)
    if bless:
        try:
            expected_path.write_text(result.text, encoding="utf-8")
        except OSError as exc:
            print(f"thaw replay: cannot write {expected_path}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"blessed {expected_path}", file=sys.stderr)
        return 0 if result.ok else 1
    if expected_path.is_file():
        changes = diff(expected_path.read_text(encoding="utf-8"), result.text, str(expected_path))
        if changes:
            sys.stderr.write(terminal_text(changes))
            print(f"thaw replay: the output differs from {expected_path}; if the change is intended, accept it "
                  f"with: thaw replay {file}" + (f" --scenes {scenes}" if scenes else "") + " --bless", file=sys.stderr)
            return 1
        print(f"matches {expected_path}", file=sys.stderr)
    return 0 if result.ok else 1


__all__ = [
    "Recording",
    "Replay",
    "TranscriptError",
    "blessed_path",
    "diff",
    "load_recording",
    "main",
    "preset_of",
    "recording_from_game",
    "replay",
    "save_recording",
]
