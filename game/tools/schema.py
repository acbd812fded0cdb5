"""`thaw schema`: the JSON Schema of a scene file, generated from the pydantic models.

Editors that read JSON Schema for TOML (Taplo, and VS Code's Even Better TOML, which uses it) then
complete field names, show what each field means and underline mistakes as the writer types. A
story file opts in with a first line such as::

    #:schema ../schema/scene-file.schema.json

(a path relative to the file). The checked-in copy is ``schema/scene-file.schema.json``; a test
fails when it no longer matches the models, and ``thaw schema -o schema/scene-file.schema.json``
refreshes it.

The schema checks the shape of each file (field names, types, id patterns); what needs the whole
story (unknown goto targets, conditions, dates in range) is still `thaw check`'s job.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from game.story.model import (
    TOP_LEVEL_KEYS,
    Chapter,
    CodexEntry,
    EndingNote,
    Event,
    Person,
    Scene,
    Source,
    Stat,
    StoryInfo,
)

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
#: where the checked-in copy lives, relative to the repository root
SCHEMA_PATH = Path("schema") / "scene-file.schema.json"


class SceneFile(BaseModel):
    """One TOML file of a story folder: every top-level table is optional."""

    model_config = ConfigDict(extra="forbid", title="The Thaw: a story file")

    story: StoryInfo | None = Field(default=None, description="The manifest: exactly one file of the story has it.")
    chapter: list[Chapter] = Field(default_factory=list, description="`[[chapter]]`: the chapters, in play order.")
    stats: dict[str, Stat] = Field(
        default_factory=dict,
        description="`[stats.NAME]`: integer stats, clamped to min..max. Read them in conditions, change them with "
        "`set` and `add`.",
    )
    flags: dict[str, bool] = Field(
        default_factory=dict, description="`[flags]`: declared booleans with their starting value (`name = false`)."
    )
    people: dict[str, Person] = Field(
        default_factory=dict, description="`[people.ID]`: the recurring cast shown in the status panel."
    )
    scene: list[Scene] = Field(default_factory=list, description="`[[scene]]`: a scene of the story.")
    event: list[Event] = Field(default_factory=list, description="`[[event]]`: a documented historical event.")
    source: list[Source] = Field(default_factory=list, description="`[[source]]`: a work the history notes cite.")
    codex: list[CodexEntry] = Field(default_factory=list, description="`[[codex]]`: a person, place or term.")
    endings: dict[str, EndingNote] = Field(
        default_factory=dict, description="`[endings.SCENE_ID]`: what the endings gallery says of an ending not yet found."
    )


assert tuple(SceneFile.model_fields) == TOP_LEVEL_KEYS, "SceneFile must list every top-level table"

#: What each field means, shown by the editor on hover and in completion (model name -> field -> text).
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "StoryInfo": {
        "": "`[story]`: the story's manifest.",
        "id": "The story's id. Saves of another story id are refused.",
        "title": "The title shown on the title screen.",
        "subtitle": "A line under the title.",
        "version": "Bump it when content changes: saves record it and adapt across versions.",
        "start": "The id of the first scene of a new game.",
        "card": "`[story.card]`: the headings of the chapter card's two columns.",
    },
    "CardTitles": {
        "": "The headings of the chapter card's columns.",
        "record": "The heading of what the apparatus writes of the player (default \"On file\").",
        "private": "The heading of what only the player knows (default \"The private truth\").",
    },
    "Chapter": {
        "": "A chapter: scenes name it with `chapter = \"ID\"`.",
        "id": "The chapter's id.",
        "number": "Its number in play order (unique).",
        "title": "Its title, shown in the header.",
        "start": "Its first scene: undo stops there and damaged saves fall back to it.",
        "card": "`[[chapter.card]]`: the phrases of the card shown when the player leaves this chapter.",
    },
    "CardLine": {
        "": "A phrase of the chapter card, shown when its condition holds (every phrase that holds, in order).",
        "side": "\"record\" (what the file says of you) or \"private\" (what only you know).",
        "if": "A condition on stats and flags at the chapter's end (optional: always shown).",
        "text": "The phrase, Markdown on one line; the phrases of a side are joined into a paragraph.",
    },
    "Stat": {
        "": "A stat: an integer clamped to min..max.",
        "label": "The name shown to the player.",
        "min": "The lowest value (default 0).",
        "max": "The highest value (default 10).",
        "start": "The value at the start of a new game (within min..max).",
        "help": "One sentence shown to the player about what it measures.",
        "kind": "\"meter\" (the status bar) or \"relationship\" (shown under People).",
        "notice": "What the story says when a choice moves this stat: { up = \"...\", down = \"...\" }.",
    },
    "Notice": {
        "": "One line in the story's voice, shown with a choice's result when it moves the stat.",
        "up": "Shown when the stat rises, e.g. \"Lapin will remember this.\" (empty: nothing).",
        "down": "Shown when the stat falls (empty: nothing).",
    },
    "Person": {
        "": "A member of the recurring cast.",
        "name": "Their full name.",
        "role": "Who they are to the player, in a few words.",
        "stat": "The relationship stat that measures their trust (optional).",
        "codex": "Their codex entry id (optional).",
        "roles": "`[[people.ID.roles]]`: later roles, each shown while its `if` holds (the last that holds wins).",
    },
    "RoleChange": {
        "": "A role that replaces `role` while its condition holds.",
        "if": "A condition, e.g. 'visited(\"c3_arrest\")'.",
        "role": "The role shown meanwhile.",
    },
    "Scene": {
        "": "A scene: prose, then choices (or an `ending`).",
        "id": "Unique across the story; saves, transcripts and `goto` use it. Rename with `renamed_from`.",
        "chapter": "The id of a `[[chapter]]`.",
        "date": "A TOML date, 1953-01-01..1961-12-31 (the tag \"epilogue\" allows later), e.g. 1953-03-05.",
        "place": "Where the scene happens, shown in the header.",
        "text": "Markdown prose, second person, present tense.",
        "event": "The `[[event]]` id this scene dramatises (optional if `sources` is given).",
        "sources": "`[[source]]` ids this scene draws on.",
        "passage": "`[[scene.passage]]`: extra prose shown after `text` only when its `if` holds.",
        "choice": "`[[scene.choice]]`: what the player can do. An ending has none.",
        "ending": "Makes this scene an ending: `{ title = \"...\", tone = \"...\", kind = \"final\" }`.",
        "renamed_from": "Earlier ids of this scene: old saves follow them.",
        "tags": "Free labels; \"epilogue\" relaxes the date range.",
    },
    "Passage": {
        "": "Extra prose shown only when its condition holds.",
        "if": "A condition, e.g. \"has_key and nerve >= 3\".",
        "text": "The prose, shown after the scene's text.",
    },
    "Choice": {
        "": "A choice the player can take.",
        "id": "Stable within the scene; saves, transcripts and chose(\"scene.choice\") use it.",
        "text": "What the player reads in the list of choices.",
        "goto": "The scene this choice leads to.",
        "if": "A condition: while it is false the choice is hidden, or shown locked when `locked` is set.",
        "locked": "The reason shown while `if` is false (needs `if`).",
        "set": "Flags to true/false and stats to a number, e.g. { has_key = true, standing = 3 }.",
        "add": "Added to stats and clamped to their range, e.g. { standing = -1, lapin = 1 }.",
        "result": "Prose shown after the choice, before the next scene.",
        "once": "true: the choice disappears after it is taken once.",
        "branch": "`[[scene.choice.branch]]`: the first branch whose `if` holds redirects the choice.",
    },
    "Branch": {
        "": "Redirects its choice when its condition holds (read after the choice's own effects).",
        "if": "A condition; may use chance(N), true N% of the time, e.g. \"chance(30) and exposure >= 5\".",
        "goto": "The scene to go to instead.",
        "result": "Replaces the choice's result when this branch is taken.",
    },
    "EndingInfo": {
        "": "What kind of ending this is.",
        "title": "The ending's title, shown on the ending screen.",
        "tone": "A word for its mood, e.g. \"tragic\", \"bitter\", \"hopeful\".",
        "kind": "\"final\" (the story is over) or \"interim\" (the end of the pages written so far).",
    },
    "Event": {
        "": "A documented event: the history note of the scenes that name it.",
        "id": "The event's id; scenes name it with `event = \"ID\"`.",
        "date": "A TOML date, e.g. 1953-06-26.",
        "precision": "How exactly the date is known: \"day\", \"month\" or \"year\".",
        "title": "A one-line title.",
        "summary": "What actually happened, in your own words.",
        "sources": "`[[source]]` ids.",
        "disputed": "Where sources disagree, say so here.",
    },
    "Source": {
        "": "A cited work.",
        "id": "The source's id, e.g. \"mccauley-2014\".",
        "cite": "The full citation.",
        "url": "A link (optional).",
    },
    "CodexEntry": {
        "": "A codex entry, unlocked when a scene the player reaches mentions its name or an alias.",
        "id": "The entry's id.",
        "kind": "\"person\", \"place\" or \"term\".",
        "name": "The name; whole-word, case-sensitive mentions in prose unlock the entry.",
        "aliases": "Other words that unlock it.",
        "text": "Who or what it is, in a few sentences.",
        "sources": "`[[source]]` ids.",
        "passage": "`[[codex.passage]]`: more of the entry, shown after its text only when its `if` holds.",
    },
    "CodexPassage": {
        "": "More of a codex entry, shown only when its condition holds.",
        "if": "A condition on the game being played, e.g. 'visited(\"c3_arrest\")'.",
        "text": "The prose, shown after the entry's text.",
    },
    "EndingNote": {
        "": "The endings gallery's line for an ending (the table's name is the ending scene's id).",
        "hint": "One line shown while the ending has not been found: a hint, not a spoiler.",
    },
}


def scene_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one story file."""
    schema = SceneFile.model_json_schema(by_alias=True, mode="validation")
    _tidy(schema)
    for name, definition in schema.get("$defs", {}).items():
        texts = DESCRIPTIONS.get(name, {})
        if "" in texts:
            definition["description"] = texts[""]
        for field, prop in definition.get("properties", {}).items():
            if field in texts:
                prop["description"] = texts[field]
        if definition.get("required"):
            definition["x-taplo"] = {"initKeys": list(definition["required"])}
    for key in ("stats", "flags", "people", "endings"):
        schema["properties"][key]["propertyNames"] = {"pattern": ID_PATTERN, "maxLength": 64}
    choice = schema["$defs"]["Choice"]["properties"]
    for key in ("set", "add"):
        choice[key]["propertyNames"] = {"pattern": ID_PATTERN}
    return {
        "$schema": SCHEMA_URI,
        "$comment": "Generated by `thaw schema` from game/story/model.py: do not edit by hand.",
        **schema,
    }


