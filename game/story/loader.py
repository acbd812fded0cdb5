"""Load a story folder: every *.toml under it, validated, cross-checked and compiled.

All problems are collected in one pass and raised together as a :class:`StoryError`, each as
``path/file.toml:LINE: scene 'x', choice 'y': message``, so a writer fixes a whole batch at once.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import tomli
from pydantic import BaseModel, ValidationError

from game.story import boundary
from game.story.conditions import ConditionError, compile_condition
from game.story.locate import Locator
from game.story.model import (
    SCENE_DATE_MAX,
    SCENE_DATE_MIN,
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


class _Loader:
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

    # -- cross-references --
    def cross_check(self, story: Story, manifest_at: Location) -> None:
        scenes = story.scenes
        if self.unknown_scene(story, story.info.start):
            self.error(manifest_at, f"the start scene '{story.info.start}' does not exist{_suggest(story.info.start, scenes)}")
        for chapter in story.chapters.values():
            if self.unknown_scene(story, chapter.start):
                self.error(story.where("chapter", chapter.id, "start"), f"chapter '{chapter.id}' starts at unknown scene '{chapter.start}'{_suggest(chapter.start, scenes)}")
        numbers: dict[int, str] = {}
        for chapter in story.chapters.values():
            if chapter.number in numbers:
                self.error(story.where("chapter", chapter.id), f"chapters '{numbers[chapter.number]}' and '{chapter.id}' share number {chapter.number}")
            numbers[chapter.number] = chapter.id
        for name, person in story.people.items():
            if person.stat and person.stat not in story.stats:
                self.error(story.where("person", name), f"person '{name}' refers to unknown stat '{person.stat}'")
            if person.codex and person.codex not in story.codex:
                self.error(story.where("person", name), f"person '{name}' refers to unknown codex entry '{person.codex}'")
        for event in story.events.values():
            self.check_sources(story, event.sources, ("event", event.id), f"event '{event.id}'")
        for entry in story.codex.values():
            self.check_sources(story, entry.sources, ("codex", entry.id), f"codex entry '{entry.id}'")
        for name in story.ending_notes:
            scene = scenes.get(name)
            if scene is None:
                self.error(story.where("ending", name), f"[endings.{name}] names unknown scene '{name}'{_suggest(name, story.endings)}")
            elif not scene.is_ending:
                self.error(story.where("ending", name), f"[endings.{name}]: scene '{name}' is not an ending (it has no `ending`)")

        for name in story.balance.ignore:
            if name not in story.stats:
                self.error(story.where("balance", "", "ignore"), f"[balance] ignore names unknown stat '{name}'{_suggest(name, story.stats)}")
        renamed: dict[str, str] = {}
        types = story.types
        self.check_shown(story, types)
        for scene in scenes.values():
            self.check_scene(story, scene, types, renamed)
        story.renames.update(renamed)

    def unknown_scene(self, story: Story, sid: str) -> bool:
        return sid not in story.scenes and sid not in self.broken

    def check_shown(self, story: Story, types: Mapping[str, type]) -> None:
        """The conditions of what is only shown: people's later roles, chapter-card phrases and
        codex passages, validated like scene passages (no chance())."""
        into = story.shown_conditions
        for name, person in story.people.items():
            for k, later in enumerate(person.roles):
                self.compile(story, types, later.if_, ("role", name, k), ("person", name, "roles", k, "if"),
                             None, None, False, into)
        for chapter in story.chapters.values():
            for k, line in enumerate(chapter.card):
                if not line.text.strip():
                    self.error(story.where("chapter", chapter.id, "card", k, "text"), "this card phrase has no text: write it or remove the phrase")
                if line.if_ is not None:
                    self.compile(story, types, line.if_, ("card", chapter.id, k), ("chapter", chapter.id, "card", k, "if"),
                                 None, None, False, into)
        for entry in story.codex.values():
            for k, passage in enumerate(entry.passage):
                self.compile(story, types, passage.if_, ("codex", entry.id, k), ("codex", entry.id, "passage", k, "if"),
                             None, None, False, into)

    def check_sources(self, story: Story, ids: Iterable[str], place: tuple[str, ...], owner: str,
                      scene: str | None = None) -> None:
        for source in ids:
            if source not in story.sources:
                self.error(story.where(*place), f"{owner} cites unknown source '{source}'{_suggest(source, story.sources)}", scene)

    def check_scene(self, story: Story, scene: Scene, types: Mapping[str, type], renamed: dict[str, str]) -> None:
        sid = scene.id
        at = story.where
        if scene.chapter not in story.chapters:
            self.error(at("scene", sid, "chapter"), f"unknown chapter '{scene.chapter}'{_suggest(scene.chapter, story.chapters)}", sid)
        if scene.event is not None and scene.event not in story.events:
            self.error(at("scene", sid, "event"), f"unknown event '{scene.event}'{_suggest(scene.event, story.events)}", sid)
        if scene.sources:
            self.check_sources(story, scene.sources, ("scene", sid, "sources"), "the scene", sid)
        late_ok = "epilogue" in scene.tags
        if scene.date < SCENE_DATE_MIN or (scene.date > SCENE_DATE_MAX and not late_ok):
            hint = " (tag the scene \"epilogue\" to date it later)" if scene.date > SCENE_DATE_MAX else ""
            self.error(at("scene", sid, "date"), f"the date {scene.date} is outside 1953-01-01..1961-12-31{hint}", sid)
        if scene.is_ending and scene.choice:
            self.error(at("scene", sid), "an ending cannot have choices: remove them or remove `ending`", sid)
        if not scene.is_ending and not scene.choice:
            self.error(at("scene", sid), "this scene has no choices and is not an ending: add a [[scene.choice]] or an `ending`", sid)
        for old in scene.renamed_from:
            if old in story.scenes:
                self.error(at("scene", sid, "renamed_from"), f"renamed_from names '{old}', which is still a scene", sid)
            elif old in renamed:
                self.error(at("scene", sid, "renamed_from"), f"'{old}' is already renamed to '{renamed[old]}'", sid)
            else:
                renamed[old] = sid
        for k, passage in enumerate(scene.passage):
            self.compile(story, types, passage.if_, ("passage", sid, k), ("passage", sid, str(k)), sid, None, False)
        for choice in scene.choice:
            cid = choice.id
            if self.unknown_scene(story, choice.goto):
                self.error(at("choice", sid, cid, "goto"), f"goto names unknown scene '{choice.goto}'{_suggest(choice.goto, story.scenes)}", sid, cid)
            if choice.if_ is not None:
                self.compile(story, types, choice.if_, ("choice", sid, cid), ("choice", sid, cid, "if"), sid, cid, False)
            elif choice.locked is not None:
                self.error(at("choice", sid, cid, "locked"), "`locked` needs an `if`: it is the reason shown while the condition does not hold", sid, cid)
            if choice.set_ or choice.add:
                self.check_effects(story, choice.set_, choice.add, sid, cid)
            for k, branch in enumerate(choice.branch):
                if self.unknown_scene(story, branch.goto):
                    self.error(at("branch", sid, cid, str(k), "goto"), f"branch {k + 1} goes to unknown scene '{branch.goto}'{_suggest(branch.goto, story.scenes)}", sid, cid)
                self.compile(story, types, branch.if_, ("branch", sid, cid, k), ("branch", sid, cid, str(k), "if"), sid, cid, True)

    def compile(self, story: Story, types: Mapping[str, type], source: str, key: tuple[Any, ...],
                place: tuple[Any, ...], sid: str | None, cid: str | None, allow_chance: bool,
                into: dict[tuple[Any, ...], Any] | None = None) -> None:
        """Compile one condition into `into` (the story's conditions unless given); `place` locates
        it (story.where) only if there is a problem."""
        try:
            memo = (source, allow_chance)
            condition = self.compiled.get(memo)
            if condition is None:
                condition = self.compiled[memo] = compile_condition(source, types, allow_chance=allow_chance)
        except ConditionError as exc:
            self.error(story.where(*place), f"in condition: {exc}", sid, cid)
            return
        if condition.scenes or condition.choices:
            self.check_refs(story, condition, story.where(*place), sid, cid)
        (story.conditions if into is None else into)[key] = condition

    def check_refs(self, story: Story, condition: Any, loc: Location, sid: str | None, cid: str | None) -> None:
        for ref in sorted(condition.scenes):
            if self.unknown_scene(story, ref):
                self.error(loc, f"in condition: unknown scene '{ref}'{_suggest(ref, story.scenes)}", sid, cid)
        for ref in sorted(condition.choices):
            scene_id, choice_id = ref.split(".", 1)
            target = story.scenes.get(scene_id)
            if scene_id in self.broken and target is None:
                continue
            if target is None:
                self.error(loc, f"in condition: chose() names unknown scene '{scene_id}'", sid, cid)
            elif all(c.id != choice_id for c in target.choice):
                self.error(loc, f"in condition: scene '{scene_id}' has no choice '{choice_id}'", sid, cid)

    def check_effects(self, story: Story, set_: Mapping[str, Any], add: Mapping[str, int], sid: str, cid: str) -> None:
        def set_at() -> Location:
            return story.where("choice", sid, cid, "set")

        def add_at() -> Location:
            return story.where("choice", sid, cid, "add")

        for name, value in set_.items():
            if name in story.flags:
                if not isinstance(value, bool):
                    self.error(set_at(), f"set: flag '{name}' can only be set to true or false, not {value!r}", sid, cid)
            elif name in story.stats:
                stat = story.stats[name]
                if isinstance(value, bool):
                    self.error(set_at(), f"set: stat '{name}' is a number; it cannot be set to {str(value).lower()}", sid, cid)
                elif not stat.min <= value <= stat.max:
                    self.error(set_at(), f"set: {name} = {value} is outside its range {stat.min}..{stat.max}", sid, cid)
            else:
                self.error(set_at(), f"set: unknown name '{name}'{_suggest(name, story.types)}", sid, cid)
        for name in add:
            if name in story.flags:
                self.error(add_at(), f"add: '{name}' is a flag, not a number: use set = {{ {name} = true }}", sid, cid)
            elif name not in story.stats:
                self.error(add_at(), f"add: unknown stat '{name}'{_suggest(name, story.stats)}", sid, cid)


# ---- helpers -------------------------------------------------------------------------------------

def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _label_for(loc: Sequence[str | int], raw: Any, id_: str | None) -> str:
    kind = str(loc[0])
    if id_ is not None:
        return f"{kind} '{id_}'"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{kind} '{raw['id']}'"
    return f"this {kind}"


def _scene_and_choice(loc: Sequence[str | int], raw: Any, sub: Sequence[str | int]) -> tuple[str | None, str | None]:
    if loc[0] != "scene" or not isinstance(raw, dict):
        return None, None
    scene = raw.get("id") if isinstance(raw.get("id"), str) else None
    choice = None
    if len(sub) >= 2 and sub[0] == "choice" and isinstance(sub[1], int):
        choices = raw.get("choice")
        if isinstance(choices, list) and sub[1] < len(choices) and isinstance(choices[sub[1]], dict):
            cid = choices[sub[1]].get("id")
            choice = cid if isinstance(cid, str) else None
    return scene, choice


def _explain(err: Any, model: type[BaseModel]) -> str:
    """Turn a pydantic error into a sentence a writer can act on."""
    loc = [p for p in err["loc"] if isinstance(p, str)]
    field = loc[-1] if loc else ""
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return f"missing required field '{field}'"
    if kind == "extra_forbidden":
        owner = _owner_fields(model, loc[:-1])
        return f"unknown field '{field}'{_suggest(field, owner)}"
    if kind == "string_pattern_mismatch":
        return f"'{field}' = {value!r} is not a valid id: use lower-case letters, digits, '_' or '-', starting with a letter"
    if kind == "string_too_long":
        limit = (err.get("ctx") or {}).get("max_length")
        return f"'{field}' is too long" + (f" (at most {limit} characters)" if limit else "")
    if kind.startswith("date"):
        return f"'{field}' must be a TOML date such as 1953-03-05, not {value!r}"
    if kind in ("greater_than_equal", "less_than_equal"):
        ctx = err.get("ctx") or {}
        if kind == "greater_than_equal":
            return f"'{field}' must be at least {ctx.get('ge')}, not {value!r}"
        return f"'{field}' must be at most {ctx.get('le')}, not {value!r}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"'{field}' must be a whole number, not {value!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"'{field}' must be true or false, not {value!r}"
    if kind in ("string_type",):
        return f"'{field}' must be text in quotes, not {value!r}"
    if kind in ("tuple_type", "list_type"):
        return f"'{field}' must be a list such as [\"a\", \"b\"]"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{field}' must be a table"
    if kind == "literal_error":
        return f"'{field}' {err['msg'].lower()}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return f"'{field}': {err['msg']}" if field else str(err["msg"])


def _owner_fields(model: type[BaseModel], path: Sequence[str]) -> list[str]:
    current: Any = model
    for part in path:
        fields = getattr(current, "model_fields", {})
        info = next((f for n, f in fields.items() if n == part or f.alias == part), None)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    fields = getattr(current, "model_fields", {})
    return [f.alias or n for n, f in fields.items()]


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
