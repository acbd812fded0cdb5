"""Load a story folder: every *.toml under it, validated, cross-checked and compiled.

All problems are collected in one pass and raised together as a :class:`StoryError`, each as
``path/file.toml:LINE: scene 'x', choice 'y': message``, so a writer fixes a whole batch at once.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli
from pydantic import BaseModel, ValidationError

from game.story import boundary
from game.story.locate import Locator
from game.story.model import (
    TOP_LEVEL_KEYS,
    BalanceLimits,
    Chapter,
    CodexEntry,
    EndingNote,
    Event,
    Person,
    Scene,
    Source,
    Stat,
    StoryInfo,
    StyleRules,
)
from game.story.crosscheck import CrossChecks
from game.story.messages import explain as _explain
from game.story.messages import label_for as _label_for
from game.story.messages import scene_and_choice as _scene_and_choice
from game.story.messages import suggest as _suggest
from game.story.problems import Problem, StoryError
from game.story.recovery import ids_in_text, salvage, syntax_hint
from game.story.story import Location, Spot, Story

MAX_FILE_BYTES = 4 * 1024 * 1024
_ID = re.compile(r"[a-z][a-z0-9_-]{0,63}")
#: a story folder holds at most this many .toml files, and this many bytes of them in all: the
#: shipped story is 32 files and 0.5 MiB, a 10,000-scene story 101 files and 7 MiB
MAX_FILES = 2_000
MAX_STORY_BYTES = 32 * 1024 * 1024

_LIST_MODELS: dict[str, type[BaseModel]] = {
    "chapter": Chapter,
    "scene": Scene,
    "event": Event,
    "source": Source,
    "codex": CodexEntry,
}
_KIND_NAMES = {"chapter": "chapter", "scene": "scene", "event": "event", "source": "source", "codex": "codex entry"}


def display_path(path: Path) -> str:
    """A path as the writer typed it: relative to the working folder when it is below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def story_files(root: Path) -> list[Path]:
    """Every *.toml under `root` in a deterministic order, hidden folders skipped."""
    files = [
        p
        for p in root.rglob("*.toml")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def load_story(root: str | Path) -> Story:
    """Load and check the story in `root`; raise StoryError listing every problem."""
    # Loading allocates many small objects and frees none of them: the cyclic garbage collector
    # would only re-scan them (a third of the time on a 10,000-scene story).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _Loader(Path(root)).load()
    finally:
        if enabled:
            gc.enable()


class _File:
    def __init__(self, path: Path, text: str, data: dict[str, Any]) -> None:
        self.path = path
        self.shown = display_path(path)
        self.text = text
        self.data = data
        self._locator: Locator | None = None

    def line_of(self, loc: tuple[str | int, ...]) -> int:
        if self._locator is None:
            self._locator = Locator(self.text)
        return self._locator.line_of(loc)

    def at(self, *loc: str | int) -> Location:
        return Location(self.shown, self.line_of(loc))

    def spot(self, *loc: str | int) -> Spot:
        return Spot(self, loc)


class _Loader(CrossChecks):
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.digest = hashlib.sha256()
        self.compiled: dict[tuple[str, bool], Any] = {}  # the same condition text compiles once
        #: ids of scenes that are in the files but could not be read: a goto to one is not "unknown"
        #: (its own error says what is wrong; one broken scene must not raise errors everywhere)
        self.broken: set[str] = set()

    # -- reporting --
    def error(self, where: Location, message: str, scene: str | None = None, choice: str | None = None) -> None:
        self.problems.append(Problem(where.path, where.line, message, scene, choice))

    # -- reading --
    def load(self) -> Story:
        root_shown = display_path(self.root)
        if not self.root.is_dir():
            raise StoryError([Problem(root_shown, 0, "this story folder does not exist")])
        try:
            paths = story_files(self.root)
        except OSError as exc:
            raise StoryError([Problem(root_shown, 0, f"cannot list the folder: {exc.strerror or exc}")]) from None
        if not paths:
            raise StoryError([Problem(root_shown, 0, "no .toml files in this folder")])
        if len(paths) > MAX_FILES:
            raise StoryError([Problem(root_shown, 0, f"the folder holds {len(paths):,} .toml files; a story may "
                                      f"have at most {MAX_FILES:,}: is this the right folder?")])
        sizes = {}
        for path in paths:
            try:
                sizes[path] = path.stat().st_size
            except OSError:
                sizes[path] = 0  # read() reports it
        total = sum(size for size in sizes.values() if size <= MAX_FILE_BYTES)  # larger ones: a problem each
        if total > MAX_STORY_BYTES:
            raise StoryError([Problem(root_shown, 0, f"the story's .toml files hold {total / 1048576:.1f} MiB in all; "
                                      f"a story may be at most {MAX_STORY_BYTES // 1048576} MiB: is this the right folder?")])
        files = [f for f in (self.read(p, sizes[p]) for p in paths) if f is not None]
        return self.build(files, root_shown)

    def read(self, path: Path, size: int = 0) -> _File | None:
        shown = display_path(path)
        too_big = (f"a story file may be at most {MAX_FILE_BYTES // 1048576} MiB: split it into several files")
        if size > MAX_FILE_BYTES:
            self.problems.append(Problem(shown, 0, f"the file is {size / 1048576:.1f} MiB; {too_big}"))
            return None
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)  # bounded: the file may have grown since
        except OSError as exc:
            self.problems.append(Problem(shown, 0, f"cannot read the file: {exc.strerror or exc}"))
            return None
        if len(raw) > MAX_FILE_BYTES:
            self.problems.append(Problem(shown, 0, f"the file is over {MAX_FILE_BYTES // 1048576} MiB; {too_big}"))
            return None
        self.digest.update(path.relative_to(self.root).as_posix().encode() + b"\0" + raw + b"\0")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problems.append(Problem(shown, line, "the file is not UTF-8 text: save it with UTF-8 encoding"))
            return None
        if text.startswith("\ufeff"):
            text = text[1:]
        try:
            data = tomli.loads(text)
        except tomli.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", 0) or 0
            message = getattr(exc, "msg", str(exc))
            self.problems.append(Problem(shown, line, f"TOML syntax error: {syntax_hint(message)}"))
            self.broken.update(ids_in_text(text))
            return None
        except RecursionError:
            self.problems.append(Problem(shown, 0, "the file nests tables or arrays too deeply"))
            return None
        except Exception as exc:  # noqa: BLE001 - a number too long to convert, or another parser fault
            self.problems.append(boundary.parser_fault(text, shown, exc))
            return None
        f = _File(path, text, data)
        self.problems += boundary.check_strings(data, text, f.shown, f.line_of)
        too_large = boundary.check_numbers(data, f.shown, f.line_of)
        if too_large:
            self.problems += too_large
            return None  # the rest of the loader would have to print that number
        return f

    # -- building --
    def build(self, files: list[_File], root_shown: str) -> Story:
        info: StoryInfo | None = None
        info_at: Location | None = None
        stats: dict[str, Stat] = {}
        flags: dict[str, bool] = {}
        people: dict[str, Person] = {}
        notes: dict[str, EndingNote] = {}
        items: dict[str, dict[str, Any]] = {kind: {} for kind in _LIST_MODELS}
        where: dict[tuple[str, str], Spot] = {}
        declared_at: dict[str, Spot] = {}
        settings: dict[str, tuple[Spot, Any]] = {}  # [balance] and [style]: at most one of each

        for f in files:
            for key in f.data:
                if key not in TOP_LEVEL_KEYS:
                    self.error(f.at(key), f"unknown table '{key}'{_suggest(key, TOP_LEVEL_KEYS)}")
            if "story" in f.data:
                if info is not None and info_at is not None:
                    self.error(f.at("story"), f"a second [story] table (the first is at {info_at})")
                else:
                    info_at = f.at("story", "start")
                    info = self.validate(StoryInfo, f.data["story"], f, ("story",))
            self.read_settings(f, settings)
            for name, raw in self.table(f, "stats").items():
                stat = self.validate(Stat, raw, f, ("stats", name), id_=name)
                if stat is not None and self.unique(declared_at, name, f.spot("stats", name), "name"):
                    stats[name] = stat
            for name, value in self.table(f, "flags").items():
                spot = f.spot("flags", name)
                if not isinstance(value, bool):
                    self.error(spot.resolve(), f"flag '{name}' must start as true or false, not {value!r}")
                elif self.check_id(name, spot, "flag") and self.unique(declared_at, name, spot, "name"):
                    flags[name] = value
            for name, raw in self.table(f, "people").items():
                person = self.validate(Person, raw, f, ("people", name), id_=name)
                if person is not None and self.unique(where, ("person", name), f.spot("people", name), "person"):
                    people[name] = person
            for name, raw in self.table(f, "endings").items():
                note = self.validate(EndingNote, raw, f, ("endings", name), id_=name)
                if note is not None and self.unique(where, ("ending", name), f.spot("endings", name), "ending note"):
                    notes[name] = note
            for kind, model in _LIST_MODELS.items():
                raw_list = f.data.get(kind)
                if raw_list is None:
                    continue
                if not isinstance(raw_list, list):
                    self.error(f.at(kind), f"'{kind}' must be written as [[{kind}]] tables")
                    continue
                for index, raw in enumerate(raw_list):
                    obj = self.validate(model, raw, f, (kind, index))
                    if obj is None and kind == "scene":
                        obj = salvage(model, raw)  # its errors are reported: check the rest of it too
                        if obj is None and isinstance(raw, dict) and isinstance(raw.get("id"), str):
                            self.broken.add(raw["id"])
                    if obj is None:
                        continue
                    if self.unique(where, (kind, obj.id), f.spot(kind, index), _KIND_NAMES[kind], "id"):
                        items[kind][obj.id] = obj
                        if kind == "scene":
                            self.check_choice_ids(obj, f, index)

        if info is None:
            if not self.problems:
                self.problems.append(Problem(root_shown, 0, "no [story] table: add a story.toml with [story] id, title, version and start"))
            raise StoryError(self.problems)

        for name in stats.keys() & flags.keys():
            self.error(declared_at[name].resolve(), f"'{name}' is declared both as a stat and as a flag")

        for name, loc in declared_at.items():
            where[("stats" if name in stats else "flags", name)] = loc
        chapters = sorted(items["chapter"].values(), key=lambda c: c.number)
        story = Story(
            root=self.root,
            info=info,
            chapters={c.id: c for c in chapters},
            stats=stats,
            flags=flags,
            people=people,
            scenes=items["scene"],
            events=items["event"],
            sources=items["source"],
            codex=items["codex"],
            locations=where,
            content_hash=self.digest.hexdigest(),
            ending_notes=notes,
        )
        for key, (spot, value) in settings.items():
            where[(key, "")] = spot
            if value is not None:
                setattr(story, key, value)
        self.cross_check(story, info_at or Location(root_shown, 0))
        if self.problems:
            raise StoryError(self.problems)
        return story

    def read_settings(self, f: _File, settings: dict[str, tuple[Spot, Any]]) -> None:
        """[balance] and [style]: optional tables, at most one of each in the folder."""
        for key, model in (("balance", BalanceLimits), ("style", StyleRules)):
            if key not in f.data:
                continue
            if key in settings:
                self.error(f.at(key), f"a second [{key}] table (the first is at {settings[key][0]})")
            else:
                settings[key] = (f.spot(key), self.validate(model, f.data[key], f, (key,)))

    def table(self, f: _File, key: str) -> Mapping[str, Any]:
        value = f.data.get(key, {})
        if not isinstance(value, dict):
            self.error(f.at(key), f"'{key}' must be a table: write [{key}] or [{key}.name]")
            return {}
        return value

    def validate(self, model: type[BaseModel], raw: Any, f: _File, loc: tuple[str | int, ...], id_: str | None = None) -> Any:
        label = _label_for(loc, raw, id_)
        if id_ is not None and not self.check_id(id_, f.at(*loc), str(loc[0])):
            return None
        if not isinstance(raw, dict):
            self.error(f.at(*loc), f"{label} must be a table")
            return None
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                sub = tuple(err["loc"])
                scene, choice = _scene_and_choice(loc, raw, sub)
                self.error(f.at(*loc, *sub), _explain(err, model), scene, choice)
            return None
        except RecursionError:
            self.error(f.at(*loc), f"{label} nests too deeply")
            return None
        except Exception as exc:  # noqa: BLE001 - a conversion pydantic did not wrap: a problem, not a crash
            self.error(f.at(*loc), f"{label} could not be read ({type(exc).__name__})")
            return None

    def check_id(self, name: str, loc: Location | Spot, kind: str) -> bool:
        if _ID.fullmatch(name):
            return True
        self.error(loc if isinstance(loc, Location) else loc.resolve(), f"'{name}' is not a valid {kind} name: use lower-case letters, digits, '_' or '-', starting with a letter")
        return False

    def unique(self, seen: dict[Any, Spot], key: Any, spot: Spot, kind: str, *field: str) -> bool:
        """Record `key` as defined at `spot`; report a duplicate at its `field` line."""
        first = seen.get(key)
        if first is not None:
            name = key[1] if isinstance(key, tuple) else key
            if kind == "name":
                self.error(spot.resolve(*field), f"'{name}' is declared twice (first at {first})")
            else:
                self.error(spot.resolve(*field), f"duplicate {kind} id '{name}': already defined at {first}")
            return False
        seen[key] = spot
        return True

    def check_choice_ids(self, scene: Scene, f: _File, index: int) -> None:
        seen: set[str] = set()
        for j, choice in enumerate(scene.choice):
            if choice.id in seen:
                self.error(f.at("scene", index, "choice", j, "id"), f"duplicate choice id '{choice.id}' in this scene", scene.id, choice.id)
            seen.add(choice.id)
