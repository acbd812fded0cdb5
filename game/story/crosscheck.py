"""The loader's second pass: every reference between tables (gotos, starts, people, sources,
endings notes) and every condition and effect, checked once all files are read. A mixin of the
loader: it reports through the loader's `error` and knows its broken scenes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from game.story.conditions import ConditionError, compile_condition
from game.story.messages import suggest as _suggest
from game.story.model import SCENE_DATE_MAX, SCENE_DATE_MIN, Scene
from game.story.story import Location, Story


class CrossChecks:
    """Mixed into the loader; needs `self.error(where, message, scene, choice)` and `self.broken`."""

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