def _tidy(node: Any) -> None:
    """TOML has no null: drop `null` alternatives and `default: null`; drop pydantic's auto titles."""
    if isinstance(node, dict):
        any_of = node.get("anyOf")
        if isinstance(any_of, list):
            rest = [s for s in any_of if s != {"type": "null"}]
            if len(rest) != len(any_of):
                del node["anyOf"]
                if len(rest) == 1:
                    node.update(rest[0])
                else:
                    node["anyOf"] = rest
                if node.get("default", 0) is None:
                    del node["default"]
        props = node.get("properties")
        if isinstance(props, dict):
            for prop in props.values():
                if isinstance(prop, dict):
                    prop.pop("title", None)
        for value in list(node.values()):
            _tidy(value)
    elif isinstance(node, list):
        for value in node:
            _tidy(value)


def schema_text() -> str:
    """The schema as the checked-in file holds it (2-space indent, a final newline)."""
    return json.dumps(scene_file_schema(), indent=2, ensure_ascii=False) + "\n"


def main(output: str | None = None) -> int:
    text = schema_text()
    if output is None:
        sys.stdout.write(text)
        return 0
    path = Path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"thaw schema: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {output}", file=sys.stderr)
    return 0


__all__ = ["SCHEMA_PATH", "SceneFile", "main", "scene_file_schema", "schema_text"]
